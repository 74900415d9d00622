"""Fixtures: a fresh fake API server per test; helpers for the real helm CLI and pilot processes."""

from __future__ import annotations

import os
import sys

import pytest

import fakekube

sys.path.insert(0, os.path.dirname(__file__))


@pytest.fixture
def srv():
    with fakekube.serve() as server:
        yield server
