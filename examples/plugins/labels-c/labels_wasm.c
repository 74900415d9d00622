/* labels-c as a Wasm postrenderer/v1 plugin (freestanding, no libc). */
#define PILOT_PDK_IMPLEMENTATION
#include "pilothouse_pdk.h"
#include "labels_core.h"

/* clang may turn copy loops into these calls; a freestanding build supplies them */
void *memcpy(void *d, const void *s, size_t n) { char *a = d; const char *b = s; while (n--) *a++ = *b++; return d; }
void *memset(void *d, int c, size_t n) { char *a = d; while (n--) *a++ = (char)c; return d; }

/* A per-call arena at the end of memory: reset at the start of every call, grown only when a
 * call needs more than any call before it, so a reused instance does not keep growing. */
static size_t arena_base, arena_end, arena_top;

static uint8_t *heap_alloc(size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!arena_base) arena_base = arena_end = arena_top = __builtin_wasm_memory_size(0) * 65536;
  if (arena_top + n > arena_end) {
    size_t pages = (arena_top + n - arena_end + 65535) / 65536;
    if (__builtin_wasm_memory_grow(0, pages) < 0) return 0;
    arena_end += pages * 65536;
  }
  uint8_t *p = (uint8_t *)arena_top;
  arena_top += n;
  return p;
}

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode the JSON string starting after the opening quote; returns its length or -1. */
static long json_unquote(const char *s, size_t n, size_t *pos, char *out) {
  size_t i = *pos, o = 0;
  while (i < n && s[i] != '"') {
    char c = s[i++];
    if (c != '\\') { out[o++] = c; continue; }
    if (i >= n) return -1;
    c = s[i++];
    switch (c) {
      case 'n': out[o++] = '\n'; break; case 't': out[o++] = '\t'; break; case 'r': out[o++] = '\r'; break;
      case 'b': out[o++] = '\b'; break; case 'f': out[o++] = '\f'; break;
      case 'u': {
        if (i + 4 > n) return -1;
        unsigned cp = 0; for (int k = 0; k < 4; k++) { int h = hexval(s[i + k]); if (h < 0) return -1; cp = cp * 16 + h; }
        i += 4;
        if (cp < 0x80) out[o++] = (char)cp;
        else if (cp < 0x800) { out[o++] = (char)(0xC0 | (cp >> 6)); out[o++] = (char)(0x80 | (cp & 0x3F)); }
        else { out[o++] = (char)(0xE0 | (cp >> 12)); out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[o++] = (char)(0x80 | (cp & 0x3F)); }
        break;
      }
      default: out[o++] = c;
    }
  }
  *pos = i;
  return (long)o;
}

static size_t json_quote(const char *s, size_t n, char *out) {
  static const char hex[] = "0123456789abcdef";
  size_t o = 0;
  out[o++] = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') { out[o++] = '\\'; out[o++] = (char)c; }
    else if (c == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
    else if (c == '\t') { out[o++] = '\\'; out[o++] = 't'; }
    else if (c == '\r') { out[o++] = '\\'; out[o++] = 'r'; }
    else if (c < 0x20) { out[o++] = '\\'; out[o++] = 'u'; out[o++] = '0'; out[o++] = '0'; out[o++] = hex[c >> 4]; out[o++] = hex[c & 15]; }
    else out[o++] = (char)c;
  }
  out[o++] = '"';
  return o;
}

PILOT_EXPORT("helm_plugin_main") int helm_plugin_main(void) {
  arena_top = arena_base;
  uint64_t n = extism_input_length();
  char *in = (char *)heap_alloc(n + 1);
  if (!in) { pilot_error("out of memory"); return 1; }
  pilot_input((uint8_t *)in, n);
  /* find "manifests": "..." */
  const char *key = "\"manifests\"";
  size_t kl = 11, p = 0, found = 0;
  for (; p + kl <= n; p++) {
    size_t k = 0; while (k < kl && in[p + k] == key[k]) k++;
    if (k == kl) { found = 1; p += kl; break; }
  }
  while (found && p < n && (in[p] == ' ' || in[p] == ':')) p++;
  if (!found || p >= n || in[p] != '"') { pilot_error("input JSON has no string field \"manifests\""); return 1; }
  p++;
  char *yaml = (char *)heap_alloc(n);
  long yl = json_unquote(in, n, &p, yaml);
  if (yl < 0) { pilot_error("bad JSON string in \"manifests\""); return 1; }
  char lk[256], lv[256];
  if (pilot_config("label_key", lk, sizeof lk) < 0) { const char *d = "app.kubernetes.io/managed-by"; size_t i = 0; while ((lk[i] = d[i])) i++; }
  if (pilot_config("label_value", lv, sizeof lv) < 0) { const char *d = "pilothouse"; size_t i = 0; while ((lv[i] = d[i])) i++; }
  size_t docs = 1; for (long i = 0; i < yl; i++) if (yaml[i] == '\n') docs++;
  char *edited = (char *)heap_alloc((size_t)yl + docs * (lc_strlen(lk) + lc_strlen(lv) + 20));
  size_t el = add_label(yaml, (size_t)yl, edited, lk, lv);
  char *json = (char *)heap_alloc(el * 6 + 32);
  if (!yaml || !edited || !json) { pilot_error("out of memory"); return 1; }
  size_t o = 0;
  const char *head = "{\"manifests\":";
  for (size_t i = 0; head[i]; i++) json[o++] = head[i];
  o += json_quote(edited, el, json + o);
  json[o++] = '}';
  pilot_output(json, o);
  return 0;
}
