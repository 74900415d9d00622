"""``--wait=legacy``: Helm 3's ready checker, which Helm 4 keeps as its legacy waiter.

Every 2 seconds (the first check at once) each object is fetched and judged in order; the first one
not ready ends the round. Ready means: a Pod has ``Ready=True``; a Deployment (unless paused) has
observed its generation and its newest ReplicaSet (the oldest one it controls whose template equals
its own, ignoring ``pod-template-hash``) has observed its own and has at least ``replicas -
maxUnavailable`` ready Pods; a StatefulSet has observed its generation and, when rolling, has the
updated Pods its partition asks for, all replicas ready and (unpartitioned) one revision; a DaemonSet
the same with ``desired - maxUnavailable`` ready; a PersistentVolumeClaim is ``Bound``; a Service has
a cluster IP and, as a LoadBalancer, an external IP or an ingress; a CRD is ``Established`` (or its
names were refused); ReplicaSets and ReplicationControllers have observed their generation and all
their Pods are ready; Jobs, only with ``--wait-for-jobs``, have succeeded ``completions`` times (more
failures than ``backoffLimit`` is an error). Every other kind is ready at once.

An API error that is not retryable (a 404, say) ends the wait with that error; retryable ones (5xx,
429, transport errors, and anything that is not an API status) are retried up to 30 times in a row
per object. When the time is up the error is Helm's: ``context deadline exceeded``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from pilothouse.errors import KubeError
from pilothouse.kube.errors import ApiError
from pilothouse.kube.resources import Resource, ResourceType

INTERVAL = 2.0
RETRIES = 30
HASH_LABEL = "pod-template-hash"
DEADLINE = "context deadline exceeded"

Obj = dict[str, Any]

_RS = ResourceType("apps", "v1", "ReplicaSet", "replicasets", True)
_POD = ResourceType("", "v1", "Pod", "pods", True)


class LegacyWaitError(KubeError):
    """The legacy wait ended without every object ready (timeout, or an error it does not retry)."""


class JobFailed(KubeError):
    """A Job failed more often than its backoffLimit (Helm retries this like a transport error)."""


def _int(v: Any, default: int = 0) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def scaled(value: Any, total: int, round_up: bool) -> int:
    """Kubernetes' intstr ``GetScaledValueFromIntOrPercent``: an int, or ``N%`` of ``total``."""
    if isinstance(value, bool) or value is None:
        raise ValueError("nil value for IntOrString")
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.endswith("%"):
        raise ValueError(f"invalid type: string is not a percentage: {text}")
    try:
        pct = int(text[:-1])
    except ValueError:
        raise ValueError(f"invalid value for IntOrString: invalid value {text!r}") from None
    exact = pct * total / 100
    return math.ceil(exact) if round_up else math.floor(exact)


def max_unavailable(dep: Obj) -> int:
    """How many of a Deployment's Pods may be unavailable during a rolling update."""
    spec = dep.get("spec") or {}
    replicas = _int(spec.get("replicas"), 1) if spec.get("replicas") is not None else 1
    strategy = spec.get("strategy") or {}
    if strategy.get("type") != "RollingUpdate" or replicas == 0:
        return 0
    ru = strategy.get("rollingUpdate") or {}
    try:
        surge = scaled(ru.get("maxSurge") if ru.get("maxSurge") is not None else 0, replicas, True)
        unavailable = scaled(ru.get("maxUnavailable") if ru.get("maxUnavailable") is not None else 0, replicas,
                             False)
    except ValueError:
        surge, unavailable = 0, 0  # validation would have refused it; Helm ignores the error here
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return min(unavailable, replicas)


def label_selector(selector: Any) -> str | None:
    """A LabelSelector as the query string the API takes; None when it selects nothing."""
    if not isinstance(selector, dict):
        return None
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for ex in selector.get("matchExpressions") or []:
        key, op, vals = ex.get("key", ""), ex.get("operator"), sorted(ex.get("values") or [])
        if op == "In":
            parts.append(f"{key} in ({','.join(vals)})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({','.join(vals)})")
        elif op == "Exists":
            parts.append(key)
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(parts)


def _pruned(v: Any) -> Any:
    # Go's semantic equality treats nil and empty maps/slices alike
    if isinstance(v, dict):
        out = {k: _pruned(x) for k, x in v.items()}
        return {k: x for k, x in out.items() if x not in (None, {}, [])}
    if isinstance(v, list):
        return [_pruned(x) for x in v]
    return v


def _template_key(template: Any) -> Any:
    t = _pruned(template if isinstance(template, dict) else {})
    labels = (t.get("metadata") or {}).get("labels")
    if isinstance(labels, dict) and HASH_LABEL in labels:
        labels = {k: v for k, v in labels.items() if k != HASH_LABEL}
        t = {**t, "metadata": {**t["metadata"], "labels": labels}}
        t = _pruned(t)
    return t


