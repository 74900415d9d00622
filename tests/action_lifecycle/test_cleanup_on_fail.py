"""`--cleanup-on-fail`: a failed upgrade deletes the objects it created, and only those (Helm 4.2's failRelease)."""

from __future__ import annotations

import pytest
from lifecycle_helpers import configmap

from pilothouse.action.install import Install
from pilothouse.action.upgrade import Upgrade
from pilothouse.errors import PilothouseError


def _deployments(srv):
    return [o["metadata"]["name"] for o in srv.store.objects("Deployment", "default")]


def test_failed_upgrade_deletes_what_it_created(srv, cfg, chart):
    Install(cfg, release_name="web").run(chart(), {"color": "red"})
    with pytest.raises(PilothouseError) as err:
        # the new Deployment never becomes ready, so the upgrade fails after creating it
        Upgrade(cfg, cleanup_on_fail=True, wait="watcher", timeout=0.5).run(
            "web", chart(), {"color": "blue", "deployment": True, "extraName": "web-extra"})
    assert "resource Deployment/default/web-web not ready" in str(err.value)
    assert _deployments(srv) == []
    assert configmap(srv, "web-extra") is None
    # an object the previous revision owned is updated, not created: it stays
    assert configmap(srv, "web-config")["data"]["color"] == "blue"
    assert cfg.releases.last("web").info.status == "failed"


def test_failed_upgrade_without_cleanup_keeps_what_it_created(srv, cfg, chart):
    Install(cfg, release_name="web").run(chart(), {"color": "red"})
    with pytest.raises(PilothouseError):
        Upgrade(cfg, wait="watcher", timeout=0.5).run(
            "web", chart(), {"color": "blue", "deployment": True, "extraName": "web-extra"})
    assert _deployments(srv) == ["web-web"]
    assert configmap(srv, "web-extra") is not None
