"""Simulated Deployments keep ReplicaSets as the Deployment controller does (what Helm's legacy wait reads)."""

from __future__ import annotations

import copy

import pytest

import fakekube


@pytest.fixture
def srv():
    with fakekube.serve(simulate=0) as server:
        yield server


def _deploy(srv, image: str = "nginx:1", replicas: int = 2) -> dict:
    rt = srv.store.resolve("Deployment")
    body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": image}]}}}}
    old = srv.store.find(rt, "default", "web")
    if old is None:
        return srv.store.create(rt, "default", body)
    new = copy.deepcopy(old)
    new["spec"] = {**old["spec"], "replicas": replicas}
    new["spec"]["template"]["spec"]["containers"][0]["image"] = image
    return srv.store.update(rt, "default", "web", new)


def test_deployment_owns_a_replicaset_that_owns_the_pods(srv):
    dep = _deploy(srv)
    srv.api.controllers.step()
    [rs] = srv.store.objects("ReplicaSet", "default")
    h = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{h}"
    ref = rs["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["uid"], ref["controller"]) == ("Deployment", "web",
                                                                        dep["metadata"]["uid"], True)
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": h}
    assert rs["spec"]["template"]["metadata"]["labels"] == {"app": "web", "pod-template-hash": h}
    pods = srv.store.objects("Pod", "default")
    assert len(pods) == 2
    assert all(p["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"] for p in pods)
    assert all(p["metadata"]["labels"]["pod-template-hash"] == h for p in pods)
    srv.api.controllers.step(3)
    rs = srv.store.objects("ReplicaSet", "default")[0]
    assert rs["status"]["readyReplicas"] == 2 and rs["status"]["observedGeneration"] == rs["metadata"]["generation"]
    dep = srv.store.objects("Deployment", "default")[0]
    assert {c["type"]: c["status"] for c in dep["status"]["conditions"]}["Available"] == "True"


def test_new_template_gets_a_new_replicaset_and_the_old_one_scales_to_zero(srv):
    _deploy(srv)
    srv.api.controllers.step(3)
    [first] = srv.store.objects("ReplicaSet", "default")
    _deploy(srv, image="nginx:2")
    srv.api.controllers.step(3)
    sets = {rs["metadata"]["name"]: rs for rs in srv.store.objects("ReplicaSet", "default")}
    assert len(sets) == 2
    assert sets[first["metadata"]["name"]]["spec"]["replicas"] == 0
    [new] = [rs for name, rs in sets.items() if name != first["metadata"]["name"]]
    assert new["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:2"
    pods = srv.store.objects("Pod", "default")
    assert len(pods) == 2 and all(p["metadata"]["ownerReferences"][0]["uid"] == new["metadata"]["uid"] for p in pods)


def test_scaling_keeps_the_replicaset_and_deleting_removes_everything(srv):
    _deploy(srv)
    srv.api.controllers.step(3)
    [rs] = srv.store.objects("ReplicaSet", "default")
    _deploy(srv, replicas=3)
    srv.api.controllers.step(3)
    [same] = srv.store.objects("ReplicaSet", "default")
    assert same["metadata"]["uid"] == rs["metadata"]["uid"] and same["spec"]["replicas"] == 3
    assert len(srv.store.objects("Pod", "default")) == 3
    srv.store.delete(srv.store.resolve("Deployment"), "default", "web")
    assert srv.store.objects("ReplicaSet", "default") == []
    assert srv.store.objects("Pod", "default") == []


def test_auto_ready_makes_no_replicasets():
    with fakekube.serve(auto_ready=True) as server:
        _deploy(server)
        assert server.store.objects("ReplicaSet", "default") == []
