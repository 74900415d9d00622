"""``--wait=legacy`` is Helm's legacy waiter: Deployments wait for their newest ReplicaSet, polls every
2 s, and the timeout ends with Helm's ``context deadline exceeded``."""

from __future__ import annotations

import os
import subprocess

import pytest
from seq_helpers import CHARTS

import fakekube
from pilothouse.kube import legacy_ready
from pilothouse.kube.client import KubeClient
from pilothouse.kube.resources import Resource, ResourceType

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELM = os.path.join(ROOT, ".venv", "bin", "helm")
CHART = os.path.join(CHARTS, "legacy")
DEPLOY = ResourceType("apps", "v1", "Deployment", "deployments", True)


def _deployment(name: str, behaviour: str, ready_after: int, replicas: int = 2) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name},
                                               "annotations": {"fakekube.pilothouse.io/simulate": behaviour,
                                                               "fakekube.pilothouse.io/ready-after-ticks":
                                                                   str(ready_after)}},
                                  "spec": {"containers": [{"name": "c", "image": "registry.example/web:1"}]}}}}


class _Ticks:
    """A clock that only moves when the waiter sleeps; each sleep is one controller tick."""

    def __init__(self, srv) -> None:
        self.srv, self.now, self.sleeps = srv, 0.0, []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.srv.api.controllers.step()


@pytest.fixture
def stepped():
    with fakekube.serve(simulate=0) as srv, KubeClient.from_kubeconfig(srv.kubeconfig_path) as kube:
        yield srv, kube


def test_waits_for_the_replicaset_to_become_ready_after_ticks(stepped):
    srv, kube = stepped
    body = _deployment("web", "ok", ready_after=3)
    kube.create(DEPLOY, "default", body)
    res = Resource(DEPLOY, "default", "web", body)
    ticks = _Ticks(srv)
    checker = legacy_ready.ReadyChecker(kube)
    assert not checker.is_ready(res)  # no ReplicaSet yet: not ready, no error
    legacy_ready.wait(kube, [res], 600, clock=ticks.clock, sleep=ticks.sleep)
    # it polled every 2 s until the ReplicaSet had both Pods ready, not before
    assert ticks.sleeps and set(ticks.sleeps) == {2.0}
    assert len(ticks.sleeps) >= 3
    [rs] = srv.store.objects("ReplicaSet", "default")
    assert rs["status"]["readyReplicas"] == 2
    assert rs["metadata"]["ownerReferences"][0]["name"] == "web"


def test_stops_at_the_timeout_with_helms_message(stepped):
    srv, kube = stepped
    body = _deployment("web", "never-ready", ready_after=1)
    kube.create(DEPLOY, "default", body)
    ticks = _Ticks(srv)
    with pytest.raises(legacy_ready.LegacyWaitError, match="^context deadline exceeded$"):
        legacy_ready.wait(kube, [Resource(DEPLOY, "default", "web", body)], 5, clock=ticks.clock, sleep=ticks.sleep)
    # checks at 0, 2 and 4 s, then the rest of the 5 s
    assert ticks.sleeps == [2.0, 2.0, 1.0]


def test_a_missing_object_ends_the_wait_with_the_api_error(stepped):
    _, kube = stepped
    body = _deployment("gone", "ok", ready_after=1)
    with pytest.raises(legacy_ready.LegacyWaitError, match='deployments.apps "gone" not found'):
        legacy_ready.wait(kube, [Resource(DEPLOY, "default", "gone", body)], 600, sleep=lambda s: None)


def test_failed_job_is_retried_then_reported(stepped):
    # Helm treats a failed Job like a transport error: retried 30 times, then reported
    srv, kube = stepped
    job_rt = ResourceType("batch", "v1", "Job", "jobs", True)
    body = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"},
            "spec": {"backoffLimit": 0, "template": {"spec": {
                "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox:fail"}]}}}}
    kube.create(job_rt, "default", body)
    ticks = _Ticks(srv)
    with pytest.raises(legacy_ready.LegacyWaitError, match="^job is failed: default/migrate$"):
        legacy_ready.wait(kube, [Resource(job_rt, "default", "migrate", body)], 600, jobs=True,
                          clock=ticks.clock, sleep=ticks.sleep)
    # without --wait-for-jobs a Job is ready at once
    legacy_ready.wait(kube, [Resource(job_rt, "default", "migrate", body)], 600, sleep=ticks.sleep)


def test_wait_for_delete_polls_until_gone_then_times_out_like_helm(stepped):
    srv, kube = stepped
    body = _deployment("web", "ok", ready_after=1)
    kube.create(DEPLOY, "default", body)
    res = Resource(DEPLOY, "default", "web", body)
    ticks = _Ticks(srv)
    with pytest.raises(legacy_ready.LegacyWaitError, match="^context deadline exceeded$"):
        legacy_ready.wait_for_delete(kube, [res], 3, clock=ticks.clock, sleep=ticks.sleep)
    assert ticks.sleeps == [2.0, 1.0]
    kube.delete(DEPLOY, "default", "web")
    legacy_ready.wait_for_delete(kube, [res], 3, clock=ticks.clock, sleep=ticks.sleep)


def _helm(srv, *argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path, HELM_DRIVER="secret")
    for key in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
        env.pop(key, None)
    return subprocess.run([HELM, *argv], env=env, capture_output=True, text=True, timeout=300)


def test_install_waits_like_helm(pilot, sim):
    # both wait for the Deployment's ReplicaSet, which becomes ready as the controllers tick
    rc, out, err = pilot("install", "ours", CHART, "--wait=legacy", "--timeout=120s", "-n", "ours",
                         "--create-namespace")
    assert rc == 0, err
    assert "STATUS: deployed" in out
    [rs] = sim.store.objects("ReplicaSet", "ours")
    assert rs["status"]["readyReplicas"] == 2
    proc = _helm(sim, "install", "theirs", CHART, "--wait=legacy", "--timeout=120s", "-n", "theirs",
                 "--create-namespace")
    assert proc.returncode == 0, proc.stderr
    [rs] = sim.store.objects("ReplicaSet", "theirs")
    assert rs["status"]["readyReplicas"] == 2


def test_timeout_message_is_helms(pilot, sim):
    proc = _helm(sim, "install", "theirs", CHART, "--wait=legacy", "--timeout", "3s", "--set",
                 "behaviour=never-ready", "-n", "theirs", "--create-namespace")
    assert proc.returncode == 1
    rc, _, err = pilot("install", "ours", CHART, "--wait=legacy", "--timeout", "3s", "--set",
                       "behaviour=never-ready", "-n", "ours", "--create-namespace")
    assert rc == 1
    assert err == proc.stderr == "Error: INSTALLATION FAILED: context deadline exceeded\n"
    assert "STATUS: failed" in pilot("status", "ours", "-n", "ours")[1]
