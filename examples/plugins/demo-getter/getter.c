/* A getter/v1 plugin for the "demo://" scheme, in C with WASI.
 *
 * demo://ANY/PATH/FILE is served from FILE in the directory granted to the plugin at /charts
 * (plugin.yaml maps the plugin's own charts/ directory there, read-only). Answers
 * {"data": "<base64>"} as Helm expects.
 */
#define PILOT_PDK_IMPLEMENTATION
#include "pilothouse_pdk.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *json_string_field(const char *json, const char *name) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\"", name);
  const char *p = strstr(json, pat);
  if (!p) return NULL;
  p += strlen(pat);
  while (*p == ' ' || *p == ':') p++;
  if (*p != '"') return NULL;
  p++;
  char *out = malloc(strlen(p) + 1), *o = out;
  while (*p && *p != '"') {
    if (*p == '\\' && p[1]) { p++; *o++ = (*p == 'n') ? '\n' : *p; p++; continue; }
    *o++ = *p++;
  }
  *o = 0;
  return out;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

PILOT_EXPORT("helm_plugin_main") int helm_plugin_main(void) {
  uint64_t n = extism_input_length();
  char *in = malloc(n + 1);
  pilot_input((uint8_t *)in, n);
  in[n] = 0;
  char *href = json_string_field(in, "href");
  if (!href) { pilot_error("input has no href"); return 1; }
  const char *file = strrchr(href, '/');
  file = file ? file + 1 : href;
  char path[512];
  snprintf(path, sizeof path, "/charts/%s", file);
  pilot_log(1, path);
  FILE *f = fopen(path, "rb");
  if (!f) {
    char msg[600];
    snprintf(msg, sizeof msg, "demo getter: %s not found", href);
    pilot_error(msg);
    return 1;
  }
  size_t cap = 1 << 16, len = 0, r;
  unsigned char *data = malloc(cap);
  while ((r = fread(data + len, 1, cap - len, f)) > 0) { len += r; if (len == cap) { cap *= 2; data = realloc(data, cap); } }
  fclose(f);
  size_t olen = 10 + (len + 2) / 3 * 4 + 2;
  char *out = malloc(olen), *o = out;
  memcpy(o, "{\"data\":\"", 9); o += 9;
  for (size_t i = 0; i < len; i += 3) {
    unsigned v = data[i] << 16 | (i + 1 < len ? data[i + 1] << 8 : 0) | (i + 2 < len ? data[i + 2] : 0);
    *o++ = B64[(v >> 18) & 63]; *o++ = B64[(v >> 12) & 63];
    *o++ = i + 1 < len ? B64[(v >> 6) & 63] : '=';
    *o++ = i + 2 < len ? B64[v & 63] : '=';
  }
  *o++ = '"'; *o++ = '}';
  pilot_output(out, (uint64_t)(o - out));
  return 0;
}
