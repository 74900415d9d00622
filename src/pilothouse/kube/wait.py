"""Waiting as Helm 4's ``--wait`` does, and failing fast where Helm waits out the timeout.

Strategies: ``watcher`` (kstatus, the default of a bare ``--wait``) and ``ordered`` (HIP-0025: the
same per batch) wait with watches and stop as soon as an object has failed
(`pilothouse.kube.watchwait`); ``legacy`` polls every 2 s with Helm 3's ready checker
(`pilothouse.kube.legacy_ready`); ``hookOnly`` (the default) awaits
only hooks. Hooks are always awaited with Helm's Job/Pod readers: a Job must complete, a Pod must
succeed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pilothouse.errors import KubeError
from pilothouse.kube import status as kstatus
from pilothouse.kube.errors import ApiError
from pilothouse.kube.resources import Resource

WATCHER = "watcher"
LEGACY = "legacy"
HOOK_ONLY = "hookOnly"
ORDERED = "ordered"
STRATEGIES = (WATCHER, LEGACY, HOOK_ONLY, ORDERED)
DEFAULT_TIMEOUT = 30.0


class WaitError(KubeError):
    """Objects did not reach the wanted state in time (or failed)."""


def parse_strategy(value: str | None) -> str:
    """A ``--wait`` flag value → strategy (``true`` = watcher, ``false``/absent = hookOnly)."""
    if value is None or value in ("", "false"):
        return HOOK_ONLY
    if value == "true":
        return WATCHER
    if value not in STRATEGIES:
        raise KubeError(f'invalid wait strategy "{value}". Valid values are: watcher, hookOnly, legacy, '
                        'ordered')
    return value


class Waiter:
    """Waits for resources: watches for ``watcher``/``ordered``, polling for ``legacy`` and hooks.

    ``progress`` receives `pilothouse.kube.progress` events; ``fail_grace`` is how long a failure
    must persist before the wait gives up; ``logs`` fetches the logs of failing Pods.
    """

    def __init__(self, kube: Any, strategy: str = HOOK_ONLY, *, poll: float = 0.05, max_poll: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, progress: Any = None, fail_grace: float = 2.0,
                 logs: bool = False) -> None:
        self.kube = kube
        self.strategy = strategy
        self.poll = poll
        self.max_poll = max_poll
        self.clock = clock
        self.progress = progress
        self.fail_grace = fail_grace
        self.logs = logs

    def _watching(self, resources: list[Resource], timeout: float, *, jobs: bool, count: int | None = None) -> None:
        from pilothouse.kube import helm_debug
        from pilothouse.kube.watchwait import WatchWaiter

        helm_debug.waiting(len(resources) if count is None else count, timeout or DEFAULT_TIMEOUT)
        WatchWaiter(self.kube, jobs=jobs, fail_grace=self.fail_grace, progress=self.progress,
                    logs=self.logs).wait(resources, timeout)
        helm_debug.seen_one_by_one(resources)
        helm_debug.achieved("Current", len(resources))

    def _legacy(self, resources: list[Resource], timeout: float, *, jobs: bool) -> None:
        from pilothouse.kube import helm_debug, legacy_ready

        helm_debug.beginning_wait(len(resources), timeout)
        try:
            legacy_ready.wait(self.kube, resources, timeout or DEFAULT_TIMEOUT, jobs=jobs, clock=self.clock)
        except legacy_ready.LegacyWaitError as err:
            raise WaitError(str(err)) from None

    # --- what Helm's actions call ------------------------------------------------------------

    def wait(self, resources: list[Resource], timeout: float) -> None:
        """Wait for every resource to be current (no-op for hookOnly)."""
        if self.strategy == HOOK_ONLY:
            return
        todo = [r for r in resources if not (r.kind == "Deployment" and (r.obj.get("spec") or {}).get("paused"))]
        if self.strategy in (WATCHER, ORDERED):
            # Helm counts the resources it was given, paused Deployments included
            self._watching(todo, timeout, jobs=False, count=len(resources))
            return
        self._legacy(resources, timeout, jobs=False)

    def wait_with_jobs(self, resources: list[Resource], timeout: float) -> None:
        """Like `wait`, and Jobs must also complete."""
        if self.strategy == HOOK_ONLY:
            return
        if self.strategy in (WATCHER, ORDERED):
            self._watching(resources, timeout, jobs=True)
            return
        self._legacy(resources, timeout, jobs=True)

    def watch_until_ready(self, resources: list[Resource], timeout: float) -> None:
        """Hooks: Jobs must complete and Pods succeed; other kinds are ready at once."""

        def reader(obj: dict[str, Any]) -> kstatus.Result:
            kind = obj.get("kind")
            if kind == "Job":
                return kstatus.job_status(obj)
            if kind == "Pod":
                return kstatus.pod_status(obj)
            return kstatus.CURRENT, "Resource is current"

        from pilothouse.kube import helm_debug

        watching = self.strategy != LEGACY
        if watching:
            helm_debug.waiting(len(resources), timeout or DEFAULT_TIMEOUT)
        self._until([r for r in resources if r.kind in ("Job", "Pod")], timeout, reader)
        if watching:
            # kinds other than Jobs and Pods count as current at once
            helm_debug.seen_one_by_one(resources)
            helm_debug.achieved("Current", len(resources))

    def wait_for_delete(self, resources: list[Resource], timeout: float) -> None:
        """Wait until the resources are gone (no-op for hookOnly)."""
        if self.strategy == HOOK_ONLY or not resources:
            return
        if self.strategy == LEGACY:
            from pilothouse.kube import helm_debug, legacy_ready

            helm_debug.beginning_delete_wait(len(resources), timeout)
            started = time.monotonic()
            try:
                legacy_ready.wait_for_delete(self.kube, resources, timeout or DEFAULT_TIMEOUT, clock=self.clock)
            except legacy_ready.LegacyWaitError as err:
                helm_debug.wait_outcome(time.monotonic() - started, err)
                raise WaitError(str(err)) from None
            helm_debug.wait_outcome(time.monotonic() - started)
            return
        from pilothouse.kube import helm_debug

        helm_debug.waiting_delete(len(resources), timeout or DEFAULT_TIMEOUT)
        deadline = self.clock() + (timeout or DEFAULT_TIMEOUT)
        delay = self.poll
        pending = list(resources)
        last: dict[int, kstatus.Result] = {}
        present_at_start: int | None = None
        while True:
            still = []
            for r in pending:
                obj = self._get(r)
                if obj is not None:
                    still.append(r)
                    last[id(r)] = kstatus.compute(obj)
            pending = still
            if present_at_start is None:
                # gone before the wait began: Helm's watcher sees them as unknown and leaves them out
                present_at_start = len(still)
            if not pending or self.clock() >= deadline:
                break
            time.sleep(min(delay, max(0.0, deadline - self.clock())))
            delay = min(delay * 2, self.max_poll)
        if pending:
            errs = [f"resource {r.kind}/{r.namespace}/{r.name} still exists. status: "
                    f"{last.get(id(r), ('Unknown', ''))[0]}, message: {last.get(id(r), ('', ''))[1]}"
                    for r in sorted(pending, key=lambda x: x.name)]
            raise WaitError("\n".join(errs + ["context deadline exceeded"]))
        helm_debug.achieved("NotFound", present_at_start or 0)

    # --- polling -----------------------------------------------------------------------------

    def _get(self, r: Resource) -> dict[str, Any] | None:
        try:
            return self.kube.get(r.rtype, r.namespace, r.name)
        except ApiError as err:
            if err.not_found:
                return None
            raise

    def _until(self, resources: list[Resource], timeout: float,
               reader: Callable[[dict[str, Any]], kstatus.Result]) -> None:
        if not resources:
            return
        deadline = self.clock() + (timeout or DEFAULT_TIMEOUT)
        delay = self.poll
        results: dict[int, kstatus.Result] = {}
        pending = list(resources)
        while True:
            still = []
            for r in pending:
                obj = self._get(r)
                res = (kstatus.NOT_FOUND, "Resource not found") if obj is None else reader(obj)
                results[id(r)] = res
                if res[0] not in (kstatus.CURRENT, kstatus.FAILED):
                    still.append(r)
            pending = still
            timed_out = self.clock() >= deadline
            if not pending or timed_out:
                break
            time.sleep(min(delay, max(0.0, deadline - self.clock())))
            delay = min(delay * 2, self.max_poll)
        errs = []
        for r in resources:
            st, msg = results[id(r)]
            if st != kstatus.CURRENT:
                errs.append(f"resource {r.kind}/{r.namespace}/{r.name} not ready. status: {st}, message: {msg}")
        if pending:
            errs.append("context deadline exceeded")
        if errs:
            raise WaitError("\n".join(errs))
