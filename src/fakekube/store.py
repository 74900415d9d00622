"""The in-memory object store: every object, one global resourceVersion counter, the event log.

All writes go through `Store`, which holds one lock, so concurrent requests see a consistent
order of resourceVersions and watchers see every change in that order. Stored objects are never
mutated in place: a write replaces them, so a copy handed to a watcher stays valid.
"""

from __future__ import annotations

import bisect
import copy
import datetime
import random
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fakekube import apply as ssa
from fakekube import errors, patch, schema, validation, workloads
from fakekube.defaults import apply_defaults
from fakekube.resources import Registry, ResourceType

_EVENT_LOG_LIMIT = 20000
_NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789"

Obj = dict[str, Any]


def now() -> str:
    """The current time as the API server writes timestamps."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Event:
    """One change: ADDED, MODIFIED or DELETED, at a resourceVersion."""

    rv: int
    group: str
    plural: str
    namespace: str
    type: str
    obj: Obj


class Store:
    """All objects of the fake cluster.

    Args:
        auto_ready: make workloads ready (Deployments available, Jobs complete, Pods running or
            succeeded) as soon as they are written, as if controllers were running.
    """

    def __init__(self, auto_ready: bool = False) -> None:
        self.registry = Registry()
        self.auto_ready = auto_ready
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._objects: dict[tuple[str, str], dict[tuple[str, str], Obj]] = {}
        self._rv = 0
        self._events: list[Event] = []
        self._event_rvs: list[int] = []
        self._oldest_rv = 0
        self._key_cache: dict[tuple[str, str], tuple[int, list[tuple[str, str]]]] = {}
        self.closed = False
        ns_type = self.registry.get("", "v1", "namespaces")
        assert ns_type is not None
        for name in ("default", "kube-system", "kube-public", "kube-node-lease"):
            self.create(ns_type, None, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})

    # --- reading -----------------------------------------------------------------------------

    @property
    def resource_version(self) -> int:
        """The latest resourceVersion handed out."""
        with self._lock:
            return self._rv

    def _bucket(self, rt: ResourceType) -> dict[tuple[str, str], Obj]:
        return self._objects.setdefault(rt.group_resource, {})

    def _ns(self, rt: ResourceType, namespace: str | None) -> str:
        return (namespace or "") if rt.namespaced else ""

    def _out(self, rt: ResourceType, obj: Obj) -> Obj:
        out = copy.deepcopy(obj)
        out["apiVersion"] = rt.api_version
        out["kind"] = rt.kind
        return out

    def get(self, rt: ResourceType, namespace: str | None, name: str) -> Obj:
        """A copy of one object; 404 if absent."""
        with self._lock:
            obj = self._bucket(rt).get((self._ns(rt, namespace), name))
            if obj is None:
                raise errors.not_found(rt.group, rt.plural, name)
            return self._out(rt, obj)

    def find(self, rt: ResourceType, namespace: str | None, name: str) -> Obj | None:
        """A copy of one object, or None."""
        try:
            return self.get(rt, namespace, name)
        except errors.ApiError:
            return None

    def list(
        self,
        rt: ResourceType,
        namespace: str | None,
        match: Callable[[Obj], bool] = lambda o: True,
        *,
        metadata_only: bool = False,
        after: tuple[str, str] | None = None,
        limit: int = 0,
        counts: dict[str, int] | None = None,
        filtered: bool = True,
    ) -> tuple[list[Obj], int]:
        """Copies of the matching objects, sorted by namespace and name, and the list's resourceVersion.

        With `metadata_only`, each item holds only apiVersion, kind and the stored metadata (shared:
        read-only). `after` (a
        (namespace, name) key) and `limit` select one page; `counts["more"]` then tells whether more
        match past it and, when not `filtered` (no selector), `counts["remaining"]` how many.
        """
        with self._lock:
            bucket = self._bucket(rt)
            keys = self._sorted_keys(rt, bucket)
            if rt.namespaced and namespace:
                lo = bisect.bisect_left(keys, (namespace, ""))
                hi = bisect.bisect_left(keys, (namespace + "\0", ""))
                keys = keys[lo:hi]
            if after is not None:
                keys = keys[bisect.bisect_right(keys, after):]
            # matchers only read, so they run on the stored objects and only the page is copied
            if limit > 0:
                # one match past the page tells whether there is more (the real server counts the
                # remaining items only for unfiltered lists)
                matched = []
                for k in keys:
                    if match(bucket[k]):
                        matched.append(bucket[k])
                        if len(matched) > limit:
                            break
                if counts is not None:
                    counts["more"] = int(len(matched) > limit)
                    if filtered:
                        counts["remaining"] = 0
                    else:
                        counts["remaining"] = max(0, len(keys) - limit)
                matched = matched[:limit]
            else:
                matched = [bucket[k] for k in keys if match(bucket[k])]
            if metadata_only:
                # stored objects are replaced on write, never changed in place: their metadata can be
                # handed out read-only without a copy (callers only serialize it)
                return [{"apiVersion": rt.api_version, "kind": rt.kind, "metadata": o["metadata"]}
                        for o in matched], self._rv
            return [self._out(rt, o) for o in matched], self._rv

    def _sorted_keys(self, rt: ResourceType, bucket: dict[tuple[str, str], Obj]) -> list[tuple[str, str]]:
        """The bucket's keys in order, kept until the next write (paged lists ask for them often)."""
        cached = self._key_cache.get(rt.group_resource)
        if cached is not None and cached[0] == self._rv:
            return cached[1]
        keys = sorted(bucket)
        self._key_cache[rt.group_resource] = (self._rv, keys)
        return keys

    # --- writing -----------------------------------------------------------------------------

    def _commit(self, rt: ResourceType, obj: Obj, etype: str) -> Obj:
        self._rv += 1
        meta = obj.setdefault("metadata", {})
        meta["resourceVersion"] = str(self._rv)
        key = (self._ns(rt, meta.get("namespace")), meta["name"])
        stored = self._out(rt, obj)
        if etype == "DELETED":
            self._bucket(rt).pop(key, None)
        else:
            self._bucket(rt)[key] = stored
        self._events.append(Event(self._rv, rt.group, rt.plural, key[0], etype, stored))
        self._event_rvs.append(self._rv)
        if len(self._events) > _EVENT_LOG_LIMIT:
            drop = len(self._events) - _EVENT_LOG_LIMIT // 2
            self._oldest_rv = self._event_rvs[drop - 1]
            del self._events[:drop]
            del self._event_rvs[:drop]
        self._changed.notify_all()
        return self._out(rt, stored)

    def _require_namespace(self, rt: ResourceType, namespace: str | None) -> None:
        if not rt.namespaced:
            return
        if not namespace:
            raise errors.bad_request("the server could not find the requested resource")
        if ("", namespace) not in self._objects.get(("", "namespaces"), {}):
            raise errors.not_found("", "namespaces", namespace)

    def _schema(self, rt: ResourceType) -> schema.Node:
        if isinstance(rt.schema, schema.Node):
            return rt.schema
        return schema.for_kind(rt.group, rt.kind)

    def _prepare_new(self, rt: ResourceType, namespace: str | None, obj: Obj) -> Obj:
        obj = copy.deepcopy(obj)
        obj["apiVersion"], obj["kind"] = rt.api_version, rt.kind
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise errors.bad_request("metadata must be an object")
        if rt.namespaced:
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        if not meta.get("name") and meta.get("generateName"):
            bucket = self._bucket(rt)
            while True:
                name = meta["generateName"] + "".join(random.choice(_NAME_CHARS) for _ in range(5))
                if (self._ns(rt, namespace), name) not in bucket:
                    break
            meta["name"] = name
        for key in ("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"):
            meta.pop(key, None)
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now()
        if rt.status and (rt.group, rt.kind) != ("", "Namespace"):
            # Built-in types serialize an empty status struct as {}; custom resources omit it.
            obj.pop("status", None)
            if not rt.crd:
                obj["status"] = {}
        if (rt.status or rt.crd or "spec" in obj) and (rt.group, rt.kind) != ("", "Namespace"):
            meta["generation"] = 1
        apply_defaults(rt.group, rt.kind, obj, None)
        return obj

    def _finish_write(self, rt: ResourceType, obj: Obj, old: Obj | None) -> None:
        """Checks and derived state shared by every write."""
        validation.validate(rt, obj)
        if rt.group == "apiextensions.k8s.io" and rt.kind == "CustomResourceDefinition":
            _crd_status(obj)
        if self.auto_ready and (rt.group, rt.kind) in workloads.AUTO_READY:
            status = workloads.ready_status(rt.group, rt.kind, obj, now())
            if status is not None:
                obj["status"] = status

    def create(
        self,
        rt: ResourceType,
        namespace: str | None,
        obj: Obj,
        *,
        dry_run: bool = False,
        manager: str = "",
    ) -> Obj:
        """Create `obj`; 409 if the name is taken, 404 if the namespace does not exist."""
        with self._lock:
            validation.check_identity(rt, obj, namespace if rt.namespaced else None, None)
            self._require_namespace(rt, namespace)
            new = self._prepare_new(rt, namespace, obj)
            key = (self._ns(rt, namespace), new["metadata"].get("name") or "")
            if key[1] and key in self._bucket(rt):
                raise errors.already_exists(rt.group, rt.plural, key[1])
            self._finish_write(rt, new, None)
            if manager:
                ssa.track_update(None, new, manager, self._schema(rt), rt.api_version, now())
            if dry_run:
                return self._out(rt, new)
            out = self._commit(rt, new, "ADDED")
            self._after_write(rt, out)
            return out

    def _merge_for_update(self, rt: ResourceType, old: Obj, new: Obj, subresource: str) -> Obj:
        new = copy.deepcopy(new)
        new["apiVersion"], new["kind"] = rt.api_version, rt.kind
        meta = new.setdefault("metadata", {})
        old_meta = old["metadata"]
        for key in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace"):
            if key in old_meta:
                meta[key] = old_meta[key]
            else:
                meta.pop(key, None)
        meta["name"] = old_meta["name"]
        if subresource == "status":
            status = new.get("status")
            new = copy.deepcopy(old)
            if status is None:
                new.pop("status", None)
            else:
                new["status"] = status
            if "managedFields" in meta:
                new["metadata"]["managedFields"] = meta["managedFields"]
            return new
        if rt.status and (rt.group, rt.kind) != ("", "Namespace"):
            if "status" in old:
                new["status"] = copy.deepcopy(old["status"])
            else:
                new.pop("status", None)
        if "generation" in old_meta:
            meta["generation"] = old_meta["generation"]
            if _body(new) != _body(old):
                meta["generation"] = old_meta["generation"] + 1
        apply_defaults(rt.group, rt.kind, new, old)
        return new

    def _write_existing(
        self,
        rt: ResourceType,
        old: Obj,
        new: Obj,
        *,
        subresource: str,
        dry_run: bool,
        manager: str,
        track: bool = True,
    ) -> Obj:
        sent_rv = (new.get("metadata") or {}).get("resourceVersion")
        if sent_rv and sent_rv != old["metadata"].get("resourceVersion"):
            raise errors.conflict(rt.group, rt.plural, old["metadata"]["name"], errors.STALE)
        merged = self._merge_for_update(rt, old, new, subresource)
        self._finish_write(rt, merged, old)
        if track and manager:
            ssa.track_update(old, merged, manager, self._schema(rt), rt.api_version, now(), subresource)
        merged["metadata"]["resourceVersion"] = old["metadata"].get("resourceVersion")
        if _same_content(merged, old):
            return self._out(rt, old)
        if dry_run:
            return self._out(rt, merged)
        meta = merged["metadata"]
        if meta.get("deletionTimestamp") and not meta.get("finalizers"):
            out = self._commit(rt, merged, "DELETED")
            self._after_delete(rt, out, "Background")
            return out
        out = self._commit(rt, merged, "MODIFIED")
        self._after_write(rt, out)
        return out

    def update(
        self,
        rt: ResourceType,
        namespace: str | None,
        name: str,
        obj: Obj,
        *,
        subresource: str = "",
        dry_run: bool = False,
        manager: str = "",
    ) -> Obj:
        """Replace an object (PUT); 409 if `obj` carries a stale resourceVersion."""
        with self._lock:
            validation.check_identity(rt, obj, namespace if rt.namespaced else None, name)
            old = self.get(rt, namespace, name)
            return self._write_existing(rt, old, obj, subresource=subresource, dry_run=dry_run, manager=manager)

    def patch(
        self,
        rt: ResourceType,
        namespace: str | None,
        name: str,
        patch_type: str,
        body: Any,
        *,
        subresource: str = "",
        dry_run: bool = False,
        manager: str = "",
        force: bool = False,
    ) -> tuple[Obj, bool]:
        """Patch an object; `patch_type` is `json`, `merge`, `strategic` or `apply`.

        Returns the object and whether it was created (apply creates absent objects).
        """
        with self._lock:
            old = self.find(rt, namespace, name)
            if patch_type == "apply":
                return self._apply(rt, namespace, name, old, body, subresource, dry_run, manager, force)
            if old is None:
                raise errors.not_found(rt.group, rt.plural, name)
            current = copy.deepcopy(old)
            if patch_type == "json":
                patched = patch.json_patch(current, body)
            elif patch_type == "merge":
                if not isinstance(body, dict):
                    raise errors.bad_request("json: cannot unmarshal into Go value of type map[string]interface {}")
                patched = patch.merge_patch(current, body)
            else:
                if not isinstance(body, dict):
                    raise errors.bad_request("json: cannot unmarshal into Go value of type map[string]interface {}")
                patched = patch.strategic_merge(current, body, self._schema(rt))
            if not isinstance(patched, dict):
                raise errors.bad_request("patched object is not an object")
            validation.check_identity(rt, patched, namespace if rt.namespaced else None, name)
            out = self._write_existing(rt, old, patched, subresource=subresource, dry_run=dry_run, manager=manager)
            return out, False

    def _apply(
        self,
        rt: ResourceType,
        namespace: str | None,
        name: str,
        old: Obj | None,
        body: Any,
        subresource: str,
        dry_run: bool,
        manager: str,
        force: bool,
    ) -> tuple[Obj, bool]:
        if not manager:
            raise errors.bad_request("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
        if not isinstance(body, dict):
            raise errors.bad_request("error decoding YAML: the applied configuration is not an object")
        if not body.get("apiVersion") or not body.get("kind"):
            missing = "apiVersion" if not body.get("apiVersion") else "kind"
            raise errors.bad_request(f"Object '{'Kind' if missing == 'kind' else 'apiVersion'}' is missing in '{_short(body)}'")
        validation.check_identity(rt, body, namespace if rt.namespaced else None, name)
        body_meta = body.get("metadata") or {}
        if not body_meta.get("name"):
            body = copy.deepcopy(body)
            body.setdefault("metadata", {})["name"] = name
        sch = self._schema(rt)
        if old is None:
            if subresource:
                raise errors.not_found(rt.group, rt.plural, name)
            self._require_namespace(rt, namespace)
            merged = ssa.apply(None, body, manager, force, sch, rt.api_version, now())
            new = self._prepare_new(rt, namespace, merged)
            new["metadata"]["managedFields"] = merged["metadata"]["managedFields"]
            self._finish_write(rt, new, None)
            if dry_run:
                return self._out(rt, new), True
            out = self._commit(rt, new, "ADDED")
            self._after_write(rt, out)
            return out, True
        sent_rv = body_meta.get("resourceVersion")
        if sent_rv and sent_rv != old["metadata"].get("resourceVersion"):
            raise errors.conflict(rt.group, rt.plural, name, errors.STALE)
        live = copy.deepcopy(old)
        if subresource == "status":
            body = {k: v for k, v in body.items() if k in ("apiVersion", "kind", "metadata", "status")}
        elif rt.status:
            body = {k: v for k, v in body.items() if k != "status"}
        merged = ssa.apply(live, body, manager, force, sch, rt.api_version, now(), subresource)
        merged["metadata"].pop("resourceVersion", None)
        out = self._write_existing(
            rt, old, merged, subresource=subresource, dry_run=dry_run, manager=manager, track=False
        )
        return out, False

    def delete(
        self,
        rt: ResourceType,
        namespace: str | None,
        name: str,
        *,
        propagation: str = "Background",
        dry_run: bool = False,
        preconditions: dict[str, Any] | None = None,
    ) -> tuple[Obj, bool]:
        """Delete an object. Returns it and whether it is gone (False: finalizers keep it)."""
        with self._lock:
            old = self.get(rt, namespace, name)
            meta = old["metadata"]
            pre = preconditions or {}
            if pre.get("uid") and pre["uid"] != meta.get("uid"):
                raise errors.conflict(
                    rt.group, rt.plural, name,
                    f"Precondition failed: UID in precondition: {pre['uid']}, UID in object meta: {meta.get('uid')}",
                )
            if pre.get("resourceVersion") and pre["resourceVersion"] != meta.get("resourceVersion"):
                raise errors.conflict(
                    rt.group, rt.plural, name,
                    f"Precondition failed: ResourceVersion in precondition: {pre['resourceVersion']}, "
                    f"ResourceVersion in object meta: {meta.get('resourceVersion')}",
                )
            if dry_run:
                return old, True
            if meta.get("finalizers"):
                if meta.get("deletionTimestamp"):
                    return old, False
                new = copy.deepcopy(old)
                new["metadata"]["deletionTimestamp"] = now()
                new["metadata"]["deletionGracePeriodSeconds"] = 0
                return self._commit(rt, new, "MODIFIED"), False
            out = self._commit(rt, copy.deepcopy(old), "DELETED")
            self._after_delete(rt, out, propagation)
            return out, True

    # --- consequences of writes ----------------------------------------------------------------

    def _after_write(self, rt: ResourceType, obj: Obj) -> None:
        if rt.group == "apiextensions.k8s.io" and rt.kind == "CustomResourceDefinition":
            self._register_crd(obj)

    def _after_delete(self, rt: ResourceType, obj: Obj, propagation: str) -> None:
        uid = obj["metadata"].get("uid")
        if rt.group == "apiextensions.k8s.io" and rt.kind == "CustomResourceDefinition":
            spec = obj.get("spec") or {}
            group, plural = spec.get("group", ""), (spec.get("names") or {}).get("plural", "")
            for key, child in list(self._objects.get((group, plural), {}).items()):
                served = self.registry.versions_of(group, plural)
                if served:
                    self._commit(served[0], copy.deepcopy(child), "DELETED")
                else:
                    self._objects[(group, plural)].pop(key, None)
            self.registry.remove_group_resource(group, plural)
            self._objects.pop((group, plural), None)
            self._key_cache.clear()
        if rt.group == "" and rt.kind == "Namespace":
            ns = obj["metadata"]["name"]
            for other in self.registry.all():
                if not other.namespaced:
                    continue
                for key, child in list(self._objects.get(other.group_resource, {}).items()):
                    if key[0] == ns and key in self._objects.get(other.group_resource, {}):
                        self._commit(other, copy.deepcopy(child), "DELETED")
        if not uid:
            return
        # Garbage collection of dependents, at once rather than in the background.
        for other in self.registry.all():
            bucket = self._objects.get(other.group_resource, {})
            for key, child in list(bucket.items()):
                refs = (child.get("metadata") or {}).get("ownerReferences") or []
                if not any(r.get("uid") == uid for r in refs):
                    continue
                if key not in bucket:
                    continue
                if propagation == "Orphan":
                    new = copy.deepcopy(child)
                    new["metadata"]["ownerReferences"] = [r for r in refs if r.get("uid") != uid]
                    self._commit(other, new, "MODIFIED")
                else:
                    gone = self._commit(other, copy.deepcopy(child), "DELETED")
                    self._after_delete(other, gone, propagation)

    def _register_crd(self, crd: Obj) -> None:
        spec = crd.get("spec") or {}
        names = spec.get("names") or {}
        group, plural = spec.get("group", ""), names.get("plural", "")
        self.registry.remove_group_resource(group, plural)
        for version in spec.get("versions") or []:
            if not isinstance(version, dict) or not version.get("served", True):
                continue
            openapi = ((version.get("schema") or {}).get("openAPIV3Schema")) or {}
            self.registry.add(
                ResourceType(
                    group=group,
                    version=version.get("name", "v1"),
                    plural=plural,
                    kind=names.get("kind", ""),
                    namespaced=spec.get("scope") == "Namespaced",
                    short_names=tuple(names.get("shortNames") or ()),
                    categories=tuple(names.get("categories") or ()),
                    status="status" in (version.get("subresources") or {}),
                    crd=True,
                    schema=schema.from_openapi(openapi),
                )
            )

    # --- watching ------------------------------------------------------------------------------

    def check_watch(self, since: int) -> None:
        """410 Expired if changes after `since` are no longer in the event log."""
        with self._lock:
            if since < self._oldest_rv:
                raise errors.expired(f"too old resource version: {since} ({self._oldest_rv + 1})")

    def events(
        self,
        rt: ResourceType,
        namespace: str | None,
        since: int,
        timeout: float,
        stop: threading.Event | None = None,
    ) -> Iterator[Event | None]:
        """Changes to `rt` after resourceVersion `since`, as they happen, until `timeout` seconds pass.

        Yields None whenever it has waited a while without news, so the caller can check its
        connection. 410 Expired if `since` is older than the event log.
        """
        import time

        deadline = time.monotonic() + timeout
        self.check_watch(since)
        pos = since
        while not self.closed and not (stop and stop.is_set()):
            with self._lock:
                start = bisect.bisect_right(self._event_rvs, pos)
                batch = [
                    e
                    for e in self._events[start:]
                    if e.group == rt.group and e.plural == rt.plural and (not namespace or e.namespace == namespace)
                ]
                if self._event_rvs:
                    pos = max(pos, self._event_rvs[-1])
                if not batch:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return
                    self._changed.wait(min(remaining, 1.0))
            if batch:
                yield from batch
            else:
                yield None

    def close(self) -> None:
        """Wake every watcher so that it ends."""
        with self._lock:
            self.closed = True
            self._changed.notify_all()

    # --- test hooks ----------------------------------------------------------------------------

    def resolve(self, kind: str, api_version: str | None = None) -> ResourceType:
        """The type for a kind (`Deployment`, `deployments`, `deploy`), optionally pinned to an apiVersion."""
        for rt in self.registry.all():
            if api_version and rt.api_version != api_version:
                continue
            if kind in (rt.kind, rt.plural, rt.singular) or kind in rt.short_names:
                return rt
        raise errors.resource_not_found()

    def set_status(self, kind: str, namespace: str | None, name: str, status: dict[str, Any], api_version: str | None = None) -> Obj:
        """Replace an object's status, as a controller would."""
        with self._lock:
            rt = self.resolve(kind, api_version)
            old = self.get(rt, namespace, name)
            new = copy.deepcopy(old)
            new["status"] = status
            return self._commit(rt, new, "MODIFIED")

    def make_ready(self, kind: str, namespace: str | None, name: str, api_version: str | None = None) -> Obj:
        """Mark a workload ready: Deployment available, Job complete, Pod running (or succeeded), PVC bound."""
        with self._lock:
            rt = self.resolve(kind, api_version)
            obj = self.get(rt, namespace, name)
            status = workloads.ready_status(rt.group, rt.kind, obj, now())
            if status is None:
                raise errors.bad_request(f"{rt.kind} has no readiness to set")
            return self.set_status(rt.plural, namespace, name, status, rt.api_version)

    def make_failed(
        self, kind: str, namespace: str | None, name: str, message: str = "failed", api_version: str | None = None
    ) -> Obj:
        """Mark a workload failed: Job failed (BackoffLimitExceeded), Pod failed, Deployment past its deadline."""
        with self._lock:
            rt = self.resolve(kind, api_version)
            obj = self.get(rt, namespace, name)
            status = workloads.failed_status(rt.group, rt.kind, obj, now(), message)
            if status is None:
                raise errors.bad_request(f"{rt.kind} cannot be marked failed")
            return self.set_status(rt.plural, namespace, name, status, rt.api_version)

    def objects(self, kind: str, namespace: str | None = None, api_version: str | None = None) -> list[Obj]:
        """Every object of a kind, for assertions in tests."""
        rt = self.resolve(kind, api_version)
        return self.list(rt, namespace)[0]


def _body(obj: Obj) -> Obj:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}


def _same_content(a: Obj, b: Obj) -> bool:
    """Whether a write changes nothing but timestamps of field ownership."""

    def strip(o: Obj) -> Obj:
        o = copy.deepcopy(o)
        for entry in (o.get("metadata") or {}).get("managedFields") or []:
            entry.pop("time", None)
        return o

    return strip(a) == strip(b)


def _short(body: Obj) -> str:
    import json

    return json.dumps(body, separators=(",", ":"))[:200]


def _crd_status(crd: Obj) -> None:
    spec = crd.get("spec") or {}
    stamp = now()
    storage = [v.get("name") for v in spec.get("versions") or [] if isinstance(v, dict) and v.get("storage")]
    stored = list((crd.get("status") or {}).get("storedVersions") or [])
    for v in storage:
        if v not in stored:
            stored.append(v)
    crd["status"] = {
        "acceptedNames": copy.deepcopy(spec.get("names") or {}),
        "conditions": [
            {"type": "NamesAccepted", "status": "True", "lastTransitionTime": stamp, "reason": "NoConflicts", "message": "no conflicts found"},
            {"type": "Established", "status": "True", "lastTransitionTime": stamp, "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"},
        ],
        "storedVersions": stored,
    }
