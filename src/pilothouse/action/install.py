"""`pilot install`: render a chart, record the release, create its objects, run its hooks.

Helm 4.2's Install step by step: name check, CRDs, render, ownership checks, namespace,
the ``pending-install`` record, pre-install hooks, server-side apply, wait, post-install hooks,
``deployed``. A failure marks the release ``failed``; with ``rollback_on_failure`` (``--atomic``)
the release is uninstalled again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pilothouse.action.config import validate_release_name
from pilothouse.action.release_steps import (
    DRY_RUN_CLIENT,
    DRY_RUN_NONE,
    DRY_RUN_SERVER,
    ReleaseChange,
    build_objects,
    interacts_with_server,
    is_dry_run,
    release_failure,
)
from pilothouse.errors import PilothouseError, ReleaseError
from pilothouse.release import timeutil
from pilothouse.release.chartrecord import chart_record
from pilothouse.release.model import (
    APPLY_CSA,
    APPLY_SSA,
    DEPLOYED,
    FAILED,
    PENDING_INSTALL,
    SUPERSEDED,
    UNINSTALLED,
    UNKNOWN,
    Info,
    Release,
    sort_by_revision,
)

__all__ = ["DRY_RUN_CLIENT", "DRY_RUN_NONE", "DRY_RUN_SERVER", "Install", "interacts_with_server", "is_dry_run"]


@dataclass
class Install(ReleaseChange):
    """`helm install` as an object: the fields are its flags, `run` installs."""

    release_name: str = ""
    create_namespace: bool = False
    replace: bool = False
    skip_crds: bool = False
    server_side: bool = True
    include_crds: bool = False
    is_upgrade: bool = False
    kube_version: str | None = None
    api_versions: list[str] = field(default_factory=list)

    def run(self, chart: Any, values: Mapping[str, Any] | None = None) -> Release:
        """Install ``chart`` (a loaded chart) with user values; returns the release record."""
        from pilothouse.action.render import check_chart

        cfg = self.cfg
        ns = self.namespace or cfg.namespace
        vals = dict(values or {})
        check_chart(chart)
        if interacts_with_server(self.dry_run):
            try:
                cfg.kube.is_reachable()
            except PilothouseError as err:
                from pilothouse import slog

                slog.error(f"cluster reachability check failed: {err}")
                raise type(err)(f"cluster reachability check failed: {err}") from None
        try:
            self._check_hide_secret()
        except PilothouseError as err:
            from pilothouse import slog

            slog.error(str(err))
            raise
        self._available_name()
        # server-side apply with force-replace is refused by the kube client's update only: a fresh
        # install creates its objects and never gets there
        if interacts_with_server(self.dry_run) and not self.skip_crds and chart.crd_objects():
            if is_dry_run(self.dry_run):
                cfg.log.warning("This chart or one of its subcharts contains CRDs. Rendering may fail or contain "
                                "inaccuracies.")
            else:
                self._install_crds(chart)
        if not interacts_with_server(self.dry_run):
            from pilothouse.engine.context import Capabilities
            from pilothouse.release.driver.memory import Memory
            from pilothouse.release.storage import Storage

            caps = Capabilities(self.kube_version, self.api_versions)
            mem = Memory()
            mem.set_namespace(ns)
            store = Storage(mem)
        else:
            caps = cfg.get_capabilities()
            store = cfg.releases
        self._atomic_wait()
        rel = self._render(chart, vals, ns, caps)
        rel.set_status(PENDING_INSTALL, "Initial install underway")
        if not interacts_with_server(self.dry_run):
            rel.info.description = "Dry run complete"
            return rel
        resources = build_objects(cfg.kube, rel.manifest, ns, "release")
        from pilothouse.kube import ownership

        ownership.set_metadata(resources, rel.name, ns)
        self._groups = self._sequence(chart, rel.manifest, resources, ns)
        to_adopt: list[Any] = []
        if resources and not (self.is_upgrade and is_dry_run(self.dry_run)):
            to_adopt = self._claim(resources, rel.name, ns, "install")
        if is_dry_run(self.dry_run):
            rel.info.description = "Dry run complete"
            return rel
        if self.create_namespace:
            self._create_namespace(ns)
        if self.replace:
            self._replace_release(rel, store)
        store.create(rel)
        try:
            self._perform(rel, to_adopt, resources)
        except PilothouseError as err:
            return self._fail(rel, err)
        return rel

    # --- steps ---------------------------------------------------------------------------------

    def _available_name(self) -> None:
        name = self.release_name
        try:
            validate_release_name(name)
        except ReleaseError as err:
            from pilothouse import slog

            slog.error("release name check failed", error=f'release name "{name}": {err}')
            raise ReleaseError(f'release name check failed: release name "{name}": {err}') from None
        if is_dry_run(self.dry_run):
            return
        from pilothouse.release.driver.base import ReleaseNotFoundError

        try:
            hist = self.cfg.releases.history(name)
        except ReleaseNotFoundError:
            return
        if not hist:
            return
        last = sort_by_revision(hist, reverse=True)[0]
        if self.replace and last.info.status in (UNINSTALLED, FAILED):
            return
        from pilothouse import slog

        slog.error("release name check failed", error="cannot reuse a name that is still in use")
        raise ReleaseError("release name check failed: cannot reuse a name that is still in use")

    def _install_crds(self, chart: Any) -> None:
        from pilothouse.kube.errors import ApiError
        from pilothouse.kube.wait import WATCHER, Waiter

        kube = self.cfg.kube
        created = []
        for crd in chart.crd_objects():
            data = crd.file.data.decode("utf-8", "replace") if isinstance(crd.file.data, bytes) else crd.file.data
            if not data.strip():
                raise ReleaseError(f"failed to install CRD {crd.name}: file is empty")
            try:
                resources = kube.build(data)
            except PilothouseError as err:
                raise ReleaseError(f"failed to install CRD {crd.name}: {err}") from None
            if not resources:
                raise ReleaseError(f"failed to install CRD {crd.name}: resources are empty")
            for r in resources:
                try:
                    kube.create(r.rtype, r.namespace, r.obj)
                    created.append(r)
                except ApiError as err:
                    if not err.already_exists:
                        raise ReleaseError(f"failed to install CRD {crd.name}: {err}") from None
        if created:
            Waiter(kube, WATCHER).wait(created, 60.0)
            kube.invalidate()
            self.cfg.capabilities = None

    def _render(self, chart: Any, vals: dict[str, Any], ns: str, caps: Any) -> Release:
        from pilothouse.action.render import prepare_render

        is_upgrade = self.is_upgrade and is_dry_run(self.dry_run)
        top = prepare_render(chart, vals, name=self.release_name, namespace=ns, revision=1, is_upgrade=is_upgrade,
                             capabilities=caps, skip_schema_validation=self.skip_schema_validation)
        self._check_labels()
        now = timeutil.now()
        rel = Release(name=self.release_name, namespace=ns, version=1, chart=chart_record(chart), config=vals,
                      info=Info(first_deployed=now, last_deployed=now, status=UNKNOWN), labels=dict(self.labels),
                      apply_method=APPLY_SSA if self.server_side else APPLY_CSA)
        from pilothouse.action.sequence_record import mark

        mark(rel, self.wait == "ordered")
        rendered = self._render_release(chart, top, include_crds=self.include_crds)
        rel.hooks = rendered.hooks
        rel.manifest = rendered.manifest
        rel.info.notes = rendered.notes
        return rel

    def _create_namespace(self, ns: str) -> None:
        from pilothouse.kube.errors import ApiError

        kube = self.cfg.kube
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "labels": {"name": ns}}}
        try:
            if self.server_side:
                kube.apply(kube.core("Namespace"), "", body)
            else:
                kube.create(kube.core("Namespace"), "", body)
        except ApiError as err:
            if not err.already_exists:
                raise

    def _replace_release(self, rel: Release, store: Any) -> None:
        from pilothouse.release.driver.base import ReleaseNotFoundError

        try:
            hist = store.history(rel.name)
        except ReleaseNotFoundError:
            return
        if not hist:
            return
        last = sort_by_revision(hist, reverse=True)[0]
        rel.version = last.version + 1
        if last.info.status == FAILED:
            return
        last.set_status(SUPERSEDED, "superseded by new release")
        self.cfg.record_release(last)

    def _perform(self, rel: Release, to_adopt: list[Any], resources: list[Any]) -> None:
        from pilothouse.kube import ops

        cfg = self.cfg
        self._hooks(rel, "pre-install", self.server_side, "failed pre-install: {err}")
        groups = getattr(self, "_groups", None)
        if groups:
            adopt_ids = {r.identity() for r in to_adopt}

            def apply(objs: list[Any]) -> None:
                adopt = [r for r in objs if r.identity() in adopt_ids]
                if not adopt:
                    ops.create(cfg.kube, objs, server_side=self.server_side, force_conflicts=self.force_conflicts)
                else:
                    ops.update(cfg.kube, adopt, objs, server_side=self.server_side,
                               force_conflicts=self.force_conflicts, force_replace=self.force_replace,
                               three_way_unstructured=self.take_ownership and not self.server_side,
                               upgrade_csa_manager=True)

            self._apply_in_order(groups, apply)
        elif resources and not to_adopt:
            ops.create(cfg.kube, resources, server_side=self.server_side, force_conflicts=self.force_conflicts)
        elif resources:
            ops.update(cfg.kube, to_adopt, resources, server_side=self.server_side,
                       force_conflicts=self.force_conflicts, force_replace=self.force_replace,
                       three_way_unstructured=self.take_ownership and not self.server_side, upgrade_csa_manager=True)
        if not groups:
            self._wait(resources)
        self._hooks(rel, "post-install", self.server_side, "failed post-install: {err}")
        rel.set_status(DEPLOYED, self.description or "Install complete")
        cfg.record_release(rel)

    def _fail(self, rel: Release, err: PilothouseError) -> Release:
        rel.set_status(FAILED, f'Release "{self.release_name}" failed: {err}')
        if self.rollback_on_failure:
            from pilothouse.action.uninstall import Uninstall

            un = Uninstall(self.cfg, disable_hooks=self.disable_hooks, keep_history=False, timeout=self.timeout,
                           wait=self.wait)
            try:
                un.run(self.release_name)
            except PilothouseError as uerr:
                raise ReleaseError("an error occurred while uninstalling the release. original install error: "
                                   f"{err}: {uerr}") from None
            raise ReleaseError(f"release {self.release_name} failed, and has been uninstalled due to "
                               f"rollback-on-failure being set: {err}") from None
        self.cfg.record_release(rel)
        raise release_failure(rel, err) from None
