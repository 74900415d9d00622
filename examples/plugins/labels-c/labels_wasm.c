/* labels-c as a Wasm postrenderer/v1 plugin (freestanding, no libc).
 *
 * helm_plugin_main (Helm 4's contract, called by Helm and by Pilothouse):
 *   Input:  {"manifests": "<YAML stream>", "extraArgs": [...]}   (a JSON message)
 *   Output: {"manifests": "<YAML stream>"}
 * pilothouse_postrender (Pilothouse's fast path, ignored by Helm): the YAML stream itself in and
 *   out, no JSON; the same transform.
 * The label comes from runtimeConfig.config (label_key, label_value). The work is in three
 * plain steps: decode the JSON string, add the label (labels_core.h, shared with the native
 * build), encode the result as a JSON string. Each step is one linear pass that looks at 8 bytes
 * at a time for the few bytes it has to act on and copies everything else in runs. */
#define PILOT_PDK_IMPLEMENTATION
#include "pilothouse_pdk.h"
#include "labels_core.h"

/* A freestanding build has no libc: clang turns copies into calls to these. Word at a time. */
void *memcpy(void *d, const void *s, size_t n) {
  char *a = d; const char *b = s;
  for (; n >= 8; n -= 8, a += 8, b += 8) { uint64_t v; __builtin_memcpy(&v, b, 8); __builtin_memcpy(a, &v, 8); }
  while (n--) *a++ = *b++;
  return d;
}
void *memset(void *d, int c, size_t n) { char *a = d; while (n--) *a++ = (char)c; return d; }

/* A per-call arena at the end of memory: reset at the start of every call, grown only when a
 * call needs more than any call before it, so a reused instance does not keep growing. */
static size_t arena_base, arena_end, arena_top;

static char *heap_alloc(size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!arena_base) arena_base = arena_end = arena_top = __builtin_wasm_memory_size(0) * 65536;
  if (arena_top + n > arena_end) {
    size_t pages = (arena_top + n - arena_end + 65535) / 65536;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
    arena_end += pages * 65536;
  }
  char *p = (char *)arena_top;
  arena_top += n;
  return p;
}

/* ---- JSON strings -------------------------------------------------------------------------- */

/* The high bit of each byte of v that a JSON string must escape: '"', '\\' or a control byte. */
static inline uint64_t json_special(uint64_t v) {
  return lc_zero_bytes(v ^ (LC_ONES * '"')) | lc_zero_bytes(v ^ (LC_ONES * '\\')) |
         lc_zero_bytes(v & (LC_ONES * 0xE0));
}

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static long hex4(const char *s) {
  long v = 0;
  for (int k = 0; k < 4; k++) { int h = hexval(s[k]); if (h < 0) return -1; v = v * 16 + h; }
  return v;
}

static size_t put_utf8(char *out, unsigned long cp) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Decode the JSON string whose body starts at s[*pos] (just after the opening quote) into out.
 * Returns the decoded length and leaves *pos on the closing quote; -1 for a malformed string. */
static long json_unquote(const char *s, size_t n, size_t *pos, char *out) {
  size_t i = *pos, o = 0;
  for (;;) {
    /* copy 8 bytes at a time until one of them needs attention (out has 8 bytes to spare) */
    while (i + 8 <= n) {
      uint64_t v = lc_load8(s + i), m = json_special(v);
      __builtin_memcpy(out + o, &v, 8);
      size_t k = m ? lc_first(m) : 8;
      i += k; o += k;
      if (m) break;
    }
    while (i < n && s[i] != '"' && s[i] != '\\' && (unsigned char)s[i] >= 0x20) out[o++] = s[i++];
    if (i >= n || (unsigned char)s[i] < 0x20) return -1;
    if (s[i] == '"') break;
    if (++i >= n) return -1;
    char c = s[i++];
    switch (c) {
      case 'n': out[o++] = '\n'; break;
      case 't': out[o++] = '\t'; break;
      case 'r': out[o++] = '\r'; break;
      case 'b': out[o++] = '\b'; break;
      case 'f': out[o++] = '\f'; break;
      case '"': case '\\': case '/': out[o++] = c; break;
      case 'u': {
        long cp = i + 4 <= n ? hex4(s + i) : -1;
        if (cp < 0) return -1;
        i += 4;
        /* a UTF-16 surrogate pair stands for one code point */
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= n && s[i] == '\\' && s[i + 1] == 'u') {
          long lo = hex4(s + i + 2);
          if (lo >= 0xDC00 && lo < 0xE000) { cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); i += 6; }
        }
        if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;  /* a lone surrogate, as Go decodes it */
        o += put_utf8(out + o, (unsigned long)cp);
        break;
      }
      default: return -1;
    }
  }
  *pos = i;
  return (long)o;
}

