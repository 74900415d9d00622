/* Pilothouse plugin development kit for C (and anything that can call C): Helm 4 / Extism ABI.
 *
 * Single header, no libc needed. Build a plugin with clang:
 *   freestanding: clang --target=wasm32 -nostdlib -O2 -Wl,--no-entry -Wl,--export=helm_plugin_main -o plugin.wasm x.c
 *   with WASI:    clang --target=wasm32-wasi -mexec-model=reactor -O2 -Wl,--export=helm_plugin_main -o plugin.wasm x.c
 * In exactly one file, define PILOT_PDK_IMPLEMENTATION before including this header.
 *
 * Handles are offsets into the host kernel's memory, not pointers: copy data in and out with the
 * helpers below. A host function that takes a handle (config_get, log_*, var_*, http_request)
 * takes ownership of it: allocate a fresh one for every call.
 */
#ifndef PILOTHOUSE_PDK_H
#define PILOTHOUSE_PDK_H

#include <stdint.h>
#include <stddef.h>

typedef uint64_t pilot_handle;

#define PILOT_IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define PILOT_EXPORT(name) __attribute__((export_name(name)))

/* ---- the Extism kernel ABI ("extism:host/env") ---- */
PILOT_IMPORT("extism:host/env", "input_length") uint64_t extism_input_length(void);
PILOT_IMPORT("extism:host/env", "input_load_u8") uint8_t extism_input_load_u8(uint64_t i);
PILOT_IMPORT("extism:host/env", "input_load_u64") uint64_t extism_input_load_u64(uint64_t i);
PILOT_IMPORT("extism:host/env", "alloc") pilot_handle extism_alloc(uint64_t n);
PILOT_IMPORT("extism:host/env", "free") void extism_free(pilot_handle h);
PILOT_IMPORT("extism:host/env", "length") uint64_t extism_length(pilot_handle h);
PILOT_IMPORT("extism:host/env", "load_u8") uint8_t extism_load_u8(uint64_t p);
PILOT_IMPORT("extism:host/env", "load_u64") uint64_t extism_load_u64(uint64_t p);
PILOT_IMPORT("extism:host/env", "store_u8") void extism_store_u8(uint64_t p, uint8_t v);
PILOT_IMPORT("extism:host/env", "store_u64") void extism_store_u64(uint64_t p, uint64_t v);
PILOT_IMPORT("extism:host/env", "output_set") void extism_output_set(pilot_handle h, uint64_t n);
PILOT_IMPORT("extism:host/env", "error_set") void extism_error_set(pilot_handle h);
PILOT_IMPORT("extism:host/env", "config_get") pilot_handle extism_config_get(pilot_handle key);
PILOT_IMPORT("extism:host/env", "var_get") pilot_handle extism_var_get(pilot_handle key);
PILOT_IMPORT("extism:host/env", "var_set") void extism_var_set(pilot_handle key, pilot_handle value);
PILOT_IMPORT("extism:host/env", "http_request") pilot_handle extism_http_request(pilot_handle req, pilot_handle body);
PILOT_IMPORT("extism:host/env", "http_status_code") int32_t extism_http_status_code(void);
PILOT_IMPORT("extism:host/env", "get_log_level") int32_t extism_get_log_level(void);
PILOT_IMPORT("extism:host/env", "log_debug") void extism_log_debug(pilot_handle msg);
PILOT_IMPORT("extism:host/env", "log_info") void extism_log_info(pilot_handle msg);
PILOT_IMPORT("extism:host/env", "log_warn") void extism_log_warn(pilot_handle msg);
PILOT_IMPORT("extism:host/env", "log_error") void extism_log_error(pilot_handle msg);

/* ---- Pilothouse host functions ("pilothouse:host/v1"); list them in runtimeConfig.hostFunctions ---- */
PILOT_IMPORT("pilothouse:host/v1", "log") void pilot_host_log(pilot_handle json_record);
PILOT_IMPORT("pilothouse:host/v1", "getenv") pilot_handle pilot_host_getenv(pilot_handle name);
/* Host API v1: JSON request handle in, JSON answer handle out ({"result": ...} or {"error": {code, reason,
 * message}}). List each in runtimeConfig.hostFunctions and request its grant (kube rules,
 * releases.namespaces, chart, credentials); a call outside the grant stops the plugin. See docs/plugins.md. */
PILOT_IMPORT("pilothouse:host/v1", "kube_get") pilot_handle pilot_host_kube_get(pilot_handle req);
PILOT_IMPORT("pilothouse:host/v1", "kube_list") pilot_handle pilot_host_kube_list(pilot_handle req);
PILOT_IMPORT("pilothouse:host/v1", "kube_discovery") pilot_handle pilot_host_kube_discovery(pilot_handle req);
PILOT_IMPORT("pilothouse:host/v1", "kube_openapi") pilot_handle pilot_host_kube_openapi(pilot_handle req);
PILOT_IMPORT("pilothouse:host/v1", "release_list") pilot_handle pilot_host_release_list(pilot_handle req);
PILOT_IMPORT("pilothouse:host/v1", "release_history") pilot_handle pilot_host_release_history(pilot_handle req);
PILOT_IMPORT("pilothouse:host/v1", "release_get") pilot_handle pilot_host_release_get(pilot_handle req);
PILOT_IMPORT("pilothouse:host/v1", "chart_file") pilot_handle pilot_host_chart_file(pilot_handle req);
PILOT_IMPORT("pilothouse:host/v1", "chart_render") pilot_handle pilot_host_chart_render(pilot_handle req);
PILOT_IMPORT("pilothouse:host/v1", "credential_get") pilot_handle pilot_host_credential_get(pilot_handle req);
/* Call one of them with a NUL-terminated JSON request; the answer is copied into buf (NUL-terminated,
 * at most cap-1 bytes). Returns the answer's full length (compare with cap to detect truncation).
 *   char buf[4096]; pilot_host_call(pilot_host_credential_get, "{\"name\":\"token\"}", buf, sizeof buf); */
