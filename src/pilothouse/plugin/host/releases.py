"""Host functions ``release_*``: releases of granted namespaces, from the release driver in use.

The same storage `pilot list/history/get` read; a namespace the grant does not name stops the
plugin. Values are the release's as stored: references (``ref+...``) stay references.
"""

from __future__ import annotations

import re
from typing import Any

from pilothouse.plugin import grants
from pilothouse.plugin.host import Call, HostDenied, HostFailure
from pilothouse.plugin.host.context import current

_NS = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_RELEASE = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,51}[a-z0-9])?$")
PARTS = ("manifest", "values", "notes", "hooks", "info", "chart", "resources")


def _namespace(c: Call, req: dict[str, Any]) -> str:
    ns = c.string(req, "namespace", limit=63)
    if not _NS.match(ns):
        raise HostDenied(f'plugin "{c.plugin}": {c.fn}: invalid namespace {ns!r}')
    if not grants.release_namespace_allowed(c.grant, ns):
        raise c.deny(f'no grant to read releases in namespace "{ns}" (runtimeConfig.releases.namespaces)')
    return ns


def _name(c: Call, req: dict[str, Any]) -> str:
    name = c.string(req, "name", limit=53)
    if not _RELEASE.match(name):
        raise HostDenied(f'plugin "{c.plugin}": {c.fn}: invalid release name {name!r}')
    return name


def _summary(rel: Any) -> dict[str, Any]:
    md = chart_metadata(rel)
    return {"name": rel.name, "namespace": rel.namespace, "revision": rel.version,
            "status": rel.info.status, "description": rel.info.description,
            "updated": str(rel.info.last_deployed or ""),
            "chart": f"{md['name']}-{md['version']}" if md["name"] else "", "appVersion": md["appVersion"]}


def chart_metadata(rel: Any) -> dict[str, str]:
    """name, version and appVersion of a release's chart (stored as Helm's JSON record)."""
    chart = rel.chart
    md = chart.get("metadata") if isinstance(chart, dict) else getattr(chart, "metadata", None)
    if isinstance(md, dict):
        return {"name": str(md.get("name") or ""), "version": str(md.get("version") or ""),
                "appVersion": str(md.get("appVersion") or "")}
    return {"name": str(getattr(md, "name", "") or ""), "version": str(getattr(md, "version", "") or ""),
            "appVersion": str(getattr(md, "app_version", "") or "")}


def _storage_call(fn: Any) -> Any:
    from pilothouse.errors import PilothouseError
    from pilothouse.release.driver.base import ReleaseNotFoundError

    try:
        return fn()
    except ReleaseNotFoundError as err:
        raise HostFailure(404, "NotFound", str(err)) from None
    except PilothouseError as err:
        raise HostFailure(int(getattr(err, "code", 500) or 500), "Error", str(err)) from None


def release_list(c: Call, req: dict[str, Any]) -> Any:
    """``{namespace}`` → the latest revision of every release there."""
    ns = _namespace(c, req)
    rels = _storage_call(lambda: current().releases(ns).list_releases())
    latest: dict[str, Any] = {}
    for r in rels:
        if r.namespace == ns and (r.name not in latest or r.version > latest[r.name].version):
            latest[r.name] = r
    return [_summary(latest[k]) for k in sorted(latest)]


def release_history(c: Call, req: dict[str, Any]) -> Any:
    """``{namespace, name}`` → every stored revision, oldest first."""
    ns, name = _namespace(c, req), _name(c, req)
    hist = _storage_call(lambda: current().releases(ns).history(name))
    return [_summary(r) for r in sorted(hist, key=lambda r: r.version) if r.namespace == ns]


def release_get(c: Call, req: dict[str, Any]) -> Any:
    """``{namespace, name, revision?, parts?}`` → the chosen parts of one revision (the latest by default)."""
    ns, name = _namespace(c, req), _name(c, req)
    rev = req.get("revision", 0)
    if not isinstance(rev, int) or isinstance(rev, bool) or rev < 0:
        raise HostDenied(f'plugin "{c.plugin}": release_get: "revision" must be a non-negative integer')
    parts = req.get("parts", [p for p in PARTS if p != "resources"])
    if not isinstance(parts, list) or any(p not in PARTS for p in parts):
        raise HostDenied(f'plugin "{c.plugin}": release_get: "parts" must be a list of {", ".join(PARTS)}')
    store = current().releases(ns)
    rel = _storage_call(lambda: store.get(name, rev) if rev else store.last(name))
    if rel.namespace != ns:
        raise HostFailure(404, "NotFound", f"release: not found: {name}")
    out: dict[str, Any] = _summary(rel)
    # a release's manifest holds its Secrets: they are shown only to a plugin that may read them
    secrets = grants.kube_allows(c.grant, "get", "", grants.SECRETS, ns)
    if "manifest" in parts:
        out["manifest"] = rel.manifest if secrets else _hide_secrets(rel.manifest or "")
    if "values" in parts:
        out["values"] = rel.config or {}
    if "notes" in parts:
        out["notes"] = rel.info.notes or ""
    if "hooks" in parts:
        out["hooks"] = [{"name": h.name, "kind": h.kind, "path": h.path, "events": list(h.events),
                         "manifest": h.manifest if secrets or h.kind != "Secret" else HIDDEN}
                        for h in rel.hooks or []]
    if "resources" in parts:
        out["resources"] = _resources(rel)
    return out


HIDDEN = "# HIDDEN: a Secret (readable only with a kube rule that names secrets)"


def _hide_secrets(manifest: str) -> str:
    """The manifest with every Secret document replaced by a note (its Source line kept)."""
    from pilothouse.errors import PilothouseError
    from pilothouse.manifest.sorter import parse_head
    from pilothouse.manifest.split import split_manifests

    out = []
    for doc in split_manifests(manifest):
        try:
            kind = parse_head(doc).kind
        except PilothouseError:
            kind = "Secret"  # what cannot be read is not shown either
        if kind == "Secret":
            source = next((ln for ln in doc.splitlines() if ln.startswith("# Source: ")), "")
            doc = f"{source}\n{HIDDEN}" if source else HIDDEN
        out.append(f"---\n{doc}\n")
    return "".join(out)


def _resources(rel: Any) -> list[dict[str, str]]:
    """(apiVersion, kind, namespace, name) of every object of the manifest, parsed by the host."""
    from pilothouse.errors import PilothouseError
    from pilothouse.kube.resources import parse_documents

    try:
        objs = parse_documents(rel.manifest or "")
    except PilothouseError:
        return []
    out = []
    for o in objs:
        meta = o.get("metadata") if isinstance(o.get("metadata"), dict) else {}
        out.append({"apiVersion": str(o.get("apiVersion") or ""), "kind": str(o.get("kind") or ""),
                    "namespace": str(meta.get("namespace") or ""), "name": str(meta.get("name") or "")})
    return out
