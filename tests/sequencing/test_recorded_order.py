"""HIP-0025: a release remembers that it was applied in order, and uninstall/rollback follow that order."""

from __future__ import annotations

import os
import subprocess

from seq_helpers import CHARTS, applied, deleted

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELM = os.path.join(ROOT, ".venv", "bin", "helm")
CHART = os.path.join(CHARTS, "groups")
LABEL = "pilothouse.io/sequenced"


def _labels(sim, name: str, version: int, ns: str = "default") -> dict:
    secret = sim.store.find(sim.store.resolve("Secret"), ns, f"sh.helm.release.v1.{name}.v{version}")
    return secret["metadata"]["labels"]


def _helm(sim, *argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KUBECONFIG=sim.kubeconfig_path, HELM_DRIVER="secret")
    for key in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
        env.pop(key, None)
    return subprocess.run([HELM, *argv], env=env, capture_output=True, text=True, timeout=300)


def test_ordered_install_is_recorded_and_helm_still_reads_the_record(pilot, sim):
    assert pilot("install", "g", CHART, "--wait=ordered", "--timeout=120s")[0] == 0
    assert _labels(sim, "g", 1)[LABEL] == "true"
    status = _helm(sim, "status", "g")
    assert status.returncode == 0 and "STATUS: deployed" in status.stdout
    history = _helm(sim, "history", "g")
    assert history.returncode == 0 and "Install complete" in history.stdout
    assert pilot("install", "plain", CHART, "--timeout=120s", "-n", "other", "--create-namespace")[0] == 0
    assert LABEL not in _labels(sim, "plain", 1, "other")


def test_uninstall_of_an_ordered_release_is_ordered_by_default(pilot, sim):
    assert pilot("install", "g", CHART, "--wait=ordered", "--timeout=120s")[0] == 0
    sim.api.audit.clear()
    rc, out, err = pilot("uninstall", "g", "--timeout=120s", "--progress=plain")
    assert rc == 0, err
    assert 'release "g" uninstalled' in out
    assert deleted(sim) == ["app", "queue", "db"]
    assert "step " in err  # deleted batch by batch, each gone before the next


def test_upgrade_without_ordered_drops_the_mark_and_rollback_restores_the_order(pilot, sim):
    assert pilot("install", "g", CHART, "--wait=ordered", "--timeout=120s")[0] == 0
    assert pilot("upgrade", "g", CHART, "--set", "x=1", "--timeout=120s")[0] == 0
    assert LABEL not in _labels(sim, "g", 2)
    sim.api.audit.clear()
    rc, out, err = pilot("rollback", "g", "1", "--timeout=120s", "--progress=plain")
    assert rc == 0, err
    assert "Rollback was a success" in out
    # revision 1 was applied in order, so the rollback to it is too, and says so in its record
    assert applied(sim) == ["db", "queue", "app"]
    steps = [line for line in err.splitlines() if line.startswith("step ")]
    assert steps[:2] == ["step 1/4: applying 1 object(s): groups database", "step 1/4: ready: groups database"]
    assert _labels(sim, "g", 3)[LABEL] == "true"


def test_an_explicit_wait_overrides_the_record(sim):
    from pilothouse.action.config import Configuration
    from pilothouse.action.install import Install
    from pilothouse.action.uninstall import Uninstall
    from pilothouse.chart import load

    cfg = Configuration.from_env(kubeconfig=sim.kubeconfig_path, namespace="default", driver="secret")
    rel = Install(cfg, release_name="lib", wait="ordered", timeout=120).run(load(CHART))
    assert rel.labels[LABEL] == "true"
    steps: list[object] = []
    cfg.progress = steps.append
    Uninstall(cfg, wait="hookOnly", follow_recorded_order=False).run("lib")
    # not ordered: no HIP-0025 steps were reported
    assert not [e for e in steps if type(e).__name__ == "StepStarted"]
    assert sim.store.objects("Deployment", "default") == []
