"""Watch-based waiting that fails fast: one watch per kind and namespace, kstatus rules, and the
failures no amount of waiting fixes reported as soon as they appear.

For each (kind, namespace) among the awaited objects, and for Pods in the namespaces of
workloads, one thread lists once and then watches from the list's resourceVersion (re-listing on
410 Gone or when the server ends the watch). Every change goes through one queue to the waiting
thread, which judges the objects it concerns:

* the readiness annotations of HIP-0025 when an object declares both (`pilothouse.kube.readiness`),
  else kstatus (Helm's Job reader for Jobs with ``--wait-for-jobs``);
* failures: kstatus ``Failed`` (failed Job, failed Pod, ``Stalled`` custom resource), a Deployment
  past its progress deadline (``Progressing=False``, ``ProgressDeadlineExceeded``), and any Pod of a
  workload (matched by its selector) or awaited Pod that is unschedulable or whose container waits
  with ``ImagePullBackOff``, ``ErrImagePull``, ``CrashLoopBackOff``, ``CreateContainerConfigError``,
  ``CreateContainerError``, ``InvalidImageName``. A failure that persists for ``fail_grace`` seconds
  ends the wait with an error that names the object, the reason, and the object's events.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from pilothouse.errors import KubeError
from pilothouse.kube import readiness
from pilothouse.kube import status as kstatus
from pilothouse.kube.errors import ApiError
from pilothouse.kube.progress import ObjectStatus, PodLog, Progress, emit
from pilothouse.kube.resources import Resource, ResourceType

FATAL_WAITING = ("ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "CreateContainerConfigError",
                 "CreateContainerError", "InvalidImageName")
_WORKLOADS = {("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("apps", "ReplicaSet"),
              ("batch", "Job"), ("", "ReplicationController")}
_POD = ResourceType("", "v1", "Pod", "pods", True)
_EVENT = ResourceType("", "v1", "Event", "events", True)
_WATCH_SECONDS = 300
_MAX_EVENTS = 10


class WaitFailed(KubeError):
    """An object failed while being awaited; ``failures`` holds (resource, reason), ``events`` its events."""

    def __init__(self, message: str, failures: list[tuple[Resource, str]], events: dict[str, list[str]]) -> None:
        super().__init__(message)
        self.failures = failures
        self.events = events


def _key(obj: dict[str, Any]) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return meta.get("namespace") or "", meta.get("name") or ""


def _selector_matches(selector: Any, labels: dict[str, str]) -> bool:
    if not isinstance(selector, dict):
        return False
    ml = selector.get("matchLabels") or {}
    if not ml and not selector.get("matchExpressions"):
        return False
    if any(labels.get(k) != v for k, v in ml.items()):
        return False
    for ex in selector.get("matchExpressions") or []:
        key, op, vals = ex.get("key"), ex.get("operator"), ex.get("values") or []
        if op == "In" and labels.get(key) not in vals:
            return False
        if op == "NotIn" and labels.get(key) in vals:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def pod_failure(pod: dict[str, Any]) -> str:
    """Why a Pod will not become ready without someone fixing it ('' when nothing is wrong)."""
    st = pod.get("status") or {}
    name = (pod.get("metadata") or {}).get("name", "")
    for c in st.get("conditions") or []:
        if c.get("type") == "PodScheduled" and c.get("status") == "False" and c.get("reason") == "Unschedulable":
            return f"Pod {name} is unschedulable: {c.get('message') or 'Unschedulable'}"
    for cs in list(st.get("initContainerStatuses") or []) + list(st.get("containerStatuses") or []):
        waiting = (cs.get("state") or {}).get("waiting") or {}
        reason = waiting.get("reason") or ""
        if reason in FATAL_WAITING:
            msg = waiting.get("message") or ""
            return f"Pod {name} container {cs.get('name')}: {reason}" + (f": {msg}" if msg else "")
    return ""


def _counts(obj: dict[str, Any], current: bool) -> tuple[int, int]:
    kind, spec, st = obj.get("kind"), obj.get("spec") or {}, obj.get("status") or {}

    def num(d: dict[str, Any], k: str, default: int = 0) -> int:
        try:
            return int(d.get(k, default) if d.get(k) is not None else default)
        except (TypeError, ValueError):
            return default

    if kind in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"):
        return num(st, "readyReplicas"), num(spec, "replicas", 1)
    if kind == "DaemonSet":
        return num(st, "numberReady"), num(st, "desiredNumberScheduled")
    if kind == "Job":
        return num(st, "succeeded"), num(spec, "completions", 1)
    if kind == "Pod":
        cs = st.get("containerStatuses") or []
        return sum(1 for c in cs if c.get("ready")), len((obj.get("spec") or {}).get("containers") or []) or len(cs)
    return (1 if current else 0), 1


class _Watch(threading.Thread):
    """List then watch one kind in one namespace, feeding a queue until stopped."""

    def __init__(self, kube: Any, rt: ResourceType, namespace: str, out: queue.Queue[Any],
                 deadline: float) -> None:
        super().__init__(name=f"watch-{rt.plural}-{namespace}", daemon=True)
        self.kube, self.rt, self.namespace, self.out, self.deadline = kube, rt, namespace, out, deadline
        self.stopped = threading.Event()
        self._resp: Any = None

    def stop(self) -> None:
        self.stopped.set()
        resp = self._resp
        if resp is not None:
            try:
                resp.close()
            except Exception:  # noqa: BLE001 - closing a stream another thread reads may raise anything
                pass

    def _register(self, resp: Any) -> None:
        self._resp = resp
        if self.stopped.is_set():
            self.stop()

    def run(self) -> None:
        failures = 0
        while not self.stopped.is_set() and time.monotonic() < self.deadline:
            try:
                doc = self.kube.request("GET", self.kube.path(self.rt, self.namespace)) or {}
                rv = str((doc.get("metadata") or {}).get("resourceVersion") or "")
                self.out.put(("list", self.rt, self.namespace, doc.get("items") or []))
                remaining = int(max(1, min(_WATCH_SECONDS, self.deadline - time.monotonic() + 1)))
                for ev in self.kube.watch(self.rt, self.namespace, resource_version=rv, timeout_seconds=remaining,
                                          register=self._register):
                    if self.stopped.is_set():
                        return
                    etype, obj = ev.get("type"), ev.get("object") or {}
                    if etype in ("ADDED", "MODIFIED", "DELETED"):
                        self.out.put((etype, self.rt, self.namespace, obj))
                    elif etype == "ERROR":
                        break  # 410 Gone and friends: list again
                failures = 0
            except (KubeError, ApiError) as err:
                if self.stopped.is_set():
                    return
                failures += 1
                if failures > 5:
                    self.out.put(("error", self.rt, self.namespace, str(err)))
                    return
                self.stopped.wait(min(0.2 * 2 ** failures, 2.0))


class WatchWaiter:
    """Waits for resources with watches; see the module docstring."""

    def __init__(self, kube: Any, *, jobs: bool = False, fail_grace: float = 2.0, progress: Progress | None = None,
                 logs: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        self.kube = kube
        self.jobs = jobs
        self.fail_grace = fail_grace
        self.progress = progress
        self.logs = logs
        self.clock = clock
        self._crds: dict[tuple[str, str, str], bool] = {}

    def _judge(self, r: Resource, obj: dict[str, Any] | None, pods: dict[str, dict[tuple[str, str], Any]]) -> \
            tuple[str, str, str]:
        """(kstatus status, message, failure reason or '')."""
        if obj is None:
            return kstatus.NOT_FOUND, "Resource not found", ""
        declared = readiness.declared(obj)
        if declared is not None:
            st, msg = readiness.evaluate(obj, declared)
            return st, msg, (msg if st == kstatus.FAILED else "")
        if self.jobs and r.kind == "Job":
            st, msg = kstatus.job_status(obj)
        else:
            st, msg = kstatus.compute(obj)
        if st == kstatus.CURRENT and "." in r.rtype.group and not r.rtype.group.endswith(".k8s.io"):
            st, msg = self._custom(r, obj, st, msg)
        if r.kind == "Deployment":
            for c in (obj.get("status") or {}).get("conditions") or []:
                if c.get("type") == "Progressing" and c.get("status") == "False" and \
                        c.get("reason") == "ProgressDeadlineExceeded":
                    return st, msg, f"ProgressDeadlineExceeded: {c.get('message') or 'progress deadline exceeded'}"
        if st == kstatus.FAILED:
            return st, msg, msg
        if st == kstatus.CURRENT:
            return st, msg, ""
        if r.kind == "Pod":
            why = pod_failure(obj)
            if why:
                return st, msg, why
        elif (r.rtype.group, r.kind) in _WORKLOADS:
            selector = ((obj.get("spec") or {}).get("selector"))
            if r.kind == "Job":
                uid = (obj.get("metadata") or {}).get("uid")
                owned = [p for p in pods.get(r.namespace, {}).values()
                         if any(o.get("uid") == uid for o in (p.get("metadata") or {}).get("ownerReferences") or [])]
            else:
                owned = [p for p in pods.get(r.namespace, {}).values()
                         if _selector_matches(selector, (p.get("metadata") or {}).get("labels") or {})]
            for p in sorted(owned, key=lambda p: (p.get("metadata") or {}).get("name", "")):
                why = pod_failure(p)
                if why:
                    return st, msg, why
        return st, msg, ""

    def _status_subresource(self, r: Resource) -> bool:
        """Whether the CRD of a custom resource declares a status subresource (a controller reports)."""
        key = (r.rtype.group, r.rtype.plural, r.rtype.version)
        if key not in self._crds:
            crd_rt = ResourceType("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
                                  "customresourcedefinitions", False)
            try:
                crd = self.kube.get(crd_rt, "", f"{r.rtype.plural}.{r.rtype.group}")
            except KubeError:
                crd = {}
            versions = (crd.get("spec") or {}).get("versions") or []
            self._crds[key] = any(isinstance(v, dict) and v.get("name") == r.rtype.version and
                                  "status" in (v.get("subresources") or {}) for v in versions)
        return self._crds[key]

    def _custom(self, r: Resource, obj: dict[str, Any], st: str, msg: str) -> tuple[str, str]:
        """Custom resources, where kstatus returns early: a status subresource with no status yet, or
        conditions that speak of an older generation, mean the controller has not caught up."""
        status = obj.get("status")
        gen = (obj.get("metadata") or {}).get("generation")
        if not status and self._status_subresource(r):
            return kstatus.IN_PROGRESS, "waiting for the controller to report a status"
        if isinstance(status, dict) and gen is not None:
            for c in status.get("conditions") or []:
                if isinstance(c, dict) and c.get("type") in ("Ready", "Available", "Healthy", "Synced") and \
                        "observedGeneration" in c and str(c["observedGeneration"]) != str(gen):
                    return kstatus.IN_PROGRESS, f"condition {c['type']} is about generation {c['observedGeneration']}, " \
                                                f"not {gen}"
            ready = next((c for c in status.get("conditions") or [] if isinstance(c, dict) and
                          c.get("type") == "Ready"), None)
            if ready is not None and ready.get("status") == "Unknown":
                return kstatus.IN_PROGRESS, ready.get("message") or "Ready is Unknown"
        return st, msg

    def events_of(self, namespace: str, names: set[str]) -> list[str]:
        """Recent events about the named objects, oldest first, as ``Reason: message`` lines."""
        try:
            items = self.kube.list(_EVENT, namespace)
        except KubeError:
            return []
        evs = [e for e in items if ((e.get("involvedObject") or {}).get("name") in names)]
        evs.sort(key=lambda e: str(e.get("lastTimestamp") or e.get("eventTime") or ""))
        return [f"{(e.get('involvedObject') or {}).get('kind', '')}/{(e.get('involvedObject') or {}).get('name', '')}"
                f": {e.get('type', '')} {e.get('reason', '')}: {e.get('message', '')}" for e in evs[-_MAX_EVENTS:]]

    def wait(self, resources: list[Resource], timeout: float) -> None:
        """Wait until every resource is current; raise `WaitFailed` on a failure, `KubeError` on timeout."""
        from pilothouse.kube.wait import DEFAULT_TIMEOUT

        if not resources:
            return
        start = self.clock()
        deadline = start + (timeout or DEFAULT_TIMEOUT)
        q: queue.Queue[Any] = queue.Queue()
        wanted: dict[tuple[str, str], ResourceType] = {}
        pod_namespaces = set()
        for r in resources:
            wanted.setdefault((r.rtype.plural + "." + r.rtype.group, r.namespace), r.rtype)
            if (r.rtype.group, r.kind) in _WORKLOADS:
                pod_namespaces.add(r.namespace)
        for ns in pod_namespaces:
            wanted.setdefault(("pods.", ns), _POD)
        mono_deadline = time.monotonic() + (deadline - start)
        watches = [_Watch(self.kube, rt, ns, q, mono_deadline) for (_, ns), rt in sorted(wanted.items())]
        for w in watches:
            w.start()
        live: dict[tuple[str, str, str], dict[str, Any] | None] = {}
        pods: dict[str, dict[tuple[str, str], Any]] = {}
        by_type: dict[tuple[str, str], list[Resource]] = {}
        for r in resources:
            by_type.setdefault((r.rtype.plural + "." + r.rtype.group, r.namespace), []).append(r)
        results: dict[int, tuple[str, str, str]] = {id(r): (kstatus.UNKNOWN, "", "") for r in resources}
        shown: dict[int, tuple[Any, ...]] = {}
        failing_since: dict[int, float] = {}
        logged: set[str] = set()
        synced: set[tuple[str, str]] = set()
        try:
            while True:
                now = self.clock()
                pending_fail = [failing_since[i] + self.fail_grace for i in failing_since]
                wake = min([deadline] + pending_fail)
                try:
                    item = q.get(timeout=max(0.0, min(wake - now, 1.0)))
                except queue.Empty:
                    item = None
                touched: set[tuple[str, str]] = set()
                while item is not None:
                    etype, rt, ns, payload = item
                    tkey = (rt.plural + "." + rt.group, ns)
                    if etype == "error":
                        raise KubeError(f"watching {rt.plural} in {ns or 'all namespaces'}: {payload}")
                    objs = payload if etype == "list" else [payload]
                    if rt.plural == "pods" and rt.group == "":
                        bucket = pods.setdefault(ns, {})
                        if etype == "list":
                            bucket.clear()
                        for o in objs:
                            if etype == "DELETED":
                                bucket.pop(_key(o), None)
                            else:
                                bucket[_key(o)] = o
                        for k in list(by_type):
                            if k[1] == ns:
                                touched.add(k)
                    if etype == "list":
                        synced.add(tkey)
                        for r in by_type.get(tkey, []):
                            live[(tkey[0], r.namespace, r.name)] = None
                    for o in objs:
                        k = (tkey[0], _key(o)[0] or ns, _key(o)[1])
                        if tkey in by_type:
                            o.setdefault("kind", rt.kind)
                            o.setdefault("apiVersion", rt.api_version)
                            live[k] = None if etype == "DELETED" else o
                    touched.add(tkey)
                    try:
                        item = q.get_nowait()
                    except queue.Empty:
                        item = None
                now = self.clock()
                for tkey in touched:
                    for r in by_type.get(tkey, []):
                        if tkey not in synced:
                            continue
                        obj = live.get((tkey[0], r.namespace, r.name))
                        res = self._judge(r, obj, pods)
                        results[id(r)] = res
                        if res[2]:
                            failing_since.setdefault(id(r), now)
                        else:
                            failing_since.pop(id(r), None)
                        ready, total = _counts(obj or {"kind": r.kind}, res[0] == kstatus.CURRENT)
                        view = (res[0], res[1], ready, total, res[2])
                        if shown.get(id(r)) != view:
                            shown[id(r)] = view
                            emit(self.progress, ObjectStatus(r.kind, r.namespace, r.name, res[0], res[1], ready, total,
                                                             now - start, res[2]))
                        if res[2] and self.logs:
                            self._emit_logs(r, obj, pods, logged)
                failed = [r for r in resources if id(r) in failing_since and
                          now - failing_since[id(r)] >= self.fail_grace]
                if failed:
                    raise self._failure(failed, results, pods, live)
                if all(results[id(r)][0] == kstatus.CURRENT for r in resources) and len(synced) >= len(by_type):
                    return
                if now >= deadline:
                    errs = [f"resource {r.kind}/{r.namespace}/{r.name} not ready. status: {results[id(r)][0]}, "
                            f"message: {results[id(r)][1]}" for r in resources
                            if results[id(r)][0] != kstatus.CURRENT]
                    raise KubeError("\n".join(errs + ["context deadline exceeded"]))
        finally:
            for w in watches:
                w.stop()

    def _pods_of(self, r: Resource, obj: dict[str, Any] | None, pods: dict[str, dict[tuple[str, str], Any]]) -> \
            list[dict[str, Any]]:
        if r.kind == "Pod":
            return [obj] if obj else []
        selector = ((obj or {}).get("spec") or {}).get("selector")
        uid = ((obj or {}).get("metadata") or {}).get("uid")
        return [p for p in pods.get(r.namespace, {}).values()
                if _selector_matches(selector, (p.get("metadata") or {}).get("labels") or {})
                or any(o.get("uid") == uid for o in (p.get("metadata") or {}).get("ownerReferences") or [])]

    def _emit_logs(self, r: Resource, obj: dict[str, Any] | None, pods: dict[str, dict[tuple[str, str], Any]],
                   logged: set[str]) -> None:
        for p in self._pods_of(r, obj, pods):
            name = (p.get("metadata") or {}).get("name", "")
            if name in logged or not pod_failure(p):
                continue
            logged.add(name)
            try:
                text = self.kube.pod_logs(r.namespace, name)
            except KubeError as err:
                text = f"(no log: {err})"
            emit(self.progress, PodLog(r.namespace, name, text[-16384:]))

    def _failure(self, failed: list[Resource], results: dict[int, tuple[str, str, str]],
                 pods: dict[str, dict[tuple[str, str], Any]], live: dict[tuple[str, str, str], Any]) -> WaitFailed:
        lines, evmap, pairs = [], {}, []
        for r in failed:
            reason = results[id(r)][2]
            pairs.append((r, reason))
            lines.append(f"resource {r.kind}/{r.namespace}/{r.name} failed: {reason}")
            obj = live.get((r.rtype.plural + "." + r.rtype.group, r.namespace, r.name))
            names = {r.name} | {(p.get("metadata") or {}).get("name", "") for p in self._pods_of(r, obj, pods)}
            evs = self.events_of(r.namespace, names)
            evmap[f"{r.kind}/{r.namespace}/{r.name}"] = evs
            lines.extend(f"  event: {e}" for e in evs)
        return WaitFailed("\n".join(lines), pairs, evmap)
