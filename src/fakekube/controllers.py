"""Simulated controllers: statuses that change over time, driven by ticks, not by the clock.

`Controllers.step()` is one tick. Each tick every workload moves one step along its script:
Deployments keep one ReplicaSet per Pod template (`fakekube.replicasets`: owner reference,
``pod-template-hash`` label, status) and older ones are scaled to zero; ReplicaSets, StatefulSets and
DaemonSets create their Pods (a Deployment's Pods are owned by its ReplicaSet), Jobs create one Pod, Pods start, become ready, fail to pull
their image, crash, or stay unschedulable; workloads report what their Pods do. A test can call
`step()` itself (nothing happens between calls), or the server runs a ticker thread
(`Server(simulate=True)`, ``--simulate``) so that a client sees progress while it waits; in both
cases what happens, and in which order, depends only on the number of ticks.

What a Pod does is decided from its spec (see docs/fakekube.md):

* image tag ``bad-tag`` or an image whose name contains ``does-not-exist`` → ``ErrImagePull``,
  then ``ImagePullBackOff``;
* image tag ``crash`` → the container exits 1 and goes into ``CrashLoopBackOff``;
* image tag ``fail`` → the container exits 1 once (a Job's Pod fails, so the Job fails);
* an env ``configMapKeyRef``/``secretKeyRef`` or ``envFrom`` naming a ConfigMap or Secret that does
  not exist (and is not optional) → ``CreateContainerConfigError``;
* a ``nodeSelector`` with a label other than ``kubernetes.io/os|arch|hostname``, or a CPU request
  above 64 cores → ``PodScheduled=False``, reason ``Unschedulable``;
* annotation ``fakekube.pilothouse.io/simulate`` on the Pod (template) forces one of ``ok``,
  ``pull-error``, ``crash``, ``fail``, ``config-error``, ``unschedulable``, ``never-ready``.

A Deployment whose Pods are not all ready after ``spec.progressDeadlineSeconds`` ticks gets
``Progressing=False`` reason ``ProgressDeadlineExceeded``. Pods are ready after
``fakekube.pilothouse.io/ready-after-ticks`` ticks (default 2). Custom resources carrying the
annotation ``fakekube.pilothouse.io/simulate`` get ``Ready`` conditions (``ok`` → Ready=True after
the ready ticks, with ``observedGeneration``; ``fail`` → Stalled=True) and the annotation
``fakekube.pilothouse.io/log`` of a Pod is what its log endpoint returns.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from typing import Any

from fakekube import errors, replicasets
from fakekube.store import Store, now

SIMULATE = "fakekube.pilothouse.io/simulate"
READY_AFTER = "fakekube.pilothouse.io/ready-after-ticks"
LOG = "fakekube.pilothouse.io/log"
BEHAVIOURS = ("ok", "pull-error", "crash", "fail", "config-error", "unschedulable", "never-ready")
_NODE_LABELS = ("kubernetes.io/os", "kubernetes.io/arch", "kubernetes.io/hostname")
_WORKLOADS = (("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("apps", "ReplicaSet"))
_MAX_REPLICAS = 50

Obj = dict[str, Any]


def _cpu(q: Any) -> float:
    text = str(q or "0").strip()
    try:
        return float(text[:-1]) / 1000 if text.endswith("m") else float(text)
    except ValueError:
        return 0.0


def _image_behaviour(image: str) -> str:
    name, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "")
    if tag == "bad-tag" or "does-not-exist" in name:
        return "pull-error"
    if tag in ("crash", "fail"):
        return tag
    return ""


def behaviour(pod: Obj, exists: Any) -> tuple[str, str]:
    """What a Pod with this spec does, and a detail (the missing object, the unmatched label).

    ``exists(kind, name)`` tells whether a ConfigMap or Secret exists in the Pod's namespace.
    """
    meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
    forced = ((meta.get("annotations") or {}).get(SIMULATE) or "").strip()
    if forced in BEHAVIOURS:
        return forced, ""
    for key in spec.get("nodeSelector") or {}:
        if key not in _NODE_LABELS:
            return "unschedulable", "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."
    containers = list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
    for c in containers:
        if _cpu(((c.get("resources") or {}).get("requests") or {}).get("cpu")) > 64:
            return "unschedulable", "0/1 nodes are available: 1 Insufficient cpu."
    for c in containers:
        for env in c.get("env") or []:
            src = (env or {}).get("valueFrom") or {}
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = src.get(key)
                if ref and not ref.get("optional") and not exists(kind, ref.get("name", "")):
                    return "config-error", f'{kind.lower()} "{ref.get("name", "")}" not found'
        for env in c.get("envFrom") or []:
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = (env or {}).get(key)
                if ref and not ref.get("optional") and not exists(kind, ref.get("name", "")):
                    return "config-error", f'{kind.lower()} "{ref.get("name", "")}" not found'
    for c in containers:
        b = _image_behaviour(str(c.get("image") or ""))
        if b:
            return b, str(c.get("image") or "")
    return "ok", ""


def _cond(kind: str, status: str, stamp: str, reason: str = "", message: str = "") -> Obj:
    c: Obj = {"type": kind, "status": status, "lastProbeTime": None, "lastTransitionTime": stamp}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def _ready_after(obj: Obj, default: int) -> int:
    raw = ((obj.get("metadata") or {}).get("annotations") or {}).get(READY_AFTER)
    try:
        return max(0, min(int(str(raw)), 10_000)) if raw is not None else default
    except ValueError:
        return default


class Controllers:
    """The simulated controllers of one `Store`.

    Args:
        store: the objects.
        ready_after: ticks before a healthy Pod is ready (an annotation overrides it per object).
    """

    def __init__(self, store: Store, ready_after: int = 2) -> None:
        self.store = store
        self.ready_after = ready_after
        self.ticks = 0
        # (tick, "seen"|"ready", kind, namespace, name): what tests compare to prove an order
        self.history: list[tuple[int, str, str, str, str]] = []
        self._ready_noted: set[str] = set()
        self._settled: dict[str, str] = {}
        # (monotonic time, what): when each failure first showed on the server, for benchmarks
        self.failures: list[tuple[float, str]] = []
        self._age: dict[tuple[str, str, str, str], int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- driving ------------------------------------------------------------------------------

    def step(self, n: int = 1) -> None:
        """Advance every simulated object ``n`` ticks."""
        for _ in range(n):
            with self._lock, self.store._lock:
                self.ticks += 1
                self._tick()

    def run(self, interval: float) -> None:
        """Tick every ``interval`` seconds in a background thread until `stop`."""

        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.step()
                except errors.ApiError:
                    continue

        self._thread = threading.Thread(target=loop, name="fakekube-controllers", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the ticker thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- one tick -----------------------------------------------------------------------------

    def _rt(self, group: str, kind: str) -> Any:
        for rt in self.store.registry.all():
            if rt.group == group and rt.kind == kind:
                return rt
        return None

    def _age_of(self, rt: Any, obj: Obj) -> int:
        meta = obj["metadata"]
        key = (rt.group, rt.kind, meta.get("uid", ""), str(meta.get("generation", 0)))
        age = self._age.get(key, 0) + 1
        self._age[key] = age
        if age == 1:
            self._note("seen", rt, obj)
        return age

    def _note(self, what: str, rt: Any, obj: Obj) -> None:
        if len(self.history) < 100_000:
            meta = obj["metadata"]
            self.history.append((self.ticks, what, rt.kind, meta.get("namespace") or "", meta.get("name") or ""))

    def tick_of(self, what: str, kind: str, name: str) -> int | None:
        """The first tick at which ``kind/name`` was ``seen`` (first noticed) or became ``ready``."""
        return next((t for t, w, k, _, n in self.history if (w, k, n) == (what, kind, name)), None)

    def _objects(self, rt: Any) -> list[Obj]:
        # the stored objects themselves: the store replaces an object on every write and never changes
        # one in place, so reading them without a copy is safe; writes go through copies
        return [o for _, o in sorted(self.store._bucket(rt).items())]

    def _run(self, rt: Any, obj: Obj, handler: Any) -> None:
        uid = obj["metadata"].get("uid")
        if self._settled.get(uid) == obj["metadata"].get("resourceVersion"):
            self._age_of(rt, obj)
            return
        handler(rt, obj)
        now_obj = self.store._bucket(rt).get((obj["metadata"].get("namespace") or "", obj["metadata"]["name"]))
        if now_obj is not None and _final(now_obj):
            self._settled[uid] = now_obj["metadata"].get("resourceVersion")

    def _tick(self) -> None:
        live = set()
        pod_rt = self._rt("", "Pod")
        self._by_owner: dict[str, list[Obj]] = {}
        for pod in self._objects(pod_rt):
            for ref in pod["metadata"].get("ownerReferences") or []:
                self._by_owner.setdefault(ref.get("uid"), []).append(pod)
        self._rs_by_owner: dict[str, list[Obj]] = {}
        rs_rt = self._rt("apps", "ReplicaSet")
        for rs in self._objects(rs_rt) if rs_rt is not None else []:
            for ref in rs["metadata"].get("ownerReferences") or []:
                if ref.get("controller"):
                    self._rs_by_owner.setdefault(ref.get("uid"), []).append(rs)
        for group, kind in _WORKLOADS:
            rt = self._rt(group, kind)
            for obj in self._objects(rt):
                if not (obj["metadata"].get("deletionTimestamp")):
                    live.add(obj["metadata"].get("uid"))
                    self._run(rt, obj, self._workload)
        job_rt = self._rt("batch", "Job")
        for obj in self._objects(job_rt):
            live.add(obj["metadata"].get("uid"))
            self._run(job_rt, obj, self._job)
        for obj in self._objects(pod_rt):
            live.add(obj["metadata"].get("uid"))
            self._run(pod_rt, obj, self._pod)
        for rt in self.store.registry.all():
            if getattr(rt, "crd", False):
                for obj in self._objects(rt):
                    if SIMULATE in ((obj["metadata"].get("annotations")) or {}):
                        live.add(obj["metadata"].get("uid"))
                        self._custom(rt, obj)
        for key in [k for k in self._age if k[2] not in live]:
            del self._age[key]
        for uid in [u for u in self._settled if u not in live]:
            del self._settled[uid]

    def _set_status(self, rt: Any, obj: Obj, status: Obj) -> None:
        # a status that differs only in its timestamps is no change: no event, no churn for watchers
        if _timeless(obj.get("status")) == _timeless(status):
            return
        new = copy.deepcopy(obj)
        new["status"] = status
        self.store._commit(rt, new, "MODIFIED")

    def _event(self, involved: Obj, etype: str, reason: str, message: str) -> None:
        rt = self._rt("", "Event")
        meta = involved["metadata"]
        ns = meta.get("namespace") or "default"
        name = f"{meta.get('name', '')}.{hashlib.sha1((reason + message).encode()).hexdigest()[:10]}"
        if self.store.find(rt, ns, name) is not None:
            return
        if etype == "Warning" and len(self.failures) < 10_000:
            import time

            self.failures.append((time.monotonic(), f"{involved.get('kind')}/{meta.get('name')}: {reason}"))
        stamp = now()
        self.store.create(rt, ns, {
            "apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": ns},
            "involvedObject": {"apiVersion": involved.get("apiVersion"), "kind": involved.get("kind"),
                               "name": meta.get("name"), "namespace": ns, "uid": meta.get("uid")},
            "reason": reason, "message": message, "type": etype, "count": 1,
            "firstTimestamp": stamp, "lastTimestamp": stamp, "source": {"component": "fakekube"},
        })

    def _exists(self, ns: str) -> Any:
        def exists(kind: str, name: str) -> bool:
            rt = self._rt("", kind)
            return rt is not None and self.store.find(rt, ns, name) is not None

        return exists

    # --- owners -------------------------------------------------------------------------------

    def _owned_pods(self, owner: Obj) -> list[Obj]:
        pod_rt = self._rt("", "Pod")
        out = []
        for p in getattr(self, "_by_owner", {}).get(owner["metadata"].get("uid"), []):
            # the index is from the start of the tick: read each Pod as it is now
            cur = self.store._bucket(pod_rt).get((p["metadata"].get("namespace") or "", p["metadata"]["name"]))
            if cur is not None:
                out.append(cur)
        return out

    def _make_pods(self, owner: Obj, n: int, restart: str | None = None) -> list[Obj]:
        have = self._owned_pods(owner)
        meta = owner["metadata"]
        gen = str(meta.get("generation", 1))
        have_now = [p for p in have if (p["metadata"].get("labels") or {}).get("fakekube-generation") == gen]
        stale = [p for p in have if p not in have_now]
        pod_rt = self._rt("", "Pod")
        for p in stale:
            self.store.delete(pod_rt, p["metadata"]["namespace"], p["metadata"]["name"])
        template = (owner.get("spec") or {}).get("template") or {}
        suffix = hashlib.sha1(f"{meta.get('uid')}/{gen}".encode()).hexdigest()[:5]
        for i in range(len(have_now), min(n, _MAX_REPLICAS)):
            tmeta = copy.deepcopy(template.get("metadata") or {})
            labels = dict(tmeta.get("labels") or {})
            labels["fakekube-generation"] = gen
            body = {
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": f"{meta['name']}-{suffix}-{i}", "namespace": meta.get("namespace"),
                             "labels": labels, "annotations": tmeta.get("annotations") or {},
                             "ownerReferences": [{"apiVersion": owner.get("apiVersion"), "kind": owner.get("kind"),
                                                  "name": meta["name"], "uid": meta.get("uid"), "controller": True,
                                                  "blockOwnerDeletion": True}]},
                "spec": copy.deepcopy(template.get("spec") or {}),
            }
            if restart:
                body["spec"]["restartPolicy"] = restart
            try:
                made = self.store.create(pod_rt, meta.get("namespace"), body)
            except errors.ApiError:
                break
            have_now.append(made)
            getattr(self, "_by_owner", {}).setdefault(meta.get("uid"), []).append(made)
        return have_now

    def _replicaset_pods(self, dep: Obj, n: int) -> list[Obj]:
        """A Deployment's step: its ReplicaSet for the current template at ``n`` replicas, older ones at 0."""
        rs_rt = self._rt("apps", "ReplicaSet")
        if rs_rt is None:
            return self._make_pods(dep, n)
        ns = dep["metadata"].get("namespace") or ""
        bucket = self.store._bucket(rs_rt)
        owned = []
        for rs in getattr(self, "_rs_by_owner", {}).get(dep["metadata"].get("uid"), []):
            cur = bucket.get((ns, rs["metadata"]["name"]))
            if cur is not None and not cur["metadata"].get("deletionTimestamp") and \
                    replicasets.controlled_by(cur, dep):
                owned.append(cur)
        owned.sort(key=lambda o: (o["metadata"].get("creationTimestamp") or "", o["metadata"]["name"]))
        template = (dep.get("spec") or {}).get("template") or {}
        new = next((o for o in owned if replicasets.same_template((o.get("spec") or {}).get("template") or {},
                                                                  template)), None)
        try:
            for old in owned:
                if old is not new and (old.get("spec") or {}).get("replicas") != 0:
                    scaled = copy.deepcopy(old)
                    scaled["spec"]["replicas"] = 0
                    self.store.update(rs_rt, ns, old["metadata"]["name"], scaled)
            if new is None:
                new = self.store.create(rs_rt, ns, replicasets.new_replicaset(dep, n))
                self._rs_by_owner.setdefault(dep["metadata"].get("uid"), []).append(new)
            elif (new.get("spec") or {}).get("replicas") != n:
                scaled = copy.deepcopy(new)
                scaled["spec"]["replicas"] = n
                new = self.store.update(rs_rt, ns, new["metadata"]["name"], scaled)
        except errors.ApiError:
            # a name taken by an object the Deployment does not own: no ReplicaSet, Pods of its own
            return self._make_pods(dep, n)
        return self._make_pods(new, n)

    def _workload(self, rt: Any, obj: Obj) -> None:
        age = self._age_of(rt, obj)
        spec = obj.get("spec") or {}
        gen = obj["metadata"].get("generation", 1)
        n = 1 if rt.kind == "DaemonSet" else int(spec.get("replicas", 1) if spec.get("replicas") is not None else 1)
        pods = self._replicaset_pods(obj, n) if rt.kind == "Deployment" else self._make_pods(obj, n)
        ready = sum(1 for p in pods if _pod_ready(p))
        stamp = now()
        from fakekube import workloads

        if ready >= n:
            self._set_status(rt, obj, workloads.ready_status(rt.group, rt.kind, obj, stamp) or {})
            if obj["metadata"].get("uid") not in self._ready_noted:
                self._ready_noted.add(obj["metadata"].get("uid"))
                self._note("ready", rt, obj)
            return
        status: Obj
        if rt.kind == "DaemonSet":
            status = {"observedGeneration": gen, "currentNumberScheduled": 1, "desiredNumberScheduled": 1,
                      "numberMisscheduled": 0, "numberReady": ready, "updatedNumberScheduled": 1,
                      "numberUnavailable": 1 - ready}
        else:
            status = {"observedGeneration": gen, "replicas": len(pods), "updatedReplicas": len(pods),
                      "readyReplicas": ready, "availableReplicas": ready, "unavailableReplicas": n - ready}
            if rt.kind == "StatefulSet":
                rev = f"{obj['metadata'].get('name', '')}-{gen}"
                status.update(currentReplicas=len(pods), currentRevision=rev, updateRevision=rev)
        if rt.kind == "Deployment":
            deadline = int(spec.get("progressDeadlineSeconds") or 600)
            old = {c.get("type"): c for c in (obj.get("status") or {}).get("conditions") or []}
            avail = old.get("Available") if old.get("Available", {}).get("status") == "False" else \
                _cond("Available", "False", stamp, "MinimumReplicasUnavailable", "Deployment does not have minimum "
                      "availability.")
            if age > deadline:
                if old.get("Progressing", {}).get("reason") != "ProgressDeadlineExceeded":
                    import time

                    self.failures.append((time.monotonic(), f"Deployment/{obj['metadata']['name']}: "
                                                            "ProgressDeadlineExceeded"))
                prog = old.get("Progressing") if old.get("Progressing", {}).get("reason") == \
                    "ProgressDeadlineExceeded" else _cond("Progressing", "False", stamp, "ProgressDeadlineExceeded",
                                                          f'ReplicaSet "{obj["metadata"]["name"]}" has timed out '
                                                          "progressing.")
            else:
                prog = old.get("Progressing") if old.get("Progressing", {}).get("reason") == "ReplicaSetUpdated" \
                    else _cond("Progressing", "True", stamp, "ReplicaSetUpdated",
                               f'ReplicaSet "{obj["metadata"]["name"]}" is progressing.')
            for c in (avail, prog):
                c.pop("lastProbeTime", None)
            status["conditions"] = [avail, prog]
        self._set_status(rt, obj, status)

    def _job(self, rt: Any, obj: Obj) -> None:
        self._age_of(rt, obj)
        if any(c.get("type") in ("Complete", "Failed") and c.get("status") == "True"
               for c in (obj.get("status") or {}).get("conditions") or []):
            return
        pods = self._make_pods(obj, 1, restart=((obj.get("spec") or {}).get("template") or {}).get(
            "spec", {}).get("restartPolicy") or "Never")
        from fakekube import workloads

        stamp = now()
        if pods and pods[0].get("status", {}).get("phase") == "Succeeded":
            self._set_status(rt, obj, workloads.ready_status("batch", "Job", obj, stamp) or {})
        elif pods and pods[0].get("status", {}).get("phase") == "Failed":
            self._set_status(rt, obj, workloads.failed_status("batch", "Job", obj, stamp,
                                                              "Job has reached the specified backoff limit") or {})
            self._event(obj, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit")
        else:
            st = dict(obj.get("status") or {})
            if not st.get("startTime"):
                st.update(startTime=stamp, active=1, ready=0, terminating=0)
                self._set_status(rt, obj, st)

    def _pod(self, rt: Any, obj: Obj) -> None:
        age = self._age_of(rt, obj)
        meta, spec = obj["metadata"], obj.get("spec") or {}
        what, detail = behaviour(obj, self._exists(meta.get("namespace") or "default"))
        status = copy.deepcopy(obj.get("status") or {})
        if status.get("phase") in ("Succeeded", "Failed"):
            return
        stamp = status.get("startTime") or now()
        containers = spec.get("containers") or []
        status["startTime"] = stamp
        status.setdefault("qosClass", "BestEffort")
        if what == "unschedulable":
            status = {"phase": "Pending", "qosClass": "BestEffort",
                      "conditions": [_cond("PodScheduled", "False", stamp, "Unschedulable", detail)]}
            self._set_status(rt, obj, status)
            self._event(obj, "Warning", "FailedScheduling", detail)
            return
        scheduled = [_cond("PodScheduled", "True", stamp)]

        def waiting(reason: str, message: str, restarts: int = 0, last: Obj | None = None) -> list[Obj]:
            out = []
            for c in containers:
                cs: Obj = {"name": c.get("name"), "image": c.get("image"), "ready": False, "started": False,
                           "restartCount": restarts, "state": {"waiting": {"reason": reason, "message": message}}}
                if last:
                    cs["lastState"] = {"terminated": last}
                out.append(cs)
            return out

        if what == "pull-error":
            reason = "ErrImagePull" if age <= 1 else "ImagePullBackOff"
            msg = f'Back-off pulling image "{detail}"' if age > 1 else \
                f'failed to pull and unpack image "{detail}": not found'
            status.update(phase="Pending", conditions=scheduled + [_cond("Ready", "False", stamp, "ContainersNotReady")],
                          containerStatuses=waiting(reason, msg))
            self._set_status(rt, obj, status)
            self._event(obj, "Warning", "Failed", f'Failed to pull image "{detail}": not found')
            return
        if what == "config-error":
            status.update(phase="Pending", conditions=scheduled + [_cond("Ready", "False", stamp, "ContainersNotReady")],
                          containerStatuses=waiting("CreateContainerConfigError", detail))
            self._set_status(rt, obj, status)
            self._event(obj, "Warning", "Failed", f"Error: {detail}")
            return
        if age < _ready_after(obj, self.ready_after):
            status.update(phase="Pending", conditions=scheduled,
                          containerStatuses=waiting("ContainerCreating", ""))
            self._set_status(rt, obj, status)
            return
        restart = spec.get("restartPolicy") or "Always"
        terminated = {"exitCode": 1, "reason": "Error", "startedAt": stamp, "finishedAt": stamp}
        if what == "crash" or (what == "fail" and restart == "Always"):
            status.update(phase="Running", conditions=scheduled + [_cond("Ready", "False", stamp, "ContainersNotReady")],
                          containerStatuses=waiting("CrashLoopBackOff", "back-off restarting failed container",
                                                    restarts=age, last=terminated))
            self._set_status(rt, obj, status)
            self._event(obj, "Warning", "BackOff", "Back-off restarting failed container")
            return
        if what == "fail":
            status.update(phase="Failed", conditions=scheduled + [_cond("Ready", "False", stamp, "PodFailed")],
                          containerStatuses=[{"name": c.get("name"), "image": c.get("image"), "ready": False,
                                              "restartCount": 0, "state": {"terminated": terminated}}
                                             for c in containers])
            self._set_status(rt, obj, status)
            return
        from fakekube import workloads

        ready = workloads.ready_status("", "Pod", obj, stamp) or {}
        if what == "never-ready":
            ready["conditions"] = [c if c["type"] not in ("Ready", "ContainersReady") else
                                   {**c, "status": "False", "reason": "ContainersNotReady"} for c in ready["conditions"]]
            for cs in ready.get("containerStatuses") or []:
                cs["ready"] = False
        self._set_status(rt, obj, ready)

    def _custom(self, rt: Any, obj: Obj) -> None:
        age = self._age_of(rt, obj)
        what = (obj["metadata"].get("annotations") or {}).get(SIMULATE, "ok")
        gen = obj["metadata"].get("generation", 1)
        stamp = now()
        if what == "fail" and age >= _ready_after(obj, self.ready_after):
            status = {"observedGeneration": gen, "conditions": [
                {"type": "Ready", "status": "False", "reason": "Failed", "message": "reconcile failed",
                 "lastTransitionTime": stamp, "observedGeneration": gen},
                {"type": "Stalled", "status": "True", "reason": "Failed", "message": "reconcile failed",
                 "lastTransitionTime": stamp, "observedGeneration": gen}]}
        elif age >= _ready_after(obj, self.ready_after):
            status = {"observedGeneration": gen, "conditions": [
                {"type": "Ready", "status": "True", "reason": "Reconciled", "message": "ready",
                 "lastTransitionTime": stamp, "observedGeneration": gen}]}
        else:
            status = {"observedGeneration": gen, "conditions": [
                {"type": "Ready", "status": "False", "reason": "Progressing", "message": "reconciling",
                 "lastTransitionTime": stamp, "observedGeneration": gen},
                {"type": "Reconciling", "status": "True", "reason": "Progressing", "message": "reconciling",
                 "lastTransitionTime": stamp, "observedGeneration": gen}]}
        old = obj.get("status") or {}
        if [(c.get("type"), c.get("status")) for c in old.get("conditions") or []] == \
                [(c["type"], c["status"]) for c in status["conditions"]] and old.get("observedGeneration") == gen:
            return
        self._set_status(rt, obj, status)


def _final(obj: Obj) -> bool:
    """Whether an object has reached a state no further tick changes (until it is written again)."""
    kind, st = obj.get("kind"), obj.get("status") or {}
    conds = {c.get("type"): c.get("status") for c in st.get("conditions") or []}
    if kind == "Pod":
        return st.get("phase") in ("Succeeded", "Failed") or _pod_ready(pod=obj)
    if kind == "Job":
        return conds.get("Complete") == "True" or conds.get("Failed") == "True"
    if kind == "Deployment":
        return conds.get("Available") == "True"
    if kind in ("StatefulSet", "ReplicaSet"):
        return st.get("readyReplicas", 0) >= ((obj.get("spec") or {}).get("replicas") or 1) and \
            st.get("observedGeneration") == obj["metadata"].get("generation")
    if kind == "DaemonSet":
        return st.get("numberReady", 0) >= 1 and st.get("observedGeneration") == obj["metadata"].get("generation")
    return False


def _pod_ready(pod: Obj) -> bool:
    st = pod.get("status") or {}
    if st.get("phase") != "Running":
        return False
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in st.get("conditions") or [])


_TIMES = ("lastTransitionTime", "lastUpdateTime", "lastProbeTime", "startTime", "completionTime", "startedAt",
          "finishedAt", "lastHeartbeatTime")


def _timeless(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _timeless(x) for k, x in v.items() if k not in _TIMES}
    if isinstance(v, list):
        return [_timeless(x) for x in v]
    return v
