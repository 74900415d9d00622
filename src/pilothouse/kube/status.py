"""kstatus: is an object ready? (the rules of sigs.k8s.io/cli-utils `kstatus`, which Helm 4 waits with)

`compute` returns one of CURRENT, IN_PROGRESS, FAILED, TERMINATING with a message. Helm's own
readers for hooks and ``--wait-for-jobs`` are `job_status` (a Job must complete) and
`pod_status` (a Pod must succeed).
"""

from __future__ import annotations

from typing import Any

CURRENT = "Current"
IN_PROGRESS = "InProgress"
FAILED = "Failed"
TERMINATING = "Terminating"
NOT_FOUND = "NotFound"
UNKNOWN = "Unknown"

Result = tuple[str, str]


def _conds(obj: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for c in (obj.get("status") or {}).get("conditions") or []:
        if isinstance(c, dict) and c.get("type"):
            out[c["type"]] = c
    return out


def _int(obj: dict[str, Any], *path: str, default: int = 0) -> int:
    cur: Any = obj
    for p in path:
        if not isinstance(cur, dict) or p not in cur:
            return default
        cur = cur[p]
    try:
        return int(cur)
    except (TypeError, ValueError):
        return default


def _generic(obj: dict[str, Any]) -> Result | None:
    """Checks that apply to every kind: deletion, observedGeneration, Reconciling/Stalled/Ready."""
    meta = obj.get("metadata") or {}
    if meta.get("deletionTimestamp"):
        return TERMINATING, "Resource scheduled for deletion"
    status = obj.get("status")
    gen = meta.get("generation")
    if isinstance(status, dict) and "observedGeneration" in status and gen is not None:
        if _int(status, "observedGeneration") != int(gen):
            return IN_PROGRESS, f"{obj.get('kind', '')} generation is {gen}, but latest observed generation is " \
                                f"{status.get('observedGeneration')}"
    conds = _conds(obj)
    rec = conds.get("Reconciling")
    if rec and rec.get("status") == "True":
        return IN_PROGRESS, rec.get("message") or "Reconciling"
    stalled = conds.get("Stalled")
    if stalled and stalled.get("status") == "True":
        return FAILED, stalled.get("message") or "Stalled"
    return None


def _deployment(obj: dict[str, Any]) -> Result:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    replicas = _int(spec, "replicas", default=1)
    conds = _conds(obj)
    prog = conds.get("Progressing")
    if prog and prog.get("reason") == "ProgressDeadlineExceeded":
        # kstatus (and so `helm --wait`) reports a Deployment past its deadline as Failed
        return FAILED, "Progress deadline exceeded"
    if spec.get("paused"):
        return CURRENT, "Deployment is paused"
    updated, ready = _int(st, "updatedReplicas"), _int(st, "readyReplicas")
    available, total = _int(st, "availableReplicas"), _int(st, "replicas")
    if replicas > updated:
        return IN_PROGRESS, f"Updated: {updated}/{replicas}"
    if total > updated:
        return IN_PROGRESS, f"Pending termination: {total - updated}"
    if replicas > available:
        return IN_PROGRESS, f"Available: {available}/{replicas}"
    if replicas > ready:
        return IN_PROGRESS, f"Ready: {ready}/{replicas}"
    avail = conds.get("Available")
    if avail is not None and avail.get("status") != "True":
        return IN_PROGRESS, "Deployment not Available"
    return CURRENT, f"Deployment is available. Replicas: {total}"


def _replicaset(obj: dict[str, Any]) -> Result:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    replicas = _int(spec, "replicas", default=1)
    for key, label in (("fullyLabeledReplicas", "Labelled"), ("availableReplicas", "Available"),
                       ("readyReplicas", "Ready")):
        have = _int(st, key)
        if replicas > have:
            return IN_PROGRESS, f"{label}: {have}/{replicas}"
    if _int(st, "replicas") > replicas:
        return IN_PROGRESS, f"Pending termination: {_int(st, 'replicas') - replicas}"
    return CURRENT, f"ReplicaSet is available. Replicas: {_int(st, 'replicas')}"


def _statefulset(obj: dict[str, Any]) -> Result:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    strategy = (spec.get("updateStrategy") or {}).get("type") or "RollingUpdate"
    replicas = _int(spec, "replicas", default=1)
    if strategy != "RollingUpdate":
        return CURRENT, "StatefulSet is using the OnDelete update strategy"
    ready, current, total = _int(st, "readyReplicas"), _int(st, "currentReplicas"), _int(st, "replicas")
    if replicas > ready:
        return IN_PROGRESS, f"Ready: {ready}/{replicas}"
    if total > replicas:
        return IN_PROGRESS, f"Pending termination: {total - replicas}"
    partition = _int(spec, "updateStrategy", "rollingUpdate", "partition", default=-1)
    if partition >= 0:
        updated = _int(st, "updatedReplicas")
        if updated < replicas - partition:
            return IN_PROGRESS, f"updated: {updated}/{replicas - partition}"
        return CURRENT, f"Partitioned roll out complete. updated: {updated}"
    if replicas > current:
        return IN_PROGRESS, f"current: {current}/{replicas}"
    if st.get("currentRevision") != st.get("updateRevision"):
        return IN_PROGRESS, f"Waiting for updated revision {st.get('updateRevision')} to become current"
    return CURRENT, f"All replicas scheduled as expected. Replicas: {total}"


def _daemonset(obj: dict[str, Any]) -> Result:
    st = obj.get("status") or {}
    desired = _int(st, "desiredNumberScheduled")
    for key, label in (("currentNumberScheduled", "Current"), ("updatedNumberScheduled", "Updated"),
                       ("numberAvailable", "Available"), ("numberReady", "Ready")):
        have = _int(st, key)
        if desired > have:
            return IN_PROGRESS, f"{label}: {have}/{desired}"
    if "observedGeneration" not in st and "desiredNumberScheduled" not in st:
        return IN_PROGRESS, "Missing .status"
    return CURRENT, f"All replicas scheduled as expected. Replicas: {desired}"


def _pvc(obj: dict[str, Any]) -> Result:
    phase = (obj.get("status") or {}).get("phase")
    if phase != "Bound":
        return IN_PROGRESS, "PVC is not Bound. phase: " + str(phase or "")
    return CURRENT, "PVC is Bound"


def _pod(obj: dict[str, Any]) -> Result:
    st = obj.get("status") or {}
    phase = st.get("phase")
    if phase == "Succeeded":
        return CURRENT, "Pod has completed successfully"
    if phase == "Failed":
        return FAILED, "Pod has completed, but not successfully"
    if phase == "Running":
        ready = _conds(obj).get("Ready")
        if ready and ready.get("status") == "True":
            return CURRENT, "Pod is Ready"
        return IN_PROGRESS, "Pod is running but is not Ready"
    return IN_PROGRESS, "Pod phase not available" if not phase else f"Pod is {phase}"


def _job(obj: dict[str, Any]) -> Result:
    conds = _conds(obj)
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    parallelism = _int(spec, "parallelism", default=1)
    completions = _int(spec, "completions", default=parallelism)
    succeeded, failed = _int(st, "succeeded"), _int(st, "failed")
    if (conds.get("Complete") or {}).get("status") == "True":
        return CURRENT, f"Job Completed. succeeded: {succeeded}/{completions}"
    if (conds.get("Failed") or {}).get("status") == "True":
        return FAILED, f"Job Failed. failed: {failed}/{completions}"
    if not st.get("startTime"):
        return IN_PROGRESS, "Job not started"
    # kstatus counts a started Job as current; waiting for completion is Helm's --wait-for-jobs
    return CURRENT, f"Job in progress. success:{succeeded}, active: {_int(st, 'active')}, failed: {failed}"


def _service(obj: dict[str, Any]) -> Result:
    spec = obj.get("spec") or {}
    if spec.get("type") == "LoadBalancer":
        ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress")
        if not ingress:
            return IN_PROGRESS, "Pending load balancer"
    if not spec.get("clusterIP") and spec.get("type") != "ExternalName":
        return IN_PROGRESS, "ClusterIP not set"
    return CURRENT, "Service is ready"


def _crd(obj: dict[str, Any]) -> Result:
    conds = _conds(obj)
    est = conds.get("Established")
    if est is None or est.get("status") != "True":
        return IN_PROGRESS, "CRD is not established"
    names = conds.get("NamesAccepted")
    if names is not None and names.get("status") == "False":
        return FAILED, names.get("message") or "CRD names not accepted"
    return CURRENT, "CRD is established"


def _pdb(obj: dict[str, Any]) -> Result:
    if "observedGeneration" not in (obj.get("status") or {}):
        return IN_PROGRESS, "PodDisruptionBudget status not observed yet"
    return CURRENT, "AllowedDisruptions has been computed."


_BY_KIND = {
    ("apps", "Deployment"): _deployment, ("apps", "ReplicaSet"): _replicaset, ("apps", "StatefulSet"): _statefulset,
    ("apps", "DaemonSet"): _daemonset, ("", "PersistentVolumeClaim"): _pvc, ("", "Pod"): _pod,
    ("batch", "Job"): _job, ("", "Service"): _service, ("policy", "PodDisruptionBudget"): _pdb,
    ("apiextensions.k8s.io", "CustomResourceDefinition"): _crd,
}


def _group(obj: dict[str, Any]) -> str:
    api = str(obj.get("apiVersion") or "")
    return api.rpartition("/")[0] if "/" in api else ""


def compute(obj: dict[str, Any]) -> Result:
    """kstatus's status of a live object."""
    generic = _generic(obj)
    if generic is not None:
        return generic
    fn = _BY_KIND.get((_group(obj), str(obj.get("kind") or "")))
    if fn is not None:
        return fn(obj)
    ready = _conds(obj).get("Ready")
    if ready is not None and ready.get("status") == "False":
        return IN_PROGRESS, ready.get("message") or "Resource not Ready"
    return CURRENT, "Resource is current"


def job_status(obj: dict[str, Any]) -> Result:
    """Helm's Job reader: current only once complete."""
    generic = _generic(obj)
    if generic is not None and generic[0] == TERMINATING:
        return generic
    conds = _conds(obj)
    if (conds.get("Complete") or {}).get("status") == "True" or (conds.get("SuccessCriteriaMet") or {}).get(
            "status") == "True":
        return CURRENT, "Job Completed"
    if (conds.get("Failed") or {}).get("status") == "True":
        return FAILED, (conds["Failed"].get("message") or "Job Failed")
    return IN_PROGRESS, "Job in progress"


def pod_status(obj: dict[str, Any]) -> Result:
    """Helm's Pod reader for hooks: current once succeeded."""
    phase = (obj.get("status") or {}).get("phase")
    if phase == "Succeeded":
        return CURRENT, "Pod has completed successfully"
    if phase == "Failed":
        return FAILED, "Pod has completed, but not successfully"
    return IN_PROGRESS, f"Pod phase: {phase or 'Pending'}"
