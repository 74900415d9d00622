"""The Kubernetes client side: kubeconfig, discovery, apply, delete, and waiting (kstatus rules).

`KubeClient` talks to one API server; `Resource` is a manifest object with its REST mapping;
`pilothouse.kube.ops` holds Helm's create/update/delete of resource lists (server-side apply
with field manager ``helm``, or the client-side patch path); `pilothouse.kube.wait` waits
for readiness the way Helm's ``--wait`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilothouse.kube.client import KubeClient
    from pilothouse.kube.config import ClusterConfig, load_config
    from pilothouse.kube.errors import ApiError
    from pilothouse.kube.resources import Resource, ResourceType

_EXPORTS = {"KubeClient": "client", "ClusterConfig": "config", "load_config": "config", "ApiError": "errors",
            "Resource": "resources", "ResourceType": "resources"}

__all__ = ["ApiError", "ClusterConfig", "KubeClient", "Resource", "ResourceType", "load_config"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pilothouse.kube' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"pilothouse.kube.{module}"), name)
