"""Request handling: URL routing, verbs, content negotiation, discovery. Independent of the HTTP
server, so that it can be called directly in tests.

`Api.handle` takes a `Request` and returns a `Response`; a watch returns a response whose
`stream` yields the events to send, one JSON object per line.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

from fakekube import errors, limits, metaview, openapi
from fakekube.resources import ResourceType
from fakekube.selectors import field_matcher, label_matcher
from fakekube.store import Store, now

K8S_VERSION = {
    "major": "1",
    "minor": "34",
    "emulationMajor": "1",
    "emulationMinor": "34",
    "minCompatibilityMajor": "1",
    "minCompatibilityMinor": "33",
    "gitVersion": "v1.34.1",
    "gitCommit": "0000000000000000000000000000000000000000",
    "gitTreeState": "clean",
    "buildDate": "2025-09-09T00:00:00Z",
    "goVersion": "go1.24.6",
    "compiler": "gc",
    "platform": "linux/amd64",
}

_PATCH_TYPES = {
    "application/json-patch+json": "json",
    "application/merge-patch+json": "merge",
    "application/strategic-merge-patch+json": "strategic",
    "application/apply-patch+yaml": "apply",
    "application/apply-patch+json": "apply",
}


@dataclass
class Request:
    """An HTTP request, reduced to what the API needs."""

    method: str
    path: str
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str:
        """A header's value ('' if absent), matched case-insensitively."""
        low = name.lower()
        for key, value in self.headers.items():
            if key.lower() == low:
                return value
        return ""


@dataclass
class Response:
    """What to send back: a status code and a body, or a stream of watch events."""

    status: int
    body: Any = None
    content_type: str = "application/json"
    stream: Iterator[dict[str, Any]] | None = None


def _yaml_dump(obj: Any) -> str:
    import yaml

    return yaml.safe_dump(obj, sort_keys=False, default_flow_style=False)


