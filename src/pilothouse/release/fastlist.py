"""Listing releases without reading every revision: what `pilot list` asks the API server for.

Helm's list fetches and decodes every revision of every release. The labels of a record's object
(`name`, `version`, `status` and the user's) hold all that choosing the latest revision, the state
filter and the label selector need, so this reads only metadata (`PartialObjectMetadataList`,
paged), decides which revisions are shown, and fetches just those records.

Same answers as the full read as long as labels match their records, which is how Helm and
Pilothouse write them. When they cannot be trusted (a label missing or malformed, a record that
does not decode), `select` returns None and the caller falls back to the full read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from pilothouse.errors import ReleaseError
from pilothouse.release.model import Release


@dataclass
class Head:
    """One revision as its object's metadata describes it."""

    namespace: str
    key: str
    name: str
    version: int
    status: str
    labels: dict[str, str]


def _head(obj: dict[str, Any]) -> Head | None:
    meta = obj.get("metadata") or {}
    labels = dict(meta.get("labels") or {})
    name, version, status = labels.get("name"), labels.get("version", ""), labels.get("status")
    key = meta.get("name") or ""
    if not name or not status or not re.fullmatch(r"[0-9]{1,9}", version) or key != f"sh.helm.release.v1.{name}.v{version}":
        return None
    return Head(meta.get("namespace") or "", key, name, int(version), status, labels)


def supported(driver: Any) -> bool:
    """True for drivers that can answer metadata-only listings (Secrets, ConfigMaps)."""
    return callable(getattr(driver, "heads", None)) and callable(getattr(driver, "fetch", None))


def heads(driver: Any) -> list[Head] | None:
    """Every revision's metadata, in the server's order; None if any of it is unusable."""
    out = []
    for obj in driver.heads():
        h = _head(obj)
        if h is None:
            return None
        out.append(h)
    return out


def fetch(driver: Any, chosen: list[Head], workers: int = 8) -> list[Release] | None:
    """The records of ``chosen``, in order; None if one cannot be read (the caller falls back)."""
    def one(h: Head) -> Release | None:
        try:
            rel = driver.fetch(h.namespace, h.key)
        except ReleaseError:
            return None
        if rel.name != h.name or rel.version != h.version or rel.info.status != h.status:
            return None
        return rel

    if len(chosen) <= 1:
        rels = [one(h) for h in chosen]
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(chosen))) as pool:
            rels = list(pool.map(one, chosen))
    if any(r is None for r in rels):
        return None
    return rels  # type: ignore[return-value]


def latest(revisions: list[Head]) -> list[Head]:
    """The newest revision of each (namespace, name), in order of first appearance."""
    best: dict[tuple[str, str], Head] = {}
    for h in revisions:
        key = (h.namespace, h.name)
        if key in best and best[key].version > h.version:
            continue
        best[key] = h
    return list(best.values())


def keep(revisions: list[Head], test: Callable[[Head], bool]) -> list[Head]:
    return [h for h in revisions if test(h)]
