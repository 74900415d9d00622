"""`pilot upgrade`: render a new revision and move the cluster to it (Helm 4.2's Upgrade).

The last revision must not be pending (Helm's "another operation is in progress"); the new one
is stored as ``pending-upgrade`` before anything is touched, so an interrupted upgrade leaves a
history that `history` reads and `rollback` repairs. Storing a revision whose key already exists
fails, so of two concurrent upgrades one is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pilothouse.action.config import ERR_PENDING, Configuration, lookup_func, validate_release_name
from pilothouse.action.install import DRY_RUN_NONE, interacts_with_server, is_dry_run
from pilothouse.errors import KubeError, PilothouseError, ReleaseError
from pilothouse.release import timeutil
from pilothouse.release.chartrecord import chart_record
from pilothouse.release.driver.base import (
    NoDeployedReleasesError,
    ReleaseExistsError,
    ReleaseNotFoundError,
    contains_system_labels,
    system_labels_error,
)
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


def merge_custom_labels(current: Mapping[str, str], desired: Mapping[str, str]) -> dict[str, str]:
    """Old labels overlaid with new ones; a value of ``null`` removes a label."""
    out = dict(current)
    out.update(desired)
    return {k: v for k, v in out.items() if v != "null"}


@dataclass
class Upgrade:
    """`helm upgrade` as an object: the fields are its flags, `run` upgrades."""

    cfg: Configuration
    namespace: str = ""
    dry_run: str = DRY_RUN_NONE
    wait: str = "hookOnly"
    wait_for_jobs: bool = False
    timeout: float = 300.0
    rollback_on_failure: bool = False
    cleanup_on_fail: bool = False
    disable_hooks: bool = False
    server_side: str = "auto"
    force_conflicts: bool = False
    force_replace: bool = False
    take_ownership: bool = False
    reset_values: bool = False
    reuse_values: bool = False
    reset_then_reuse_values: bool = False
    max_history: int = 0
    description: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    sub_notes: bool = False
    skip_schema_validation: bool = False
    enable_dns: bool = False
    hide_secret: bool = False
    post_renderer: Callable[[str], str] | None = None

    def run(self, name: str, chart: Any, values: Mapping[str, Any] | None = None) -> Release:
        """Upgrade release ``name`` to ``chart`` with user values; returns the new revision."""
        cfg = self.cfg
        cfg.kube.is_reachable()
        if self.wait == "hookOnly" and self.rollback_on_failure:
            self.wait = "watcher"
        try:
            validate_release_name(name)
        except ReleaseError:
            raise ReleaseError(f"release name is invalid: {name}") from None
        current, upgraded, ssa = self._prepare(name, chart, dict(values or {}))
        cfg.releases.max_history = self.max_history
        rel = self._perform(current, upgraded, ssa)
        if not is_dry_run(self.dry_run):
            cfg.releases.update(upgraded)
        return rel

    # --- preparing ------------------------------------------------------------------------------

    def _prepare(self, name: str, chart: Any, vals: dict[str, Any]) -> tuple[Release, Release, bool]:
        from pilothouse.action.render import (
            RenderFailed,
            check_dependencies,
            check_installable,
            prepare_render,
            render_resources,
        )
        from pilothouse.engine.render import Engine

        cfg = self.cfg
        check_installable(chart)
        if chart.metadata.dependencies:
            check_dependencies(chart)
        if not is_dry_run(self.dry_run) and self.hide_secret:
            raise ReleaseError("hiding Kubernetes secrets requires a dry-run mode")
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
        vals = self._reuse_values(chart, current, vals)
        revision = last.version + 1
        caps = cfg.get_capabilities()
        top = prepare_render(chart, vals, name=name, namespace=current.namespace, revision=revision,
                             is_upgrade=True, capabilities=caps, skip_schema_validation=self.skip_schema_validation)
        lookup = lookup_func(cfg.kube) if interacts_with_server(self.dry_run) else None
        try:
            rendered = render_resources(chart, top, sub_notes=self.sub_notes, hide_secret=self.hide_secret,
                                        post_render=self.post_renderer,
                                        engine=Engine(enable_dns=self.enable_dns, lookup=lookup))
        except RenderFailed as err:
            raise PilothouseError(str(err)) from None
        if contains_system_labels(self.labels):
            raise system_labels_error()
        ssa = server_side_value(self.server_side, last.apply_method)
        upgraded = Release(
            name=name, namespace=current.namespace, version=revision, chart=chart_record(chart), config=vals,
            info=Info(first_deployed=current.info.first_deployed, last_deployed=timeutil.now(),
                      status=PENDING_UPGRADE, description="Preparing upgrade", notes=rendered.notes),
            manifest=rendered.manifest, hooks=rendered.hooks, labels=merge_custom_labels(last.labels, self.labels),
            apply_method=APPLY_SSA if ssa else APPLY_CSA)
        try:
            cfg.kube.build(rendered.manifest, namespace=current.namespace)
        except PilothouseError as err:
            raise KubeError(str(err)) from None
        return current, upgraded, ssa

    def _reuse_values(self, chart: Any, current: Release, new: dict[str, Any]) -> dict[str, Any]:
        from pilothouse.chart import coalesce_values
        from pilothouse.chart.values import coalesce_tables

        if self.reset_values:
            return new
        if self.reuse_values:
            try:
                old = coalesce_values(current.chart_object(), current.config)
            except PilothouseError as err:
                raise ReleaseError(f"failed to rebuild old values: {err}") from None
            new = coalesce_tables(new, current.config)
            chart.values = _plain(old)
            return new
        if self.reset_then_reuse_values:
            return coalesce_tables(new, current.config)
        if not new and current.config:
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
        try:
            target = kube.build(upgraded.manifest, namespace=upgraded.namespace)
        except PilothouseError as err:
            raise KubeError(f"unable to build kubernetes objects from new release manifest: {err}") from None
        ownership.set_metadata(target, upgraded.name, upgraded.namespace)
        existing = {r.key() for r in current}
        to_create = [r for r in target if r.key() not in existing]
        try:
            if self.take_ownership:
                to_update = ownership.require_adoption(kube, to_create)
            else:
                to_update = ownership.existing_resource_conflict(kube, to_create, upgraded.name, upgraded.namespace)
        except PilothouseError as err:
            raise KubeError(f"unable to continue with update: {err}") from None
        current.extend(to_update)
        if is_dry_run(self.dry_run):
            upgraded.info.description = self.description or "Dry run complete"
            return upgraded
        try:
            cfg.releases.create(upgraded)
        except ReleaseExistsError:
            raise ReleaseError(f"{ERR_PENDING}: revision {upgraded.version} of release \"{upgraded.name}\" "
                               "was just written by another operation") from None
        return self._releasing(upgraded, current, target, original, ssa)

    def _releasing(self, upgraded: Release, current: list[Any], target: list[Any], original: Release,
                   ssa: bool) -> Release:
        from pilothouse.action.hooks import exec_hook
        from pilothouse.kube import ops

        cfg = self.cfg
        created: list[Any] = []
        try:
            if not self.disable_hooks:
                try:
                    exec_hook(cfg, upgraded, "pre-upgrade", wait_strategy=self.wait, timeout=self.timeout,
                              server_side=ssa)
                except PilothouseError as err:
                    raise ReleaseError(f"pre-upgrade hooks failed: {err}") from None
            csa_to_ssa = original.apply_method in ("", APPLY_CSA) and ssa
            try:
                result = ops.update(cfg.kube, current, target, server_side=ssa, force_conflicts=self.force_conflicts,
                                    force_replace=self.force_replace, upgrade_csa_manager=csa_to_ssa)
            except ops.UpdateError as err:
                created = err.result.created
                cfg.record_release(original)
                raise
            created = result.created
            waiter = cfg.waiter(self.wait)
            try:
                if self.wait_for_jobs:
                    waiter.wait_with_jobs(target, self.timeout)
                else:
                    waiter.wait(target, self.timeout)
            except PilothouseError:
                cfg.record_release(original)
                raise
            if not self.disable_hooks:
                try:
                    exec_hook(cfg, upgraded, "post-upgrade", wait_strategy=self.wait, timeout=self.timeout,
                              server_side=ssa)
                except PilothouseError as err:
                    raise ReleaseError(f"post-upgrade hooks failed: {err}") from None
        except PilothouseError as err:
            return self._fail(upgraded, created, err)
        original.info.status = SUPERSEDED
        cfg.record_release(original)
        upgraded.info.status = DEPLOYED
        upgraded.info.description = self.description or "Upgrade complete"
        return upgraded

    def _fail(self, rel: Release, created: list[Any], err: PilothouseError) -> Release:
        from pilothouse.kube import ops

        cfg = self.cfg
        rel.info.status = FAILED
        rel.info.description = f'Upgrade "{rel.name}" failed: {err}'
        cfg.record_release(rel)
        if self.cleanup_on_fail and created:
            _, errs = ops.delete(cfg.kube, created, "Background")
            if errs:
                raise ReleaseError("an error occurred while cleaning up resources. original upgrade error: "
                                   f"{err}: unable to cleanup resources: {', '.join(errs)}") from None
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
        failure = ReleaseError(str(err))
        failure.release = rel  # type: ignore[attr-defined]
        raise failure from None


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v
