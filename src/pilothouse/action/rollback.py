"""`pilot rollback`: a new revision that copies an older one (Helm 4.2's Rollback).

Nothing is re-rendered: chart, values, manifest, hooks and notes come from the target revision.
A pending last revision does not block a rollback, which is how an interrupted upgrade is repaired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pilothouse.action.config import Configuration, validate_release_name
from pilothouse.action.release_steps import build_objects, delete_created, is_dry_run, wait_for
from pilothouse.action.upgrade import server_side_value
from pilothouse.errors import PilothouseError, ReleaseError
from pilothouse.release import timeutil
from pilothouse.release.driver.base import NoDeployedReleasesError
from pilothouse.release.model import APPLY_CSA, APPLY_SSA, DEPLOYED, FAILED, PENDING_ROLLBACK, SUPERSEDED, Info, Release


@dataclass
class Rollback:
    """`helm rollback` as an object: the fields are its flags, `run` rolls back."""

    cfg: Configuration
    version: int = 0
    dry_run: str = "none"
    wait: str = "hookOnly"
    wait_for_jobs: bool = False
    timeout: float = 300.0
    disable_hooks: bool = False
    server_side: str = "auto"
    force_conflicts: bool = False
    force_replace: bool = False
    cleanup_on_fail: bool = False
    max_history: int = 0
    policies: list[str] = field(default_factory=list)
    policy_mode: str = "enforce"
    # whether a revision recorded as sequenced is rolled back to in order when ``wait`` is the default
    follow_recorded_order: bool = True

    def run(self, name: str) -> Release:
        """Roll ``name`` back to ``version`` (0: the previous revision); returns the new revision."""
        cfg = self.cfg
        cfg.kube.is_reachable()
        cfg.releases.max_history = self.max_history
        from pilothouse import slog

        slog.debug("preparing rollback", name=name)
        current, target, ssa = self._prepare(name)
        from pilothouse.action.sequence_record import effective_wait, mark

        # HIP-0025: a revision applied in order is rolled back to in that order unless told otherwise
        asked = self.wait
        self.wait = effective_wait(asked, self.follow_recorded_order, target)
        mark(target, self.wait == "ordered")
        try:
            return self._rollback(current, target, ssa)
        finally:
            self.wait = asked

    def _rollback(self, current: Release, target: Release, ssa: bool) -> Release:
        cfg = self.cfg
        from pilothouse.plugin.types.policy import check_release

        check_release(self.policies, self.policy_mode, target, "rollback", cfg.kube)
        dry = is_dry_run(self.dry_run)
        from pilothouse import slog

        if not dry:
            slog.debug("creating rolled back release", name=target.name)
            cfg.releases.create(target)
        slog.debug("performing rollback", name=target.name)
        self._perform(current, target, ssa)
        if not dry:
            slog.debug("updating status for rolled back release", name=target.name)
            cfg.releases.update(target)
        return target

    def _prepare(self, name: str) -> tuple[Release, Release, bool]:
        cfg = self.cfg
        try:
            validate_release_name(name)
        except ReleaseError:
            raise ReleaseError(f"prepareRollback: Release name is invalid: {name}") from None
        if self.version < 0:
            raise ReleaseError("invalid release revision")
        current = cfg.releases.last(name)
        previous_version = self.version or current.version - 1
        history = cfg.releases.history(name)
        if not any(r.version == previous_version for r in history):
            raise ReleaseError(f"release has no {previous_version} version")
        from pilothouse import slog

        slog.debug("rolling back", name=name, currentVersion=current.version, targetVersion=previous_version)
        previous = cfg.releases.get(name, previous_version)
        ssa = server_side_value(self.server_side, previous.apply_method)
        target = Release(
            name=name, namespace=current.namespace, version=current.version + 1, chart=previous.chart,
            config=previous.config,
            info=Info(first_deployed=current.info.first_deployed, last_deployed=timeutil.now(),
                      status=PENDING_ROLLBACK, notes=previous.info.notes,
                      description=f"Rollback to {previous_version}"),
            labels=dict(previous.labels), manifest=previous.manifest, hooks=previous.hooks,
            apply_method=APPLY_SSA if ssa else APPLY_CSA)
        return current, target, ssa

    def _perform(self, current: Release, target: Release, ssa: bool) -> None:
        from pilothouse import slog
        from pilothouse.action.hooks import exec_hook
        from pilothouse.kube import ownership

        if is_dry_run(self.dry_run):
            slog.debug("dry run", name=target.name)
            return
        cfg = self.cfg
        kube = cfg.kube
        cur = build_objects(kube, current.manifest, current.namespace, "current release")
        tgt = build_objects(kube, target.manifest, target.namespace, "new release")
        if not self.disable_hooks:
            exec_hook(cfg, target, "pre-rollback", wait_strategy=self.wait, timeout=self.timeout, server_side=ssa)
        ownership.set_metadata(tgt, target.name, target.namespace)
        if self.wait == "ordered":
            # the stored record keeps no subcharts, so the order comes from the manifest's annotations
            from pilothouse.action.sequencing import plan_from_manifest, resource_batches, run_in_order

            batches = plan_from_manifest(target.manifest)
            groups = resource_batches(kube, batches, tgt, target.namespace)
            by_id = {r.identity(): r for r in cur}

            def step(objs: list[Any]) -> None:
                self._apply(kube, [by_id[r.identity()] for r in objs if r.identity() in by_id], objs, ssa,
                            current, target)
                self._await(objs, current, target)

            run_in_order(batches, groups, step, getattr(cfg, "progress", None))
            tgt_ids = {r.identity() for r in tgt}
            self._apply(kube, [r for r in cur if r.identity() not in tgt_ids], [], ssa, current, target)
        else:
            self._apply(kube, cur, tgt, ssa, current, target)
            self._await(tgt, current, target)
        if not self.disable_hooks:
            exec_hook(cfg, target, "post-rollback", wait_strategy=self.wait, timeout=self.timeout, server_side=ssa)
        try:
            deployed = cfg.releases.deployed_all(current.name)
        except NoDeployedReleasesError:
            deployed = []
        for rel in deployed:
            slog.debug("superseding previous deployment", version=rel.version)
            rel.info.status = SUPERSEDED
            cfg.record_release(rel)
        target.info.status = DEPLOYED

    def _apply(self, kube: Any, cur: list[Any], tgt: list[Any], ssa: bool, current: Release,
               target: Release) -> None:
        from pilothouse.kube import ops

        cfg = self.cfg
        try:
            ops.update(kube, cur, tgt, server_side=ssa, force_conflicts=self.force_conflicts,
                       force_replace=self.force_replace, upgrade_csa_manager=True)
        except PilothouseError as err:
            msg = f'Rollback "{target.name}" failed: {err}'
            from pilothouse import slog

            slog.warn(msg)
            current.info.status = SUPERSEDED
            target.set_status(FAILED, msg)
            cfg.record_release(current)
            cfg.record_release(target)
            created = err.result.created if isinstance(err, ops.UpdateError) else []
            if self.cleanup_on_fail and created:
                delete_created(kube, created, "rollback error")
            raise

    def _await(self, objs: list[Any], current: Release, target: Release) -> None:
        cfg = self.cfg
        try:
            wait_for(cfg, self.wait, objs, self.timeout, jobs=self.wait_for_jobs)
        except PilothouseError as err:
            target.set_status(FAILED, f'Release "{target.name}" failed: {err}')
            cfg.record_release(current)
            cfg.record_release(target)
            raise ReleaseError(f"release {target.name} failed: {err}") from None


