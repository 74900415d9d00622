"""`pilot test --filter/--logs`: which test hooks run, how the record keeps them, what is printed."""

from __future__ import annotations

import os

import pytest
from commands_helpers import CHARTS

from pilothouse.action.release_testing import parse_filters

SUITE = os.path.join(CHARTS, "suite")


def _hooks(rel_hooks):
    return [(h["name"], (h.get("last_run") or {}).get("phase") or "") for h in rel_hooks]


def _pilot_hooks(srv):
    from pilothouse.action.config import Configuration

    cfg = Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace="default")
    rel = cfg.releases.last("web")
    return [(h.name, (h.last_run or {}).get("phase") or "") for h in rel.hooks]


@pytest.mark.parametrize("filters", [["!name=web-t-a"], ["name=web-t-b,name=web-t-c"], ["! name=web-t-c"],
                                     ["name=web-t-a", "!name=web-t-b"], ["color=red"]])
def test_filters_match_helm(srv, pilot, filters):
    from helmsdk import Helm

    include, exclude = parse_filters([i for f in filters for i in f.split(",")])
    helm = Helm(kubeconfig_path=srv.kubeconfig_path, namespace="default", storage_driver="secret")
    helm.install(SUITE, "web")
    helm.test("web", include_names=include or None, exclude_names=exclude or None)
    expected = _hooks(helm.get_all("web")["hooks"])
    pilot("uninstall", "web")
    pilot("install", "web", SUITE)
    args = [a for f in filters for a in ("--filter", f)]
    rc, out, _ = pilot("test", "web", *args)
    assert rc == 0
    # skipped hooks go back first; only the selected tests have run
    assert _pilot_hooks(srv) == expected
    ran = [n for n, phase in expected if phase == "Succeeded" and n != "web-post"]
    assert [line.split()[-1] for line in out.splitlines() if line.startswith("TEST SUITE:")] == ran
    assert "NOTES:" not in out  # helm test never shows the notes


def test_parse_filters_as_helm():
    assert parse_filters(["name=a", "!name=b", "! name=c", "!  name=d", "other=e", "name="]) == (["a", ""], ["b", "c"])


def test_logs_follow_the_status_lightest_first(pilot, monkeypatch):
    from pilothouse.kube.client import KubeClient

    calls = []

    def fake_logs(self, namespace, pod, container=""):
        calls.append((namespace, pod, container))
        return f"log of {pod}\n"

    monkeypatch.setattr(KubeClient, "pod_logs", fake_logs)
    pilot("install", "web", SUITE)
    rc, out, _ = pilot("test", "web", "--logs", "--filter", "!name=web-t-c")
    assert rc == 0
    status, logs = out.split("\n\nPOD LOGS:", 1)
    assert status.rstrip().endswith("Phase:          Succeeded")
    assert "POD LOGS:" + logs == "POD LOGS: web-t-b\nlog of web-t-b\n\nPOD LOGS: web-t-a\nlog of web-t-a\n\n"
    assert calls == [("default", "web-t-b", ""), ("default", "web-t-a", "")]


def test_logs_error_is_helms(pilot, monkeypatch):
    from pilothouse.kube.client import KubeClient
    from pilothouse.kube.errors import KubeError

    def broken(self, namespace, pod, container=""):
        raise KubeError("the server could not find the requested resource")

    monkeypatch.setattr(KubeClient, "pod_logs", broken)
    pilot("install", "web", SUITE)
    rc, out, err = pilot("test", "web", "--logs")
    assert rc == 1 and "Phase:          Succeeded\n\n" in out
    assert err == "Error: unable to get pod logs for web-t-b: the server could not find the requested resource\n"
