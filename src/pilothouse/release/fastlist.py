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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    labels = meta.get("labels") or {}
    name, version, status = labels.get("name"), labels.get("version", ""), labels.get("status")
    key = meta.get("name") or ""
    if not name or not status or not (version.isascii() and version.isdigit() and len(version) < 10) \
            or key != f"sh.helm.release.v1.{name}.v{version}":
        return None
    return Head(meta.get("namespace") or "", key, name, int(version), status, labels)


def supported(driver: Any) -> bool:
    """True for drivers that can answer metadata-only listings (Secrets, ConfigMaps)."""
    return callable(getattr(driver, "heads", None)) and callable(getattr(driver, "fetch_many", None))


def heads(driver: Any) -> list[Head] | None:
    """Every revision's metadata, in the server's order; None if any of it is unusable."""
    out = []
    for obj in driver.heads():
        h = _head(obj)
        if h is None:
            return None
        out.append(h)
    return out


def fetch(driver: Any, chosen: list[Head]) -> list[Release] | None:
    """The records of ``chosen``, in order; None if one cannot be read (the caller falls back)."""
    got = driver.fetch_many([(h.namespace, h.key, h.name, h.version) for h in chosen])
    rels = []
    for h in chosen:
        rel = got.get((h.namespace, h.key))
        if rel is None or rel.name != h.name or rel.version != h.version or rel.info.status != h.status:
            return None
        rels.append(rel)
    return rels


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
