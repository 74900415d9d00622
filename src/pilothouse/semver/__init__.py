"""Semantic versions and version constraints with Masterminds/semver v3.5.0 semantics.

Used for chart dependency ranges, ``kubeVersion`` checks and the ``semver``/``semverCompare``
template functions. See `version` for why this is not a third-party library.
"""

from pilothouse.semver.constraints import Constraints
from pilothouse.semver.version import SemverError, Version, VersionValue

__all__ = ["Constraints", "SemverError", "Version", "VersionValue"]
