"""Helm's release-name rule, in a module of its own so that `template` checks a name without
loading the cluster configuration."""

from __future__ import annotations

import re

from pilothouse.errors import ReleaseError

_VALID_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
INVALID_NAME = ("invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
                "[a-z0-9])?)*$ and the length must not be longer than 53")


def validate_release_name(name: str) -> None:
    """Helm's ValidateReleaseName (raises `ReleaseError` with ``no name provided`` or the regex message)."""
    if not name:
        raise ReleaseError("no name provided")
    if len(name) > 53 or not _VALID_NAME.match(name):
        raise ReleaseError(INVALID_NAME)
