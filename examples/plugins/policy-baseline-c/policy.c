/* baseline: a policy/v1 plugin with the checks people run in CI (freestanding C, no libc).
 *
 * Input (policy/v1): {"release": {...}, "documents": [{"index", "source", "object"}], "config": {...}}
 * Output: {"allow": bool, "violations": [{"document", "path", "message", "severity", "rule"}]}
 *
 * Rules, each on every container and init container of a pod template:
 *   privileged       securityContext.privileged: true
 *   resource-limits  resources.limits without cpu or memory
 *   latest-tag       an image with no tag or the tag "latest" (a digest is fine)
 *   host-path        a hostPath volume
 * Config (plugin.yaml config, or `pilot plugin configure baseline --config KEY=VALUE`):
 *   disable: comma-separated rules not to run; warn: rules reported as warnings (they do not deny).
 *
 * The JSON input is parsed once into a flat node array in a per-call arena; every index and
 * length is checked against the input, so hostile input gives an error, never a bad read. */
#define PILOT_PDK_IMPLEMENTATION
#include "pilothouse_pdk.h"

void *memcpy(void *d, const void *s, size_t n) { char *a = d; const char *b = s; while (n--) *a++ = *b++; return d; }
void *memset(void *d, int c, size_t n) { char *a = d; while (n--) *a++ = (char)c; return d; }

static size_t arena_base, arena_end, arena_top;
static void *arena(size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!arena_base) arena_base = arena_end = arena_top = __builtin_wasm_memory_size(0) * 65536;
  if (arena_top + n > arena_end) {
    size_t pages = (arena_top + n - arena_end + 65535) / 65536;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
    arena_end += pages * 65536;
  }
  void *p = (void *)arena_top;
  arena_top += n;
  return p;
}

/* ---- a small JSON parser ---------------------------------------------------------------- */
enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };
typedef struct { uint8_t type; uint32_t key, klen, val, vlen; int32_t child, next; } node;
static const char *src; static size_t srclen, pos; static node *nodes; static int32_t nnodes, maxnodes;

static void ws(void) { while (pos < srclen && (src[pos] == ' ' || src[pos] == '\n' || src[pos] == '\r' || src[pos] == '\t')) pos++; }
static int str_span(uint32_t *off, uint32_t *len) {  /* raw body of a JSON string; pos on '"' */
  if (pos >= srclen || src[pos] != '"') return 0;
  size_t s = ++pos;
  while (pos < srclen && src[pos] != '"') { if (src[pos] == '\\') pos++; pos++; }
  if (pos >= srclen) return 0;
  *off = (uint32_t)s; *len = (uint32_t)(pos - s); pos++;
  return 1;
}
static int32_t value(int depth);
static int32_t newnode(uint8_t t) {
  if (nnodes >= maxnodes) return -1;
  node *n = &nodes[nnodes]; n->type = t; n->key = n->klen = n->val = n->vlen = 0; n->child = n->next = -1;
  return nnodes++;
}
static int lit(const char *w, size_t n) {
  for (size_t i = 0; i < n; i++) if (pos + i >= srclen || src[pos + i] != w[i]) return 0;
  pos += n; return 1;
}
static int32_t value(int depth) {
  if (depth > 128) return -1;
  ws();
  if (pos >= srclen) return -1;
  char c = src[pos];
  int32_t me;
  if (c == '{' || c == '[') {
    me = newnode(c == '{' ? J_OBJ : J_ARR);
    if (me < 0) return -1;
    pos++; ws();
    int32_t last = -1;
    if (pos < srclen && src[pos] == (c == '{' ? '}' : ']')) { pos++; return me; }
    for (;;) {
      uint32_t ko = 0, kl = 0;
      if (c == '{') { ws(); if (!str_span(&ko, &kl)) return -1; ws(); if (pos >= srclen || src[pos++] != ':') return -1; }
      int32_t ch = value(depth + 1);
      if (ch < 0) return -1;
      nodes[ch].key = ko; nodes[ch].klen = kl;
      if (last < 0) nodes[me].child = ch; else nodes[last].next = ch;
      last = ch;
      ws();
      if (pos >= srclen) return -1;
      if (src[pos] == ',') { pos++; continue; }
      if (src[pos] == (c == '{' ? '}' : ']')) { pos++; return me; }
      return -1;
    }
  }
  if (c == '"') { me = newnode(J_STR); if (me < 0 || !str_span(&nodes[me].val, &nodes[me].vlen)) return -1; return me; }
  if (lit("true", 4)) return newnode(J_TRUE);
  if (lit("false", 5)) return newnode(J_FALSE);
  if (lit("null", 4)) return newnode(J_NULL);
  me = newnode(J_NUM);
  if (me < 0) return -1;
  size_t s = pos;
  while (pos < srclen && (src[pos] == '-' || src[pos] == '+' || src[pos] == '.' || src[pos] == 'e' || src[pos] == 'E' || (src[pos] >= '0' && src[pos] <= '9'))) pos++;
  if (pos == s) return -1;
  nodes[me].val = (uint32_t)s; nodes[me].vlen = (uint32_t)(pos - s);
  return me;
}

