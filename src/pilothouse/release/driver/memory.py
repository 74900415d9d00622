"""The memory driver: records in this process only (dry runs, tests, `HELM_DRIVER=memory`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from pilothouse.errors import ReleaseError
from pilothouse.release.driver.base import ReleaseExistsError, ReleaseNotFoundError
from pilothouse.release.model import Release

PREFIX = "sh.helm.release.v1."


def _labels(rel: Release) -> dict[str, str]:
    out = dict(rel.labels)
    out.update(name=rel.name, owner="helm", status=rel.info.status, version=str(rel.version))
    return out


def _split_key(key: str) -> str:
    rest = key[len(PREFIX):] if key.startswith(PREFIX) else key
    parts = rest.split(".v")
    if len(parts) != 2 or not parts[1].lstrip("+-").isdigit():
        raise ReleaseError("release: invalid key")
    return parts[0]


class Memory:
    """Records kept in a dict: namespace → key → release (copies, never shared with callers)."""

    name = "Memory"

    def __init__(self) -> None:
        self.namespace = "default"
        self._cache: dict[str, dict[str, Release]] = {}
        self._lock = threading.RLock()

    def set_namespace(self, namespace: str) -> None:
        """The namespace reads look in ('' = all)."""
        self.namespace = namespace

    def _namespaces(self) -> list[str]:
        return [self.namespace] if self.namespace else sorted(self._cache)

    def get(self, key: str) -> Release:
        _split_key(key)
        with self._lock:
            rel = self._cache.get(self.namespace, {}).get(key)
            if rel is None:
                raise ReleaseNotFoundError()
            return rel.copy()

    def list(self, keep: Callable[[Release], bool]) -> list[Release]:
        with self._lock:
            out = []
            for ns in self._namespaces():
                for rel in self._cache.get(ns, {}).values():
                    r = rel.copy()
                    r.labels = _labels(rel)
                    if keep(r):
                        out.append(r)
            return out

    def query(self, labels: Mapping[str, str]) -> list[Release]:
        with self._lock:
            out = []
            for ns in self._namespaces():
                for rel in self._cache.get(ns, {}).values():
                    have = _labels(rel)
                    if all(have.get(k) == v for k, v in labels.items()):
                        out.append(rel.copy())
            if not out:
                raise ReleaseNotFoundError()
            return out

    def create(self, key: str, rel: Release) -> None:
        with self._lock:
            ns = rel.namespace or "default"
            self.namespace = ns
            bucket = self._cache.setdefault(ns, {})
            if key in bucket:
                raise ReleaseExistsError()
            bucket[key] = rel.copy()

    def update(self, key: str, rel: Release) -> None:
        with self._lock:
            ns = rel.namespace or "default"
            self.namespace = ns
            bucket = self._cache.get(ns, {})
            if key not in bucket:
                raise ReleaseNotFoundError()
            bucket[key] = rel.copy()

    def delete(self, key: str) -> Release:
        _split_key(key)
        with self._lock:
            rel = self._cache.get(self.namespace, {}).pop(key, None)
            if rel is None:
                raise ReleaseNotFoundError()
            return rel
