"""Helm hooks: the record a hook document becomes, and the annotations that make one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HOOK_ANNOTATION = "helm.sh/hook"
HOOK_WEIGHT_ANNOTATION = "helm.sh/hook-weight"
HOOK_DELETE_ANNOTATION = "helm.sh/hook-delete-policy"
HOOK_OUTPUT_LOG_ANNOTATION = "helm.sh/hook-output-log-policy"
RESOURCE_POLICY_ANNOTATION = "helm.sh/resource-policy"

HOOK_EVENTS: dict[str, str] = {
    e: e for e in ("pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade", "post-upgrade",
                   "pre-rollback", "post-rollback", "test")
}
HOOK_EVENTS["test-success"] = "test"


@dataclass
class Hook:
    """One hook of a release, as Helm stores it (`release.Hook`)."""

    name: str
    kind: str
    path: str
    manifest: str
    events: list[str] = field(default_factory=list)
    weight: int = 0
    delete_policies: list[str] = field(default_factory=list)
    output_log_policies: list[str] = field(default_factory=list)
    last_run: dict[str, Any] = field(default_factory=lambda: {"started_at": "", "completed_at": "", "phase": ""})

    def is_test(self) -> bool:
        return "test" in self.events


def go_atoi(s: str) -> int:
    """strconv.Atoi, where an error (anything but an optional sign and decimal digits) gives 0."""
    from pilothouse.gotemplate.gostrconv import NumError, atoi

    try:
        return atoi(s)
    except NumError:
        return 0
