"""Grants of the host API v1 (``pilothouse:host/v1``): what a plugin may read through it.

A plugin requests them in ``runtimeConfig`` (Helm ignores these keys)::

    hostFunctions: [kube_get, kube_list, release_get, credential_get]
    kube:                      # RBAC-like rules, read-only: verbs are get and list, nothing else
      - apiGroups: ["", apps]
        resources: [deployments, services]
        namespaces: [web, api]   # "*" = every namespace (and cluster-scoped objects)
        verbs: [get, list]
    releases: {namespaces: [web]}
    chart: {files: true, render: true}
    credentials: [token]
    http: {methods: [GET], headers: [X-Vault-Token]}

The grant is stored in `Capabilities.host_api` as a plain JSON-able dict, so it takes part in
the digest the user approves. The user narrows it in their plugin settings under
``narrow.hostAPI`` (same shape); what the plugin gets is the intersection, rule by rule, so a
narrowing can only take away. Secrets are never matched by ``*``: only a rule that names
``secrets`` reads them. What the user's own credentials may not read the API server refuses
anyway (a 403 the plugin receives as an error).

This module imports nothing heavy: it is read on every plugin run.
"""

from __future__ import annotations

import re
from typing import Any

from pilothouse.errors import PluginError

FUNCTIONS = ("kube_get", "kube_list", "kube_discovery", "kube_openapi", "release_list", "release_history",
             "release_get", "chart_file", "chart_render", "credential_get")
VERBS = ("get", "list")
WILDCARD = "*"
SECRETS = "secrets"


class _Lazy:
    """A pattern compiled on first use: most plugins request no host API, and every one-shot run
    imports this module."""

    __slots__ = ("source", "compiled")

    def __init__(self, source: str) -> None:
        self.source = source
        self.compiled: re.Pattern[str] | None = None

    def match(self, text: str) -> re.Match[str] | None:
        if self.compiled is None:
            self.compiled = re.compile(self.source)
        return self.compiled.match(text)


