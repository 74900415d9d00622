"""A fake API server with simulated controllers per test, and `pilot` run in-process against it."""

from __future__ import annotations

import pytest

import fakekube


@pytest.fixture
def sim():
    # controllers tick in the background so that a waiting client sees progress; tests assert the
    # order of what happened, never how long it took
    with fakekube.serve(simulate=0.02) as server:
        yield server


@pytest.fixture
def pilot(sim, pilot_in_process):
    return pilot_in_process(sim)

