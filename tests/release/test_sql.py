"""The SQL driver against a real PostgreSQL, and interchange with the real Helm SDK's SQL driver."""

from __future__ import annotations

import os

import pytest

from pilothouse.release.driver.base import ReleaseExistsError, ReleaseNotFoundError
from pilothouse.release.driver.sql import SQL
from pilothouse.release.model import Info, Release
from pilothouse.release.storage import Storage

CHART = os.path.join(os.path.dirname(__file__), "charts", "hooked")


def test_sql_driver_roundtrip(pgdb):
    driver = SQL(pgdb, "default")
    storage = Storage(driver)
    storage.create(Release(name="db", namespace="default", version=1, info=Info(status="superseded"),
                           labels={"team": "x"}))
    storage.create(Release(name="db", namespace="default", version=2, info=Info(status="deployed")))
    with pytest.raises(ReleaseExistsError):
        storage.create(Release(name="db", namespace="default", version=2, info=Info(status="deployed")))
    assert storage.get("db", 1).labels == {"team": "x"}
    assert storage.deployed("db").version == 2
    storage.max_history = 2
    storage.create(Release(name="db", namespace="default", version=3, info=Info(status="pending-upgrade")))
    assert sorted(r.version for r in storage.history("db")) == [2, 3]
    with pytest.raises(ReleaseNotFoundError):
        storage.get("db", 1)
    # a second connection sees the schema as already migrated
    assert Storage(SQL(pgdb, "default")).last("db").version == 3
    driver.close()


def test_sql_interchange_with_helm(pgdb, srv, helm, monkeypatch):
    from pilothouse.action.config import Configuration
    from pilothouse.action.get import GetValues
    from pilothouse.action.history import History
    from pilothouse.action.install import Install
    from pilothouse.action.upgrade import Upgrade
    from pilothouse.chart import load

    monkeypatch.setenv("HELM_DRIVER_SQL_CONNECTION_STRING", pgdb)
    h = helm("sql")
    # Helm first: it creates the tables; Pilothouse reads and continues
    h.install(CHART, "first", {"message": "helm"})
    cfg = Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace="default", driver="sql")
    assert GetValues(cfg).run("first") == {"message": "helm"}
    Upgrade(cfg).run("first", load(CHART), {"message": "pilot"})
    assert [(r["revision"], r["status"]) for r in h.history("first")] == [(1, "superseded"), (2, "deployed")]
    # Pilothouse first
    Install(cfg, release_name="second", labels={"tier": "db"}).run(load(CHART), {"count": 9})
    assert h.get_values("second") == {"count": 9}
    assert sorted((r["name"], r["status"]) for r in h.list()) == [("first", "deployed"), ("second", "deployed")]
    h.upgrade(CHART, "second", {"count": 10})
    assert [(r.version, r.info.status) for r in History(cfg).run("second")] == [(2, "deployed"), (1, "superseded")]
