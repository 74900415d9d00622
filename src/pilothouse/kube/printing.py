"""The kube client Helm swaps in when ``HELM_DRIVER=memory`` is given release data.

With ``HELM_MEMORY_DRIVER_DATA`` set, Helm replaces its Kubernetes client by a "printing" one that
builds no objects and writes nothing to the cluster: releases live and change only in memory, so
install, upgrade, rollback, uninstall and test run without touching a cluster. Discovery (the
cluster's version and API groups, for `.Capabilities`) still goes to the configured cluster, as in
Helm, whose capabilities come from the REST client getter rather than from the kube client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_DISCOVERY = frozenset({"api_versions", "server_version", "discover", "invalidate", "resource_type", "namespace"})
_UNREACHABLE = "kubernetes cluster unreachable: "


class PrintingKube:
    """Builds nothing, changes nothing, waits for nothing; asks the real cluster only for discovery."""

    printing = True

    def __init__(self, real: Callable[[], Any]) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        if name in _DISCOVERY:
            return getattr(self._real(), name)
        raise AttributeError(name)

    def capabilities(self) -> Any:
        """The cluster's capabilities; Helm asks discovery directly here, without its reachability
        check, so a dead cluster reads as discovery's own error."""
        from pilothouse.errors import PilothouseError

        try:
            return self._real().capabilities()
        except PilothouseError as err:
            msg = str(err).removeprefix(_UNREACHABLE)
            # discovery's client asks /version with its 32 s timeout in the query
            msg = msg.replace('/version": ', '/version?timeout=32s": ', 1)
            raise type(err)(f"could not get server version from Kubernetes: {msg}") from None

    @staticmethod
    def core(kind: str) -> Any:
        from pilothouse.kube.resources import core_type

        return core_type(kind)

    def is_reachable(self) -> None:
        return None

    def build(self, manifest: str, *, namespace: str | None = None) -> list[Any]:
        return []

    def create(self, rt: Any, namespace: str, obj: dict[str, Any], **_: Any) -> dict[str, Any]:
        return obj

    def replace(self, rt: Any, namespace: str, name: str, obj: dict[str, Any], **_: Any) -> dict[str, Any]:
        return obj

    def apply(self, rt: Any, namespace: str, obj: dict[str, Any], **_: Any) -> dict[str, Any]:
        return obj

    def patch(self, rt: Any, namespace: str, name: str, body: Any, patch_type: str, **_: Any) -> dict[str, Any]:
        return {}

    def delete(self, rt: Any, namespace: str, name: str, **_: Any) -> None:
        return None

    def get_or_none(self, rt: Any, namespace: str, name: str) -> None:
        return None

    def list(self, rt: Any, namespace: str = "", **_: Any) -> list[dict[str, Any]]:
        return []

    def pod_logs(self, namespace: str, pod: str, container: str = "") -> str:
        return ""

    def close(self) -> None:
        return None


class PrintingWaiter:
    """Helm's PrintingKubeWaiter: every wait succeeds at once."""

    def wait(self, resources: list[Any], timeout: float) -> None:
        return None

    def wait_with_jobs(self, resources: list[Any], timeout: float) -> None:
        return None

    def watch_until_ready(self, resources: list[Any], timeout: float) -> None:
        return None

    def wait_for_delete(self, resources: list[Any], timeout: float) -> None:
        return None
