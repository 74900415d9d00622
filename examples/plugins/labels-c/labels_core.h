/* The labels transform shared by the Wasm and the native build of the labels-c post-renderer:
 * put "KEY: VALUE" under metadata.labels of every document of a YAML stream (text-level edit). */
#ifndef LABELS_CORE_H
#define LABELS_CORE_H
#include <stddef.h>

static size_t lc_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static void lc_put(char *out, size_t *o, const char *s, size_t n) { for (size_t i = 0; i < n; i++) out[(*o)++] = s[i]; }
static int lc_line_is(const char *l, size_t n, const char *want) {
  size_t w = lc_strlen(want);
  while (n > 0 && l[n - 1] == ' ') n--;
  if (n != w) return 0;
  for (size_t i = 0; i < n; i++) if (l[i] != want[i]) return 0;
  return 1;
}

/* out needs room for n + (number of documents) * (len(label) + 16) bytes. Returns the length. */
static size_t add_label(const char *in, size_t n, char *out, const char *key, const char *val) {
  size_t o = 0, i = 0, kl = lc_strlen(key), vl = lc_strlen(val);
  while (i < n) {
    size_t e = i; while (e < n && in[e] != '\n') e++;
    size_t next = e < n ? e + 1 : e;
    lc_put(out, &o, in + i, next - i);
    if (lc_line_is(in + i, e - i, "metadata:")) {
      /* look for "  labels:" among the indented lines that follow */
      size_t j = next, found = (size_t)-1;
      while (j < n && in[j] == ' ') {
        size_t je = j; while (je < n && in[je] != '\n') je++;
        if (lc_line_is(in + j, je - j, "  labels:")) { found = je < n ? je + 1 : je; break; }
        j = je < n ? je + 1 : je;
      }
      if (found == (size_t)-1) {
        if (e == n) out[o++] = '\n';
        lc_put(out, &o, "  labels:\n", 10);
      } else {
        lc_put(out, &o, in + next, found - next);
        next = found;
      }
      lc_put(out, &o, "    ", 4); lc_put(out, &o, key, kl); lc_put(out, &o, ": ", 2); lc_put(out, &o, val, vl);
      out[o++] = '\n';
    }
    i = next;
  }
  return o;
}
#endif
