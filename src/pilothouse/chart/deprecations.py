"""Lint's deprecated-API rule: warn about manifests whose apiVersion is deprecated at the target Kubernetes version."""

from __future__ import annotations

import re

# Helm lints against the Kubernetes version its client libraries come from when --kube-version is not given.
DEFAULT_KUBE_MAJOR_MINOR = (1, 36)


def kube_major_minor(kube_version: str | None) -> tuple[int, int]:
    """Major and minor of a ``--kube-version`` value such as ``1.22.0`` or ``v1.30.2-gke.1``."""
    if not kube_version:
        return DEFAULT_KUBE_MAJOR_MINOR
    m = re.match(r"^v?(\d+)(?:\.(\d+))?", kube_version.strip())
    if m is None:
        return DEFAULT_KUBE_MAJOR_MINOR
    return int(m.group(1)), int(m.group(2) or 0)


def deprecation_warning(api_version: str, kind: str, kube: tuple[int, int]) -> str | None:
    """The warning Helm's lint prints for ``api_version``/``kind`` at Kubernetes ``kube``, or None."""
    from pilothouse.chart._deprecations_data import LIFECYCLE

    if not api_version or not kind:
        return None
    facts = LIFECYCLE.get((api_version, kind))
    if facts is None:
        return None
    deprecated, removed, replacement = facts
    # Kubernetes treats an unknown current version (0.0) as "everything deprecated is deprecated now".
    if kube != (0, 0) and deprecated > kube:
        return None
    msg = f"{api_version} {kind} is deprecated in v{deprecated[0]}.{deprecated[1]}+"
    if removed != (0, 0):
        msg += f", unavailable in v{removed[0]}.{removed[1]}+"
    if replacement is not None:
        msg += f"; use {replacement[0]} {replacement[1]}"
    return msg