def _parse_body(req: Request) -> Any:
    if not req.body:
        return None
    ctype = req.header("Content-Type").split(";")[0].strip().lower()
    if "protobuf" in ctype:
        from fakekube import protobuf

        return protobuf.decode(req.body)
    if "cbor" in ctype:
        raise errors.unsupported_media(["application/json", "application/yaml"])
    text = req.body.decode("utf-8", errors="replace")
    if "yaml" in ctype:
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise errors.bad_request(f"error converting YAML to JSON: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise errors.bad_request(f"couldn't get version/kind; json parse error: {exc}") from None


class Api:
    """The Kubernetes API over a `Store`.

    Args:
        store: the objects.
        address: host:port clients reach the server at (reported in `/api`).
    """

    def __init__(self, store: Store, address: str = "127.0.0.1") -> None:
        self.store = store
        self.address = address
        self.stopping = threading.Event()
        from fakekube.audit import Audit

        self.audit = Audit()
        self.controllers: Any = None

    # --- entry point ---------------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        """Answer one request; API errors become Status objects."""
        from fakekube.audit import special

        extra = special(self, req.method, req.path, req.query, req.body)
        if extra is not None:
            return Response(*extra)
        try:
            if len(req.body) > limits.MAX_REQUEST_BODY_BYTES:
                raise limits.request_too_large()
            resp = self._route(req)
        except errors.ApiError as exc:
            resp = Response(exc.code, exc.status())
        self.audit.record(req.method, req.path, req.query, resp.status)
        accept = req.header("Accept")
        if (
            resp.stream is None
            and isinstance(resp.body, (dict, list))
            and "yaml" in accept
            and "json" not in accept.split(",")[0]
        ):
            return Response(resp.status, _yaml_dump(resp.body), "application/yaml")
        return resp

    def _route(self, req: Request) -> Response:
        # segments are percent-decoded as the real server does (`system:foo` arrives as `system%3Afoo`)
        parts = [unquote(p) for p in req.path.split("/") if p]
        if not parts:
            return Response(200, {"paths": ["/api", "/api/v1", "/apis", "/openapi/v2", "/openapi/v3", "/version"]})
        head = parts[0]
        if head == "version":
            return Response(200, K8S_VERSION)
        if head in ("healthz", "livez", "readyz"):
            return Response(200, "ok", "text/plain; charset=utf-8")
        if head == "openapi":
            return self._openapi(req, parts[1:])
        if head == "_fakekube":
            return self._admin(req, parts[1:])
        if head == "api":
            if len(parts) == 1:
                return Response(
                    200,
                    {
                        "kind": "APIVersions",
                        "versions": ["v1"],
                        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": self.address}],
                    },
                )
            return self._group_version(req, "", parts[1], parts[2:])
        if head == "apis":
            if len(parts) == 1:
                return Response(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": self._groups()})
            if len(parts) == 2:
                for grp in self._groups():
                    if grp["name"] == parts[1]:
                        return Response(200, {"kind": "APIGroup", "apiVersion": "v1", **grp})
                raise errors.resource_not_found()
            return self._group_version(req, parts[1], parts[2], parts[3:])
        return Response(404, "404 page not found\n", "text/plain; charset=utf-8")

    # --- discovery -----------------------------------------------------------------------------

    def _groups(self) -> list[dict[str, Any]]:
        out = []
        for group, versions in self.store.registry.groups().items():
            if not group:
                continue
            entries = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
            out.append({"name": group, "versions": entries, "preferredVersion": entries[0]})
        return out

    def _resource_list(self, group: str, version: str) -> dict[str, Any]:
        resources = []
        for rt in self.store.registry.all():
            if rt.group == group and rt.version == version:
                resources.extend(rt.discovery())
        if not resources:
            raise errors.resource_not_found()
        return {
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": f"{group}/{version}" if group else version,
            "resources": resources,
        }

    def _openapi(self, req: Request, rest: list[str]) -> Response:
        reg = self.store.registry
        ver = K8S_VERSION["gitVersion"]
        if rest == ["v2"]:
            doc = openapi.v2_document(reg, ver)
            if "protobuf" in req.header("Accept").split(",")[0]:
                from fakekube.openapi_proto import CONTENT_TYPE, encode_document

                return Response(200, encode_document(doc), CONTENT_TYPE)
            return Response(200, doc)
        if rest == ["v3"]:
            return Response(200, openapi.v3_index(reg, ver))
        if len(rest) >= 3 and rest[0] == "v3":
            if rest[1] == "api" and len(rest) == 3:
                doc = openapi.v3_document(reg, "", rest[2], ver)
            elif rest[1] == "apis" and len(rest) == 4:
                doc = openapi.v3_document(reg, rest[2], rest[3], ver)
            else:
                doc = None
            if doc is not None:
                return Response(200, doc)
        return Response(404, "404 page not found\n", "text/plain; charset=utf-8")

    # --- resources -----------------------------------------------------------------------------

    def _group_version(self, req: Request, group: str, version: str, rest: list[str]) -> Response:
        if not rest:
            if req.method != "GET":
                raise errors.method_not_allowed()
            return Response(200, self._resource_list(group, version))
        namespace: str | None = None
        if rest[0] == "namespaces" and len(rest) >= 3 and rest[2] not in ("status", "finalize"):
            namespace, rest = rest[1], rest[2:]
        plural, name, sub = rest[0], (rest[1] if len(rest) > 1 else None), (rest[2] if len(rest) > 2 else "")
        if len(rest) > 3:
            raise errors.resource_not_found()
        rt = self.store.registry.get(group, version, plural)
        if rt is None:
            raise errors.resource_not_found()
        if namespace is not None and not rt.namespaced:
            raise errors.resource_not_found()
        if sub and not ((sub == "status" and rt.status) or (sub == "scale" and rt.scale)):
            raise errors.resource_not_found()
        q = {k: v[-1] for k, v in parse_qs(req.query, keep_blank_values=True).items()}
        dry_run = "dryRun" in q and q["dryRun"] != ""
        manager = q.get("fieldManager") or req.header("User-Agent").split("/")[0] or "unknown"
        if name is None:
            if req.method == "GET":
                if q.get("watch") in ("true", "1"):
                    return self._watch(rt, namespace, q)
                return self._list(req, rt, namespace, q)
            if req.method == "POST":
                if rt.namespaced and namespace is None:
                    raise errors.method_not_allowed()
                body = _parse_body(req)
                obj = self.store.create(rt, namespace, body or {}, dry_run=dry_run, manager=manager)
                return Response(201, obj)
            if req.method == "DELETE":
                return self._delete_collection(rt, namespace, q, dry_run)
            raise errors.method_not_allowed()
        if rt.namespaced and namespace is None:
            raise errors.resource_not_found()
        if sub == "scale":
            return self._scale(req, rt, namespace, name, dry_run, manager)
        if req.method == "GET":
            obj = self.store.get(rt, namespace, name)
            if metaview.requested(req.header("Accept")):
                return Response(200, metaview.partial(obj))
            if _wants_table(req):
                return Response(200, _table(rt, [obj], obj["metadata"].get("resourceVersion", "")))
            return Response(200, obj)
        if req.method == "PUT":
            body = _parse_body(req)
            return Response(200, self.store.update(rt, namespace, name, body or {}, subresource=sub, dry_run=dry_run, manager=manager))
        if req.method == "PATCH":
            ctype = req.header("Content-Type").split(";")[0].strip().lower()
            patch_type = _PATCH_TYPES.get(ctype)
            if patch_type is None or (patch_type == "strategic" and rt.crd):
                accepted = [t for t in _PATCH_TYPES if not (rt.crd and _PATCH_TYPES[t] == "strategic")]
                raise errors.unsupported_media(accepted)
            text = req.body.decode("utf-8", errors="replace")
            body = _parse_patch(text, patch_type)
            obj, created = self.store.patch(
                rt, namespace, name, patch_type, body,
                subresource=sub,
                dry_run=dry_run,
                # Apply needs an explicit manager; other writes fall back to the client's name.
                manager=q.get("fieldManager", "") if patch_type == "apply" else manager,
                force=q.get("force") == "true",
            )
            return Response(201 if created else 200, obj)
        if req.method == "DELETE":
            opts = _parse_body(req) or {}
            if not isinstance(opts, dict):
                raise errors.bad_request("DeleteOptions must be an object")
            propagation = q.get("propagationPolicy") or opts.get("propagationPolicy") or "Background"
            if opts.get("orphanDependents") is True or q.get("orphanDependents") == "true":
                propagation = "Orphan"
            dry = dry_run or bool(opts.get("dryRun"))
            obj, gone = self.store.delete(
                rt, namespace, name, propagation=propagation, dry_run=dry, preconditions=opts.get("preconditions")
            )
            if not gone or rt.kind in ("Namespace", "Pod", "CustomResourceDefinition"):
                return Response(200, obj)
            details = {"name": name}
            if rt.group:
                details["group"] = rt.group
            details["kind"] = rt.plural
            details["uid"] = obj["metadata"].get("uid", "")
            return Response(
                200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}
            )
        raise errors.method_not_allowed()

    def _scale(
        self, req: Request, rt: ResourceType, namespace: str | None, name: str, dry_run: bool, manager: str
    ) -> Response:
        obj = self.store.get(rt, namespace, name)
        if req.method == "GET":
            return Response(200, _scale_of(obj))
        if req.method not in ("PUT", "PATCH"):
            raise errors.method_not_allowed()
        current = _scale_of(obj)
        if req.method == "PUT":
            new = _parse_body(req) or {}
        else:
            ctype = req.header("Content-Type").split(";")[0].strip().lower()
            body = _parse_patch(req.body.decode("utf-8", errors="replace"), _PATCH_TYPES.get(ctype, "merge"))
            if _PATCH_TYPES.get(ctype) == "json":
                from fakekube.patch import json_patch

                new = json_patch(current, body)
            else:
                from fakekube.patch import merge_patch

                new = merge_patch(current, body if isinstance(body, dict) else {})
        replicas = (new.get("spec") or {}).get("replicas")
        if not isinstance(replicas, int) or replicas < 0:
            raise errors.invalid("Scale", "autoscaling", name, [("spec.replicas", "FieldValueInvalid", f"Invalid value: {replicas}: must be greater than or equal to 0")])
        sent_rv = (new.get("metadata") or {}).get("resourceVersion")
        patch = {"spec": {"replicas": replicas}}
        if sent_rv:
            patch["metadata"] = {"resourceVersion": sent_rv}
        updated, _ = self.store.patch(rt, namespace, name, "merge", patch, dry_run=dry_run, manager=manager)
        return Response(200, _scale_of(updated))

    def _matcher(self, rt: ResourceType, q: dict[str, str]):
        labels = label_matcher(q.get("labelSelector"))
        fields = field_matcher(q.get("fieldSelector"), rt.group, rt.kind)
        return lambda obj: labels(obj) and fields(obj)

    def _list(self, req: Request, rt: ResourceType, namespace: str | None, q: dict[str, str]) -> Response:
        match = self._matcher(rt, q)
        view = metaview.requested(req.header("Accept"))
        token = q.get("continue")
        after: tuple[str, str] | None = None
        rv_pinned: int | None = None
        if token:
            try:
                state = json.loads(base64.urlsafe_b64decode(token.encode()).decode())
                after = (str(state["after"][0]), str(state["after"][1]))
                rv_pinned = int(state["rv"])
            except (ValueError, KeyError, TypeError, IndexError):
                raise errors.bad_request("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)") from None
        try:
            limit = max(0, int(q.get("limit") or 0))
        except ValueError:
            raise errors.bad_request(f"limit: Invalid value: {q.get('limit')!r}: must be an integer") from None
        counts: dict[str, int] = {}
        filtered = bool(q.get("labelSelector") or q.get("fieldSelector"))
        items, rv = self.store.list(rt, namespace, match, metadata_only=bool(view), after=after, limit=limit,
                                    counts=counts, filtered=filtered)
        if rv_pinned is not None:
            rv = rv_pinned
        meta: dict[str, Any] = {"resourceVersion": str(rv)}
        if limit > 0 and counts.get("more"):
            last = items[-1]["metadata"]
            state = {"rv": rv, "after": [last.get("namespace", ""), last["name"]]}
            meta["continue"] = base64.urlsafe_b64encode(json.dumps(state).encode()).decode()
            if not filtered:
                meta["remainingItemCount"] = counts["remaining"]
        if view:
            return Response(200, metaview.partial_list(items, meta))
        if _wants_table(req):
            return Response(200, _table(rt, items, meta["resourceVersion"], meta.get("continue")))
        if not rt.crd:
            for item in items:
                item.pop("apiVersion", None)
                item.pop("kind", None)
        return Response(200, {"kind": rt.list_kind, "apiVersion": rt.api_version, "metadata": meta, "items": items})

    def _delete_collection(self, rt: ResourceType, namespace: str | None, q: dict[str, str], dry_run: bool) -> Response:
        items, rv = self.store.list(rt, namespace, self._matcher(rt, q))
        deleted = []
        for item in items:
            meta = item["metadata"]
            try:
                obj, _ = self.store.delete(rt, meta.get("namespace"), meta["name"], dry_run=dry_run)
                deleted.append(obj)
            except errors.ApiError as exc:
                if exc.code != 404:
                    raise
        return Response(
            200,
            {"kind": rt.list_kind, "apiVersion": rt.api_version, "metadata": {"resourceVersion": str(self.store.resource_version)}, "items": deleted},
        )

    def _watch(self, rt: ResourceType, namespace: str | None, q: dict[str, str]) -> Response:
        match = self._matcher(rt, q)
        timeout = float(q.get("timeoutSeconds") or 1800)
        rv_param = q.get("resourceVersion", "")
        initial = q.get("sendInitialEvents") == "true" or rv_param in ("", "0")
        bookmarks = q.get("allowWatchBookmarks") == "true"
        if rv_param and rv_param != "0":
            try:
                since = int(rv_param)
            except ValueError:
                raise errors.bad_request(f"resourceVersion: Invalid value: {rv_param!r}: must be an integer") from None
        else:
            since = -1
        store = self.store
        if initial:
            items, since_list = store.list(rt, namespace, match)
            since = since_list
        else:
            items = []
        # Checked now, so that a stale resourceVersion is an HTTP 410 rather than an event.
        store.check_watch(since)

        def stream() -> Iterator[dict[str, Any]]:
            visible: dict[tuple[str, str], bool] = {}
            for obj in items:
                visible[_key(obj)] = True
                yield {"type": "ADDED", "object": obj}
            if q.get("sendInitialEvents") == "true" and bookmarks:
                yield _bookmark(rt, since, initial_end=True)
            last_bookmark = time.monotonic()
            for ev in store.events(rt, namespace, since, timeout, self.stopping):
                if ev is None:
                    if bookmarks and time.monotonic() - last_bookmark > 30:
                        last_bookmark = time.monotonic()
                        yield _bookmark(rt, store.resource_version)
                    yield {}
                    continue
                obj = dict(ev.obj)
                obj["apiVersion"], obj["kind"] = rt.api_version, rt.kind
                key = _key(obj)
                now_matches = match(obj)
                was = visible.get(key, now_matches if ev.type == "MODIFIED" else False)
                if ev.type == "DELETED":
                    visible.pop(key, None)
                    etype = "DELETED" if (was or now_matches) else ""
                elif now_matches:
                    visible[key] = True
                    etype = "MODIFIED" if was else "ADDED"
                else:
                    visible[key] = False
                    etype = "DELETED" if was else ""
                if etype:
                    yield {"type": etype, "object": obj}

        return Response(200, None, "application/json", stream())

    # --- admin (test hooks over HTTP) ------------------------------------------------------------

    def _admin(self, req: Request, rest: list[str]) -> Response:
        if req.method != "POST" or len(rest) != 1 or rest[0] not in ("ready", "fail", "status"):
            raise errors.resource_not_found()
        body = _parse_body(req) or {}
        if not isinstance(body, dict) or not body.get("kind") or not body.get("name"):
            raise errors.bad_request("expected {kind, name, namespace?, apiVersion?}")
        args = (body["kind"], body.get("namespace"), body["name"])
        if rest[0] == "ready":
            obj = self.store.make_ready(*args, api_version=body.get("apiVersion"))
        elif rest[0] == "fail":
            obj = self.store.make_failed(*args, message=body.get("message", "failed"), api_version=body.get("apiVersion"))
        else:
            obj = self.store.set_status(*args, body.get("status") or {}, api_version=body.get("apiVersion"))
        return Response(200, obj)


def _scale_of(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    selector = (spec.get("selector") or {}).get("matchLabels") or {}
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp") if k in meta},
        "spec": {"replicas": spec.get("replicas", 1)},
        "status": {
            "replicas": (obj.get("status") or {}).get("replicas", 0),
            "selector": ",".join(f"{k}={v}" for k, v in sorted(selector.items())),
        },
    }


def _key(obj: dict[str, Any]) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return (meta.get("namespace", ""), meta.get("name", ""))


def _bookmark(rt: ResourceType, rv: int, initial_end: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {"resourceVersion": str(rv), "creationTimestamp": None}
    if initial_end:
        meta["annotations"] = {"k8s.io/initial-events-end": "true"}
    return {"type": "BOOKMARK", "object": {"kind": rt.kind, "apiVersion": rt.api_version, "metadata": meta}}


def _parse_patch(text: str, patch_type: str) -> Any:
    if patch_type == "apply":
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise errors.bad_request(f"error decoding YAML: {exc}") from None
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError as exc:
        raise errors.bad_request(f"error decoding patch: {exc}") from None


def _wants_table(req: Request) -> bool:
    return "as=Table" in req.header("Accept")


def _table(rt: ResourceType, items: list[dict[str, Any]], rv: str, cont: str | None = None) -> dict[str, Any]:
    rows = []
    for obj in items:
        meta = obj.get("metadata") or {}
        rows.append(
            {
                "cells": [meta.get("name", ""), meta.get("creationTimestamp", now())],
                "object": {
                    "kind": "PartialObjectMetadata",
                    "apiVersion": "meta.k8s.io/v1",
                    "metadata": meta,
                },
            }
        )
    meta_out: dict[str, Any] = {"resourceVersion": rv}
    if cont:
        meta_out["continue"] = cont
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": meta_out,
        "columnDefinitions": [
            {"name": "Name", "type": "string", "format": "name", "description": "Name must be unique within a namespace.", "priority": 0},
            {"name": "Created At", "type": "date", "format": "", "description": "CreationTimestamp is a timestamp representing the server time when this object was created.", "priority": 0},
        ],
        "rows": rows,
    }
