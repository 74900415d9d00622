"""Helm itself as the reference: render a throwaway chart with the real Helm engine.

The engine is Helm's own Go SDK loaded in-process (`helm_python`, a test-only dependency).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

_CHART_YAML = "apiVersion: v2\nname: t\nversion: 0.1.0\n"


def helm_render(templates: dict[str, str], files: dict[str, str] | None = None, values: object = None) -> dict[str, str]:
    """Render a chart made of `templates` (name → text) and extra `files`; returns name → output."""
    import helm_python as h
    from helm_python import _native

    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "t"
        (root / "templates").mkdir(parents=True)
        (root / "Chart.yaml").write_text(_CHART_YAML)
        for name, text in templates.items():
            (root / "templates" / name).write_text(text, encoding="utf-8")
        for name, text in (files or {}).items():
            p = root / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
        chart = h.Chart.load(str(root))
        try:
            out = _native.call_string(
                "helm_render", chart._raw(), json.dumps(values or {}), json.dumps({"name": "rel", "namespace": "ns"})
            )
        finally:
            chart.close()
    res = json.loads(out)
    return {k.split("/templates/", 1)[1]: v for k, v in res.items()}


@pytest.fixture(scope="session")
def helm():
    """The `helm_render` function (Helm's engine as the oracle)."""
    return helm_render