/* Write s as a JSON string (with its quotes) into out, which needs room for 6 * n + 10 bytes. */
static size_t json_quote(const char *s, size_t n, char *out) {
  static const char hex[] = "0123456789abcdef";
  size_t o = 0, i = 0;
  out[o++] = '"';
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t v = lc_load8(s + i), m = json_special(v);
      __builtin_memcpy(out + o, &v, 8);
      size_t k = m ? lc_first(m) : 8;
      i += k; o += k;
      if (m) break;
    }
    while (i < n && s[i] != '"' && s[i] != '\\' && (unsigned char)s[i] >= 0x20) out[o++] = s[i++];
    if (i >= n) break;
    unsigned char c = (unsigned char)s[i++];
    out[o++] = '\\';
    switch (c) {
      case '"': case '\\': out[o++] = (char)c; break;
      case '\n': out[o++] = 'n'; break;
      case '\t': out[o++] = 't'; break;
      case '\r': out[o++] = 'r'; break;
      default: out[o++] = 'u'; out[o++] = '0'; out[o++] = '0'; out[o++] = hex[c >> 4]; out[o++] = hex[c & 15];
    }
  }
  out[o++] = '"';
  return o;
}

/* ---- the plugin ---------------------------------------------------------------------------- */

static void config_or(const char *key, char *buf, size_t cap, const char *fallback) {
  if (pilot_config(key, buf, cap) >= 0) return;
  size_t i = 0;
  while ((buf[i] = fallback[i])) i++;
}

/* The labelled copy of a YAML stream (in the arena), or 0 when memory runs out. */
static char *label(const char *yaml, size_t yl, size_t *el) {
  /* Read once per instance: Helm and Pilothouse give an instance one config for its whole life,
   * and each config_get is a call into the host, about a tenth of a warm call's time here. */
  static char lk[256], lv[256];
  static int have_config;
  if (!have_config) {
    config_or("label_key", lk, sizeof lk, "app.kubernetes.io/managed-by");
    config_or("label_value", lv, sizeof lv, "pilothouse");
    have_config = 1;
  }
  char *edited = heap_alloc(yl + (yl / 10 + 1) * (lc_strlen(lk) + lc_strlen(lv) + 20));
  if (edited) *el = add_label(yaml, yl, edited, lk, lv);
  return edited;
}

PILOT_EXPORT("helm_plugin_main") int helm_plugin_main(void) {
  arena_top = arena_base;
  uint64_t n = extism_input_length();
  char *in = heap_alloc(n + 8);
  if (!in) { pilot_error("out of memory"); return 1; }
  pilot_input((uint8_t *)in, n);

  /* the string value of "manifests" (the host sends it first; any position works) */
  size_t p = 0, found = 0;
  while (!found && (p = lc_find(in, p, n, '"')) + 11 <= n) {
    const char *key = "\"manifests\"";
    size_t k = 0;
    while (k < 11 && in[p + k] == key[k]) k++;
    found = k == 11;
    p += found ? 11 : 1;
  }
  while (found && p < n && (in[p] == ' ' || in[p] == ':' || in[p] == '\n' || in[p] == '\t' || in[p] == '\r')) p++;
  if (!found || p >= n || in[p] != '"') { pilot_error("input JSON has no string field \"manifests\""); return 1; }
  p++;
  char *yaml = heap_alloc(n + 8);
  if (!yaml) { pilot_error("out of memory"); return 1; }
  long yl = json_unquote(in, n, &p, yaml);
  if (yl < 0) { pilot_error("bad JSON string in \"manifests\""); return 1; }

  size_t el;
  char *edited = label(yaml, (size_t)yl, &el);
  if (!edited) { pilot_error("out of memory"); return 1; }

  static const char head[] = "{\"manifests\":";
  char *json = heap_alloc(el * 6 + sizeof head + 16);
  if (!json) { pilot_error("out of memory"); return 1; }
  size_t o = sizeof head - 1;
  __builtin_memcpy(json, head, o);
  o += json_quote(edited, el, json + o);
  json[o++] = '}';
  pilot_output(json, o);
  return 0;
}

/* The fast path: the input is the YAML stream, the output is the labelled stream. */
PILOT_EXPORT_FAST_POSTRENDER int pilothouse_postrender(void) {
  arena_top = arena_base;
  uint64_t n = extism_input_length();
  char *yaml = heap_alloc(n + 8);
  if (!yaml) { pilot_error("out of memory"); return 1; }
  pilot_input((uint8_t *)yaml, n);
  size_t el;
  char *edited = label(yaml, (size_t)n, &el);
  if (!edited) { pilot_error("out of memory"); return 1; }
  pilot_output(edited, el);
  return 0;
}
