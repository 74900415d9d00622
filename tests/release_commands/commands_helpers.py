"""Shared by the release-command tests (a module of its own: every test folder has a conftest.py)."""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHARTS = os.path.join(HERE, "charts")
sys.path.insert(0, os.path.join(HERE, "..", "release"))  # the Helm SDK runner (helmsdk.py)
