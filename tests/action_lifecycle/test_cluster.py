"""The lifecycle scenarios against a real cluster (``KUBECONFIG``), with real controllers.

Run with ``PILOT_CLUSTER_TESTS=1 pytest -m cluster tests/action_lifecycle`` (the kind workflow
does); otherwise these are deselected.
"""

from __future__ import annotations

import os
import uuid

import pytest
from lifecycle_helpers import CHART

from pilothouse.action.config import Configuration
from pilothouse.action.history import History
from pilothouse.action.install import Install
from pilothouse.action.rollback import Rollback
from pilothouse.action.uninstall import Uninstall
from pilothouse.action.upgrade import Upgrade
from pilothouse.chart import load
from pilothouse.errors import PilothouseError

pytestmark = pytest.mark.cluster


@pytest.fixture
def ns():
    name = "pilot-" + uuid.uuid4().hex[:8]
    yield name
    cfg = Configuration.from_env(namespace=name)
    kube = cfg.kube
    try:
        kube.delete(kube.core("Namespace"), "", name)
    except PilothouseError:
        pass


def _cfg(ns: str) -> Configuration:
    return Configuration.from_env(kubeconfig=os.environ.get("KUBECONFIG"), namespace=ns)


def _states(cfg, name):
    return [(r.version, r.info.status) for r in reversed(History(cfg).run(name))]


def test_lifecycle_on_a_real_cluster(ns):
    cfg = _cfg(ns)
    rel = Install(cfg, release_name="web", create_namespace=True, wait="watcher", timeout=180).run(
        load(CHART), {"deployment": True})
    assert rel.info.status == "deployed"
    Upgrade(_cfg(ns), wait="watcher", timeout=180).run("web", load(CHART), {"deployment": True, "color": "x"})
    Rollback(_cfg(ns), wait="watcher", timeout=180).run("web")
    assert _states(cfg, "web") == [(1, "superseded"), (2, "superseded"), (3, "deployed")]
    Uninstall(_cfg(ns), keep_history=True, wait="watcher", timeout=120).run("web")
    rel = Install(_cfg(ns), release_name="web", replace=True).run(load(CHART), {})
    assert (rel.version, rel.info.status) == (4, "deployed")
    Uninstall(_cfg(ns)).run("web")


def test_atomic_upgrade_restores_on_a_real_cluster(ns):
    Install(_cfg(ns), release_name="web", create_namespace=True).run(load(CHART), {"color": "red"})
    with pytest.raises(PilothouseError, match="has been rolled back due to rollback-on-failure"):
        Upgrade(_cfg(ns), rollback_on_failure=True, timeout=60).run("web", load(CHART), {"extraName": "Bad_Name"})
    assert _states(_cfg(ns), "web") == [(1, "superseded"), (2, "failed"), (3, "deployed")]
    kube = _cfg(ns).kube
    cm = kube.get(kube.core("ConfigMap"), ns, "web-config")
    assert cm["data"]["color"] == "red"


def test_helm_reads_our_release_on_a_real_cluster(ns):
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "release"))
    from helmsdk import Helm

    Install(_cfg(ns), release_name="web", create_namespace=True).run(load(CHART), {"color": "red"})
    kubeconfig = os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config")
    helm = Helm(kubeconfig_path=kubeconfig, namespace=ns)
    assert [(r["name"], r["status"]) for r in helm.list()] == [("web", "deployed")]
    assert helm.get_values("web") == {"color": "red"}
    helm.upgrade(CHART, "web", {"color": "blue"})
    assert _states(_cfg(ns), "web") == [(1, "superseded"), (2, "deployed")]
