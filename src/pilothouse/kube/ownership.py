"""Release ownership of cluster objects: the metadata Helm stamps on them and the adoption rules.

Every object sent for a release carries ``app.kubernetes.io/managed-by: Helm`` and the
``meta.helm.sh/release-name``/``-namespace`` annotations. An object that already exists may only
be taken over by the release it names (or by any release with ``--take-ownership``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pilothouse.errors import KubeError
from pilothouse.kube.resources import Resource

MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
MANAGED_BY_HELM = "Helm"
RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name"
RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace"


def set_metadata(resources: list[Resource], release: str, namespace: str) -> None:
    """Merge the ownership label and annotations into every object (Helm's setMetadataVisitor)."""
    for r in resources:
        meta = r.obj.setdefault("metadata", {})
        labels = dict(meta.get("labels") or {})
        labels[MANAGED_BY_LABEL] = MANAGED_BY_HELM
        meta["labels"] = labels
        ann = dict(meta.get("annotations") or {})
        ann[RELEASE_NAME_ANNOTATION] = release
        ann[RELEASE_NAMESPACE_ANNOTATION] = namespace
        meta["annotations"] = ann


def _require(values: dict[str, Any], key: str, want: str) -> str | None:
    if key not in values:
        return f'missing key "{key}": must be set to "{want}"'
    if values[key] != want:
        return f'key "{key}" must equal "{want}": current value is "{values[key]}"'
    return None


def check_ownership(obj: dict[str, Any], release: str, namespace: str) -> str | None:
    """Helm's checkOwnership: None when the object belongs to this release, else the reasons."""
    meta = obj.get("metadata") or {}
    labels, ann = meta.get("labels") or {}, meta.get("annotations") or {}
    errs = []
    if (e := _require(labels, MANAGED_BY_LABEL, MANAGED_BY_HELM)) is not None:
        errs.append(f"label validation error: {e}")
    if (e := _require(ann, RELEASE_NAME_ANNOTATION, release)) is not None:
        errs.append(f"annotation validation error: {e}")
    if (e := _require(ann, RELEASE_NAMESPACE_ANNOTATION, namespace)) is not None:
        errs.append(f"annotation validation error: {e}")
    return "invalid ownership metadata; " + "; ".join(errs) if errs else None


def _generate_name(r: Resource) -> bool:
    meta = r.obj.get("metadata") or {}
    if meta.get("generateName"):
        if r.name:
            raise KubeError("metadata.name and metadata.generateName cannot both be set")
        return True
    return False


def existing_resource_conflict(kube: Any, resources: list[Resource], release: str, namespace: str) -> list[Resource]:
    """Objects that already exist and belong to this release (to be updated, not created).

    An existing object owned by someone else is Helm's 'cannot be imported' error.
    """
    out = []
    for r, live in _existing(kube, resources):
        reason = check_ownership(live, release, namespace)
        if reason is not None:
            raise KubeError(f"{r.describe()} exists and cannot be imported into the current release: {reason}")
        out.append(r)
    return out


def require_adoption(kube: Any, resources: list[Resource]) -> list[Resource]:
    """With ``--take-ownership``: every existing object is adopted whoever owns it."""
    return [r for r, _live in _existing(kube, resources)]


def _existing(kube: Any, resources: list[Resource]) -> Iterator[tuple[Resource, dict[str, Any]]]:
    """Each resource that exists in the cluster, with its live object (generateName ones never do)."""
    for r in resources:
        if _generate_name(r):
            continue
        try:
            live = kube.get_or_none(r.rtype, r.namespace, r.name)
        except KubeError as err:
            raise KubeError(f"could not get information about the resource {r.describe()}: {err}") from None
        if live is not None:
            yield r, live
