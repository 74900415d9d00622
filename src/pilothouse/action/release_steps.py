"""The steps install, upgrade and rollback share, each in one place.

`ReleaseChange` holds the flags `helm install` and `helm upgrade` have in common and the steps
that read them: building the render, running a hook event, waiting, claiming objects for the
release. The free functions serve rollback too. Messages are Helm's; each action passes the words
that differ (``install``/``update``, ``pre-install``/``pre-upgrade``…).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pilothouse.action.config import Configuration, lookup_func
from pilothouse.errors import KubeError, PilothouseError, ReleaseError
from pilothouse.release.model import Release

DRY_RUN_NONE, DRY_RUN_CLIENT, DRY_RUN_SERVER = "none", "client", "server"


def is_dry_run(strategy: str) -> bool:
    """True for ``--dry-run=client`` and ``--dry-run=server``."""
    return strategy in (DRY_RUN_CLIENT, DRY_RUN_SERVER)


def interacts_with_server(strategy: str) -> bool:
    """True when the action may talk to the cluster (no dry run, or ``--dry-run=server``)."""
    return strategy in (DRY_RUN_NONE, DRY_RUN_SERVER)


def build_objects(kube: Any, manifest: str, namespace: str, which: str) -> list[Any]:
    """The objects of a release manifest; ``which`` names it in the error (``current release``…)."""
    try:
        return kube.build(manifest, namespace=namespace)
    except PilothouseError as err:
        raise KubeError(f"unable to build kubernetes objects from {which} manifest: {err}") from None


def wait_for(cfg: Configuration, strategy: str, resources: list[Any], timeout: float, *, jobs: bool) -> None:
    """Wait for ``resources`` with ``strategy`` (``--wait``), Jobs to complete too with ``jobs``."""
    waiter = cfg.waiter(strategy)
    if jobs:
        waiter.wait_with_jobs(resources, timeout)
    else:
        waiter.wait(resources, timeout)


def delete_created(kube: Any, created: list[Any], original: str) -> None:
    """``--cleanup-on-fail``: delete what a failed change created; ``original`` leads the error text."""
    from pilothouse.kube import ops

    _, errs = ops.delete(kube, created, "Background")
    if errs:
        raise ReleaseError(f"an error occurred while cleaning up resources. original {original}: "
                           f"unable to cleanup resources: {', '.join(errs)}") from None


def release_failure(rel: Release, err: PilothouseError) -> ReleaseError:
    """The error a failed release change raises, carrying the failed record for the CLI to print."""
    failure = ReleaseError(str(err))
    failure.release = rel  # type: ignore[attr-defined]
    return failure


@dataclass
class ReleaseChange:
    """The flags `helm install` and `helm upgrade` share, and the steps that use them."""

    cfg: Configuration
    namespace: str = ""
    dry_run: str = DRY_RUN_NONE
    wait: str = "hookOnly"
    wait_for_jobs: bool = False
    timeout: float = 300.0
    rollback_on_failure: bool = False
    disable_hooks: bool = False
    force_conflicts: bool = False
    force_replace: bool = False
    take_ownership: bool = False
    description: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    sub_notes: bool = False
    skip_schema_validation: bool = False
    enable_dns: bool = False
    hide_secret: bool = False
    post_renderer: Callable[[str], str] | None = None
    sequence_annotations: tuple[str, ...] = ()
    policies: list[str] = field(default_factory=list)
    policy_mode: str = "enforce"

    def _atomic_wait(self) -> None:
        # rolling back on failure needs to know the objects are ready, so it implies watching them
        if self.wait == "hookOnly" and self.rollback_on_failure:
            self.wait = "watcher"

    def _check_hide_secret(self) -> None:
        if not is_dry_run(self.dry_run) and self.hide_secret:
            raise ReleaseError("hiding Kubernetes secrets requires a dry-run mode")

    def _check_labels(self) -> None:
        from pilothouse.release.driver.base import contains_system_labels, system_labels_error

        if contains_system_labels(self.labels):
            raise system_labels_error()

    def _render_release(self, chart: Any, top: Mapping[str, Any], *, include_crds: bool = False) -> Any:
        """Render the release (`lookup` reaching the cluster unless a client dry run)."""
        from pilothouse.action.render import RenderFailed, render_resources
        from pilothouse.engine.render import Engine

        lookup = lookup_func(self.cfg.kube) if interacts_with_server(self.dry_run) else None
        from pilothouse.plugin.types.policy import hook

        gate = hook(self.policies, self.policy_mode, "upgrade" if top["Release"]["IsUpgrade"] else "install", chart,
                    self.cfg.kube if lookup is not None else None)
        try:
            return render_resources(chart, top, include_crds=include_crds, sub_notes=self.sub_notes,
                                    hide_secret=self.hide_secret, post_render=self.post_renderer,
                                    engine=Engine(enable_dns=self.enable_dns, lookup=lookup), gate=gate)
        except RenderFailed as err:
            raise PilothouseError(str(err)) from None

    def _claim(self, resources: list[Any], name: str, namespace: str, operation: str) -> list[Any]:
        """Existing objects the release will take over (all of them with ``take_ownership``)."""
        from pilothouse.kube import ownership

        try:
            if self.take_ownership:
                return ownership.require_adoption(self.cfg.kube, resources)
            return ownership.existing_resource_conflict(self.cfg.kube, resources, name, namespace)
        except PilothouseError as err:
            raise KubeError(f"unable to continue with {operation}: {err}") from None

    def _hooks(self, rel: Release, event: str, server_side: bool, failed: str) -> None:
        """Run the ``event`` hooks unless disabled; ``failed`` words the error (``{err}`` is the cause)."""
        if self.disable_hooks:
            return
        from pilothouse.action.hooks import exec_hook

        try:
            exec_hook(self.cfg, rel, event, wait_strategy=self.wait, timeout=self.timeout, server_side=server_side)
        except PilothouseError as err:
            raise ReleaseError(failed.format(err=err)) from None

    def _wait(self, resources: list[Any]) -> None:
        wait_for(self.cfg, self.wait, resources, self.timeout, jobs=self.wait_for_jobs)

    def _sequence(self, chart: Any, manifest: str, resources: list[Any], namespace: str) -> list[list[Any]] | None:
        """With ``--wait=ordered``, the objects in HIP-0025 batches (errors before anything is applied)."""
        if self.wait != "ordered" or not resources:
            return None
        from pilothouse.action.sequencing import plan_release, resource_batches

        batches = plan_release(chart, manifest, self.sequence_annotations)
        self._sequence_batches = batches
        return resource_batches(self.cfg.kube, batches, resources, namespace)

    def _apply_in_order(self, groups: list[list[Any]], apply: Callable[[list[Any]], None]) -> None:
        """Apply and await each batch before the next."""
        from pilothouse.action.sequencing import run_in_order

        def step(objs: list[Any]) -> None:
            apply(objs)
            self._wait(objs)

        run_in_order(getattr(self, "_sequence_batches", []), groups, step, getattr(self.cfg, "progress", None))
