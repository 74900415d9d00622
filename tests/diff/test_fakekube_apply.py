"""The fake API server's server-side apply, as the diff relies on it: a dry run gives what the real
apply then stores, repeated applies change nothing, list items keyed by defaulted fields are found,
and another field manager's edit moves ownership as on a real server."""

from __future__ import annotations

import httpx
import pytest

import fakekube
from pilothouse.kube.client import KubeClient


def _svc(*ports):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a", "namespace": "default"},
            "spec": {"clusterIP": "None", "selector": {"app": "a"}, "ports": list(ports)}}


P1 = {"name": "redis", "port": 6379, "targetPort": "redis"}
P2 = {"name": "sentinel", "port": 26379, "targetPort": "sentinel"}


@pytest.fixture
def kube():
    with fakekube.serve() as srv, KubeClient.from_kubeconfig(srv.kubeconfig_path) as client:
        client.srv = srv
        yield client


def test_repeated_apply_changes_nothing(kube):
    rt = kube.resource_type("v1", "Service")
    first = kube.apply(rt, "default", _svc(P1))
    again = kube.apply(rt, "default", _svc(P1))
    assert again["spec"]["ports"] == [{**P1, "protocol": "TCP"}]
    assert again["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    owned = again["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"]["f:ports"]
    # the key names the protocol the server defaulted, as kube-apiserver records it
    assert list(owned) == ['k:{"port":6379,"protocol":"TCP"}']


def test_dry_run_equals_the_apply_that_follows(kube):
    rt = kube.resource_type("v1", "Service")
    kube.apply(rt, "default", _svc(P1, P2))
    dry = kube.apply(rt, "default", _svc(P1), dry_run=True)
    assert dry["spec"]["ports"] == [{**P1, "protocol": "TCP"}]
    stored_before = kube.get(rt, "default", "a")
    assert len(stored_before["spec"]["ports"]) == 2, "a dry run stores nothing"
    real = kube.apply(rt, "default", _svc(P1))
    for obj in (dry, real):
        for entry in obj["metadata"]["managedFields"]:
            entry.pop("time")
    rv = real["metadata"].pop("resourceVersion")
    dry["metadata"].pop("resourceVersion")
    assert dry == real
    assert int(rv) > int(stored_before["metadata"]["resourceVersion"])


def test_another_field_manager_takes_the_field_and_a_forced_apply_takes_it_back(kube):
    rt = kube.resource_type("apps/v1", "Deployment")
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "default"},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "d"}},
                    "template": {"metadata": {"labels": {"app": "d"}},
                                 "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    kube.apply(rt, "default", dep)
    resp = httpx.patch(f"{kube.srv.url}/apis/apps/v1/namespaces/default/deployments/d", json={"spec": {"replicas": 4}},
                       params={"fieldManager": "hpa-controller"},
                       headers={"Content-Type": "application/merge-patch+json"})
    assert resp.status_code == 200
    managers = {e["manager"]: e for e in resp.json()["metadata"]["managedFields"]}
    assert "f:replicas" in managers["hpa-controller"]["fieldsV1"]["f:spec"]
    assert "f:replicas" not in managers["helm"]["fieldsV1"]["f:spec"]
    dry = kube.apply(rt, "default", dep, force=True, dry_run=True)
    assert dry["spec"]["replicas"] == 1
    assert kube.get(rt, "default", "d")["spec"]["replicas"] == 4


def test_names_with_colons_are_decoded(kube):
    rt = kube.resource_type("rbac.authorization.k8s.io/v1", "ClusterRole")
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "system:x"},
            "rules": []}
    assert kube.apply(rt, "", role)["metadata"]["name"] == "system:x"
    assert kube.get(rt, "", "system:x")["metadata"]["name"] == "system:x"