_NAME_RE = _Lazy(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
_GROUP_RE = _Lazy(r"^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)?$")
_RESOURCE_RE = _Lazy(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_CRED_RE = _Lazy(r"^[A-Za-z0-9_.-]{1,64}$")
_HEADER_RE = _Lazy(r"^[A-Za-z0-9-]{1,64}$")
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
MAX_RULES = 64
MAX_ITEMS = 64


def _list(val: Any, what: str, source: str, pattern: _Lazy | None = None,
          wildcard: bool = False) -> list[str]:
    if val is None:
        return []
    if not isinstance(val, list) or any(not isinstance(x, str) for x in val):
        raise PluginError(f"{source}: runtimeConfig {what} must be a list of strings")
    if len(val) > MAX_ITEMS:
        raise PluginError(f"{source}: runtimeConfig {what} has more than {MAX_ITEMS} entries")
    for x in val:
        if wildcard and x == WILDCARD:
            continue
        if pattern is not None and not pattern.match(x):
            raise PluginError(f"{source}: runtimeConfig {what}: invalid entry {x!r}")
    return list(dict.fromkeys(val))


def _rule(raw: Any, source: str, where: str) -> dict[str, list[str]]:
    if not isinstance(raw, dict):
        raise PluginError(f"{source}: {where} must be a mapping")
    unknown = set(raw) - {"apiGroups", "resources", "namespaces", "verbs"}
    if unknown:
        raise PluginError(f"{source}: {where}: unknown key {sorted(unknown)[0]!r}")
    verbs = _list(raw.get("verbs"), f"{where}.verbs", source)
    for v in verbs:
        if v not in VERBS:
            raise PluginError(f"{source}: {where}.verbs: {v!r} is not allowed (the host API is read-only: "
                              "get, list)")
    rule = {
        "apiGroups": _list(raw.get("apiGroups"), f"{where}.apiGroups", source, _GROUP_RE, True),
        "resources": [r.lower() for r in _list(raw.get("resources"), f"{where}.resources", source,
                                               _RESOURCE_RE, True)],
        "namespaces": _list(raw.get("namespaces"), f"{where}.namespaces", source, _NAME_RE, True),
        "verbs": verbs or list(VERBS),
    }
    for key in ("apiGroups", "resources", "namespaces"):
        if not rule[key]:
            raise PluginError(f"{source}: {where}.{key} must name at least one entry (or \"*\")")
    return rule


def parse(rc: dict[str, Any], source: str = "plugin.yaml") -> dict[str, Any]:
    """The host API grant a runtimeConfig requests (an empty dict when it requests none)."""
    out: dict[str, Any] = {}
    kube = rc.get("kube")
    if kube is not None:
        if not isinstance(kube, list) or len(kube) > MAX_RULES:
            raise PluginError(f"{source}: runtimeConfig kube must be a list of at most {MAX_RULES} rules")
        out["kube"] = [_rule(r, source, f"runtimeConfig kube[{i}]") for i, r in enumerate(kube)]
    rel = rc.get("releases")
    if rel is not None:
        if not isinstance(rel, dict):
            raise PluginError(f"{source}: runtimeConfig releases must be a mapping with namespaces")
        out["releases"] = {"namespaces": _list(rel.get("namespaces"), "releases.namespaces", source, _NAME_RE,
                                               True)}
    chart = rc.get("chart")
    if chart is not None:
        if not isinstance(chart, dict):
            raise PluginError(f"{source}: runtimeConfig chart must be a mapping (files, render)")
        out["chart"] = {"files": bool(chart.get("files")), "render": bool(chart.get("render"))}
        local = _list(chart.get("local"), "chart.local", source)
        for pat in local:
            if not pat.startswith("/") or ".." in pat.split("/"):
                raise PluginError(f"{source}: runtimeConfig chart.local: {pat!r} must be an absolute path (a glob "
                                  "is allowed), without ..")
        if local:
            out["chart"]["local"] = local
    creds = rc.get("credentials")
    if creds is not None:
        out["credentials"] = _list(creds, "credentials", source, _CRED_RE)
    http = rc.get("http")
    if http is not None:
        if not isinstance(http, dict):
            raise PluginError(f"{source}: runtimeConfig http must be a mapping (methods, headers)")
        methods = [m.upper() for m in _list(http.get("methods"), "http.methods", source)]
        for m in methods:
            if m not in _METHODS:
                raise PluginError(f"{source}: runtimeConfig http.methods: unknown method {m!r}")
        out["http"] = {"methods": methods,
                       "headers": [h.lower() for h in _list(http.get("headers"), "http.headers", source,
                                                            _HEADER_RE)]}
    return out


# ---- narrowing: intersections only ---------------------------------------------------------

def _meet(a: list[str], b: list[str], *, secrets_aware: bool = False) -> list[str]:
    """The entries both lists allow; ``*`` on one side keeps the other side's names."""
    if WILDCARD in a and WILDCARD in b:
        return [WILDCARD]
    if WILDCARD in a:
        return [x for x in b if not (secrets_aware and x == SECRETS and SECRETS not in a)]
    if WILDCARD in b:
        return [x for x in a if not (secrets_aware and x == SECRETS and SECRETS not in b)]
    return [x for x in a if x in b]


def _meet_rule(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]] | None:
    out = {"apiGroups": _meet(a["apiGroups"], b["apiGroups"]),
           "resources": _meet(a["resources"], b["resources"], secrets_aware=True),
           "namespaces": _meet(a["namespaces"], b["namespaces"]),
           "verbs": [v for v in a["verbs"] if v in b["verbs"]]}
    # a secrets entry survives only if both sides name it
    if SECRETS in a["resources"] and SECRETS in b["resources"] and SECRETS not in out["resources"]:
        out["resources"].append(SECRETS)
    return out if all(out.values()) else None


def narrow(req: dict[str, Any], user: Any, source: str = "plugin settings") -> dict[str, Any]:
    """The requested grant narrowed by the user's ``hostAPI`` settings (never wider than ``req``)."""
    if user is None:
        return dict(req)
    if not isinstance(user, dict):
        return {}
    try:
        mine = parse(user, source)
    except PluginError:
        # settings we cannot read grant nothing rather than everything
        return {}
    out: dict[str, Any] = {}
    if "http" in mine and "http" not in req:
        # a plugin that asked for no http grant has Helm's (any method and header): the user
        # may still restrict it
        out["http"] = mine["http"]
    if "kube" in req:
        if "kube" in mine:
            rules = [m for r in req["kube"] for u in mine["kube"] if (m := _meet_rule(r, u)) is not None]
            out["kube"] = rules
        else:
            out["kube"] = req["kube"]
    if "releases" in req:
        ns = req["releases"]["namespaces"]
        if "releases" in mine:
            ns = _meet(ns, mine["releases"]["namespaces"])
        out["releases"] = {"namespaces": ns}
    if "chart" in req:
        c = dict(req["chart"])
        if "chart" in mine:
            c = {k: bool(c[k] and mine["chart"][k]) for k in ("files", "render")} | (
                {"local": [p for p in c["local"] if p in mine["chart"].get("local", [])]} if "local" in c else {})
        out["chart"] = c
    if "credentials" in req:
        out["credentials"] = _meet(req["credentials"], mine["credentials"]) if "credentials" in mine \
            else list(req["credentials"])
    if "http" in req:
        h = dict(req["http"])
        if "http" in mine:
            h = {"methods": [m for m in h["methods"] if m in mine["http"]["methods"]],
                 "headers": [x for x in h["headers"] if x in mine["http"]["headers"]]}
        out["http"] = h
    return out


# ---- the checks made on every call ---------------------------------------------------------

def kube_allows(grant: dict[str, Any], verb: str, group: str, resource: str, namespace: str) -> bool:
    """Does a rule allow ``verb`` on ``group``/``resource`` in ``namespace`` ("" = cluster scope or all)?"""
    for r in grant.get("kube") or []:
        if verb not in r["verbs"]:
            continue
        if WILDCARD not in r["apiGroups"] and group not in r["apiGroups"]:
            continue
        if resource == SECRETS:
            if SECRETS not in r["resources"]:
                continue
        elif WILDCARD not in r["resources"] and resource not in r["resources"]:
            continue
        if WILDCARD not in r["namespaces"] and namespace not in r["namespaces"]:
            continue
        return True
    return False


def release_namespace_allowed(grant: dict[str, Any], namespace: str) -> bool:
    ns = (grant.get("releases") or {}).get("namespaces") or []
    return WILDCARD in ns or namespace in ns


def credential_allowed(grant: dict[str, Any], name: str) -> bool:
    return name in (grant.get("credentials") or [])


def chart_allowed(grant: dict[str, Any], what: str) -> bool:
    return bool((grant.get("chart") or {}).get(what))


def local_chart_allowed(grant: dict[str, Any], path: str) -> bool:
    """May a chart at this absolute, resolved path be rendered (``chart.local`` patterns)?"""
    import fnmatch

    return any(fnmatch.fnmatchcase(path, p) for p in (grant.get("chart") or {}).get("local") or [])


def http_method_allowed(grant: dict[str, Any], method: str) -> bool:
    """Without an ``http`` grant any method, as in Helm; with one, the methods it lists."""
    http = grant.get("http")
    return http is None or method.upper() in http["methods"]


def http_header_allowed(grant: dict[str, Any], header: str) -> bool:
    """Without an ``http`` grant any header, as in Helm; with one, those it lists and a few
    harmless ones (Accept, Content-Type, User-Agent)."""
    http = grant.get("http")
    low = header.lower()
    return http is None or low in ("accept", "content-type", "user-agent") or low in http["headers"]


# ---- plain words -------------------------------------------------------------------------

_KINDS = {"configmaps": "ConfigMaps", "serviceaccounts": "ServiceAccounts", "statefulsets": "StatefulSets",
          "daemonsets": "DaemonSets", "replicasets": "ReplicaSets", "cronjobs": "CronJobs",
          "persistentvolumeclaims": "PersistentVolumeClaims", "persistentvolumes": "PersistentVolumes",
          "networkpolicies": "NetworkPolicies", "rolebindings": "RoleBindings", "clusterroles": "ClusterRoles",
          "clusterrolebindings": "ClusterRoleBindings", "customresourcedefinitions": "CustomResourceDefinitions",
          "horizontalpodautoscalers": "HorizontalPodAutoscalers", "poddisruptionbudgets": "PodDisruptionBudgets",
          "storageclasses": "StorageClasses", "ingressclasses": "IngressClasses", "endpointslices": "EndpointSlices",
          "resourcequotas": "ResourceQuotas", "limitranges": "LimitRanges"}


def _kind_words(resources: list[str]) -> str:
    if WILDCARD in resources:
        extra = [r for r in resources if r != WILDCARD]
        base = "every kind except Secrets"
        return base if not extra else f"{base}, and {_join([_KINDS.get(r, r.capitalize()) for r in extra])}"
    return _join([_KINDS.get(r, r.capitalize()) for r in resources])


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ns_words(namespaces: list[str]) -> str:
    if WILDCARD in namespaces:
        return "in every namespace"
    return ("in namespace " if len(namespaces) == 1 else "in namespaces ") + ", ".join(namespaces)


def describe(grant: dict[str, Any]) -> list[str]:
    """One line in plain words per rule, for install prompts and `pilot plugin inspect`."""
    lines = []
    for r in grant.get("kube") or []:
        verb = "read" if set(r["verbs"]) == set(VERBS) else ("get" if r["verbs"] == ["get"] else "list")
        groups = "" if r["apiGroups"] in ([""], ["*"]) else \
            " (API groups " + ", ".join(g or "core" for g in r["apiGroups"]) + ")"
        lines.append(f"kubernetes: {verb} {_kind_words(r['resources'])}{groups} {_ns_words(r['namespaces'])}")
    if "kube" in grant and not grant["kube"]:
        lines.append("kubernetes: nothing (every rule narrowed away)")
    if "releases" in grant:
        ns = grant["releases"]["namespaces"]
        lines.append("releases: read releases (manifest, values, notes, hooks) " + _ns_words(ns) if ns
                     else "releases: nothing")
    if "chart" in grant:
        what = [w for w, k in (("read the files of the chart being processed", "files"),
                               ("render charts with given values", "render")) if grant["chart"][k]]
        if grant["chart"].get("local"):
            what.append("render local charts at " + ", ".join(grant["chart"]["local"]))
        lines.append("charts: " + (" and ".join(what) if what else "nothing"))
    if "credentials" in grant:
        lines.append("credentials: " + (", ".join(grant["credentials"]) or "none"))
    if "http" in grant:
        h = grant["http"]
        lines.append("http methods: " + (", ".join(h["methods"]) or "none")
                     + ("; headers: " + ", ".join(h["headers"]) if h["headers"] else ""))
    return lines
