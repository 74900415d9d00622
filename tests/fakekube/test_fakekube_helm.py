"""The real Helm SDK (Helm v4's Go code, through `helm_python`) against fakekube.

Helm installs, upgrades, rolls back and uninstalls a small chart with its default Secret storage
driver; everything it does goes through the fake server's HTTP API (discovery, OpenAPI, server-side
apply, protobuf-encoded Secrets, watches while it waits).
"""

from __future__ import annotations

import base64
import threading
import time
from pathlib import Path

import helm_python as helm

import fakekube

CHART = str(Path(__file__).parent / "charts" / "demo")


def _config(srv):
    return helm.Config(kubeconfig_path=srv.kubeconfig_path, namespace="default", storage_driver="secret")


def _wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_release_lifecycle(srv):
    cfg = _config(srv)
    installed = cfg.install(CHART, "rel", {"greeting": "hi"}, timeout=30)
    assert (installed["name"], installed["revision"], installed["status"]) == ("rel", 1, "deployed")

    store = srv.store
    assert store.get(store.resolve("ConfigMap"), "default", "rel-cm")["data"] == {"greeting": "hi"}
    deploy = store.get(store.resolve("Deployment"), "default", "rel-web")
    assert deploy["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert store.get(store.resolve("Service"), "default", "rel-svc")["spec"]["clusterIP"]
    # Helm applied the manifests server-side: the objects record it as their manager.
    assert {e["operation"] for e in deploy["metadata"]["managedFields"]} == {"Apply"}
    record = store.get(store.resolve("Secret"), "default", "sh.helm.release.v1.rel.v1")
    assert record["type"] == "helm.sh/release.v1"
    assert record["metadata"]["labels"]["owner"] == "helm" and record["metadata"]["labels"]["name"] == "rel"
    assert base64.b64decode(record["data"]["release"])  # the gzip'd release, base64 twice over

    assert [(r["name"], r["status"]) for r in cfg.list()] == [("rel", "deployed")]
    status = cfg.status("rel")
    assert status["revision"] == 1 and "name: rel-cm" in status["manifest"]
    assert cfg.get_values("rel") == {"greeting": "hi"}

    upgraded = cfg.upgrade(CHART, "rel", {"greeting": "yo"}, timeout=30)
    assert upgraded["revision"] == 2
    assert store.get(store.resolve("ConfigMap"), "default", "rel-cm")["data"] == {"greeting": "yo"}

    cfg.rollback("rel", version=1)
    assert store.get(store.resolve("ConfigMap"), "default", "rel-cm")["data"] == {"greeting": "hi"}
    history = cfg.history("rel")
    assert len(history) == 3
    assert cfg.get_values("rel") == {"greeting": "hi"}
    assert cfg.status("rel")["revision"] == 3

    cfg.uninstall("rel")
    assert store.find(store.resolve("ConfigMap"), "default", "rel-cm") is None
    assert store.find(store.resolve("Deployment"), "default", "rel-web") is None
    assert store.objects("Secret", "default") == []
    assert cfg.list(all_states=True) == []


def test_install_waits_until_the_test_marks_the_deployment_ready(srv):
    cfg = _config(srv)
    result: dict = {}

    def install():
        try:
            result["release"] = cfg.install(CHART, "waited", timeout=30, wait="watcher")
        except Exception as exc:  # handed to the test thread
            result["error"] = exc

    t = threading.Thread(target=install)
    t.start()
    rt = srv.store.resolve("Deployment")
    assert _wait_for(lambda: srv.store.find(rt, "default", "waited-web") is not None)
    time.sleep(0.5)
    assert t.is_alive(), "Helm did not wait for the Deployment"
    srv.store.make_ready("Deployment", "default", "waited-web")
    t.join(30)
    assert "error" not in result, result.get("error")
    assert result["release"]["status"] == "deployed"


def test_failed_hook_job_fails_the_install(srv):
    cfg = _config(srv)
    result: dict = {}

    def install():
        try:
            result["release"] = cfg.install(CHART, "hooked", {"hook": True}, timeout=30)
        except Exception as exc:  # handed to the test thread
            result["error"] = exc

    t = threading.Thread(target=install)
    t.start()
    rt = srv.store.resolve("Job")
    assert _wait_for(lambda: srv.store.find(rt, "default", "hooked-migrate") is not None)
    srv.store.make_failed("Job", "default", "hooked-migrate", message="Job has reached the specified backoff limit")
    t.join(30)
    assert "error" in result
    assert "hooked-migrate" in str(result["error"]) and "failed" in str(result["error"])
    assert [(r["name"], r["status"]) for r in cfg.list(all_states=True)] == [("hooked", "failed")]


def test_auto_ready_completes_hooks_and_waits():
    with fakekube.serve(auto_ready=True) as srv:
        cfg = _config(srv)
        release = cfg.install(CHART, "auto", {"hook": True}, timeout=30, wait="watcher")
        assert release["status"] == "deployed"
        deploy = srv.store.get(srv.store.resolve("Deployment"), "default", "auto-web")
        assert deploy["status"]["availableReplicas"] == 1
