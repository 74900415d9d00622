"""Pilothouse: a Kubernetes package manager compatible with Helm v4, with sandboxed Wasm plugins.

The public API is re-exported here; everything else lives in modules users need not import.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__version__ = "0.1.0"

from pilothouse.errors import (
    ChartError,
    KubeError,
    ManifestError,
    PilothouseError,
    PluginError,
    ReleaseError,
    RepoError,
    TemplateError,
    ValuesError,
)

__all__ = [
    "__version__",
    "render",
    "PilothouseError",
    "ChartError",
    "ValuesError",
    "TemplateError",
    "ManifestError",
    "PluginError",
    "ReleaseError",
    "KubeError",
    "RepoError",
]



def render(
    chart: str | os.PathLike[str] | Any,
    *,
    values_files: Sequence[str] = (),
    values: Mapping[str, Any] | None = None,
    name: str = "release-name",
    namespace: str = "default",
    revision: int = 1,
    is_upgrade: bool = False,
    kube_version: str | None = None,
    api_versions: Iterable[str] = (),
) -> dict[str, str]:
    """Render ``chart`` (a directory, an archive, or a loaded chart) as Helm v4's engine does.

    ``values_files`` are read as ``-f`` files; ``values`` is merged over them. Returns Helm's
    engine-level map ``{template key: text}``: every non-partial template of the chart and its
    enabled subcharts (NOTES.txt included), without ``# Source:`` headers, sorting or splitting.
    Raises `ChartError`, `ValuesError` or `TemplateError` with Helm's messages.
    """
    from pilothouse.action.render import render as _render

    return _render(chart, values_files=values_files, values=values, name=name, namespace=namespace,
                   revision=revision, is_upgrade=is_upgrade, kube_version=kube_version, api_versions=api_versions)
