"""What the host functions act on during one plugin call: the chart being processed, the
cluster client and the release storage (the user's own, as the CLI would use them).

An action or plugin type sets it around its calls with `use`; without one, the cluster and
releases are those of the environment (kubeconfig, ``HELM_DRIVER``), as for `pilot` itself.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

_local = threading.local()


class HostContext:
    """The objects host functions read; each made on first use."""

    def __init__(self, *, chart: Any = None, kube: Any = None,
                 storage: Callable[[str], Any] | None = None, kubeconfig: str | None = None,
                 kube_context: str | None = None) -> None:
        self.chart = chart
        self._kube = kube
        self._kubeconfig, self._kube_context = kubeconfig, kube_context
        self._storage = storage
        self._stores: dict[str, Any] = {}

    def kube(self) -> Any:
        """The Kubernetes client with the user's credentials."""
        if self._kube is None:
            import os

            from pilothouse.kube.client import KubeClient

            self._kube = KubeClient.from_kubeconfig(self._kubeconfig or os.environ.get("KUBECONFIG") or None,
                                                    self._kube_context or os.environ.get("HELM_KUBECONTEXT") or None)
        return self._kube

    def releases(self, namespace: str) -> Any:
        """The release storage of ``namespace`` (the driver in use)."""
        store = self._stores.get(namespace)
        if store is None:
            if self._storage is not None:
                store = self._storage(namespace)
            else:
                from pilothouse.action.config import Configuration

                store = Configuration.from_env(namespace=namespace, kube_client=self.kube()).releases
            self._stores[namespace] = store
        return store


def current() -> HostContext:
    """The context of this thread's plugin call (a default one when none was set).

    The default one is kept while the cluster the environment names stays the same.
    """
    ctx = getattr(_local, "ctx", None)
    if ctx is not None:
        return ctx
    import os

    key = (os.environ.get("KUBECONFIG"), os.environ.get("HELM_KUBECONTEXT"), os.environ.get("HELM_DRIVER"),
           os.environ.get("HELM_NAMESPACE"))
    cached = getattr(_local, "default", None)
    if cached is None or cached[0] != key:
        cached = _local.default = (key, HostContext())
    return cached[1]


@contextlib.contextmanager
def use(ctx: HostContext) -> Iterator[HostContext]:
    """Make ``ctx`` the context of the plugin calls made in this block (this thread)."""
    prev = getattr(_local, "ctx", None)
    _local.ctx = ctx
    try:
        yield ctx
    finally:
        _local.ctx = prev