typedef pilot_handle (*pilot_host_fn)(pilot_handle);
uint64_t pilot_host_call(pilot_host_fn fn, const char *json_request, char *buf, uint64_t cap);

/* ---- the post-renderer fast path (Pilothouse only; Helm ignores the export) ----
 * A postrenderer/v1 module may export, next to helm_plugin_main, a function of the same shape
 * named PILOT_FAST_POSTRENDER. Pilothouse then calls it with the YAML stream itself as the input
 * and takes the output as the new YAML stream: no JSON either way. Errors work as in
 * helm_plugin_main (pilot_error and a non-zero result). It is not called when the user passes
 * --post-renderer-args (only the JSON message carries them): keep helm_plugin_main complete.
 *   PILOT_EXPORT_FAST_POSTRENDER int pilothouse_postrender(void) { ... return 0; } */
#define PILOT_FAST_POSTRENDER "pilothouse_postrender"
#define PILOT_EXPORT_FAST_POSTRENDER PILOT_EXPORT(PILOT_FAST_POSTRENDER)

/* ---- helpers ---- */
/* Copy the call's input into buf (at most cap bytes); returns the input's full length. */
uint64_t pilot_input(uint8_t *buf, uint64_t cap);
/* Copy n bytes into a new kernel block. */
pilot_handle pilot_store(const void *data, uint64_t n);
/* Copy a kernel block into buf (at most cap bytes); returns the block's length. */
uint64_t pilot_load(pilot_handle h, uint8_t *buf, uint64_t cap);
/* Set the output / an error (NUL-terminated message). */
void pilot_output(const void *data, uint64_t n);
void pilot_error(const char *msg);
/* Log at a level: 1 debug, 2 info, 3 warn, 4 error. */
void pilot_log(int level, const char *msg);
/* Read runtimeConfig.config[key] into buf (NUL-terminated); returns its length or -1. */
int64_t pilot_config(const char *key, char *buf, uint64_t cap);

#ifdef PILOT_PDK_IMPLEMENTATION
static uint64_t pilot__strlen(const char *s) { uint64_t n = 0; while (s[n]) n++; return n; }

/* The kernel's memory is not the plugin's: data crosses 8 bytes per call. Wasm is
 * little-endian, so a word moves with one load and one store (__builtin_memcpy of a constant 8
 * bytes compiles to exactly that, with or without libc). */
uint64_t pilot_input(uint8_t *buf, uint64_t cap) {
  uint64_t n = extism_input_length(), i = 0;
  uint64_t m = n < cap ? n : cap;
  for (; i + 8 <= m; i += 8) { uint64_t v = extism_input_load_u64(i); __builtin_memcpy(buf + i, &v, 8); }
  for (; i < m; i++) buf[i] = extism_input_load_u8(i);
  return n;
}

pilot_handle pilot_store(const void *data, uint64_t n) {
  const uint8_t *b = (const uint8_t *)data;
  if (n == 0) return 0;
  pilot_handle h = extism_alloc(n);
  if (!h) return 0;
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) { uint64_t v; __builtin_memcpy(&v, b + i, 8); extism_store_u64(h + i, v); }
  for (; i < n; i++) extism_store_u8(h + i, b[i]);
  return h;
}

uint64_t pilot_load(pilot_handle h, uint8_t *buf, uint64_t cap) {
  if (!h) return 0;
  uint64_t n = extism_length(h), i = 0, m = n < cap ? n : cap;
  for (; i + 8 <= m; i += 8) { uint64_t v = extism_load_u64(h + i); __builtin_memcpy(buf + i, &v, 8); }
  for (; i < m; i++) buf[i] = extism_load_u8(h + i);
  return n;
}

void pilot_output(const void *data, uint64_t n) { extism_output_set(pilot_store(data, n), n); }
void pilot_error(const char *msg) { extism_error_set(pilot_store(msg, pilot__strlen(msg))); }

void pilot_log(int level, const char *msg) {
  if (extism_get_log_level() > level) return;
  pilot_handle h = pilot_store(msg, pilot__strlen(msg));
  switch (level) {
    case 0: case 1: extism_log_debug(h); break;
    case 2: extism_log_info(h); break;
    case 3: extism_log_warn(h); break;
    default: extism_log_error(h); break;
  }
}

int64_t pilot_config(const char *key, char *buf, uint64_t cap) {
  pilot_handle h = extism_config_get(pilot_store(key, pilot__strlen(key)));
  if (!h) return -1;
  uint64_t n = pilot_load(h, (uint8_t *)buf, cap ? cap - 1 : 0);
  if (cap) buf[n < cap - 1 ? n : cap - 1] = 0;
  return (int64_t)n;
}
uint64_t pilot_host_call(pilot_host_fn fn, const char *json_request, char *buf, uint64_t cap) {
  pilot_handle answer = fn(pilot_store(json_request, pilot__strlen(json_request)));
  uint64_t n = pilot_load(answer, (uint8_t *)buf, cap ? cap - 1 : 0);
  if (cap) buf[n < cap - 1 ? n : cap - 1] = 0;
  return n;
}
#endif /* PILOT_PDK_IMPLEMENTATION */
#endif /* PILOTHOUSE_PDK_H */
