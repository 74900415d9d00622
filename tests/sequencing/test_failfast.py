"""Waiting fails fast, with the object and the reason, where Helm waits out the whole --timeout."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from seq_helpers import BROKEN

import fakekube

TIMEOUT = 120.0
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELM = os.path.join(ROOT, ".venv", "bin", "helm")

CASES = [
    ("bad-image", "Deployment/default/web", "ImagePullBackOff", 'Failed to pull image "registry.example/web:bad-tag"'),
    ("bad-pod", "Pod/default/tool", "ImagePullBackOff", "Failed to pull image"),
    ("daemonset-bad-image", "DaemonSet/default/agent", "ImagePullBackOff", "Failed to pull image"),
    ("crash-loop", "Deployment/default/web", "CrashLoopBackOff", "Back-off restarting failed container"),
    ("statefulset-crash", "StatefulSet/default/db", "CrashLoopBackOff", "Back-off restarting failed container"),
    ("missing-configmap", "Deployment/default/web", 'CreateContainerConfigError: configmap "web-settings" not found',
     'Error: configmap "web-settings" not found'),
    ("missing-secret", "Deployment/default/web", 'CreateContainerConfigError: secret "web-credentials" not found',
     'Error: secret "web-credentials" not found'),
    ("unschedulable", "Deployment/default/web", "is unschedulable: 0/1 nodes are available: 1 node(s) didn't match "
     "Pod's node affinity/selector.", "FailedScheduling"),
    ("insufficient-cpu", "Deployment/default/web", "is unschedulable: 0/1 nodes are available: 1 Insufficient cpu.",
     "FailedScheduling"),
    ("progress-deadline", "Deployment/default/web", 'ProgressDeadlineExceeded: ReplicaSet "web" has timed out '
     "progressing.", None),
    ("failing-job", "Job/default/migrate", "Job has reached the specified backoff limit", "BackoffLimitExceeded"),
]


@pytest.mark.parametrize(("chart", "obj", "reason", "event"), CASES, ids=[c[0] for c in CASES])
def test_broken_chart_fails_fast_with_the_reason(pilot, sim, chart, obj, reason, event):
    start = time.monotonic()
    rc, _, err = pilot("install", "broken", os.path.join(BROKEN, chart), "--wait", "--wait-for-jobs",
                       f"--timeout={int(TIMEOUT)}s", "--progress=none")
    took = time.monotonic() - start
    assert rc != 0 and "Traceback" not in err
    assert err.startswith(f"Error: INSTALLATION FAILED: resource {obj} failed: ")
    assert reason in err.splitlines()[0]
    if event:
        assert "  event: " in err and event in err
    assert "context deadline exceeded" not in err
    assert took < TIMEOUT  # it stopped on the failure, not on the timeout
    rc, out, _ = pilot("status", "broken")
    assert "STATUS: failed" in out


def test_rollback_on_failure_uninstalls(pilot, sim):
    rc, _, err = pilot("install", "broken", os.path.join(BROKEN, "bad-image"), "--rollback-on-failure",
                       "--timeout=120s", "--progress=none")
    assert rc != 0
    assert "release broken failed, and has been uninstalled due to rollback-on-failure being set: resource " \
           "Deployment/default/web failed: Pod web-" in err
    assert sim.store.objects("Deployment") == []
    assert pilot("status", "broken")[0] != 0


def test_logs_of_failing_pods_and_plain_progress(pilot, sim):
    rc, _, err = pilot("install", "broken", os.path.join(BROKEN, "crash-loop"), "--wait", "--timeout=120s",
                       "--logs", "--progress=plain")
    assert rc != 0
    assert "--- log of Pod default/web-" in err and "exit status 1" in err
    lines = [line for line in err.splitlines() if line.startswith("Deployment/web: ")]
    assert lines and "FAILED: Pod web-" in lines[-1] and "CrashLoopBackOff" in lines[-1]
    # one line per change, not one per poll
    assert len(lines) == len(set(lines))


def _helm(srv, *argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path, HELM_DRIVER="secret")
    for key in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
        env.pop(key, None)
    return subprocess.run([HELM, *argv], env=env, capture_output=True, text=True, timeout=300)


# (a failed Job and a Deployment past its progress deadline Helm notices too: kstatus calls them Failed)
@pytest.mark.parametrize("chart", ["bad-image", "crash-loop", "unschedulable", "missing-configmap"])
def test_helm_waits_for_the_whole_timeout_where_pilot_stops(chart, tmp_path):
    helm_timeout = 4.0
    with fakekube.serve(simulate=0.02) as srv:
        start = time.monotonic()
        proc = _helm(srv, "install", "h", os.path.join(BROKEN, chart), "--wait", "--wait-for-jobs",
                     f"--timeout={int(helm_timeout)}s")
        helm_took = time.monotonic() - start
        assert proc.returncode != 0
        assert "context deadline exceeded" in proc.stderr
        assert helm_took >= helm_timeout
        # the same chart, the same server (another namespace), with a timeout thirty times longer
        start = time.monotonic()
        env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path, PYTHONPATH=os.path.join(ROOT, "src"))
        env.pop("HELM_DRIVER", None)
        ours = subprocess.run([sys.executable, "-m", "pilothouse", "install", "p", os.path.join(BROKEN, chart),
                               "--wait", "--wait-for-jobs", "--timeout=120s", "--progress=none", "-n", "ours",
                               "--create-namespace"], env=env,
                              capture_output=True, text=True, timeout=300)
        took = time.monotonic() - start
        assert ours.returncode != 0 and " failed: " in ours.stderr
        assert "context deadline exceeded" not in ours.stderr
        assert took < 120
