"""`pilot get`: the stored pieces of a release — values, manifest, notes, hooks, metadata, all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pilothouse.action.config import Configuration
from pilothouse.release.model import Release


@dataclass
class Get:
    """`helm get all|manifest|notes|hooks` as an object: `run` returns the revision."""

    cfg: Configuration
    version: int = 0

    def run(self, name: str) -> Release:
        self.cfg.kube.is_reachable()
        return self.cfg.release_content(name, self.version)


@dataclass
class GetValues:
    """`helm get values`: the user-supplied values, or (``all_values``) the computed ones."""

    cfg: Configuration
    version: int = 0
    all_values: bool = False

    def run(self, name: str) -> dict[str, Any]:
        rel = Get(self.cfg, self.version).run(name)
        if self.all_values:
            from pilothouse.chart import coalesce_values

            return dict(coalesce_values(rel.chart_object(), rel.config))
        return rel.config


@dataclass
class GetMetadata:
    """`helm get metadata`: who the release is and where it stands."""

    cfg: Configuration
    version: int = 0

    def run(self, name: str) -> dict[str, Any]:
        rel = Get(self.cfg, self.version).run(name)
        return metadata_of(rel)


def metadata_of(rel: Release) -> dict[str, Any]:
    """Helm's `Metadata` struct for a release, in its JSON field order."""
    md = rel.chart_metadata
    return {
        "name": rel.name,
        "chart": rel.chart_name,
        "version": rel.chart_version,
        "appVersion": rel.app_version,
        "annotations": md.get("annotations") or {},
        "labels": rel.labels,
        "dependencies": md.get("dependencies") or [],
        "namespace": rel.namespace,
        "revision": rel.version,
        "status": rel.info.status,
        "deployedAt": rel.info.last_deployed,
        "applyMethod": rel.apply_method,
    }
