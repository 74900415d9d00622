"""A small Kubernetes REST client: discovery, CRUD, server-side apply, patches.

Built on the standard library's HTTP client (`transport`). It does what Helm's `pkg/kube` needs and nothing more; every request is
counted (`requests`) so benchmarks can report API traffic. The field manager is ``helm``
(Helm's `kube.ManagedFieldsManager`), so objects written by Pilothouse and by Helm share
field ownership.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from pilothouse.errors import KubeError
from pilothouse.kube.config import ClusterConfig, load_config
from pilothouse.kube.errors import ApiError
from pilothouse.kube.resources import Resource, ResourceType, core_type, parse_documents

FIELD_MANAGER = "helm"
USER_AGENT = "pilot/v4.2 (linux) kubernetes/pilothouse"


class KubeClient:
    """Talks to one API server with one identity.

    ``namespace`` is the default namespace for namespaced objects that name none (Helm's
    ``--namespace``).
    """

    def __init__(self, config: ClusterConfig, *, namespace: str | None = None, timeout: float = 32.0,
                 field_manager: str = FIELD_MANAGER) -> None:
        self.config = config
        self.namespace = namespace or config.namespace or "default"
        self.field_manager = field_manager
        self.requests = 0
        self._count_lock = threading.Lock()
        self._gv_cache: dict[str, list[ResourceType] | None] = {}
        self._groups: list[tuple[str, list[str]]] | None = None
        self._version: dict[str, Any] | None = None
        self._lock = threading.RLock()
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        # as client-go: credentials only over TLS, never in clear text to a plain-HTTP server
        secure = config.server.startswith("https")
        token = config.bearer_token() if secure else None
        auth = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif config.username and secure:
            auth = (config.username, config.password or "")
        if config.impersonate:
            headers["Impersonate-User"] = config.impersonate
        # plain http has no TLS to verify: False spares loading a CA bundle (~0.2 s per process)
        verify: Any = config.server.startswith("https")
        if config.server.startswith("https"):
            if config.insecure:
                verify = False
            else:
                ctx = ssl.create_default_context(cafile=config.ca_file) if config.ca_file else \
                    ssl.create_default_context()
                if config.client_cert:
                    ctx.load_cert_chain(config.client_cert, config.client_key)
                verify = ctx
            if config.insecure and config.client_cert:
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                ctx.load_cert_chain(config.client_cert, config.client_key)
                verify = ctx
        from pilothouse.kube.transport import open_transport, set_multi_header

        self._http = open_transport(config.server.rstrip("/"), headers=headers, verify=verify, auth=auth,
                                    timeout=timeout, max_connections=16, server_name=config.tls_server_name)
        if config.impersonate_groups:
            # one header line per group, as client-go sends them (a joined value would be one group)
            set_multi_header(self._http, "Impersonate-Group", list(config.impersonate_groups))

    @classmethod
    def from_kubeconfig(cls, kubeconfig: str | None = None, context: str | None = None,
                        namespace: str | None = None, **kw: Any) -> KubeClient:
        """A client for the cluster a kubeconfig names (``KUBECONFIG`` rules when not given)."""
        cfg = load_config(kubeconfig, context, namespace)
        return cls(cfg, namespace=namespace or cfg.namespace)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> KubeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- HTTP ------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None,
                content_type: str = "application/json", accept: str | None = None) -> Any:
        """One API call; returns the decoded JSON answer or raises `ApiError`/`KubeError`."""
        from pilothouse.kube.transport import Transport, is_transport_error

        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body, separators=(",", ":"))
        with self._count_lock:
            self.requests += 1
        headers = {"Content-Type": content_type} if data is not None else {}
        if accept:
            headers["Accept"] = accept
        # --kube-tls-server-name: the certificate is checked against that name (sent as SNI), as client-go does
        ext = {"sni_hostname": self.config.tls_server_name} \
            if self.config.tls_server_name and self.config.server.startswith("https") else None
        try:
            resp = self._http.request(method, path, params=params, content=data, headers=headers or None,
                                      **({"extensions": ext} if ext and not isinstance(self._http, Transport) else {}))
        except Exception as err:
            if not is_transport_error(err):
                raise
            from pilothouse.kube.neterrors import describe

            raise KubeError(f"kubernetes cluster unreachable: {describe(err, method, self.config.server + path)}") \
                from None
        if resp.status_code >= 400:
            raise _api_error(resp)
        if not resp.content:
            return None
        try:
            return resp.json()
        except ValueError:
            return resp.text

    # --- discovery -------------------------------------------------------------------------

    def server_version(self) -> dict[str, Any]:
        """``/version`` (cached)."""
        if self._version is None:
            self._version = self.request("GET", "/version")
        return self._version

    def is_reachable(self) -> None:
        """Helm's IsReachable: the server answers ``/version``."""
        try:
            self.server_version()
        except KubeError as err:
            msg = str(err)
            raise KubeError(msg if msg.startswith("kubernetes cluster unreachable") else
                            f"kubernetes cluster unreachable: {msg}") from None

    def _group_versions(self) -> list[tuple[str, list[str]]]:
        with self._lock:
            if self._groups is None:
                core = self.request("GET", "/api") or {}
                groups: list[tuple[str, list[str]]] = [("", list(core.get("versions") or ["v1"]))]
                for g in (self.request("GET", "/apis") or {}).get("groups") or []:
                    preferred = (g.get("preferredVersion") or {}).get("version")
                    versions = [v["version"] for v in g.get("versions") or []]
                    if preferred in versions:
                        versions.remove(preferred)
                        versions.insert(0, preferred)
                    groups.append((g["name"], versions))
                self._groups = groups
            return self._groups

    def _load_gv(self, group: str, version: str) -> list[ResourceType] | None:
        gv = f"{group}/{version}" if group else version
        with self._lock:
            if gv in self._gv_cache:
                return self._gv_cache[gv]
        path = f"/apis/{group}/{version}" if group else f"/api/{version}"
        try:
            doc = self.request("GET", path) or {}
        except ApiError as err:
            if err.not_found:
                with self._lock:
                    self._gv_cache[gv] = None
                return None
            raise
        types = []
        for r in doc.get("resources") or []:
            if "/" in r.get("name", ""):
                continue
            types.append(ResourceType(group, version, r.get("kind", ""), r["name"], bool(r.get("namespaced"))))
        with self._lock:
            self._gv_cache[gv] = types
        return types

    def discover(self) -> list[tuple[str, list[ResourceType]]]:
        """Every group/version the server serves with its kinds (fetched in parallel, cached)."""
        gvs = [(g, v) for g, versions in self._group_versions() for v in versions]
        missing = [(g, v) for g, v in gvs if (f"{g}/{v}" if g else v) not in self._gv_cache]
        if missing:
            from concurrent.futures import ThreadPoolExecutor  # (it imports logging)

            with ThreadPoolExecutor(max_workers=8) as pool:
                list(pool.map(lambda gv: self._load_gv(*gv), missing))
        out = []
        for g, v in gvs:
            types = self._gv_cache.get(f"{g}/{v}" if g else v)
            if types is not None:
                out.append((f"{g}/{v}" if g else v, types))
        return out

    def invalidate(self) -> None:
        """Forget discovery (after CRDs were installed)."""
        with self._lock:
            self._gv_cache.clear()
            self._groups = None

    def api_versions(self) -> list[str]:
        """Helm's GetVersionSet: every ``group/version`` and ``group/version/Kind``."""
        out: list[str] = []
        for gv, types in self.discover():
            out.append(gv)
            for t in types:
                out.append(f"{gv}/{t.kind}")
        return out

    def capabilities(self) -> Any:
        """`.Capabilities` for this cluster: its version and the API versions it serves."""
        from pilothouse.engine.context import Capabilities

        ver = self.server_version()
        return Capabilities(ver.get("gitVersion") or f"v{ver.get('major')}.{ver.get('minor')}.0",
                            base_api_versions=self.api_versions())

    def resource_type(self, api_version: str, kind: str, *, name: str = "", namespace: str = "") -> ResourceType:
        """The REST mapping of a kind; a kind the server does not serve is Helm's 'no matches' error."""
        group, _, version = api_version.rpartition("/")
        for attempt in range(2):
            types = self._load_gv(group, version)
            for t in types or []:
                if t.kind == kind:
                    return t
            if attempt == 0:
                # a CRD may have been created since discovery was cached
                with self._lock:
                    self._gv_cache.pop(api_version, None)
        raise KubeError(f'resource mapping not found for name: "{name}" namespace: "{namespace}" from "": no matches '
                        f'for kind "{kind}" in version "{api_version}"\nensure CRDs are installed first')

    # --- building --------------------------------------------------------------------------

    def build(self, manifest: str, *, namespace: str | None = None) -> list[Resource]:
        """Helm's Build: a manifest stream → resources with their mappings and namespaces."""
        default_ns = namespace or self.namespace
        out = []
        for obj in parse_documents(manifest):
            api_version, kind = obj.get("apiVersion"), obj.get("kind")
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
            if not kind:
                raise KubeError(f"error validating data: Object 'Kind' is missing in '{json.dumps(obj)}'")
            if not api_version:
                raise KubeError(f"error validating data: Object 'apiVersion' is missing in '{json.dumps(obj)}'")
            name = str(meta.get("name") or "")
            rt = self.resource_type(str(api_version), str(kind), name=name, namespace=str(meta.get("namespace") or ""))
            ns = ""
            if rt.namespaced:
                ns = str(meta.get("namespace") or default_ns)
                meta = dict(meta)
                meta["namespace"] = ns
                obj = dict(obj)
                obj["metadata"] = meta
            out.append(Resource(rt, ns, name, obj))
        return out

    # --- REST ------------------------------------------------------------------------------

    @staticmethod
    def path(rt: ResourceType, namespace: str = "", name: str = "", subresource: str = "") -> str:
        base = f"/apis/{rt.group}/{rt.version}" if rt.group else f"/api/{rt.version}"
        if rt.namespaced and namespace:
            base += f"/namespaces/{quote(namespace, safe='')}"
        base += f"/{rt.plural}"
        if name:
            base += f"/{quote(name, safe='')}"
        if subresource:
            base += f"/{subresource}"
        return base

    def get(self, rt: ResourceType, namespace: str, name: str) -> dict[str, Any]:
        return self.request("GET", self.path(rt, namespace, name))

    def get_or_none(self, rt: ResourceType, namespace: str, name: str) -> dict[str, Any] | None:
        try:
            return self.get(rt, namespace, name)
        except ApiError as err:
            if err.not_found:
                return None
            raise

    def list(self, rt: ResourceType, namespace: str = "", *, label_selector: str | None = None,
             field_selector: str | None = None) -> list[dict[str, Any]]:
        params: dict[str, Any] = {}
        if label_selector:
            params["labelSelector"] = label_selector
        if field_selector:
            params["fieldSelector"] = field_selector
        items: list[dict[str, Any]] = []
        while True:
            doc = self.request("GET", self.path(rt, namespace), params=params or None) or {}
            items.extend(doc.get("items") or [])
            cont = (doc.get("metadata") or {}).get("continue")
            if not cont:
                return items
            params["continue"] = cont

    def _params(self, *, dry_run: bool = False, field_validation: str | None = "Strict",
                force: bool | None = None, manager: bool = True) -> dict[str, Any]:
        p: dict[str, Any] = {}
        if dry_run:
            p["dryRun"] = "All"
        if manager:
            p["fieldManager"] = self.field_manager
        if field_validation:
            p["fieldValidation"] = field_validation
        if force is not None:
            p["force"] = "true" if force else "false"
        return p

    def create(self, rt: ResourceType, namespace: str, obj: dict[str, Any], *, dry_run: bool = False) -> dict[str, Any]:
        return self.request("POST", self.path(rt, namespace), params=self._params(dry_run=dry_run), body=obj)

    def replace(self, rt: ResourceType, namespace: str, name: str, obj: dict[str, Any], *,
                dry_run: bool = False) -> dict[str, Any]:
        return self.request("PUT", self.path(rt, namespace, name), params=self._params(dry_run=dry_run), body=obj)

    def patch(self, rt: ResourceType, namespace: str, name: str, body: Any, patch_type: str, *,
              dry_run: bool = False, field_validation: str | None = "Strict") -> dict[str, Any]:
        ctype = {"merge": "application/merge-patch+json", "strategic": "application/strategic-merge-patch+json",
                 "json": "application/json-patch+json"}[patch_type]
        return self.request("PATCH", self.path(rt, namespace, name), body=body, content_type=ctype,
                            params=self._params(dry_run=dry_run, field_validation=field_validation))

    def apply(self, rt: ResourceType, namespace: str, obj: dict[str, Any], *, force: bool = False,
              dry_run: bool = False) -> dict[str, Any]:
        """Server-side apply of the whole object with this client's field manager."""
        name = (obj.get("metadata") or {}).get("name") or ""
        return self.request("PATCH", self.path(rt, namespace, name), body=obj,
                            content_type="application/apply-patch+yaml",
                            params=self._params(dry_run=dry_run, force=force))

    def delete(self, rt: ResourceType, namespace: str, name: str, *, propagation: str = "Background",
               dry_run: bool = False) -> None:
        body: dict[str, Any] = {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": propagation}
        if dry_run:
            body["dryRun"] = ["All"]
        self.request("DELETE", self.path(rt, namespace, name), body=body)

    @staticmethod
    def core(kind: str) -> ResourceType:
        """A core/v1 kind's mapping (Secret, ConfigMap, Namespace, Pod) without discovery."""
        return core_type(kind)

    def watch(self, rt: ResourceType, namespace: str, *, resource_version: str, timeout_seconds: int,
              register: Any = None) -> Iterable[dict[str, Any]]:
        """Watch events of ``rt`` in ``namespace`` after ``resource_version`` (one request, streamed).

        ``register`` receives the open response so another thread can close it to end the watch.
        """
        from pilothouse.kube.transport import Transport, TransportError, is_transport_error

        params = {"watch": "true", "resourceVersion": resource_version, "timeoutSeconds": str(timeout_seconds),
                  "allowWatchBookmarks": "true"}
        with self._count_lock:
            self.requests += 1
        try:
            if isinstance(self._http, Transport):
                stream = self._http.open_stream("GET", self.path(rt, namespace), params=params,
                                                read_timeout=timeout_seconds + 30.0)
            else:  # httpx, when a proxy is configured
                import httpx

                stream = self._http.stream("GET", self.path(rt, namespace), params=params,
                                           timeout=httpx.Timeout(10.0, read=timeout_seconds + 30.0))
            with stream as resp:
                if register is not None:
                    register(resp)
                if resp.status_code >= 400:
                    resp.read()
                    raise _api_error(resp)
                for line in resp.iter_lines():
                    if not line.strip():
                        continue
                    try:
                        yield json.loads(line)
                    except ValueError:
                        return
        except TransportError as err:
            raise KubeError(f"watch {self.path(rt, namespace)}: {err}") from None
        except Exception as err:
            if not is_transport_error(err) and type(err).__name__ != "StreamError":
                raise
            raise KubeError(f"watch {self.path(rt, namespace)}: {err}") from None

    def pod_logs(self, namespace: str, pod: str, container: str = "") -> str:
        rt = self.core("Pod")
        params = {"container": container} if container else None
        return str(self.request("GET", self.path(rt, namespace, pod, "log"), params=params) or "")


def _api_error(resp: Any) -> ApiError:
    status: dict[str, Any] = {}
    try:
        status = resp.json()
    except ValueError:
        pass
    if isinstance(status, dict) and status.get("kind") == "Status":
        return ApiError(resp.status_code, status.get("reason") or "", status.get("message") or resp.reason_phrase,
                        status)
    text = resp.text.strip() or resp.reason_phrase
    return ApiError(resp.status_code, "", f"the server responded with status {resp.status_code}: {text}")


def run_parallel(items: Iterable[Any], fn: Any, workers: int = 8) -> list[BaseException | None]:
    """Run ``fn`` over items on a small pool; the exceptions (or None) in item order."""
    items = list(items)
    if len(items) <= 1:
        out: list[BaseException | None] = []
        for it in items:
            try:
                fn(it)
                out.append(None)
            except Exception as err:  # noqa: BLE001 - collected for the caller
                out.append(err)
        return out

    def call(it: Any) -> BaseException | None:
        try:
            fn(it)
            return None
        except Exception as err:  # noqa: BLE001 - collected for the caller
            return err

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(call, items))
