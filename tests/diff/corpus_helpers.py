"""Corpus charts installed into a fake API server, and the live objects read back from its store."""

from __future__ import annotations

import copy
import os
import sys
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from corpus_cases import ABSENT_REASON, PRESENT, cases  # noqa: E402

__all__ = ["ABSENT_REASON", "PRESENT", "PAIRS", "SINGLE", "case_by_id", "values_of", "snapshot", "plain",
           "ensure_namespace"]

# charts with two deterministic corpus cases: installed with the first, upgraded to the second
PAIRS = [
    ("alertmanager--default", "alertmanager--features"),
    ("argo-workflows--default", "argo-workflows--features"),
    ("cert-manager--default", "cert-manager--features"),
    ("elastic-filebeat--default", "elastic-filebeat--deployment"),
    ("helmtest-lib-dep--default", "helmtest-lib-dep--ingress"),
    ("ingress-nginx--default", "ingress-nginx--features"),
    ("istio-gateway--default", "istio-gateway--features"),
    ("istiod--default", "istiod--ambient-profile"),
    ("kube-state-metrics--default", "kube-state-metrics--features"),
    ("bitnami-redis--sentinel", "bitnami-redis--standalone"),
    ("helm-create-scaffold--default", "helm-create-scaffold--features"),
    ("metrics-server--default", "metrics-server--features"),
    ("otel-collector--deployment", "otel-collector--daemonset-presets"),
    ("prometheus--default", "prometheus--features"),
    ("prometheus-postgres-exporter--password", "prometheus-postgres-exporter--features-password"),
]
SINGLE = ["hello-world--default", "helmtest-secret--default", "istio-base--default",
          "prometheus-node-exporter--default", "bitnami-mongodb--replicaset"]


def case_by_id(case_id: str) -> Any:
    return next(c for c in cases() if c.case_id == case_id)


def values_of(case: Any) -> dict[str, Any]:
    from pilothouse.chart import ValueOptions

    return ValueOptions(value_files=[case.values_file]).merge_values()


def ensure_namespace(srv: Any, name: str) -> None:
    """The namespace ``name`` and those some charts put objects in."""
    import httpx

    for other in ("istio-system",):
        if other != name:
            httpx.post(f"{srv.url}/api/v1/namespaces", json={"apiVersion": "v1", "kind": "Namespace",
                                                             "metadata": {"name": other}})
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
    resp = httpx.post(f"{srv.url}/api/v1/namespaces", json=body)
    assert resp.status_code in (201, 409), resp.text


def plain(obj: dict[str, Any] | None) -> dict[str, Any] | None:
    """An object without what the server maintains by itself."""
    if obj is None:
        return None
    obj = copy.deepcopy(obj)
    obj.pop("status", None)
    meta = obj.get("metadata", {})
    for k in ("managedFields", "resourceVersion", "uid", "creationTimestamp", "generation"):
        meta.pop(k, None)
    if meta.get("annotations") == {}:
        meta.pop("annotations")
    return obj


def snapshot(srv: Any, release: str) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """Every object in the store annotated as belonging to ``release``, by (apiVersion, kind, ns, name)."""
    out = {}
    store = srv.store
    for rt in list(store.registry.all()):
        if "list" not in getattr(rt, "verbs", ("list",)):
            continue
        for o in store.list(rt, None)[0]:
            ann = o.get("metadata", {}).get("annotations") or {}
            if ann.get("meta.helm.sh/release-name") == release:
                key = (o.get("apiVersion", rt.api_version), o.get("kind", rt.kind),
                       o["metadata"].get("namespace", ""), o["metadata"]["name"])
                out[key] = o
    return out


# kinds some charts' optional features create, served as CRDs as a cluster with those operators would
EXTRA_KINDS = [
    ("monitoring.coreos.com", "v1", "ServiceMonitor", "Namespaced"),
    ("monitoring.coreos.com", "v1", "PodMonitor", "Namespaced"),
    ("monitoring.coreos.com", "v1", "PrometheusRule", "Namespaced"),
    ("apiregistration.k8s.io", "v1", "APIService", "Cluster"),
    ("extensions", "v1beta1", "Ingress", "Namespaced"),
    ("gateway.networking.k8s.io", "v1", "HTTPRoute", "Namespaced"),
]


def ensure_extra_kinds(srv: Any) -> None:
    import httpx

    for group, version, kind, scope in EXTRA_KINDS:
        plural = kind.lower() + "s"
        crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
               "metadata": {"name": f"{plural}.{group}"},
               "spec": {"group": group, "scope": scope,
                        "names": {"kind": kind, "plural": plural, "singular": kind.lower(), "listKind": kind + "List"},
                        "versions": [{"name": version, "served": True, "storage": True, "schema": {
                            "openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}]}}
        resp = httpx.post(f"{srv.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json=crd)
        assert resp.status_code in (201, 409), resp.text


def edit_as_other_manager(srv: Any, obj: dict[str, Any], manager: str = "intruder") -> tuple[str, Any]:
    """Change one field helm set, as another controller would (a merge patch by another field manager).

    Returns the JSON path changed and the value it now has.
    """
    import httpx

    rt = srv.store.resolve(obj["kind"], obj["apiVersion"])
    meta = obj["metadata"]
    base = f"/apis/{rt.group}/{rt.version}" if rt.group else f"/api/{rt.version}"
    if rt.namespaced:
        base += f"/namespaces/{meta['namespace']}"
    url = f"{srv.url}{base}/{rt.plural}/{meta['name']}"
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    helm = [m for m in meta.get("managedFields") or [] if m["manager"] == "helm"]
    if isinstance(spec.get("replicas"), int) and any(
            "f:replicas" in (m.get("fieldsV1") or {}).get("f:spec", {}) for m in helm):
        path, value, patch = "spec.replicas", spec["replicas"] + 2, {"spec": {"replicas": spec["replicas"] + 2}}
    elif isinstance(obj.get("data"), dict) and obj["data"] and obj["kind"] != "Secret":
        key = sorted(obj["data"])[0]
        path, value, patch = f'data["{key}"]', "changed by hand", {"data": {key: "changed by hand"}}
    else:
        path, value = "metadata.labels.app.kubernetes.io/managed-by", "Someone"
        patch = {"metadata": {"labels": {"app.kubernetes.io/managed-by": "Someone"}}}
    resp = httpx.patch(url, json=patch, params={"fieldManager": manager},
                       headers={"Content-Type": "application/merge-patch+json"})
    assert resp.status_code == 200, resp.text
    return path, value
