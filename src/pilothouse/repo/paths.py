"""Where Helm keeps repository and registry state, so `pilot` and `helm` share it.

Each location honours Helm's environment variable first (HELM_REPOSITORY_CONFIG,
HELM_REPOSITORY_CACHE, HELM_REGISTRY_CONFIG, HELM_CONTENT_CACHE), then falls back to Helm's
default under the XDG homes (HELM_CONFIG_HOME, HELM_CACHE_HOME).
"""

from __future__ import annotations

import os


def repository_config() -> str:
    """``repositories.yaml`` (default ``$HELM_CONFIG_HOME/repositories.yaml``)."""
    from pilothouse.plugin.env import config_home

    return os.environ.get("HELM_REPOSITORY_CONFIG") or os.path.join(config_home(), "repositories.yaml")


def repository_cache() -> str:
    """The directory of cached ``<name>-index.yaml`` files (default ``$HELM_CACHE_HOME/repository``)."""
    from pilothouse.plugin.env import cache_home

    return os.environ.get("HELM_REPOSITORY_CACHE") or os.path.join(cache_home(), "repository")


def registry_config() -> str:
    """The registry credential file, docker ``config.json`` format (``$HELM_CONFIG_HOME/registry/config.json``)."""
    from pilothouse.plugin.env import config_home

    return os.environ.get("HELM_REGISTRY_CONFIG") or os.path.join(config_home(), "registry", "config.json")


def content_cache() -> str:
    """Downloaded charts keyed by digest (default ``$HELM_CACHE_HOME/content``)."""
    from pilothouse.plugin.env import cache_home

    return os.environ.get("HELM_CONTENT_CACHE") or os.path.join(cache_home(), "content")


def cache_index_file(name: str) -> str:
    """File name of a repository's cached index: ``<name>-index.yaml``."""
    return f"{name}-index.yaml"


def cache_charts_file(name: str) -> str:
    """File name of a repository's cached chart-name list: ``<name>-charts.txt``."""
    return f"{name}-charts.txt"


def atomic_write(path: str, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so readers never see half a file."""
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
