"""`pilot uninstall`: delete a release's objects and (unless ``keep_history``) its records.

Helm 4.2's Uninstall: the latest revision becomes ``uninstalling``, pre-delete hooks run, the
stored manifest is deleted in uninstall order except objects marked
``helm.sh/resource-policy: keep``, post-delete hooks run, and the records are purged or kept
as ``uninstalled``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pilothouse.action.config import Configuration, validate_release_name
from pilothouse.errors import PilothouseError, ReleaseError
from pilothouse.release import timeutil
from pilothouse.release.driver.base import NoDeployedReleasesError, ReleaseNotFoundError
from pilothouse.release.model import SUPERSEDED, UNINSTALLED, UNINSTALLING, Release, sort_by_revision


@dataclass
class UninstallResult:
    """The uninstalled release and the 'kept resources' notice."""

    release: Release | None
    info: str = ""


@dataclass
class Uninstall:
    """`helm uninstall` as an object."""

    cfg: Configuration
    disable_hooks: bool = False
    dry_run: bool = False
    ignore_not_found: bool = False
    keep_history: bool = False
    wait: str = "hookOnly"
    timeout: float = 300.0
    description: str = ""
    cascade: str = "background"
    sequence_annotations: tuple[str, ...] = ()
    # whether a release recorded as sequenced is uninstalled in reverse order when ``wait`` is the default
    follow_recorded_order: bool = True
    errors: list[str] = field(default_factory=list)

    def run(self, name: str) -> UninstallResult:
        """Uninstall ``name``."""
        cfg = self.cfg
        cfg.kube.is_reachable()
        if self.dry_run:
            try:
                return UninstallResult(cfg.release_content(name))
            except ReleaseNotFoundError:
                if self.ignore_not_found:
                    return UninstallResult(None)
                raise
        try:
            validate_release_name(name)
        except ReleaseError:
            raise ReleaseError(f"uninstall: Release name is invalid: {name}") from None
        try:
            rels = cfg.releases.history(name)
        except PilothouseError as err:
            if self.ignore_not_found:
                return UninstallResult(None)
            raise ReleaseError(f"uninstall: Release not loaded: {name}: {err}") from None
        if not rels:
            raise ReleaseError("no release provided")
        rels = sort_by_revision(rels)
        rel = rels[-1]
        if rel.info.status == UNINSTALLED:
            if not self.keep_history:
                self._purge(rels)
                return UninstallResult(rel)
            raise ReleaseError(f'the release named "{name}" is already deleted')
        from pilothouse.action.sequence_record import effective_wait

        # HIP-0025: a release applied in order is removed in reverse order unless told otherwise
        asked = self.wait
        self.wait = effective_wait(asked, self.follow_recorded_order, rel)
        try:
            return self._uninstall(name, rels, rel)
        finally:
            self.wait = asked

    def _uninstall(self, name: str, rels: list[Release], rel: Release) -> UninstallResult:
        from pilothouse import slog

        cfg = self.cfg
        slog.debug("uninstall: deleting release", name=name)
        rel.info.status = UNINSTALLING
        rel.info.deleted = timeutil.now()
        rel.info.description = "Deletion in progress (or silently failed)"
        res = UninstallResult(rel)
        waiter = cfg.waiter(self.wait)
        if not self.disable_hooks:
            from pilothouse.action.hooks import exec_hook

            exec_hook(cfg, rel, "pre-delete", wait_strategy=self.wait, timeout=self.timeout, server_side=True)
        else:
            slog.debug("delete hooks disabled", release=name)
        try:
            cfg.releases.update(rel)
        except PilothouseError as err:
            cfg.log.debug("uninstall: Failed to store updated release: %s", err)
        deleted, kept, errs = self._delete_release(rel)
        if errs:
            raise ReleaseError(f"failed to delete release: {name}")
        if kept:
            res.info = "These resources were kept due to the resource policy:\n" + kept
        errors: list[str] = []
        try:
            waiter.wait_for_delete(deleted, self.timeout)
        except PilothouseError as err:
            errors.append(str(err))
        if not self.disable_hooks:
            from pilothouse.action.hooks import exec_hook

            try:
                exec_hook(cfg, rel, "post-delete", wait_strategy=self.wait, timeout=self.timeout, server_side=True)
            except PilothouseError as err:
                errors.append(str(err))
        rel.info.status = UNINSTALLED
        rel.info.description = self.description or "Uninstallation complete"
        if not self.keep_history:
            slog.debug("purge requested", release=name)
            try:
                self._purge(rels)
            except PilothouseError as err:
                errors.append(f"uninstall: Failed to purge the release: {err}")
        else:
            try:
                cfg.releases.update(rel)
            except PilothouseError as err:
                cfg.log.debug("uninstall: Failed to store updated release: %s", err)
            try:
                deployed = cfg.releases.deployed_all(name)
            except NoDeployedReleasesError:
                deployed = []
            for d in deployed:
                slog.debug("superseding previous deployment", version=d.version)
                d.info.status = SUPERSEDED
                cfg.record_release(d)
        self.errors = errors
        if errors:
            err = ReleaseError(f"uninstallation completed with {len(errors)} error(s): {'; '.join(errors)}")
            err.result = res  # type: ignore[attr-defined]
            raise err
        return res

    def _purge(self, rels: list[Release]) -> None:
        for r in rels:
            self.cfg.releases.delete(r.name, r.version)

    def _delete_release(self, rel: Release) -> tuple[list[Any], str, list[str]]:
        from pilothouse.kube import ops
        from pilothouse.manifest import UNINSTALL_ORDER, sort_manifests
        from pilothouse.manifest.hooks import RESOURCE_POLICY_ANNOTATION

        if self.wait == "ordered":
            from pilothouse.action.sequencing import delete_in_order

            propagation = {"orphan": "Orphan", "foreground": "Foreground"}.get(self.cascade, "Background")
            return delete_in_order(self.cfg, rel.manifest, rel.namespace, propagation, self.timeout,
                                   self.sequence_annotations)
        try:
            _, files = sort_manifests({"manifest": rel.manifest}, UNINSTALL_ORDER)
        except PilothouseError as err:
            return [], rel.manifest, [f"corrupted release record. You must manually delete the resources: {err}"]
        keep, delete = [], []
        for f in files:
            ann = f.head.annotations or {}
            policy = ann.get(RESOURCE_POLICY_ANNOTATION)
            if policy is None:
                delete.append(f)
            elif policy.strip().lower() == "keep":
                keep.append(f)
            # any other policy value: the object lands in neither list (Helm's behaviour)
        kept = "".join(f"[{f.head.kind}] {f.head.name}\n" for f in keep)
        text = "".join("\n---\n" + f.content for f in delete)
        try:
            resources = self.cfg.kube.build(text, namespace=rel.namespace)
        except PilothouseError as err:
            return [], "", [f"unable to build kubernetes objects for delete: {err}"]
        errs: list[str] = []
        if resources:
            propagation = {"orphan": "Orphan", "foreground": "Foreground"}.get(self.cascade, "Background")
            _, errs = ops.delete(self.cfg.kube, resources, propagation)
        return resources, kept, errs
