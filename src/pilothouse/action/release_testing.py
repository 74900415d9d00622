"""`pilot test`: run a release's ``test`` hooks and record how they went (Helm's ReleaseTesting)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pilothouse.action.config import Configuration
from pilothouse.errors import PilothouseError, ReleaseError
from pilothouse.release.model import Release


@dataclass
class ReleaseTesting:
    """`helm test` as an object; ``filters`` maps ``name``/``!name`` selections as ``--filter`` does."""

    cfg: Configuration
    timeout: float = 300.0
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    logs: bool = False

    def run(self, name: str) -> Release:
        from pilothouse.action.config import validate_release_name
        from pilothouse.action.hooks import exec_hook

        cfg = self.cfg
        cfg.kube.is_reachable()
        try:
            validate_release_name(name)
        except ReleaseError:
            raise ReleaseError(f"releaseTest: Release name is invalid: {name}") from None
        rel = cfg.releases.last(name)
        skipped = []
        if self.include or self.exclude:
            kept = []
            for h in rel.hooks:
                if "test" in h.events and ((self.include and h.name not in self.include) or h.name in self.exclude):
                    skipped.append(h)
                else:
                    kept.append(h)
            rel.hooks = kept
        err: PilothouseError | None = None
        try:
            exec_hook(cfg, rel, "test", wait_strategy="hookOnly", timeout=self.timeout, server_side=True)
        except PilothouseError as e:
            err = e
        rel.hooks = rel.hooks + skipped
        cfg.releases.update(rel)
        if err is not None:
            failure = ReleaseError(str(err))
            failure.release = rel  # type: ignore[attr-defined]
            raise failure
        if self.logs:
            self._logs(rel)
        return rel

    def _logs(self, rel: Release) -> None:
        kube: Any = self.cfg.kube
        for h in rel.hooks:
            if "test" not in h.events or h.kind != "Pod":
                continue
            try:
                obj = kube.get(kube.core("Pod"), rel.namespace, h.name)
            except PilothouseError:
                continue
            for c in (obj.get("spec") or {}).get("containers") or []:
                self.cfg.hook_output.write(f"POD LOGS: {h.name}\n")
                try:
                    self.cfg.hook_output.write(kube.pod_logs(rel.namespace, h.name, c.get("name", "")))
                except PilothouseError as e:
                    raise ReleaseError(f"unable to get pod logs for {h.name}: {e}") from None
