"""Workload status: what controllers would write once a workload is ready, complete or failed.

There are no controllers here, so tests decide: `ready_status` is the status of a workload that
rolled out (Deployments available, Jobs complete, Pods running or succeeded, claims bound),
`failed_status` that of one that failed. Both keep what `kstatus` and `helm --wait` look at consistent
(`observedGeneration`, replica counts, conditions).
"""

from __future__ import annotations

from typing import Any


def _replicas(obj: dict[str, Any]) -> int:
    value = (obj.get("spec") or {}).get("replicas")
    return 1 if value is None else int(value)


def _cond(kind: str, status: str, reason: str, now: str, message: str = "") -> dict[str, Any]:
    cond = {"type": kind, "status": status, "lastTransitionTime": now, "reason": reason}
    if message:
        cond["message"] = message
    return cond


def ready_status(group: str, kind: str, obj: dict[str, Any], now: str) -> dict[str, Any] | None:
    """The status of `obj` once it is ready; None for kinds that have no readiness."""
    gen = (obj.get("metadata") or {}).get("generation", 1)
    n = _replicas(obj)
    if (group, kind) in (("apps", "Deployment"), ("apps", "ReplicaSet"), ("", "ReplicationController")):
        status: dict[str, Any] = {
            "observedGeneration": gen,
            "replicas": n,
            "updatedReplicas": n,
            "readyReplicas": n,
            "availableReplicas": n,
        }
        if kind == "Deployment":
            status["conditions"] = [
                _cond("Available", "True", "MinimumReplicasAvailable", now, "Deployment has minimum availability."),
                _cond("Progressing", "True", "NewReplicaSetAvailable", now, "ReplicaSet has successfully progressed."),
            ]
        else:
            status["fullyLabeledReplicas"] = n
        return status
    if (group, kind) == ("apps", "StatefulSet"):
        rev = f"{obj['metadata'].get('name', '')}-{gen}"
        return {
            "observedGeneration": gen,
            "replicas": n,
            "readyReplicas": n,
            "currentReplicas": n,
            "updatedReplicas": n,
            "availableReplicas": n,
            "currentRevision": rev,
            "updateRevision": rev,
            "collisionCount": 0,
        }
    if (group, kind) == ("apps", "DaemonSet"):
        return {
            "observedGeneration": gen,
            "currentNumberScheduled": 1,
            "desiredNumberScheduled": 1,
            "numberMisscheduled": 0,
            "numberReady": 1,
            "numberAvailable": 1,
            "updatedNumberScheduled": 1,
        }
    if (group, kind) == ("batch", "Job"):
        completions = (obj.get("spec") or {}).get("completions") or 1
        return {
            "startTime": now,
            "completionTime": now,
            "succeeded": completions,
            "active": 0,
            "ready": 0,
            "terminating": 0,
            "conditions": [
                _cond("SuccessCriteriaMet", "True", "CompletionsReached", now, "Reached expected number of succeeded pods"),
                _cond("Complete", "True", "CompletionsReached", now, "Reached expected number of succeeded pods"),
            ],
        }
    if (group, kind) == ("", "Pod"):
        spec = obj.get("spec") or {}
        containers = spec.get("containers") or []
        if spec.get("restartPolicy") in ("Never", "OnFailure"):
            return {
                "phase": "Succeeded",
                "startTime": now,
                "conditions": [_cond("Ready", "False", "PodCompleted", now)],
                "containerStatuses": [
                    {
                        "name": c.get("name"),
                        "image": c.get("image"),
                        "ready": False,
                        "restartCount": 0,
                        "started": False,
                        "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": now, "finishedAt": now}},
                    }
                    for c in containers
                ],
            }
        return {
            "phase": "Running",
            "startTime": now,
            "podIP": "10.244.0.10",
            "hostIP": "172.18.0.2",
            "conditions": [
                _cond("Initialized", "True", "", now),
                _cond("Ready", "True", "", now),
                _cond("ContainersReady", "True", "", now),
                _cond("PodScheduled", "True", "", now),
            ],
            "containerStatuses": [
                {
                    "name": c.get("name"),
                    "image": c.get("image"),
                    "ready": True,
                    "restartCount": 0,
                    "started": True,
                    "state": {"running": {"startedAt": now}},
                }
                for c in containers
            ],
        }
    if (group, kind) == ("", "PersistentVolumeClaim"):
        spec = obj.get("spec") or {}
        return {
            "phase": "Bound",
            "accessModes": spec.get("accessModes") or ["ReadWriteOnce"],
            "capacity": ((spec.get("resources") or {}).get("requests") or {"storage": "1Gi"}),
        }
    if (group, kind) == ("", "Service") and (obj.get("spec") or {}).get("type") == "LoadBalancer":
        return {"loadBalancer": {"ingress": [{"ip": "127.0.0.1", "ipMode": "VIP"}]}}
    if (group, kind) == ("policy", "PodDisruptionBudget"):
        return {"observedGeneration": gen, "currentHealthy": 1, "desiredHealthy": 1, "disruptionsAllowed": 0, "expectedPods": 1}
    return None


def failed_status(group: str, kind: str, obj: dict[str, Any], now: str, message: str) -> dict[str, Any] | None:
    """The status of `obj` once it failed; None for kinds that cannot fail."""
    gen = (obj.get("metadata") or {}).get("generation", 1)
    if (group, kind) == ("batch", "Job"):
        return {
            "startTime": now,
            "failed": 1,
            "active": 0,
            "ready": 0,
            "terminating": 0,
            "conditions": [
                _cond("FailureTarget", "True", "BackoffLimitExceeded", now, message),
                _cond("Failed", "True", "BackoffLimitExceeded", now, message),
            ],
        }
    if (group, kind) == ("", "Pod"):
        return {
            "phase": "Failed",
            "startTime": now,
            "message": message,
            "conditions": [_cond("Ready", "False", "PodFailed", now)],
        }
    if (group, kind) == ("apps", "Deployment"):
        n = _replicas(obj)
        return {
            "observedGeneration": gen,
            "replicas": n,
            "updatedReplicas": n,
            "unavailableReplicas": n,
            "conditions": [
                _cond("Available", "False", "MinimumReplicasUnavailable", now, "Deployment does not have minimum availability."),
                _cond("Progressing", "False", "ProgressDeadlineExceeded", now, message),
            ],
        }
    if (group, kind) == ("", "PersistentVolumeClaim"):
        return {"phase": "Lost"}
    return None


# Kinds that become ready on their own in auto-ready mode.
AUTO_READY = {
    ("apps", "Deployment"),
    ("apps", "StatefulSet"),
    ("apps", "DaemonSet"),
    ("apps", "ReplicaSet"),
    ("", "ReplicationController"),
    ("batch", "Job"),
    ("", "Pod"),
    ("", "PersistentVolumeClaim"),
    ("", "Service"),
    ("policy", "PodDisruptionBudget"),
}
