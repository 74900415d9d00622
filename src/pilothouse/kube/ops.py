"""Helm's client operations on resource lists: create, update (with deletion of what went away), delete.

Server-side apply with field manager ``helm`` is the default. The client-side path sends, as Helm
does, a three-way strategic merge patch of (previous manifest, new manifest, live object) for built-in
kinds, and a JSON merge patch for custom resources; ``force_replace`` PUTs the whole object. Objects of one kind are sent in parallel, kinds
one after another in install order, as Helm's batchPerform does.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pilothouse import slog
from pilothouse.errors import KubeError
from pilothouse.kube import strategicpatch
from pilothouse.kube.client import KubeClient, run_parallel
from pilothouse.kube.errors import ApiError
from pilothouse.kube.resources import Resource
from pilothouse.lazylog import LazyLogger

log = LazyLogger("pilothouse.kube")
RESOURCE_POLICY_ANNOTATION = "helm.sh/resource-policy"
KEEP_POLICY = "keep"


@dataclass
class Result:
    """What an operation did."""

    created: list[Resource] = field(default_factory=list)
    updated: list[Resource] = field(default_factory=list)
    deleted: list[Resource] = field(default_factory=list)


def _batches(resources: list[Resource]) -> list[list[Resource]]:
    out: list[list[Resource]] = []
    kind = None
    for r in resources:
        if r.kind != kind or not out:
            out.append([])
            kind = r.kind
        out[-1].append(r)
    return out


def perform(resources: list[Resource], fn: Callable[[Resource], None]) -> None:
    """Run ``fn`` on every resource (same-kind runs in parallel); raise the joined errors."""
    if not resources:
        raise KubeError("no objects visited")
    errors: list[str] = []
    for batch in _batches(resources):
        for err in run_parallel(batch, fn):
            if err is not None:
                if not isinstance(err, KubeError):
                    raise err
                errors.append(str(err))
    if errors:
        raise KubeError("\n".join(errors))


def _apply(kube: KubeClient, r: Resource, *, force: bool, dry_run: bool) -> None:
    try:
        kube.apply(r.rtype, r.namespace, r.obj, force=force, dry_run=dry_run)
    except ApiError as err:
        where = f"{r.namespace}/{r.name} {r.rtype.gvk_string()}"
        if err.code == 415:
            raise KubeError(f"server-side apply not available on the server: {err}") from None
        if err.code == 409:
            raise KubeError(f"conflict occurred while applying object {where}: {err}") from None
        raise KubeError(f"server-side apply failed for object {where}: {err}") from None


def _create(kube: KubeClient, r: Resource, *, dry_run: bool) -> None:
    kube.create(r.rtype, r.namespace, r.obj, dry_run=dry_run)


def create(kube: KubeClient, resources: list[Resource], *, server_side: bool = True, force_conflicts: bool = False,
           dry_run: bool = False) -> Result:
    """Helm's Client.Create: apply (SSA) or create every resource."""
    if getattr(kube, "printing", False):
        return Result(created=list(resources))
    from pilothouse.kube import helm_debug

    helm_debug.creating(len(resources))
    if force_conflicts and not server_side:
        raise KubeError("invalid client create option(s): forceConflicts enabled when serverSideApply disabled")
    helm_debug.create_method(server_side, force_conflicts=force_conflicts, dry_run=dry_run)
    if server_side:
        perform(resources, lambda r: _logged_apply(kube, r, force=force_conflicts, dry_run=dry_run))
    else:
        perform(resources, lambda r: _create(kube, r, dry_run=dry_run))
    return Result(created=list(resources))


def _logged_apply(kube: KubeClient, r: Resource, *, force: bool, dry_run: bool) -> None:
    """`_apply` with Helm's debug line for its outcome (from the worker, in completion order as Helm's)."""
    from pilothouse.kube import helm_debug

    try:
        _apply(kube, r, force=force, dry_run=dry_run)
    except KubeError as err:
        helm_debug.created(r, True, err)
        raise
    helm_debug.created(r, True)


# --- client-side three-way merge ---------------------------------------------------------------

def three_way_merge_patch(original: Any, modified: Any, current: Any) -> dict[str, Any]:
    """A JSON merge patch taking ``current`` to ``modified``, deleting what ``original`` had and ``modified`` dropped."""
    patch: dict[str, Any] = {}
    original = original if isinstance(original, dict) else {}
    current = current if isinstance(current, dict) else {}
    for key, value in modified.items():
        cur = current.get(key)
        if isinstance(value, dict) and isinstance(cur, dict):
            sub = three_way_merge_patch(original.get(key) if isinstance(original.get(key), dict) else {}, value, cur)
            if sub:
                patch[key] = sub
        elif key not in current or cur != value:
            patch[key] = copy.deepcopy(value)
    for key in original:
        if key not in modified and key in current:
            patch[key] = None
    return patch


