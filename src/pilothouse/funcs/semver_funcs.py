"""Sprig's `semver` and `semverCompare`, on pilothouse.semver (Masterminds/semver v3.5.0 rules)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.gotemplate.gotypes import FuncError, gofunc
from pilothouse.semver import Constraints, SemverError, Version


@gofunc("string")
def semver(version: str) -> Version:
    """Parse `version` leniently into a *semver.Version ("v1.2" works); errors are Go's."""
    try:
        return Version.parse(version)
    except SemverError as e:
        raise FuncError(str(e)) from None


@gofunc("string", "string")
def semver_compare(constraint: str, version: str) -> bool:
    """Whether `version` satisfies `constraint`; the constraint is checked first, as in Go."""
    try:
        return Constraints.parse(constraint).check(Version.parse(version))
    except SemverError as e:
        raise FuncError(str(e)) from None


FUNCS: dict[str, Callable[..., Any]] = {
    "semver": semver,
    "semverCompare": semver_compare,
}
