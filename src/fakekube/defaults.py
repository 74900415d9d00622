"""Defaulting: the fields the real server fills in on create and update.

Only the defaults a client can notice (Service cluster IPs and port protocols, Secret `stringData`,
Deployment replicas and strategy, Namespace phase, container pull policies) are filled in.
"""

from __future__ import annotations

import base64
import itertools
from typing import Any

_ip_counter = itertools.count(1)
_node_port_counter = itertools.count(30000)


def _pull_policy(image: str) -> str:
    last = image.rsplit("/", 1)[-1]
    if "@" in last:
        return "IfNotPresent"
    tag = last.split(":", 1)[1] if ":" in last else ""
    return "Always" if tag in ("", "latest") else "IfNotPresent"


def _pod_spec(spec: dict[str, Any]) -> None:
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("securityContext", {})
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or []:
            if not isinstance(c, dict):
                continue
            if isinstance(c.get("image"), str):
                c.setdefault("imagePullPolicy", _pull_policy(c["image"]))
            c.setdefault("terminationMessagePath", "/dev/termination-log")
            c.setdefault("terminationMessagePolicy", "File")
            c.setdefault("resources", {})
            for port in c.get("ports") or []:
                if isinstance(port, dict):
                    port.setdefault("protocol", "TCP")


def _template(obj: dict[str, Any]) -> None:
    template = (obj.get("spec") or {}).get("template")
    if isinstance(template, dict) and isinstance(template.get("spec"), dict):
        _pod_spec(template["spec"])


def apply_defaults(group: str, kind: str, obj: dict[str, Any], old: dict[str, Any] | None) -> None:
    """Fill in defaults on `obj` in place; `old` is the stored object on updates."""
    spec = obj.get("spec")
    if (group, kind) == ("", "Secret"):
        obj.setdefault("type", "Opaque")
        string_data = obj.pop("stringData", None)
        if isinstance(string_data, dict):
            data = obj.setdefault("data", {}) or {}
            obj["data"] = data
            for key, value in string_data.items():
                data[key] = base64.b64encode(str(value).encode()).decode()
    elif (group, kind) == ("", "Namespace"):
        obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
        obj["status"] = {"phase": "Active"}
    elif (group, kind) == ("", "Service") and isinstance(spec, dict):
        spec.setdefault("type", "ClusterIP")
        spec.setdefault("sessionAffinity", "None")
        if spec["type"] != "ExternalName":
            old_spec = (old or {}).get("spec") or {}
            if not spec.get("clusterIP"):
                n = old_spec.get("clusterIP") or _next_ip()
                spec["clusterIP"] = n
            spec.setdefault("clusterIPs", [spec["clusterIP"]])
            spec.setdefault("ipFamilies", ["IPv4"])
            spec.setdefault("ipFamilyPolicy", "SingleStack")
            spec.setdefault("internalTrafficPolicy", "Cluster")
        for port in spec.get("ports") or []:
            if not isinstance(port, dict):
                continue
            port.setdefault("protocol", "TCP")
            if "port" in port:
                port.setdefault("targetPort", port["port"])
            if spec["type"] in ("NodePort", "LoadBalancer"):
                port.setdefault("nodePort", next(_node_port_counter))
    elif (group, kind) == ("", "Pod") and isinstance(spec, dict):
        _pod_spec(spec)
        if not obj.get("status"):
            obj["status"] = {"phase": "Pending", "qosClass": "BestEffort"}
    elif (group, kind) == ("", "PersistentVolumeClaim") and isinstance(spec, dict):
        spec.setdefault("volumeMode", "Filesystem")
        if not obj.get("status"):
            obj["status"] = {"phase": "Pending"}
    elif (group, kind) == ("apps", "Deployment") and isinstance(spec, dict):
        spec.setdefault("replicas", 1)
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
        spec.setdefault("strategy", {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})
        _template(obj)
    elif (group, kind) == ("apps", "StatefulSet") and isinstance(spec, dict):
        spec.setdefault("replicas", 1)
        spec.setdefault("podManagementPolicy", "OrderedReady")
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("updateStrategy", {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
        _template(obj)
    elif (group, kind) in (("apps", "DaemonSet"), ("apps", "ReplicaSet")) and isinstance(spec, dict):
        if kind == "ReplicaSet":
            spec.setdefault("replicas", 1)
        _template(obj)
    elif (group, kind) == ("batch", "Job") and isinstance(spec, dict):
        spec.setdefault("backoffLimit", 6)
        spec.setdefault("completions", 1)
        spec.setdefault("parallelism", 1)
        _template(obj)
    elif (group, kind) == ("batch", "CronJob") and isinstance(spec, dict):
        spec.setdefault("concurrencyPolicy", "Allow")
        spec.setdefault("suspend", False)
        spec.setdefault("successfulJobsHistoryLimit", 3)
        spec.setdefault("failedJobsHistoryLimit", 1)


def _next_ip() -> str:
    n = next(_ip_counter)
    return f"10.96.{(n >> 8) & 255}.{n & 255}"
