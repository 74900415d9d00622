"""Host functions ``kube_*``: read-only Kubernetes access under RBAC-like grant rules.

What a plugin reads is what its rules allow (`grants.kube_allows`) and, beyond that, what the
user's own credentials allow: requests go out with them, and the API server's 403 comes back to
the plugin as an error answer. There is no write verb. Every name, namespace, resource and
selector is checked before it reaches a URL; selectors travel as query parameters (encoded),
never spliced into a path.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from pilothouse.plugin import grants
from pilothouse.plugin.host import Call, HostDenied, HostFailure
from pilothouse.plugin.host.context import current

_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.:]{0,251}[A-Za-z0-9])?$")
_NS = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_RESOURCE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_KIND = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,62}$")
_API_VERSION = re.compile(r"^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$")
# label and field selector syntax: keys, values, operators, set notation; nothing that ends a
# query parameter or starts another
_SELECTOR = re.compile(r"^[A-Za-z0-9_.\-/=!,() ]{0,1024}$")
_OPENAPI_PATH = re.compile(r"^(api|apis)(/[a-z0-9][-a-z0-9.]{0,252}){1,2}$")
MAX_LIMIT = 500
MAX_ANSWER = 16 << 20


def _api_error(err: Any) -> HostFailure:
    return HostFailure(int(getattr(err, "code", 500) or 500), str(getattr(err, "reason", "") or "Error"),
                       str(err))


def _target(c: Call, req: dict[str, Any]) -> tuple[Any, str]:
    """(resource type, namespace) of a request, checked for shape; resolved through discovery."""
    from pilothouse.errors import PilothouseError
    from pilothouse.kube.errors import ApiError

    api_version = c.string(req, "apiVersion", limit=256)
    if not _API_VERSION.match(api_version):
        raise HostDenied(f'plugin "{c.plugin}": {c.fn}: invalid apiVersion {api_version!r}')
    resource = c.string(req, "resource", required=False, limit=63)
    kind = c.string(req, "kind", required=False, limit=63)
    if not resource and not kind:
        raise HostDenied(f'plugin "{c.plugin}": {c.fn} needs "resource" (plural, e.g. deployments) or "kind"')
    if resource and not _RESOURCE.match(resource):
        raise HostDenied(f'plugin "{c.plugin}": {c.fn}: invalid resource {resource!r} (a plural name, no '
                         "subresources)")
    if kind and not _KIND.match(kind):
        raise HostDenied(f'plugin "{c.plugin}": {c.fn}: invalid kind {kind!r}')
    namespace = c.string(req, "namespace", required=False, limit=63)
    if namespace and not _NS.match(namespace):
        raise HostDenied(f'plugin "{c.plugin}": {c.fn}: invalid namespace {namespace!r}')
    group, _, version = api_version.rpartition("/")
    kube = current().kube()
    try:
        types = kube._load_gv(group, version) or []
    except ApiError as err:
        raise _api_error(err) from None
    except PilothouseError as err:
        raise HostFailure(503, "ServiceUnavailable", str(err)) from None
    for t in types:
        if (resource and t.plural == resource) or (not resource and t.kind == kind):
            return t, namespace
    raise HostFailure(404, "NotFound", f"the server does not serve {resource or kind} in {api_version}")


def _check(c: Call, verb: str, rt: Any, namespace: str) -> None:
    scope = namespace if rt.namespaced else ""
    if grants.kube_allows(c.grant, verb, rt.group, rt.plural, scope):
        return
    where = f'in namespace "{namespace}"' if scope else ("in every namespace" if rt.namespaced else "(cluster scope)")
    hint = " (Secrets are readable only through a rule that names secrets)" if rt.plural == grants.SECRETS else ""
    raise c.deny(f'no kube rule grants {verb} on {rt.plural} (API group "{rt.group or "core"}") {where}{hint}')


def _request(path: str, params: dict[str, Any] | None = None) -> Any:
    from pilothouse.errors import PilothouseError
    from pilothouse.kube.errors import ApiError

    try:
        return current().kube().request("GET", path, params=params)
    except ApiError as err:
        raise _api_error(err) from None
    except PilothouseError as err:
        raise HostFailure(503, "ServiceUnavailable", str(err)) from None


def kube_get(c: Call, req: dict[str, Any]) -> Any:
    """One object: ``{apiVersion, resource|kind, namespace, name}``."""
    rt, namespace = _target(c, req)
    name = c.string(req, "name", limit=253)
    if not _NAME.match(name):
        raise HostDenied(f'plugin "{c.plugin}": kube_get: invalid name {name!r}')
    if rt.namespaced and not namespace:
        raise HostDenied(f'plugin "{c.plugin}": kube_get: {rt.plural} are namespaced: give "namespace"')
    _check(c, "get", rt, namespace)
    from pilothouse.kube.client import KubeClient

    return _request(KubeClient.path(rt, namespace if rt.namespaced else "", name))


def kube_list(c: Call, req: dict[str, Any]) -> Any:
    """A list: ``{apiVersion, resource|kind, namespace?, labelSelector?, fieldSelector?, limit?, continue?}``.

    Without ``namespace`` a namespaced resource is listed in every namespace (a rule with ``*``).
    """
    rt, namespace = _target(c, req)
    _check(c, "list", rt, namespace)
    params: dict[str, Any] = {}
    for key in ("labelSelector", "fieldSelector"):
        sel = c.string(req, key, required=False, limit=1024)
        if sel:
            if not _SELECTOR.match(sel):
                raise HostDenied(f'plugin "{c.plugin}": kube_list: invalid {key} {sel!r}')
            params[key] = sel
    limit = req.get("limit", MAX_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        raise HostDenied(f'plugin "{c.plugin}": kube_list: "limit" must be a positive integer')
    params["limit"] = min(limit, MAX_LIMIT)
    cont = c.string(req, "continue", required=False, limit=4096)
    if cont:
        params["continue"] = cont
    from pilothouse.kube.client import KubeClient

    doc = _request(KubeClient.path(rt, namespace if rt.namespaced else ""), params) or {}
    return {"items": doc.get("items") or [], "continue": (doc.get("metadata") or {}).get("continue") or ""}


def kube_discovery(c: Call, req: dict[str, Any]) -> Any:
    """Every group/version the cluster serves with its resources (names, kinds, scope)."""
    from pilothouse.errors import PilothouseError

    try:
        found = current().kube().discover()
    except PilothouseError as err:
        raise HostFailure(int(getattr(err, "code", 503) or 503), "Error", str(err)) from None
    return [{"groupVersion": gv, "resources": [{"name": t.plural, "kind": t.kind, "namespaced": t.namespaced}
                                               for t in types]} for gv, types in found]


def kube_openapi(c: Call, req: dict[str, Any]) -> Any:
    """The OpenAPI v3 index (``{}``) or one document (``{"path": "apis/apps/v1"}``)."""
    path = c.string(req, "path", required=False, limit=512)
    if not path:
        return _request("/openapi/v3")
    if not _OPENAPI_PATH.match(path) or ".." in path:
        raise HostDenied(f'plugin "{c.plugin}": kube_openapi: invalid path {path!r} (e.g. "apis/apps/v1")')
    return _request("/openapi/v3/" + quote(path, safe="/"))
