"""fakekube's simulated controllers, stepped by hand: what each tick does is fixed, not timed."""

from __future__ import annotations

import json

import httpx
import pytest

import fakekube


@pytest.fixture
def srv():
    with fakekube.serve(simulate=0) as server:
        yield server


def _pod(srv, name: str, image: str, **spec) -> None:
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": image}], **spec}}
    srv.store.create(srv.store.resolve("Pod"), "default", body)


def _state(srv, name: str) -> dict:
    pod = srv.store.find(srv.store.resolve("Pod"), "default", name)
    return pod["status"]


def test_image_pull_errors_then_back_off(srv):
    _pod(srv, "p", "registry.example/app:bad-tag")
    srv.api.controllers.step()
    assert _state(srv, "p")["containerStatuses"][0]["state"]["waiting"]["reason"] == "ErrImagePull"
    srv.api.controllers.step()
    assert _state(srv, "p")["containerStatuses"][0]["state"]["waiting"]["reason"] == "ImagePullBackOff"
    events = srv.store.objects("Event", "default")
    assert [e["reason"] for e in events] == ["Failed"] and events[0]["involvedObject"]["name"] == "p"


def test_healthy_pod_ready_after_two_ticks_and_crash_loop(srv):
    _pod(srv, "ok", "nginx:1")
    _pod(srv, "boom", "busybox:crash")
    srv.api.controllers.step()
    assert _state(srv, "ok")["phase"] == "Pending"
    srv.api.controllers.step()
    assert _state(srv, "ok")["phase"] == "Running"
    assert {c["type"]: c["status"] for c in _state(srv, "ok")["conditions"]}["Ready"] == "True"
    assert _state(srv, "boom")["containerStatuses"][0]["state"]["waiting"]["reason"] == "CrashLoopBackOff"


def test_unschedulable_and_missing_config(srv):
    _pod(srv, "big", "nginx:1", nodeSelector={"gpu": "yes"})
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "cfg"},
            "spec": {"containers": [{"name": "c", "image": "nginx:1",
                                     "envFrom": [{"configMapRef": {"name": "settings"}}]}]}}
    srv.store.create(srv.store.resolve("Pod"), "default", body)
    srv.api.controllers.step()
    sched = _state(srv, "big")["conditions"][0]
    assert (sched["type"], sched["status"], sched["reason"]) == ("PodScheduled", "False", "Unschedulable")
    waiting = _state(srv, "cfg")["containerStatuses"][0]["state"]["waiting"]
    assert waiting == {"reason": "CreateContainerConfigError", "message": 'configmap "settings" not found'}


def test_job_fails_when_its_pod_fails(srv):
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
           "spec": {"template": {"spec": {"restartPolicy": "Never",
                                          "containers": [{"name": "c", "image": "tool:fail"}]}}}}
    srv.store.create(srv.store.resolve("Job"), "default", job)
    srv.api.controllers.step(4)
    conds = {c["type"]: c for c in srv.store.find(srv.store.resolve("Job"), "default", "j")["status"]["conditions"]}
    assert conds["Failed"]["status"] == "True" and conds["Failed"]["reason"] == "BackoffLimitExceeded"


def test_audit_step_and_log_endpoints(srv):
    _pod(srv, "boom", "busybox:crash")
    with httpx.Client(base_url=srv.url) as http:
        assert http.post("/_fakekube/step", content=json.dumps({"ticks": 3})).json() == {"ticks": 3}
        assert http.get("/api/v1/namespaces/default/pods/boom/log").text == "exit status 1\n"
        http.get("/api/v1/namespaces/default/configmaps")
        audit = http.get("/_fakekube/audit").json()
    assert [(e["verb"], e["resource"]) for e in audit] == [("list", "configmaps")]
    assert audit[0]["seq"] == 1 and audit[0]["code"] == 200


def test_controllers_do_nothing_unless_asked():
    with fakekube.serve() as plain:
        assert plain.api.controllers is None
        with httpx.Client(base_url=plain.url) as http:
            assert http.post("/_fakekube/step").status_code == 400
