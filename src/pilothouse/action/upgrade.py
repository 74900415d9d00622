"""`pilot upgrade`: render a new revision and move the cluster to it (Helm 4.2's Upgrade).

The last revision must not be pending (Helm's "another operation is in progress"); the new one
is stored as ``pending-upgrade`` before anything is touched, so an interrupted upgrade leaves a
history that `history` reads and `rollback` repairs. Storing a revision whose key already exists
fails, so of two concurrent upgrades one is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pilothouse import slog
from pilothouse.action.config import ERR_PENDING, validate_release_name
from pilothouse.action.release_steps import (
    ReleaseChange,
    build_objects,
    delete_created,
    is_dry_run,
    release_failure,
)
from pilothouse.errors import KubeError, PilothouseError, ReleaseError
from pilothouse.release import timeutil
from pilothouse.release.chartrecord import chart_record, plain_values
from pilothouse.release.driver.base import NoDeployedReleasesError, ReleaseExistsError, ReleaseNotFoundError
from pilothouse.release.model import (
    APPLY_CSA,
    APPLY_SSA,
    DEPLOYED,
    FAILED,
    PENDING,
    PENDING_UPGRADE,
    SUPERSEDED,
    Info,
    Release,
    sort_by_revision,
)


def server_side_value(option: str, previous_method: str) -> bool:
    """``--server-side=auto|true|false`` against the previous revision's apply method."""
    if option == "auto":
        return previous_method == APPLY_SSA
    if option in ("true", "false"):
        return option == "true"
    raise ReleaseError(f"invalid/unknown release server-side apply method: {option}")


def _log_apply_method(ssa: bool, previous: str) -> None:
    from pilothouse import slog

    slog.debug("determined release apply method", server_side_apply=ssa, previous_release_apply_method=previous)


def merge_custom_labels(current: Mapping[str, str], desired: Mapping[str, str]) -> dict[str, str]:
    """Old labels overlaid with new ones; a value of ``null`` removes a label."""
    out = dict(current)
    out.update(desired)
    return {k: v for k, v in out.items() if v != "null"}


