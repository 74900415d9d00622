"""Running a release's hooks for one event (Helm's execHook).

Hooks of the event run one by one, sorted by weight then name. Each is deleted first when its
policy says ``before-hook-creation`` (the default), created, and awaited (Jobs complete, Pods
succeed). The first failure stops the run; afterwards hooks are deleted per ``hook-succeeded`` /
``hook-failed``, and logs are printed per ``helm.sh/hook-output-log-policy``.
"""

from __future__ import annotations

from typing import Any

from pilothouse.errors import KubeError, PilothouseError
from pilothouse.manifest.hooks import Hook
from pilothouse.release import timeutil
from pilothouse.release.model import PHASE_FAILED, PHASE_RUNNING, PHASE_SUCCEEDED, PHASE_UNKNOWN, Release

BEFORE_HOOK_CREATION = "before-hook-creation"
HOOK_SUCCEEDED = "hook-succeeded"
HOOK_FAILED = "hook-failed"


class HookFailed(PilothouseError):
    """A hook did not succeed."""


def _sorted(hooks: list[Hook]) -> list[Hook]:
    return sorted(hooks, key=lambda h: (h.weight, h.name))


def exec_hook(cfg: Any, rel: Release, event: str, *, wait_strategy: str, timeout: float,
              server_side: bool = True) -> None:
    """Run the hooks of ``event``; raises `HookFailed` (or a KubeError) on the first failure."""
    executing = _sorted([h for h in rel.hooks if event in h.events])
    if not executing:
        return
    waiter = cfg.waiter(wait_strategy)
    for i, h in enumerate(executing):
        if not h.delete_policies:
            h.delete_policies = [BEFORE_HOOK_CREATION]
        _delete_by_policy(cfg, h, BEFORE_HOOK_CREATION, waiter, timeout, rel.namespace)
        try:
            resources = cfg.kube.build(h.manifest, namespace=rel.namespace)
        except PilothouseError as err:
            raise KubeError(f"unable to build kubernetes object for {event} hook {h.path}: {err}") from None
        h.last_run = {"started_at": timeutil.now(), "completed_at": "", "phase": PHASE_RUNNING}
        cfg.record_release(rel)
        h.last_run["phase"] = PHASE_UNKNOWN
        try:
            from pilothouse.kube import ops

            ops.create(cfg.kube, resources, server_side=server_side)
        except PilothouseError as err:
            h.last_run["completed_at"] = timeutil.now()
            h.last_run["phase"] = PHASE_FAILED
            raise HookFailed(f"warning: Hook {event} {h.path} failed: {err}") from None
        try:
            waiter.watch_until_ready(resources, timeout)
        except PilothouseError as err:
            h.last_run["completed_at"] = timeutil.now()
            h.last_run["phase"] = PHASE_FAILED
            _output_logs(cfg, h, rel.namespace, HOOK_FAILED)
            try:
                _delete_by_policy(cfg, h, HOOK_FAILED, waiter, timeout, rel.namespace)
            except PilothouseError as derr:
                cfg.log.debug("error deleting the hook resource on hook failure: %s", derr)
            for earlier in executing[:i]:
                _delete_by_policy(cfg, earlier, HOOK_SUCCEEDED, waiter, timeout, rel.namespace)
            raise HookFailed(str(err)) from None
        h.last_run["completed_at"] = timeutil.now()
        h.last_run["phase"] = PHASE_SUCCEEDED
    for h in reversed(executing):
        _output_logs(cfg, h, rel.namespace, HOOK_SUCCEEDED)
        _delete_by_policy(cfg, h, HOOK_SUCCEEDED, waiter, timeout, rel.namespace)


def _delete_by_policy(cfg: Any, h: Hook, policy: str, waiter: Any, timeout: float, namespace: str) -> None:
    if h.kind == "CustomResourceDefinition" or policy not in h.delete_policies:
        return
    from pilothouse.kube import ops

    try:
        resources = cfg.kube.build(h.manifest, namespace=namespace)
    except PilothouseError as err:
        raise KubeError(f"unable to build kubernetes object for deleting hook {h.path}: {err}") from None
    _, errs = ops.delete(cfg.kube, resources, "Background")
    if errs:
        raise KubeError("; ".join(errs))
    waiter.wait_for_delete(resources, timeout)


def _output_logs(cfg: Any, h: Hook, namespace: str, policy: str) -> None:
    if policy not in h.output_log_policies or h.kind not in ("Job", "Pod"):
        return
    from pilothouse.goyaml import load_yaml

    try:
        meta = (load_yaml(h.manifest) or {}).get("metadata") or {}
    except PilothouseError:
        meta = {}
    ns = meta.get("namespace") or namespace
    kube = cfg.kube
    rt = kube.core("Pod")
    try:
        if h.kind == "Job":
            pods = kube.list(rt, ns, label_selector=f"job-name={h.name}")
        else:
            pods = kube.list(rt, ns, field_selector=f"metadata.name={h.name}")
        for pod in pods:
            pname = (pod.get("metadata") or {}).get("name", "")
            for c in (pod.get("spec") or {}).get("containers") or []:
                cfg.hook_output.write(f"POD LOGS: {pname}\n")
                cfg.hook_output.write(kube.pod_logs(ns, pname, c.get("name", "")))
    except PilothouseError as err:
        cfg.log.debug("error outputting logs for hook: %s", err)
