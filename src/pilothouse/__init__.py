"""Pilothouse: a Kubernetes package manager compatible with Helm v4, with sandboxed Wasm plugins.

The public API is re-exported here; everything else lives in modules users need not import.
"""

from __future__ import annotations

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