static int span_eq(uint32_t off, uint32_t len, const char *w) {
  uint32_t i = 0;
  for (; w[i]; i++) if (i >= len || src[off + i] != w[i]) return 0;
  return i == len;
}
static int32_t get(int32_t obj, const char *key) {
  if (obj < 0 || nodes[obj].type != J_OBJ) return -1;
  for (int32_t c = nodes[obj].child; c >= 0; c = nodes[c].next) if (span_eq(nodes[c].key, nodes[c].klen, key)) return c;
  return -1;
}
static int is_str(int32_t n, const char *w) { return n >= 0 && nodes[n].type == J_STR && span_eq(nodes[n].val, nodes[n].vlen, w); }

/* ---- output ---------------------------------------------------------------------------- */
static char *out; static size_t outlen, outcap;
static int put(const char *s, size_t n) {
  if (outlen + n > outcap) {
    size_t cap = outcap ? outcap * 2 : 65536;
    while (cap < outlen + n) cap *= 2;
    char *nb = arena(cap);
    if (!nb) return 0;
    memcpy(nb, out, outlen); out = nb; outcap = cap;
  }
  memcpy(out + outlen, s, n); outlen += n;
  return 1;
}
static int puts_(const char *s) { size_t n = 0; while (s[n]) n++; return put(s, n); }
static int putnum(long v) {
  char b[24]; int i = 23; b[i] = 0; int neg = v < 0; unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
  do { b[--i] = (char)('0' + u % 10); u /= 10; } while (u);
  if (neg) b[--i] = '-';
  return puts_(b + i);
}

/* ---- config ---------------------------------------------------------------------------- */
static int32_t config;
static int listed(const char *key, const char *rule) {  /* is rule in the comma list config[key]? */
  int32_t v = get(config, key);
  if (v < 0 || nodes[v].type != J_STR) return 0;
  uint32_t o = nodes[v].val, e = o + nodes[v].vlen;
  while (o < e) {
    uint32_t s = o;
    while (o < e && src[o] != ',') o++;
    uint32_t a = s, b = o;
    while (a < b && src[a] == ' ') a++;
    while (b > a && src[b - 1] == ' ') b--;
    if (span_eq(a, b - a, rule)) return 1;
    o++;
  }
  return 0;
}

/* ---- rules ----------------------------------------------------------------------------- */
static int count, errors;
static char path[1024]; static size_t plen;

static void ppush(const char *s, size_t *mark) { *mark = plen; while (*s && plen < sizeof path - 1) path[plen++] = *s++; }
static void pidx(const char *field, long i) {
  while (*field && plen < sizeof path - 24) path[plen++] = *field++;
  char b[24]; int k = 23; b[k] = 0; unsigned long u = (unsigned long)i;
  do { b[--k] = (char)('0' + u % 10); u /= 10; } while (u);
  if (plen < sizeof path - 24) { path[plen++] = '['; for (char *q = b + k; *q; q++) path[plen++] = *q; path[plen++] = ']'; }
}

static int violation(long doc, const char *rule, const char *suffix, const char *msg, int32_t detail) {
  if (listed("disable", rule)) return 1;
  int warn = listed("warn", rule);
  if (!warn) errors++;
  if (count++ && !put(",", 1)) return 0;
  if (!puts_("{\"document\":") || !putnum(doc) || !puts_(",\"rule\":\"") || !puts_(rule) || !puts_("\",\"path\":\"") ||
      !put(path, plen) || !puts_(suffix) || !puts_("\",\"severity\":\"") || !puts_(warn ? "warning" : "error") ||
      !puts_("\",\"message\":\"") || !puts_(msg)) return 0;
  if (detail >= 0 && nodes[detail].type == J_STR && (!puts_(": ") || !put(src + nodes[detail].val, nodes[detail].vlen))) return 0;
  return puts_("\"}");
}

