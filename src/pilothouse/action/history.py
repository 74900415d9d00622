"""`pilot history`: every stored revision of a release."""

from __future__ import annotations

from dataclasses import dataclass

from pilothouse.action.config import Configuration, validate_release_name
from pilothouse.errors import ReleaseError
from pilothouse.release.model import Release, sort_by_revision


@dataclass
class History:
    """`helm history` as an object; `run` returns the revisions, newest first, at most ``max``."""

    cfg: Configuration
    max: int = 256

    def run(self, name: str) -> list[Release]:
        self.cfg.kube.is_reachable()
        try:
            validate_release_name(name)
        except ReleaseError:
            raise ReleaseError(f"release name is invalid: {name}") from None
        from pilothouse import slog

        slog.debug("getting history for release", release=name)
        hist = sort_by_revision(self.cfg.releases.history(name), reverse=True)
        return hist[: self.max] if self.max > 0 else []
