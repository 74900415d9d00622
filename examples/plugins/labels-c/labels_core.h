/* The labels transform shared by the Wasm and the native build of the labels-c post-renderer:
 * put "KEY: VALUE" under metadata.labels of every document of a YAML stream. It is a text-level
 * edit: after a top-level "metadata:" line the label goes under that block's "  labels:" line,
 * or into a new "  labels:" block right after "metadata:". One pass over the input; bytes are
 * looked at 8 at a time and copied in whole runs. Needs no libc (memcpy aside). */
#ifndef LABELS_CORE_H
#define LABELS_CORE_H
#include <stddef.h>
#include <stdint.h>

#define LC_ONES 0x0101010101010101ULL
#define LC_LOW7 0x7F7F7F7F7F7F7F7FULL

static inline uint64_t lc_load8(const char *p) { uint64_t v; __builtin_memcpy(&v, p, 8); return v; }

/* The high bit of every byte of v that is zero (exact: no carries between bytes). */
static inline uint64_t lc_zero_bytes(uint64_t v) { return ~(((v & LC_LOW7) + LC_LOW7) | v | LC_LOW7); }

/* Index (0..7) of the first byte in memory order that a lc_zero_bytes mask flags. */
static inline size_t lc_first(uint64_t mask) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  return (size_t)__builtin_clzll(mask) >> 3;
#else
  return (size_t)__builtin_ctzll(mask) >> 3;
#endif
}

/* Position of the first byte c in s[i, n), or n. */
static size_t lc_find(const char *s, size_t i, size_t n, char c) {
  uint64_t pattern = LC_ONES * (unsigned char)c;
  for (; i + 8 <= n; i += 8) {
    uint64_t m = lc_zero_bytes(lc_load8(s + i) ^ pattern);
    if (m) return i + lc_first(m);
  }
  for (; i < n; i++)
    if (s[i] == c) return i;
  return n;
}

/* Position of the next line in s[i, n) that starts with `first`, or n. It looks for "\n"
 * followed by `first`, 8 positions at a time, so the lines in between cost next to nothing. */
static size_t lc_next_line_starting(const char *s, size_t i, size_t n, char first) {
  if (i == 0 && n > 0 && s[0] == first) return 0;
  uint64_t nl = LC_ONES * '\n', c = LC_ONES * (unsigned char)first;
  for (; i + 9 <= n; i += 8) {
    uint64_t m = lc_zero_bytes(lc_load8(s + i) ^ nl) & lc_zero_bytes(lc_load8(s + i + 1) ^ c);
    if (m) return i + lc_first(m) + 1;
  }
  for (; i + 1 < n; i++)
    if (s[i] == '\n' && s[i + 1] == first) return i + 1;
  return n;
}

static size_t lc_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }

static void lc_put(char *out, size_t *o, const char *s, size_t n) { __builtin_memcpy(out + *o, s, n); *o += n; }

/* Is the line s[i, e) exactly `want`, give or take trailing spaces? */
static int lc_line_is(const char *s, size_t i, size_t e, const char *want) {
  size_t w = lc_strlen(want);
  while (e > i && s[e - 1] == ' ') e--;
  if (e - i != w) return 0;
  for (size_t k = 0; k < w; k++)
    if (s[i + k] != want[k]) return 0;
  return 1;
}

/* out needs room for n + (n / 10 + 1) * (len(key) + len(value) + 20) bytes (each label needs a
 * "metadata:" line, 10 bytes of input). Returns the length written. */
static size_t add_label(const char *in, size_t n, char *out, const char *key, const char *val) {
  size_t o = 0, copied = 0, i = 0, kl = lc_strlen(key), vl = lc_strlen(val);
  while ((i = lc_next_line_starting(in, i, n, 'm')) < n) {
    size_t e = lc_find(in, i, n, '\n'), next = e < n ? e + 1 : n;
    if (!lc_line_is(in, i, e, "metadata:")) { i = next; continue; }
    /* where the label goes: after "  labels:" among the indented lines that follow, if any */
    size_t at = next, j = next;
    int has_labels = 0;
    while (j < n && in[j] == ' ') {
      size_t je = lc_find(in, j, n, '\n');
      if (lc_line_is(in, j, je, "  labels:")) { at = je < n ? je + 1 : n; has_labels = 1; break; }
      j = je < n ? je + 1 : n;
    }
    lc_put(out, &o, in + copied, at - copied);
    copied = at;
    if (at == n && in[n - 1] != '\n') out[o++] = '\n';
    if (!has_labels) lc_put(out, &o, "  labels:\n", 10);
    lc_put(out, &o, "    ", 4); lc_put(out, &o, key, kl); lc_put(out, &o, ": ", 2); lc_put(out, &o, val, vl);
    out[o++] = '\n';
    i = at;
  }
  lc_put(out, &o, in + copied, n - copied);
  return o;
}
#endif