@dataclass
class Upgrade(ReleaseChange):
    """`helm upgrade` as an object: the fields are its flags, `run` upgrades."""

    cleanup_on_fail: bool = False
    server_side: str = "auto"
    reset_values: bool = False
    reuse_values: bool = False
    reset_then_reuse_values: bool = False
    max_history: int = 0
    # a release computed by `upgrade --plan` (`action.plan`): stored and applied as is, not rendered
    planned: Any = None

    def run(self, name: str, chart: Any, values: Mapping[str, Any] | None = None) -> Release:
        """Upgrade release ``name`` to ``chart`` with user values; returns the new revision."""
        cfg = self.cfg
        cfg.kube.is_reachable()
        self._atomic_wait()
        try:
            validate_release_name(name)
        except ReleaseError:
            raise ReleaseError(f"release name is invalid: {name}") from None
        slog.debug("preparing upgrade", name=name)
        current, upgraded, ssa = self._prepare(name, chart, dict(values or {}))
        cfg.releases.max_history = self.max_history
        slog.debug("performing update", name=name)
        rel = self._perform(current, upgraded, ssa)
        if not is_dry_run(self.dry_run):
            slog.debug("updating status for upgraded release", name=name)
            cfg.releases.update(upgraded)
        return rel

    # --- preparing ------------------------------------------------------------------------------

    def _prepare(self, name: str, chart: Any, vals: dict[str, Any]) -> tuple[Release, Release, bool]:
        from pilothouse.action.render import check_chart, prepare_render

        cfg = self.cfg
        if self.planned is None:  # a planned revision was checked when it was planned
            check_chart(chart)
        self._chart = chart
        self._check_hide_secret()
        try:
            last = cfg.releases.last(name)
        except ReleaseNotFoundError:
            raise NoDeployedReleasesError(name) from None
        if last.info.status in PENDING:
            raise ReleaseError(ERR_PENDING)
        if last.info.status == DEPLOYED:
            current = last
        else:
            try:
                current = cfg.releases.deployed(name)
            except NoDeployedReleasesError:
                if last.info.status not in (FAILED, SUPERSEDED):
                    raise
                current = last
        if self.planned is not None:
            from pilothouse.action.plan import planned_release

            ssa = server_side_value(self.server_side, last.apply_method)
            _log_apply_method(ssa, last.apply_method)
            return current, planned_release(self.planned, current, last, ssa, self.labels), ssa
        vals = self._reuse_values(chart, current, vals)
        revision = last.version + 1
        caps = cfg.get_capabilities()
        top = prepare_render(chart, vals, name=name, namespace=current.namespace, revision=revision,
                             is_upgrade=True, capabilities=caps, skip_schema_validation=self.skip_schema_validation)
        rendered = self._render_release(chart, top)
        self._chart = chart
        self._check_labels()
        ssa = server_side_value(self.server_side, last.apply_method)
        _log_apply_method(ssa, last.apply_method)
        upgraded = Release(
            name=name, namespace=current.namespace, version=revision, chart=chart_record(chart), config=vals,
            info=Info(first_deployed=current.info.first_deployed, last_deployed=timeutil.now(),
                      status=PENDING_UPGRADE, description="Preparing upgrade", notes=rendered.notes),
            manifest=rendered.manifest, hooks=rendered.hooks, labels=merge_custom_labels(last.labels, self.labels),
            apply_method=APPLY_SSA if ssa else APPLY_CSA)
        from pilothouse.action.sequence_record import mark

        mark(upgraded, self.wait == "ordered")
        try:
            cfg.kube.build(rendered.manifest, namespace=current.namespace)
        except PilothouseError as err:
            raise KubeError(str(err)) from None
        return current, upgraded, ssa

    def _reuse_values(self, chart: Any, current: Release, new: dict[str, Any]) -> dict[str, Any]:
        from pilothouse import slog
        from pilothouse.chart import coalesce_values
        from pilothouse.chart.values import coalesce_tables

        if self.reset_values:
            slog.debug("resetting values to the chart's original version")
            return new
        if self.reuse_values:
            slog.debug("reusing the old release's values")
            try:
                old = coalesce_values(current.chart_object(), current.config)
            except PilothouseError as err:
                raise ReleaseError(f"failed to rebuild old values: {err}") from None
            new = coalesce_tables(new, current.config)
            chart.values = plain_values(old)
            return new
        if self.reset_then_reuse_values:
            slog.debug("merging values from old release to new values")
            return coalesce_tables(new, current.config)
        if not new and current.config:
            slog.debug("copying values from old release", name=current.name, version=current.version)
            return current.config
        return new

    # --- performing -----------------------------------------------------------------------------

    def _perform(self, original: Release, upgraded: Release, ssa: bool) -> Release:
        from pilothouse.kube import ownership

        cfg = self.cfg
        kube = cfg.kube
        try:
            current = kube.build(original.manifest, namespace=original.namespace)
        except PilothouseError as err:
            if "no matches for kind" in str(err):
                raise KubeError("current release manifest contains removed kubernetes api(s) for this kubernetes "
                                "version and it is therefore unable to build the kubernetes objects for performing "
                                f"the diff. error from kubernetes: {err}") from None
            raise KubeError(f"unable to build kubernetes objects from current release manifest: {err}") from None
        target = build_objects(kube, upgraded.manifest, upgraded.namespace, "new release")
        ownership.set_metadata(target, upgraded.name, upgraded.namespace)
        self._groups = self._sequence(self._chart, upgraded.manifest, target, upgraded.namespace)
        existing = {r.key() for r in current}
        to_create = [r for r in target if r.key() not in existing]
        to_update = self._claim(to_create, upgraded.name, upgraded.namespace, "update")
        current.extend(to_update)
        from pilothouse import slog

        if is_dry_run(self.dry_run):
            slog.debug("dry run for release", name=upgraded.name)
            upgraded.info.description = self.description or "Dry run complete"
            return upgraded
        slog.debug("creating upgraded release", name=upgraded.name)
        try:
            cfg.releases.create(upgraded)
        except ReleaseExistsError:
            raise ReleaseError(f"{ERR_PENDING}: revision {upgraded.version} of release \"{upgraded.name}\" "
                               "was just written by another operation") from None
        return self._releasing(upgraded, current, target, original, ssa)

    def _releasing(self, upgraded: Release, current: list[Any], target: list[Any], original: Release,
                   ssa: bool) -> Release:
        from pilothouse.kube import ops

        cfg = self.cfg
        created: list[Any] = []
        try:
            if self.disable_hooks:
                slog.debug("upgrade hooks disabled", name=upgraded.name)
            self._hooks(upgraded, "pre-upgrade", ssa, "pre-upgrade hooks failed: {err}")
            csa_to_ssa = original.apply_method in ("", APPLY_CSA) and ssa
            groups = getattr(self, "_groups", None)
            if groups:
                created = self._update_in_order(groups, current, target, original, ssa, csa_to_ssa)
            else:
                try:
                    result = ops.update(cfg.kube, current, target, server_side=ssa,
                                        force_conflicts=self.force_conflicts, force_replace=self.force_replace,
                                        upgrade_csa_manager=csa_to_ssa)
                except ops.UpdateError as err:
                    created = err.result.created
                    cfg.record_release(original)
                    raise
                created = result.created
                try:
                    self._wait(target)
                except PilothouseError:
                    cfg.record_release(original)
                    raise
            self._hooks(upgraded, "post-upgrade", ssa, "post-upgrade hooks failed: {err}")
        except PilothouseError as err:
            return self._fail(upgraded, created, err)
        original.info.status = SUPERSEDED
        cfg.record_release(original)
        upgraded.info.status = DEPLOYED
        upgraded.info.description = self.description or "Upgrade complete"
        return upgraded

    def _update_in_order(self, groups: list[list[Any]], current: list[Any], target: list[Any], original: Release,
                         ssa: bool, csa_to_ssa: bool) -> list[Any]:
        """``--wait=ordered``: each batch updated and awaited in turn; objects no longer rendered are
        deleted at the end. Returns what was created (for ``--cleanup-on-fail``)."""
        from pilothouse.kube import ops

        cfg = self.cfg
        created: list[Any] = []
        by_id = {r.identity(): r for r in current}

        def apply(objs: list[Any]) -> None:
            originals = [by_id[r.identity()] for r in objs if r.identity() in by_id]
            try:
                res = ops.update(cfg.kube, originals, objs, server_side=ssa, force_conflicts=self.force_conflicts,
                                 force_replace=self.force_replace, upgrade_csa_manager=csa_to_ssa)
            except ops.UpdateError as err:
                created.extend(err.result.created)
                cfg.record_release(original)
                raise
            created.extend(res.created)

        try:
            self._apply_in_order(groups, apply)
        except PilothouseError:
            cfg.record_release(original)
            raise
        target_ids = {r.identity() for r in target}
        gone = [r for r in current if r.identity() not in target_ids]
        if gone:
            try:
                ops.update(cfg.kube, gone, [], server_side=ssa)
            except ops.UpdateError as err:
                cfg.record_release(original)
                raise KubeError(str(err)) from None
        return created

    def _fail(self, rel: Release, created: list[Any], err: PilothouseError) -> Release:
        slog.warn("upgrade failed", name=rel.name, error=str(err))
        cfg = self.cfg
        rel.info.status = FAILED
        rel.info.description = f'Upgrade "{rel.name}" failed: {err}'
        cfg.record_release(rel)
        if self.cleanup_on_fail and created:
            delete_created(cfg.kube, created, f"upgrade error: {err}")
        if self.rollback_on_failure:
            from pilothouse.action.rollback import Rollback

            try:
                hist = cfg.releases.history(rel.name)
            except PilothouseError as herr:
                raise ReleaseError("an error occurred while finding last successful release. original upgrade "
                                   f"error: {err}: {herr}") from None
            good = [r for r in hist if r.info.status in (SUPERSEDED, DEPLOYED)]
            if not good:
                raise ReleaseError("unable to find a previously successful release when attempting to rollback. "
                                   f"original upgrade error: {err}") from None
            target = sort_by_revision(good, reverse=True)[0]
            rb = Rollback(cfg, version=target.version, wait=self.wait, wait_for_jobs=self.wait_for_jobs,
                          disable_hooks=self.disable_hooks, force_replace=self.force_replace,
                          force_conflicts=self.force_conflicts, server_side=self.server_side, timeout=self.timeout)
            try:
                rb.run(rel.name)
            except PilothouseError as rerr:
                raise ReleaseError("an error occurred while rolling back the release. original upgrade error: "
                                   f"{err}: {rerr}") from None
            raise ReleaseError(f"release {rel.name} failed, and has been rolled back due to rollback-on-failure "
                               f"being set: {err}") from None
        raise release_failure(rel, err) from None