def _controlled_by(obj: Obj, owner: Obj) -> bool:
    uid = (owner.get("metadata") or {}).get("uid")
    return bool(uid) and any(r.get("uid") == uid and r.get("controller")
                             for r in (obj.get("metadata") or {}).get("ownerReferences") or [])


def newest_replicaset(dep: Obj, replicasets: list[Obj]) -> Obj | None:
    """The Deployment's new ReplicaSet among ``replicasets``: controlled by it, same template, oldest first."""
    owned = [rs for rs in replicasets if _controlled_by(rs, dep)]
    owned.sort(key=lambda rs: ((rs.get("metadata") or {}).get("creationTimestamp") or "",
                               (rs.get("metadata") or {}).get("name") or ""))
    want = _template_key((dep.get("spec") or {}).get("template"))
    return next((rs for rs in owned if _template_key((rs.get("spec") or {}).get("template")) == want), None)


def _observed(obj: Obj) -> bool:
    return _int((obj.get("status") or {}).get("observedGeneration")) == \
        _int((obj.get("metadata") or {}).get("generation"))


def pod_ready(pod: Obj) -> bool:
    """A Pod whose ``Ready`` condition is ``True``."""
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [] if isinstance(c, dict))


def deployment_ready(dep: Obj, rs: Obj) -> bool:
    """Helm's check of a Deployment against its newest ReplicaSet."""
    if not _observed(rs) or not _observed(dep):
        return False
    spec = dep.get("spec") or {}
    replicas = _int(spec.get("replicas"), 1) if spec.get("replicas") is not None else 1
    return _int((rs.get("status") or {}).get("readyReplicas")) >= replicas - max_unavailable(dep)


def statefulset_ready(sts: Obj) -> bool:
    """Helm's StatefulSet check: generation, updated Pods past the partition, all ready, one revision."""
    if not _observed(sts):
        return False
    spec, st = sts.get("spec") or {}, sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type") != "RollingUpdate":
        return True
    partition = _int((strategy.get("rollingUpdate") or {}).get("partition"))
    replicas = _int(spec.get("replicas"), 1) if spec.get("replicas") is not None else 1
    if _int(st.get("updatedReplicas")) < replicas - partition:
        return False
    if _int(st.get("readyReplicas")) != replicas:
        return False
    return not (partition == 0 and (st.get("currentRevision") or "") != (st.get("updateRevision") or ""))


def daemonset_ready(ds: Obj) -> bool:
    """Helm's DaemonSet check: generation, every updated Pod scheduled, enough of them ready."""
    if not _observed(ds):
        return False
    strategy = (ds.get("spec") or {}).get("updateStrategy") or {}
    if strategy.get("type") != "RollingUpdate":
        return True
    st = ds.get("status") or {}
    desired = _int(st.get("desiredNumberScheduled"))
    if _int(st.get("updatedNumberScheduled")) != desired:
        return False
    try:
        unavailable = scaled((strategy.get("rollingUpdate") or {}).get("maxUnavailable"), desired, True)
    except ValueError:
        unavailable = desired
    return _int(st.get("numberReady")) >= desired - unavailable


def service_ready(svc: Obj) -> bool:
    """Helm's Service check: a cluster IP, and for a LoadBalancer an external IP or an ingress."""
    spec = svc.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return True
    if not spec.get("clusterIP"):
        return False
    if spec.get("type") == "LoadBalancer":
        if spec.get("externalIPs"):
            return True
        lb = (svc.get("status") or {}).get("loadBalancer") or {}
        if lb.get("ingress") is None:
            return False
    return True


def crd_ready(crd: Obj) -> bool:
    """Helm's CRD check: Established, or names not accepted (a conflict it lets pass)."""
    for c in (crd.get("status") or {}).get("conditions") or []:
        if not isinstance(c, dict):
            continue
        if c.get("type") == "Established" and c.get("status") == "True":
            return True
        if c.get("type") == "NamesAccepted" and c.get("status") == "False":
            return True
    return False


def job_ready(job: Obj) -> bool:
    """Helm's Job check; a Job failed past its backoffLimit raises `JobFailed`."""
    spec, st = job.get("spec") or {}, job.get("status") or {}
    meta = job.get("metadata") or {}
    if _int(st.get("failed")) > _int(spec.get("backoffLimit"), 6):
        raise JobFailed(f"job is failed: {meta.get('namespace', '')}/{meta.get('name', '')}")
    completions = spec.get("completions")
    return not (completions is not None and _int(st.get("succeeded")) < _int(completions))


