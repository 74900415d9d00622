"""`pilot test`: run a release's ``test`` hooks and record how they went (Helm's ReleaseTesting)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from pilothouse.action.config import Configuration
from pilothouse.errors import PilothouseError, ReleaseError
from pilothouse.release.model import Release


def parse_filters(items: list[str]) -> tuple[list[str], list[str]]:
    """``--filter`` values as Helm reads them: ``name=X`` selects, ``!name=X`` (or ``! name=X``) excludes.

    Items are already split at commas; anything else is ignored, as Helm ignores it.
    """
    import re

    not_name = re.compile(r"^!\s?name=")
    include: list[str] = []
    exclude: list[str] = []
    for item in items:
        if item.startswith("name="):
            include.append(item[len("name="):])
        elif not_name.match(item):
            exclude.append(not_name.sub("", item, count=1))
    return include, exclude


@dataclass
class ReleaseTesting:
    """`helm test` as an object: ``include``/``exclude`` are the hook names ``--filter`` selects or skips."""

    cfg: Configuration
    timeout: float = 300.0
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    namespace: str = ""

    def run(self, name: str) -> Release:
        """Run the selected test hooks; a failure raises `ReleaseError` carrying the updated release."""
        from pilothouse.action.config import validate_release_name
        from pilothouse.action.hooks import exec_hook

        cfg = self.cfg
        cfg.kube.is_reachable()
        try:
            validate_release_name(name)
        except ReleaseError:
            raise ReleaseError(f"releaseTest: Release name is invalid: {name}") from None
        rel = cfg.releases.last(name)
        # Helm filters every hook by name (not just tests); the skipped ones go back first, in their order
        skipped = []
        if self.exclude:
            skipped += [h for h in rel.hooks if h.name in self.exclude]
            rel.hooks = [h for h in rel.hooks if h.name not in self.exclude]
        if self.include:
            skipped += [h for h in rel.hooks if h.name not in self.include]
            rel.hooks = [h for h in rel.hooks if h.name in self.include]
        err: PilothouseError | None = None
        try:
            exec_hook(cfg, rel, "test", wait_strategy="watcher", timeout=self.timeout,
                      server_side=rel.apply_method == "ssa")
        except PilothouseError as e:
            err = e
        rel.hooks = skipped + rel.hooks
        try:
            cfg.releases.update(rel)
        except PilothouseError:
            if err is None:
                raise
        if err is not None:
            failure = ReleaseError(str(err))
            failure.release = rel  # type: ignore[attr-defined]
            raise failure
        return rel

    def pod_logs(self, out: IO[str], rel: Release) -> None:
        """Each selected test pod's log, lightest hook first (Helm's GetPodLogs)."""
        kube: Any = self.cfg.kube
        namespace = self.namespace or self.cfg.namespace
        for h in sorted(rel.hooks, key=lambda h: (h.weight, h.name)):
            if "test" not in h.events or h.name in self.exclude or (self.include and h.name not in self.include):
                continue
            try:
                text = kube.pod_logs(namespace, h.name)
            except PilothouseError as e:
                raise ReleaseError(f"unable to get pod logs for {h.name}: {e}") from None
            out.write(f"POD LOGS: {h.name}\n{text}\n")
