"""The debug lines Helm's kube client logs under --debug (creating, updating, deleting and waiting
for resources), worded and attributed as Helm 4.2 logs them.

Each helper prints nothing unless debug output is on; callers pass what Helm would have at hand.
"""

from __future__ import annotations

from typing import Any

from pilothouse import slog

# Helm's field validation directive for creates and updates (no flag changes it on these paths)
STRICT = "Strict"


def gvk(r: Any) -> str:
    """client-go's GroupVersionKind.String(): "group/version, Kind=Kind" (the group may be empty)."""
    t = r.rtype
    return f"{t.group}/{t.version}, Kind={t.kind}"


def creating(count: int) -> None:
    slog.debug("creating resource(s)", resources=count)


def create_method(server_side: bool, *, force_conflicts: bool, dry_run: bool) -> None:
    if server_side:
        slog.debug("using server-side apply for resource creation", forceConflicts=force_conflicts, dryRun=dry_run,
                   fieldValidationDirective=STRICT)
    else:
        slog.debug("using client-side apply for resource creation")


def created(r: Any, server_side: bool, err: BaseException | None = None) -> None:
    if not server_side:
        return
    if err is not None:
        slog.debug("Error creating resource via patch", namespace=r.namespace, name=r.name, gvk=gvk(r), error=err)
    else:
        slog.debug("Created resource via patch", namespace=r.namespace, name=r.name, gvk=gvk(r))


def update_method(server_side: bool, *, force_conflicts: bool, force_replace: bool, dry_run: bool,
                  upgrade_csa_manager: bool, three_way: bool) -> None:
    if force_replace:
        slog.debug("using resource replace update strategy", fieldValidationDirective=STRICT)
    elif server_side:
        slog.debug("using server-side apply for resource update", forceConflicts=force_conflicts, dryRun=dry_run,
                   fieldValidationDirective=STRICT, upgradeClientSideFieldManager=upgrade_csa_manager)
    else:
        slog.debug("using client-side apply for resource update", threeWayMergeForUnstructured=three_way)


def checking(count: int) -> None:
    slog.debug("checking resources for changes", resources=count)


def created_new(r: Any) -> None:
    slog.debug("created a new resource", namespace=r.namespace, name=r.name, kind=r.kind)


def csa_manager_upgraded(r: Any) -> None:
    slog.debug("Upgraded object client-side field management with server-side apply field management",
               namespace=r.namespace, name=r.name, gvk=gvk(r))


def patched(r: Any, err: BaseException | None = None) -> None:
    if err is not None:
        slog.debug("Error patching resource", namespace=r.namespace, name=r.name, gvk=gvk(r), error=err)
    else:
        slog.debug("Patched resource", namespace=r.namespace, name=r.name, gvk=gvk(r))


def replaced(r: Any, initial_kind: str) -> None:
    slog.debug("replace succeeded", name=r.name, initialKind=initial_kind, kind=r.kind)


def deleting(r: Any) -> None:
    slog.debug("deleting resource", namespace=r.namespace, name=r.name, kind=r.kind)


def skipping_kept(r: Any, annotation: str, value: str) -> None:
    slog.debug("skipping delete due to annotation", namespace=r.namespace, name=r.name, kind=r.kind,
               annotation=annotation, value=value)


def delete_starting(r: Any) -> None:
    slog.debug("starting delete resource", namespace=r.namespace, name=r.name, kind=r.kind)


def delete_ignored(r: Any, err: BaseException) -> None:
    slog.debug("ignoring delete failure", namespace=r.namespace, name=r.name, kind=r.kind, error=err)


def _duration(seconds: float) -> str:
    from pilothouse.cli.pflag import format_duration

    return format_duration(round(seconds * 1_000_000_000))


def waiting(count: int, timeout: float) -> None:
    slog.debug("waiting for resources", count=count, timeout=_duration(timeout))


def waiting_delete(count: int, timeout: float) -> None:
    slog.debug("waiting for resources to be deleted", count=count, timeout=_duration(timeout))


def achieved(desired: str, count: int) -> None:
    slog.debug("all resources achieved desired status", desiredStatus=desired, resourceCount=count)


def seen_one_by_one(resources: list[Any]) -> None:
    """Helm's status watcher reports each resource in turn; until the last is seen it logs the first
    (by name) it still waits for. Which resource each report names depends on the order Go's
    informers deliver them in (not fixed in Helm); here they are taken in the order given."""
    for k in range(1, len(resources)):
        first = min(resources[k:], key=lambda r: r.name)
        slog.debug("waiting for resource", namespace=first.namespace, name=first.name, kind=first.kind,
                   expectedStatus="Current", actualStatus="Unknown")


def beginning_wait(count: int, timeout: float) -> None:
    """The legacy waiter's first line (its timeout as given, not defaulted)."""
    slog.debug("beginning wait for resources", count=count, timeout=_duration(timeout))


def beginning_delete_wait(count: int, timeout: float) -> None:
    slog.debug("beginning wait for resources to be deleted", count=count, timeout=_duration(timeout))


def wait_outcome(elapsed: float, err: BaseException | None = None) -> None:
    """The legacy waiter's last line after deletions; ``elapsed`` is wall-clock time to the second, as in Helm."""
    elapsed = float(round(elapsed))
    if err is not None:
        slog.debug("wait for resources failed", elapsed=_duration(elapsed), error=err)
    else:
        slog.debug("wait for resources succeeded", elapsed=_duration(elapsed))
