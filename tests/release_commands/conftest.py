"""A fake API server per test, and `pilot` run in-process against it."""

from __future__ import annotations

import pytest

import fakekube


@pytest.fixture
def srv():
    with fakekube.serve(auto_ready=True) as server:
        yield server


@pytest.fixture
def pilot(srv, pilot_in_process):
    return pilot_in_process(srv)
