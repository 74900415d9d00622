"""A fake API server per test and a Configuration pointed at it."""

from __future__ import annotations

import os

import pytest
from lifecycle_helpers import CHART

import fakekube


@pytest.fixture
def srv():
    with fakekube.serve(trace=True) as server:
        yield server


@pytest.fixture
def make_cfg(srv):
    from pilothouse.action.config import Configuration

    def make(namespace: str = "default"):
        return Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace=namespace, driver="secret")

    return make


@pytest.fixture
def cfg(make_cfg):
    return make_cfg()


@pytest.fixture
def chart():
    from pilothouse.chart import load

    return lambda: load(CHART)


def pytest_collection_modifyitems(config, items):
    # tests marked `cluster` need a real cluster: they run only when asked to (the kind workflow)
    if os.environ.get("PILOT_CLUSTER_TESTS") == "1":
        return
    keep = [i for i in items if i.get_closest_marker("cluster") is None]
    dropped = [i for i in items if i.get_closest_marker("cluster") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