def create_patch(original: dict[str, Any], target: Resource, live: dict[str, Any],
                 three_way_unstructured: bool) -> tuple[dict[str, Any], str]:
    """Helm's createPatch: the patch body and its type (``strategic`` or ``merge``).

    Built-in kinds get a three-way strategic merge patch; kinds without patch metadata (custom
    resources) a JSON merge patch, three-way only when asked (adopting resources), else from the
    previous manifest to the new one.
    """
    schema = strategicpatch.schema_for(target.rtype.api_version, target.kind)
    if schema is not None:
        return strategicpatch.create_three_way_merge_patch(original, target.obj, live, schema), "strategic"
    if three_way_unstructured:
        patch = three_way_merge_patch(original, target.obj, live)
        if "apiVersion" in patch or "kind" in patch or "name" in (patch.get("metadata") or {}):
            raise KubeError(f"precondition failed for: {patch}: at least one field was changed: "
                            "apiVersion, kind or name")
        return patch, "merge"
    return strategicpatch.create_two_way_json_merge_patch(original, target.obj), "merge"


def strip_server_fields(patch: dict[str, Any]) -> None:
    """Drop from a patch what only the server sets (identity, versions, managed fields, status)."""
    meta = patch.get("metadata")
    if isinstance(meta, dict):
        for k in ("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"):
            meta.pop(k, None)
        if not meta:
            patch.pop("metadata")
    patch.pop("status", None)


def _patch_client_side(kube: KubeClient, original: Resource | None, target: Resource, live: dict[str, Any],
                       three_way_unstructured: bool) -> None:
    base = original.obj if original is not None else live
    try:
        patch, patch_type = create_patch(base, target, live, three_way_unstructured)
    except KubeError as err:
        raise KubeError(f"failed to create patch: {err}") from None
    strip_server_fields(patch)
    if not patch:
        log.debug("Looks like there are no changes for %s %q", target.kind, target.name)
        return
    try:
        kube.patch(target.rtype, target.namespace, target.name, patch, patch_type)
    except ApiError as err:
        raise KubeError(f'cannot patch "{target.name}" with kind {target.kind}: {err}') from None


def _replace(kube: KubeClient, target: Resource) -> None:
    live = kube.get(target.rtype, target.namespace, target.name)
    body = copy.deepcopy(target.obj)
    body.setdefault("metadata", {})["resourceVersion"] = (live.get("metadata") or {}).get("resourceVersion")
    try:
        kube.replace(target.rtype, target.namespace, target.name, body)
    except ApiError as err:
        raise KubeError(f"failed to replace object: {err}") from None


