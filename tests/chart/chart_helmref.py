"""Asking the real Helm (through the test-only helm_python package) for expected answers."""

from __future__ import annotations

import json
import os
from typing import Any


def write_chart(root: str, files: dict[str, str]) -> str:
    """Write a small chart tree (relative path -> text) under ``root``; returns ``root``."""
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    return root


def helm_render(chart_dir: str, values: dict[str, Any] | None = None) -> dict[str, str]:
    """Helm's engine-level render of a chart directory: {template key: text}."""
    import helm_python as h
    from helm_python import _native

    chart = h.Chart.load(chart_dir)
    try:
        out = _native.call_string("helm_render", chart._raw(), json.dumps(values or {}),
                                  json.dumps({"name": "rel", "namespace": "ns"}))
    finally:
        chart.close()
    return json.loads(out)


def helm_values_per_chart(chart_dir: str, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """Helm's `.Values` of every rendered chart, read from `dump.yaml` templates holding toJson."""
    rendered = helm_render(chart_dir, values)
    return {k[: -len("/templates/dump.yaml")]: json.loads(v) for k, v in rendered.items() if k.endswith("/dump.yaml")}


def helm_values_from_yaml(text: str) -> dict[str, Any]:
    import helm_python as h

    return h.values_from_yaml(text)
