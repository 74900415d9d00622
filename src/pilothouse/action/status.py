"""`pilot status`: one revision of a release (the latest by default)."""

from __future__ import annotations

from dataclasses import dataclass

from pilothouse.action.config import Configuration
from pilothouse.release.model import Release


@dataclass
class Status:
    """`helm status` as an object."""

    cfg: Configuration
    version: int = 0

    def run(self, name: str) -> Release:
        self.cfg.kube.is_reachable()
        return self.cfg.release_content(name, self.version)
