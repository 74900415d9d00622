"""What every storage driver offers, the errors they share, and the system labels."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from pilothouse.errors import ReleaseError
from pilothouse.release.model import Release

SYSTEM_LABELS = ("name", "owner", "status", "version", "createdAt", "modifiedAt")


class ReleaseNotFoundError(ReleaseError):
    """No record under the key (Helm's `ErrReleaseNotFound`)."""

    def __init__(self, message: str = "release: not found") -> None:
        super().__init__(message)


class ReleaseExistsError(ReleaseError):
    """A record already exists under the key (Helm's `ErrReleaseExists`)."""

    def __init__(self, message: str = "release: already exists") -> None:
        super().__init__(message)


class NoDeployedReleasesError(ReleaseError):
    """The release has no revision in the deployed state."""

    def __init__(self, name: str) -> None:
        super().__init__(f'"{name}" has no deployed releases')
        self.release_name = name


class Driver(Protocol):
    """A place to keep release records."""

    name: str

    def get(self, key: str) -> Release:
        """The record under ``key``; raises `ReleaseNotFoundError`. System labels are filtered out."""
        ...

    def list(self, keep: Callable[[Release], bool]) -> list[Release]:
        """Every record of this driver's namespace (all namespaces when it is '') that ``keep`` accepts."""
        ...

    def query(self, labels: Mapping[str, str]) -> list[Release]:
        """Records whose labels match; raises `ReleaseNotFoundError` when there are none."""
        ...

    def create(self, key: str, rel: Release) -> None:
        """Store a new record; raises `ReleaseExistsError` if the key is taken."""
        ...

    def update(self, key: str, rel: Release) -> None:
        """Replace the record under ``key``."""
        ...

    def delete(self, key: str) -> Release:
        """Remove the record under ``key`` and return it."""
        ...


def is_system_label(key: str) -> bool:
    return key in SYSTEM_LABELS


def filter_system_labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    """The labels minus Helm's system ones."""
    return {k: v for k, v in (labels or {}).items() if k not in SYSTEM_LABELS}


def contains_system_labels(labels: Mapping[str, str] | None) -> bool:
    """True when user labels use a reserved name."""
    return any(k in SYSTEM_LABELS for k in labels or {})


def system_labels_error() -> ReleaseError:
    """Helm's refusal of reserved label names."""
    return ReleaseError("user supplied labels contains system reserved label name. System labels: "
                        f"[{' '.join(SYSTEM_LABELS)}]")
