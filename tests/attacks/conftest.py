"""The attack suite shares the plugin tests' fixtures (an isolated Helm home, the `pilot` runner)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "plugin_test_fixtures", Path(__file__).resolve().parent.parent / "plugin" / "conftest.py")
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)

HelmHome = _fixtures.HelmHome
helm_home = _fixtures.helm_home
pilot = _fixtures.pilot
wat_build = _fixtures.wat_build