def _merge_fields(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge_fields(out[k], v) if isinstance(out.get(k), dict) and isinstance(v, dict) else v
    return out


def upgrade_client_side_field_manager(kube: KubeClient, r: Resource, live: dict[str, Any]) -> bool:
    """Move fields the ``helm`` manager owns through client-side updates into its apply entry (csaupgrade)."""
    meta = live.get("metadata") or {}
    managed = meta.get("managedFields") or []
    manager = kube.field_manager
    updates = [m for m in managed if m.get("manager") == manager and m.get("operation") == "Update"
               and not m.get("subresource")]
    if not updates:
        return False
    fields: dict[str, Any] = {}
    for m in updates:
        fields = _merge_fields(fields, m.get("fieldsV1") or {})
    out = []
    apply_entry = None
    for m in managed:
        if m in updates:
            continue
        if m.get("manager") == manager and m.get("operation") == "Apply" and not m.get("subresource"):
            apply_entry = dict(m)
            apply_entry["fieldsV1"] = _merge_fields(m.get("fieldsV1") or {}, fields)
            out.append(apply_entry)
        else:
            out.append(m)
    if apply_entry is None:
        out.append({"manager": manager, "operation": "Apply", "apiVersion": updates[0].get("apiVersion"),
                    "time": updates[0].get("time"), "fieldsType": "FieldsV1", "fieldsV1": fields})
    ops = [{"op": "test", "path": "/metadata/resourceVersion", "value": meta.get("resourceVersion")},
           {"op": "replace", "path": "/metadata/managedFields", "value": out}]
    try:
        kube.patch(r.rtype, r.namespace, r.name, ops, "json", field_validation=None)
    except ApiError as err:
        raise KubeError(f"failed to patch object to upgrade CSA field manager {r.namespace}/{r.name} "
                        f"{r.rtype.gvk_string()}: {err}") from None
    return True


def update(kube: KubeClient, originals: list[Resource], targets: list[Resource], *, server_side: bool = True,
           force_conflicts: bool = False, force_replace: bool = False, three_way_unstructured: bool = False,
           upgrade_csa_manager: bool = False, dry_run: bool = False) -> Result:
    """Helm's Client.Update: create or update every target, then delete originals no longer rendered.

    Deletion skips objects whose live ``helm.sh/resource-policy`` annotation is ``keep``.
    """
    if getattr(kube, "printing", False):
        return Result(updated=list(targets))
    if three_way_unstructured and server_side:
        raise KubeError("invalid operation: cannot use three-way merge for unstructured and server-side apply together")
    if force_conflicts and force_replace:
        raise KubeError("invalid operation: cannot use force conflicts and force replace together")
    if server_side and force_replace:
        raise KubeError("invalid operation: cannot use server-side apply and force replace together")
    if force_conflicts and not server_side:
        raise KubeError("invalid client update option(s): forceConflicts enabled when serverSideApply disabled")
    from pilothouse.kube import helm_debug

    helm_debug.create_method(server_side, force_conflicts=force_conflicts, dry_run=dry_run)
    helm_debug.update_method(server_side, force_conflicts=force_conflicts, force_replace=force_replace,
                             dry_run=dry_run, upgrade_csa_manager=upgrade_csa_manager, three_way=three_way_unstructured)
    helm_debug.checking(len(targets))
    res = Result()
    by_id = {o.identity(): o for o in originals}
    update_errors: list[str] = []
    # Helm visits the targets one after another: each one's debug lines are kept and printed in
    # the targets' order once its batch is done
    notes: dict[int, list[Callable[[], None]]] = {}

    def one(target: Resource) -> None:
        note = notes.setdefault(id(target), [])
        live = kube.get_or_none(target.rtype, target.namespace, target.name)
        if live is None:
            res.created.append(target)
            try:
                if server_side:
                    try:
                        _apply(kube, target, force=force_conflicts, dry_run=dry_run)
                    except KubeError as err:
                        note.append(lambda e=err: helm_debug.created(target, True, e))
                        raise
                    note.append(lambda: helm_debug.created(target, True))
                else:
                    _create(kube, target, dry_run=dry_run)
            except KubeError as err:
                raise KubeError(f"failed to create resource: {err}") from None
            note.append(lambda: helm_debug.created_new(target))
            return
        original = by_id.get(target.identity())
        try:
            if force_replace:
                _replace(kube, target)
                initial = str((original.obj if original is not None else live).get("kind") or "")
                note.append(lambda: helm_debug.replaced(target, initial))
            elif server_side:
                if upgrade_csa_manager and upgrade_client_side_field_manager(kube, target, live):
                    note.append(lambda: helm_debug.csa_manager_upgraded(target))
                try:
                    _apply(kube, target, force=force_conflicts, dry_run=dry_run)
                except KubeError as err:
                    note.append(lambda e=err: helm_debug.patched(target, e))
                    raise
                note.append(lambda: helm_debug.patched(target))
            else:
                _patch_client_side(kube, original, target, live, three_way_unstructured)
        except KubeError as err:
            update_errors.append(str(err))
        res.updated.append(target)

    for batch in _batches(targets):
        errors = list(run_parallel(batch, one))
        for target in batch:
            for emit in notes.pop(id(target), []):
                emit()
        for err in errors:
            if err is not None:
                if not isinstance(err, KubeError):
                    raise err
                raise _UpdateError(str(err), res)
    if update_errors:
        raise _UpdateError(" && ".join(update_errors), res)
    target_ids = {t.identity() for t in targets}
    for info in originals:
        if info.identity() in target_ids:
            continue
        helm_debug.deleting(info)
        try:
            live = kube.get(info.rtype, info.namespace, info.name)
        except ApiError as err:
            slog.debug("unable to get object", namespace=info.namespace, name=info.name, kind=info.kind, error=err)
            continue
        ann = (live.get("metadata") or {}).get("annotations") or {}
        if ann.get(RESOURCE_POLICY_ANNOTATION) == KEEP_POLICY:
            helm_debug.skipping_kept(info, RESOURCE_POLICY_ANNOTATION, KEEP_POLICY)
            continue
        try:
            kube.delete(info.rtype, info.namespace, info.name, propagation="Background", dry_run=dry_run)
        except ApiError as err:
            slog.debug("failed to delete resource", namespace=info.namespace, name=info.name, kind=info.kind,
                       error=err)
            if not err.not_found:
                update_errors.append(f"failed to delete resource namespace={info.namespace}, name={info.name}, "
                                     f"kind={info.kind}: {err}")
            continue
        res.deleted.append(info)
    if update_errors:
        raise _UpdateError(" && ".join(update_errors), res)
    return res


class _UpdateError(KubeError):
    def __init__(self, message: str, result: Result) -> None:
        super().__init__(message)
        self.result = result


UpdateError = _UpdateError


def delete(kube: KubeClient, resources: list[Resource], propagation: str = "Background") -> tuple[Result, list[str]]:
    """Helm's Client.Delete: delete all (missing ones count as deleted); the errors are collected."""
    if getattr(kube, "printing", False):
        return Result(deleted=list(resources)), []
    res = Result()
    errors: list[str] = []
    if not resources:
        return res, ["object not found, skipping delete: no objects visited"]

    from pilothouse.kube import helm_debug

    def one(r: Resource) -> None:
        helm_debug.delete_starting(r)
        try:
            kube.delete(r.rtype, r.namespace, r.name, propagation=propagation)
        except ApiError as err:
            if not err.not_found:
                raise
            helm_debug.delete_ignored(r, err)
        res.deleted.append(r)

    for batch in _batches(resources):
        for err in run_parallel(batch, one):
            if err is not None:
                errors.append(str(err))
    return res, errors