class ReadyChecker:
    """Judges one object at a time as Helm's legacy ReadyChecker does (paused Deployments are ready)."""

    def __init__(self, kube: Any, *, check_jobs: bool = False) -> None:
        self.kube = kube
        self.check_jobs = check_jobs

    def _pods_ready(self, namespace: str, selector: Any) -> bool:
        query = label_selector(selector)
        pods = self.kube.list(_POD, namespace, label_selector=query) if query else \
            self.kube.list(_POD, namespace)
        return all(pod_ready(p) for p in pods)

    def is_ready(self, r: Resource) -> bool:
        """Whether ``r`` is ready now (fetched from the server); API errors propagate."""
        gvk = (r.rtype.group, r.rtype.version, r.kind)
        if gvk == ("", "v1", "Pod"):
            return pod_ready(self.kube.get(r.rtype, r.namespace, r.name))
        if gvk == ("batch", "v1", "Job"):
            return job_ready(self.kube.get(r.rtype, r.namespace, r.name)) if self.check_jobs else True
        if gvk == ("apps", "v1", "Deployment"):
            dep = self.kube.get(r.rtype, r.namespace, r.name)
            if (dep.get("spec") or {}).get("paused"):
                return True
            query = label_selector((dep.get("spec") or {}).get("selector"))
            rss = self.kube.list(_RS, r.namespace, label_selector=query) if query else []
            rs = newest_replicaset(dep, rss)
            return rs is not None and deployment_ready(dep, rs)
        if gvk == ("", "v1", "PersistentVolumeClaim"):
            return ((self.kube.get(r.rtype, r.namespace, r.name).get("status") or {}).get("phase")) == "Bound"
        if gvk == ("", "v1", "Service"):
            return service_ready(self.kube.get(r.rtype, r.namespace, r.name))
        if gvk == ("apps", "v1", "DaemonSet"):
            return daemonset_ready(self.kube.get(r.rtype, r.namespace, r.name))
        if r.rtype.group == "apiextensions.k8s.io" and r.kind == "CustomResourceDefinition" and \
                r.rtype.version in ("v1", "v1beta1"):
            return crd_ready(self.kube.get(r.rtype, r.namespace, r.name))
        if gvk == ("apps", "v1", "StatefulSet"):
            return statefulset_ready(self.kube.get(r.rtype, r.namespace, r.name))
        if gvk in (("", "v1", "ReplicationController"), ("apps", "v1", "ReplicaSet")):
            obj = self.kube.get(r.rtype, r.namespace, r.name)
            if not _observed(obj):
                return False
            # the selector is the one in the chart's manifest, as Helm reads it
            sel = (r.obj.get("spec") or {}).get("selector")
            if r.kind == "ReplicationController":
                sel = {"matchLabels": sel} if isinstance(sel, dict) else None
            return self._pods_ready(r.namespace, sel)
        return True


def _retryable(err: BaseException) -> bool:
    if isinstance(err, ApiError):
        code = err.code
        return code == 0 or code == 429 or (code >= 500 and code != 501)
    return True


def wait(kube: Any, resources: list[Resource], timeout: float, *, jobs: bool = False, interval: float = INTERVAL,
         clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
    """Poll until every resource is ready; `LegacyWaitError` at the deadline or on an error not retried."""
    checker = ReadyChecker(kube, check_jobs=jobs)
    deadline = clock() + timeout
    errors = [0] * len(resources)

    def round_done() -> bool:
        for i, r in enumerate(resources):
            try:
                ready = checker.is_ready(r)
            except KubeError as err:
                if _retryable(err):
                    errors[i] += 1
                    if errors[i] > RETRIES:
                        raise LegacyWaitError(str(err)) from None
                    return False
                raise LegacyWaitError(str(err)) from None
            errors[i] = 0
            if not ready:
                return False
        return True

    _poll(round_done, deadline, interval, clock, sleep)


def wait_for_delete(kube: Any, resources: list[Resource], timeout: float, *, interval: float = INTERVAL,
                    clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
    """Poll until every resource is gone, as Helm's legacy waiter does; any error but a 404 ends the wait."""
    deadline = clock() + timeout

    def gone() -> bool:
        for r in resources:
            try:
                kube.get(r.rtype, r.namespace, r.name)
            except ApiError as err:
                if err.not_found:
                    continue
                raise LegacyWaitError(str(err)) from None
            except KubeError as err:
                raise LegacyWaitError(str(err)) from None
            return False
        return True

    _poll(gone, deadline, interval, clock, sleep)


def _poll(done: Callable[[], bool], deadline: float, interval: float, clock: Callable[[], float],
          sleep: Callable[[float], None]) -> None:
    """Ask ``done`` at once, then every ``interval``, until it says yes or ``deadline`` passes."""
    while True:
        if done():
            return
        left = deadline - clock()
        if left <= 0:
            break
        sleep(min(interval, left))
        if clock() >= deadline:
            break
    raise LegacyWaitError(DEADLINE)
