"""`Configuration`: what every cluster action needs — release storage, the Kubernetes client, a logger.

As Helm's `action.Configuration`. `Configuration.from_env` builds one the way `helm` does from
``--kubeconfig``, ``--kube-context``, ``--namespace`` and ``HELM_DRIVER``; tests build one
directly around a memory store.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from pilothouse.action.names import INVALID_NAME, validate_release_name  # noqa: F401 - their old home
from pilothouse.errors import PilothouseError, ReleaseError
from pilothouse.lazylog import LazyLogger
from pilothouse.release.model import Release
from pilothouse.release.storage import Storage

if TYPE_CHECKING:
    import logging

ERR_PENDING = "another operation (install/upgrade/rollback) is in progress"


def parse_duration(text: str | float | int) -> float:
    """A Go duration (``5m``, ``1h30m``, ``300s``, ``1.5s``) or a number of seconds → seconds."""
    if isinstance(text, (int, float)):
        return float(text)
    s = text.strip()
    if re.fullmatch(r"[0-9]+(\.[0-9]*)?", s):
        return float(s)
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
    total, pos = 0.0, 0
    sign = -1.0 if s.startswith("-") else 1.0
    s = s.lstrip("+-")
    for m in re.finditer(r"([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)", s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * units[m.group(2)]
        pos = m.end()
    if pos != len(s) or not s:
        raise PilothouseError(f'time: invalid duration "{text}"')
    return sign * total


@dataclass
class Configuration:
    """The shared state of actions (Helm's action.Configuration)."""

    releases: Storage
    kube_factory: Callable[[], Any] | None = None
    namespace: str = "default"
    log: logging.Logger = field(default_factory=lambda: LazyLogger("pilothouse"))  # type: ignore[assignment]
    capabilities: Any = None
    hook_output: IO[str] = field(default_factory=lambda: sys.stdout)
    _kube: Any = None
    # waiting: a callback for `pilothouse.kube.progress` events, how long a failure must last before
    # the wait gives up (seconds), and whether to fetch the logs of failing Pods
    progress: Callable[[object], None] | None = None
    fail_grace: float = 2.0
    pod_logs: bool = False

    @property
    def kube(self) -> Any:
        """The Kubernetes client (created on first use)."""
        if self._kube is None:
            if self.kube_factory is None:
                raise PilothouseError("kubernetes cluster unreachable: no cluster configured")
            self._kube = self.kube_factory()
        return self._kube

    @kube.setter
    def kube(self, value: Any) -> None:
        self._kube = value

    @classmethod
    def from_env(cls, *, namespace: str | None = None, kubeconfig: str | None = None,
                 kube_context: str | None = None, driver: str | None = None, all_namespaces: bool = False,
                 kube_client: Any = None) -> Configuration:
        """Storage and client the way `helm` sets them up (``HELM_DRIVER``, ``HELM_NAMESPACE``, kubeconfig)."""
        from pilothouse.release.driver import new_driver

        driver = driver if driver is not None else os.environ.get("HELM_DRIVER", "")
        ns_flag = namespace or os.environ.get("HELM_NAMESPACE") or None
        state: dict[str, Any] = {"client": kube_client, "config": None}

        def kube_factory() -> Any:
            if state["client"] is None:
                from pilothouse.kube.client import KubeClient

                if state["config"] is not None:
                    state["client"] = KubeClient(state["config"], namespace=ns_flag or state["config"].namespace)
                else:
                    state["client"] = KubeClient.from_kubeconfig(kubeconfig, kube_context, ns_flag)
            return state["client"]

        if ns_flag is None and kube_client is None and driver != "memory":
            # the kubeconfig alone names the namespace: commands that never reach the cluster
            # (client dry runs) then skip loading the client
            from pilothouse.kube.config import load_config

            try:
                state["config"] = load_config(kubeconfig, kube_context, None)
                ns = state["config"].namespace or "default"
            except PilothouseError:
                ns = "default"
        else:
            ns = ns_flag or (kube_client.namespace if kube_client is not None else "default")
        store_ns = "" if all_namespaces else ns
        if driver in ("secret", "secrets", "", "configmap", "configmaps"):
            d = new_driver(driver, namespace=store_ns, kube=_Lazy(kube_factory))
        else:
            d = new_driver(driver, namespace=store_ns)
        max_history = int(os.environ.get("HELM_MAX_HISTORY", "10") or 10)
        cfg = cls(releases=Storage(d, max_history=max_history), kube_factory=kube_factory, namespace=ns)
        if driver == "memory" and kube_client is None:
            # Helm preloads HELM_MEMORY_DRIVER_DATA and then works on memory alone: its kube client
            # becomes a printing one that builds and changes nothing (discovery still asks the cluster)
            from pilothouse.kube.printing import PrintingKube
            from pilothouse.release.driver.memory_data import preload

            preload(d, store_ns)
            cfg.kube = PrintingKube(kube_factory)
        return cfg

    # --- helpers the actions share -------------------------------------------------------------

    def get_capabilities(self) -> Any:
        """Capabilities of the cluster (discovery), cached."""
        if self.capabilities is None:
            self.capabilities = self.kube.capabilities()
        return self.capabilities

    def record_release(self, rel: Release) -> None:
        """Store a release update; a failure is logged, not raised (Helm's recordRelease)."""
        try:
            self.releases.update(rel)
        except PilothouseError as err:
            self.log.debug("warning: Failed to update release %s: %s", rel.name, err)

    def waiter(self, strategy: str) -> Any:
        if getattr(self.kube, "printing", False):
            from pilothouse.kube.printing import PrintingWaiter

            return PrintingWaiter()
        from pilothouse.kube.wait import Waiter

        return Waiter(self.kube, strategy, progress=self.progress, fail_grace=self.fail_grace, logs=self.pod_logs)

    def release_content(self, name: str, version: int = 0) -> Release:
        """A revision of a release (the latest when ``version`` is 0)."""
        try:
            validate_release_name(name)
        except ReleaseError:
            # Helm's releaseContent words it its own way, whatever was wrong with the name
            raise ReleaseError(f"releaseContent: Release name is invalid: {name}") from None
        if version <= 0:
            return self.releases.last(name)
        return self.releases.get(name, version)


class _Lazy:
    """A stand-in for the Kubernetes client that creates it on first attribute access."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory

    def core(self, kind: str) -> Any:
        # KubeClient.core, without importing the client
        from pilothouse.kube.resources import core_type

        return core_type(kind)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._factory(), name)


def post_renderer_func(name: str | None, args: list[str] | None = None) -> Callable[[str], str] | None:
    """A ``--post-renderer`` (plugin name or executable) as the callable rendering takes."""
    if not name:
        return None
    argv = list(args or [])

    def run(manifests: str) -> str:
        from pilothouse.plugin.postrender import run_postrenderer

        return run_postrenderer(name, argv, manifests)

    return run


def lookup_func(kube: Any) -> Callable[..., Any]:
    """The template function `lookup` backed by the cluster (Helm's NewLookupFunction)."""
    from pilothouse.gotemplate.gotypes import FuncError, gofunc
    from pilothouse.kube.errors import ApiError

    @gofunc("string", "string", "string", "string")
    def lookup(api_version: str, kind: str, namespace: str, name: str) -> dict:
        try:
            rt = kube.resource_type(api_version, kind)
        except PilothouseError as err:
            raise FuncError(f"unable to get apiresource from unstructured: {api_version}, Kind={kind}: {err}") from None
        ns = namespace if rt.namespaced else ""
        try:
            if name:
                return kube.get(rt, ns, name)
            items = kube.list(rt, ns)
            return {"apiVersion": api_version, "kind": kind + "List", "metadata": {}, "items": items}
        except ApiError as err:
            if err.not_found:
                return {}
            raise FuncError(str(err)) from None

    return lookup