static int image_floating(int32_t img) {
  if (img < 0 || nodes[img].type != J_STR) return 0;
  uint32_t o = nodes[img].val, n = nodes[img].vlen, slash = 0, colon = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (src[o + i] == '@') return 0;  /* pinned by digest */
    if (src[o + i] == '/') { slash = i + 1; colon = 0; }
    if (src[o + i] == ':') colon = i + 1;
  }
  (void)slash;
  if (!colon) return 1;
  return span_eq(o + colon, n - colon, "latest");
}

static int containers(long doc, int32_t spec, const char *field) {
  int32_t list = get(spec, field);
  if (list < 0 || nodes[list].type != J_ARR) return 1;
  long i = 0;
  size_t base = plen;
  for (int32_t c = nodes[list].child; c >= 0; c = nodes[c].next, i++) {
    plen = base; pidx(field, i);
    int32_t sc = get(c, "securityContext");
    int32_t priv = get(sc, "privileged");
    if (priv >= 0 && nodes[priv].type == J_TRUE &&
        !violation(doc, "privileged", ".securityContext.privileged", "container runs privileged", -1)) return 0;
    int32_t lim = get(get(c, "resources"), "limits");
    if ((lim < 0 || get(lim, "cpu") < 0 || get(lim, "memory") < 0) &&
        !violation(doc, "resource-limits", ".resources.limits", "container has no cpu and memory limits", -1)) return 0;
    int32_t img = get(c, "image");
    if (image_floating(img) && !violation(doc, "latest-tag", ".image", "image has no fixed tag", img)) return 0;
  }
  plen = base;
  return 1;
}

static int check(long doc, int32_t obj) {
  int32_t kind = get(obj, "kind"), spec = get(obj, "spec");
  size_t mark;
  plen = 0;
  if (is_str(kind, "Pod")) ppush("spec.", &mark);
  else if (is_str(kind, "CronJob")) { spec = get(get(get(get(spec, "jobTemplate"), "spec"), "template"), "spec"); ppush("spec.jobTemplate.spec.template.spec.", &mark); }
  else if (is_str(kind, "Deployment") || is_str(kind, "StatefulSet") || is_str(kind, "DaemonSet") ||
           is_str(kind, "ReplicaSet") || is_str(kind, "Job") || is_str(kind, "ReplicationController")) {
    spec = get(get(spec, "template"), "spec"); ppush("spec.template.spec.", &mark);
  } else return 1;
  if (spec < 0) return 1;
  size_t base = plen;
  if (!containers(doc, spec, "containers") || !containers(doc, spec, "initContainers")) return 0;
  int32_t vols = get(spec, "volumes");
  if (vols >= 0 && nodes[vols].type == J_ARR) {
    long i = 0;
    for (int32_t v = nodes[vols].child; v >= 0; v = nodes[v].next, i++) {
      plen = base; pidx("volumes", i);
      if (get(v, "hostPath") >= 0 && !violation(doc, "host-path", ".hostPath", "volume mounts a host path", -1)) return 0;
    }
  }
  return 1;
}

PILOT_EXPORT("helm_plugin_main") int helm_plugin_main(void) {
  arena_top = arena_base;  /* a reused instance starts every call with an empty arena */
  out = 0; outlen = outcap = 0; count = errors = 0;
  srclen = extism_input_length();
  if (srclen > (256u << 20)) { pilot_error("input too large"); return 1; }
  char *buf = arena(srclen + 1);
  maxnodes = (int32_t)(srclen / 2 + 16);
  nodes = arena((size_t)maxnodes * sizeof(node));
  if (!buf || !nodes) { pilot_error("out of memory"); return 1; }
  pilot_input((uint8_t *)buf, srclen);
  src = buf; pos = 0; nnodes = 0;
  int32_t root = value(0);
  if (root < 0 || nodes[root].type != J_OBJ) { pilot_error("input is not a policy/v1 JSON message"); return 1; }
  config = get(root, "config");
  if (!puts_("{\"violations\":[")) { pilot_error("out of memory"); return 1; }
  int32_t docs = get(root, "documents");
  if (docs >= 0 && nodes[docs].type == J_ARR) {
    long i = 0;
    for (int32_t d = nodes[docs].child; d >= 0; d = nodes[d].next, i++) {
      if (!check(i, get(d, "object"))) { pilot_error("out of memory"); return 1; }
    }
  }
  if (!puts_("],\"allow\":") || !puts_(errors ? "false}" : "true}")) { pilot_error("out of memory"); return 1; }
  pilot_output(out, outlen);
  return 0;
}
