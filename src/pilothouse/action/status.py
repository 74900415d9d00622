"""`pilot status`: one revision of a release (the latest by default) with its live resources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pilothouse.action.config import Configuration
from pilothouse.release.model import Release

# Helm asks for server-side tables the way kubectl get does, with plain JSON as the fallback.
TABLE_ACCEPT = ("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
                "application/json")
RELATED_PODS = "v1/Pod(related)"


@dataclass
class Status:
    """`helm status` as an object; ``show_resources_table`` fetches the resources as kubectl tables."""

    cfg: Configuration
    version: int = 0
    show_resources_table: bool = False

    def run(self, name: str) -> Release:
        self.cfg.kube.is_reachable()
        rel = self.cfg.release_content(name, self.version)
        rel.info.resources = live_resources(self.cfg.kube, rel.manifest, table=self.show_resources_table) or None
        return rel


def _selector(obj: dict[str, Any]) -> dict[str, str] | None:
    """The pod selector of a workload (Helm's getSelectorFromObject), None for other kinds."""
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    kind = obj.get("kind")
    if kind in ("ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job"):
        sel = (spec.get("selector") or {}).get("matchLabels") if isinstance(spec.get("selector"), dict) else None
    elif kind == "ReplicationController":
        sel = spec.get("selector")
    else:
        return None
    if not isinstance(sel, dict) or not all(isinstance(v, str) for v in sel.values()):
        return None
    return sel


def live_resources(kube: Any, manifest: str, *, table: bool) -> dict[str, list[dict[str, Any]]]:
    """Helm's KubeClient.Get(related=true): the live objects by ``version/Kind``, plus the pods workloads select.

    Objects that cannot be read (deleted since) are left out, as Helm does.
    """
    from pilothouse.errors import PilothouseError

    accept = TABLE_ACCEPT if table else None
    params = {"includeObject": "Object"} if table else None
    out: dict[str, list[dict[str, Any]]] = {}
    seen: list[dict[str, str]] = []
    for res in kube.build(manifest):
        try:
            obj = kube.request("GET", kube.path(res.rtype, res.namespace, res.name), params=params, accept=accept)
        except PilothouseError:
            continue
        out.setdefault(f"{res.rtype.version}/{res.rtype.kind}", []).append(obj)
        from pilothouse import slog

        slog.debug("get relation pod of object", namespace=res.namespace, name=res.name, kind=res.kind)
        sel = _selector(res.obj)
        if sel is None or sel in seen:
            continue
        seen.append(sel)
        label_selector = ",".join(f"{k}={sel[k]}" for k in sorted(sel))
        pods_path = kube.path(kube.core("Pod"), res.namespace)
        try:
            found = kube.request("GET", pods_path, params={**(params or {}), "labelSelector": label_selector},
                                 accept=accept) or {}
        except PilothouseError:
            continue
        if not table:
            # a list answer is kept whole, its items typed as the list decoder types them
            found = dict(found)
            found["items"] = [{"apiVersion": "v1", "kind": "Pod", **p} for p in found.get("items") or []]
        out.setdefault(RELATED_PODS, []).append(found)
    return out
