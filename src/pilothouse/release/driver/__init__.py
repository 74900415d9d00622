"""Release storage drivers: where release records live (Helm's `pkg/storage/driver`).

Every driver stores one record per revision under the key ``sh.helm.release.v1.<name>.v<rev>``
and answers `get`, `list`, `query`, `create`, `update`, `delete`. `from_env` picks one from
``HELM_DRIVER`` as Helm does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pilothouse.release.driver.base import (
    SYSTEM_LABELS,
    Driver,
    NoDeployedReleasesError,
    ReleaseExistsError,
    ReleaseNotFoundError,
    contains_system_labels,
    filter_system_labels,
)

if TYPE_CHECKING:
    from pilothouse.kube.client import KubeClient

__all__ = ["SYSTEM_LABELS", "Driver", "NoDeployedReleasesError", "ReleaseExistsError", "ReleaseNotFoundError",
           "contains_system_labels", "filter_system_labels", "new_driver"]


def new_driver(name: str | None, *, namespace: str, kube: KubeClient | None = None,
               sql_connection: str | None = None) -> Driver:
    """The driver Helm's ``HELM_DRIVER`` names: secret (default), configmap, memory or sql."""
    import os

    from pilothouse.errors import ReleaseError

    name = (name or "").strip()
    if name in ("secret", "secrets", ""):
        from pilothouse.release.driver.kubeobjects import Secrets

        return Secrets(_need(kube), namespace)
    if name in ("configmap", "configmaps"):
        from pilothouse.release.driver.kubeobjects import ConfigMaps

        return ConfigMaps(_need(kube), namespace)
    if name == "memory":
        from pilothouse.release.driver.memory import Memory

        d: Any = Memory()
        d.set_namespace(namespace)
        return d
    if name == "sql":
        from pilothouse.release.driver.sql import SQL

        conn = sql_connection if sql_connection is not None else os.environ.get("HELM_DRIVER_SQL_CONNECTION_STRING", "")
        return SQL(conn, namespace)
    raise ReleaseError(f'unknown driver "{name}"')


def _need(kube: Any) -> Any:
    if kube is None:
        from pilothouse.errors import ReleaseError

        raise ReleaseError("this storage driver needs a Kubernetes client")
    return kube
