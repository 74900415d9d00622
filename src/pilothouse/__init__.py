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
    "install",
    "upgrade",
    "diff_upgrade",
    "drift",
    "rollback",
    "uninstall",
    "list_releases",
    "history",
    "status",
    "load_postrenderer",
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


def _configuration(config: Any, namespace: str | None, kubeconfig: str | None, kube_context: str | None,
                   driver: str | None) -> Any:
    if config is not None:
        return config
    from pilothouse.action.config import Configuration

    return Configuration.from_env(namespace=namespace, kubeconfig=kubeconfig, kube_context=kube_context, driver=driver)


def _chart(chart: Any) -> Any:
    if isinstance(chart, (str, os.PathLike)):
        from pilothouse.chart import load

        return load(os.fspath(chart))
    return chart


def install(chart: str | os.PathLike[str] | Any, name: str, *, values: Mapping[str, Any] | None = None,
            namespace: str | None = None, kubeconfig: str | None = None, kube_context: str | None = None,
            driver: str | None = None, config: Any = None, **options: Any) -> Any:
    """Install ``chart`` as release ``name`` (`pilot install`); options are `action.install.Install` fields.

    Returns the stored `Release`. ``config`` (an `action.config.Configuration`) overrides the
    kubeconfig/driver arguments.
    """
    from pilothouse.action.install import Install

    cfg = _configuration(config, namespace, kubeconfig, kube_context, driver)
    return Install(cfg, release_name=name, namespace=cfg.namespace, **options).run(_chart(chart), dict(values or {}))


def upgrade(name: str, chart: str | os.PathLike[str] | Any, *, values: Mapping[str, Any] | None = None,
            namespace: str | None = None, kubeconfig: str | None = None, kube_context: str | None = None,
            driver: str | None = None, config: Any = None, **options: Any) -> Any:
    """Upgrade release ``name`` to ``chart`` (`pilot upgrade`); options are `action.upgrade.Upgrade` fields."""
    from pilothouse.action.upgrade import Upgrade

    cfg = _configuration(config, namespace, kubeconfig, kube_context, driver)
    return Upgrade(cfg, namespace=cfg.namespace, **options).run(name, _chart(chart), dict(values or {}))


def rollback(name: str, revision: int = 0, *, namespace: str | None = None, kubeconfig: str | None = None,
             kube_context: str | None = None, driver: str | None = None, config: Any = None, **options: Any) -> Any:
    """Roll release ``name`` back to ``revision`` (0: the previous one), as `pilot rollback`."""
    from pilothouse.action.rollback import Rollback

    cfg = _configuration(config, namespace, kubeconfig, kube_context, driver)
    return Rollback(cfg, version=revision, **options).run(name)


def uninstall(name: str, *, namespace: str | None = None, kubeconfig: str | None = None,
              kube_context: str | None = None, driver: str | None = None, config: Any = None,
              **options: Any) -> Any:
    """Uninstall release ``name`` (`pilot uninstall`); options are `action.uninstall.Uninstall` fields."""
    from pilothouse.action.uninstall import Uninstall

    cfg = _configuration(config, namespace, kubeconfig, kube_context, driver)
    return Uninstall(cfg, **options).run(name)


def list_releases(*, namespace: str | None = None, kubeconfig: str | None = None, kube_context: str | None = None,
                  driver: str | None = None, config: Any = None, **options: Any) -> list[Any]:
    """The releases `pilot list` shows; options are `action.list.List` fields."""
    from pilothouse.action.config import Configuration
    from pilothouse.action.list import List

    if config is None:
        config = Configuration.from_env(namespace=namespace, kubeconfig=kubeconfig, kube_context=kube_context,
                                        driver=driver, all_namespaces=bool(options.get("all_namespaces")))
    return List(config, **options).run()


def history(name: str, *, namespace: str | None = None, kubeconfig: str | None = None,
            kube_context: str | None = None, driver: str | None = None, config: Any = None) -> list[Any]:
    """Every stored revision of release ``name``, newest first."""
    from pilothouse.action.history import History

    return History(_configuration(config, namespace, kubeconfig, kube_context, driver)).run(name)


def status(name: str, revision: int = 0, *, namespace: str | None = None, kubeconfig: str | None = None,
           kube_context: str | None = None, driver: str | None = None, config: Any = None) -> Any:
    """One revision of release ``name`` (the latest when ``revision`` is 0)."""
    from pilothouse.action.status import Status

    return Status(_configuration(config, namespace, kubeconfig, kube_context, driver), version=revision).run(name)


def load_postrenderer(name: str, args: Sequence[str] = (), *, settings: Any = None) -> Any:
    """The post-renderer ``name`` (a ``postrenderer/v1`` plugin or an executable) resolved once.

    Returns a `plugin.postrender.PostRenderer`: call it with a manifest stream to get the
    post-rendered one, from any thread; `close()` it (or use ``with``) when done. For a process
    that post-renders many times; raises `PluginError` as ``--post-renderer`` would.
    """
    from pilothouse.plugin.postrender import load_postrenderer as _load

    return _load(name, args, settings=settings)


def diff_upgrade(name: str, chart: str | os.PathLike[str] | Any, *, values: Mapping[str, Any] | None = None,
                 namespace: str | None = None, kubeconfig: str | None = None, kube_context: str | None = None,
                 driver: str | None = None, config: Any = None, options: Any = None, **flags: Any) -> Any:
    """What upgrading ``name`` to ``chart`` would change (`pilot diff upgrade`), changing nothing.

    Returns an `action.diff.DiffResult` whose ``changes`` are `ObjectChange` entries (key, change
    type, line diff, changed fields, objects before and after). ``options`` is an
    `action.diff.DiffOptions`; ``flags`` are `action.diff.DiffUpgrade` fields (``reset_values``,
    ``reuse_values``, ``install``, ``dry_run``...).
    """
    from pilothouse.action.diff import DiffOptions, DiffUpgrade

    cfg = _configuration(config, namespace, kubeconfig, kube_context, driver)
    return DiffUpgrade(cfg, options=options or DiffOptions(), **flags).run(name, _chart(chart), dict(values or {}))


def drift(name: str, *, namespace: str | None = None, kubeconfig: str | None = None, kube_context: str | None = None,
          driver: str | None = None, config: Any = None, **options: Any) -> Any:
    """How the live objects of release ``name`` differ from its deployed revision (`pilot drift`).

    Returns an `action.drift.DriftResult`; ``options`` are `action.drift.Drift` fields
    (``ignore_paths``, ``ignore_managers``, ``correct``...).
    """
    from pilothouse.action.drift import Drift

    return Drift(_configuration(config, namespace, kubeconfig, kube_context, driver), **options).run(name)
