"""The release record (`helm.sh/release.v1`): what Helm stores for each revision of a release.

Field for field Helm's `release.Release`, `Info` and `Hook`; `to_json` writes them as Go's
encoding/json does (struct order, omitempty, maps sorted), `Release.from_json` reads records
written by Helm 3, Helm 4 or Pilothouse.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from pilothouse.manifest.hooks import Hook
from pilothouse.release.gojson import Struct, decode, encode

# Release statuses (`common.Status`).
UNKNOWN = "unknown"
DEPLOYED = "deployed"
UNINSTALLED = "uninstalled"
SUPERSEDED = "superseded"
FAILED = "failed"
UNINSTALLING = "uninstalling"
PENDING_INSTALL = "pending-install"
PENDING_UPGRADE = "pending-upgrade"
PENDING_ROLLBACK = "pending-rollback"
PENDING = (PENDING_INSTALL, PENDING_UPGRADE, PENDING_ROLLBACK)
ALL_STATUSES = (UNKNOWN, DEPLOYED, UNINSTALLED, SUPERSEDED, FAILED, UNINSTALLING, PENDING_INSTALL, PENDING_UPGRADE,
                PENDING_ROLLBACK)

# Hook phases (`HookPhase`).
PHASE_UNKNOWN = "Unknown"
PHASE_RUNNING = "Running"
PHASE_SUCCEEDED = "Succeeded"
PHASE_FAILED = "Failed"

APPLY_SSA = "ssa"
APPLY_CSA = "csa"


@dataclass
class Info:
    """`release.Info`: times are Go RFC 3339 texts ('' when zero)."""

    first_deployed: str = ""
    last_deployed: str = ""
    deleted: str = ""
    description: str = ""
    status: str = UNKNOWN
    notes: str = ""
    resources: dict[str, Any] | None = None

    def to_struct(self) -> Struct:
        s = Struct()
        for key in ("first_deployed", "last_deployed", "deleted"):
            val = getattr(self, key)
            if val and not _zero_time(val):
                s.append((key, val))
        for key in ("description", "status", "notes"):
            if getattr(self, key):
                s.append((key, getattr(self, key)))
        if self.resources:
            s.append(("resources", self.resources))
        return s

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Info:
        return cls(first_deployed=_str(d.get("first_deployed")), last_deployed=_str(d.get("last_deployed")),
                   deleted=_str(d.get("deleted")), description=_str(d.get("description")),
                   status=_str(d.get("status")), notes=_str(d.get("notes")), resources=d.get("resources") or None)


def _zero_time(text: str) -> bool:
    return text.startswith("0001-01-01T00:00:00") and text.rstrip("Z").endswith("00:00:00")


def _str(v: Any) -> str:
    return v if isinstance(v, str) else ""


def hook_struct(h: Hook) -> Struct:
    """A hook as Go's encoding/json writes `release.Hook`."""
    s = Struct()
    for key in ("name", "kind", "path", "manifest"):
        if getattr(h, key):
            s.append((key, getattr(h, key)))
    if h.events:
        s.append(("events", list(h.events)))
    run = h.last_run or {}
    lr = Struct()
    for key in ("started_at", "completed_at"):
        if run.get(key) and not _zero_time(run[key]):
            lr.append((key, run[key]))
    lr.append(("phase", run.get("phase") or ""))
    s.append(("last_run", lr))
    if h.weight:
        s.append(("weight", h.weight))
    if h.delete_policies:
        s.append(("delete_policies", list(h.delete_policies)))
    if h.output_log_policies:
        s.append(("output_log_policies", list(h.output_log_policies)))
    return s


def hook_from_dict(d: dict[str, Any]) -> Hook:
    run = d.get("last_run") or {}
    weight = d.get("weight") or 0
    return Hook(name=_str(d.get("name")), kind=_str(d.get("kind")), path=_str(d.get("path")),
                manifest=_str(d.get("manifest")), events=[str(e) for e in d.get("events") or []],
                weight=int(weight), delete_policies=[str(p) for p in d.get("delete_policies") or []],
                output_log_policies=[str(p) for p in d.get("output_log_policies") or []],
                last_run={"started_at": _str(run.get("started_at")), "completed_at": _str(run.get("completed_at")),
                          "phase": _str(run.get("phase"))})


@dataclass
class Release:
    """One revision of a release (`release.Release`).

    ``chart`` is the stored chart in its JSON shape (see `pilothouse.release.chartrecord`);
    ``labels`` live in the storage object, not in the JSON.
    """

    name: str = ""
    namespace: str = ""
    version: int = 0
    info: Info = field(default_factory=Info)
    chart: dict[str, Any] | None = None
    config: dict[str, Any] = field(default_factory=dict)
    manifest: str = ""
    hooks: list[Hook] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    apply_method: str = ""
    # the record held a config object, even an empty one: Go reads that as an empty map (printed {}),
    # a missing config as a nil map (printed null). Helm itself never writes an empty one (omitempty)
    config_given: bool = field(default=False, compare=False, repr=False)

    # --- convenience -----------------------------------------------------------------------

    @property
    def status(self) -> str:
        return self.info.status

    def set_status(self, status: str, description: str) -> None:
        """Helm's SetStatus: status and description together."""
        self.info.status = status
        self.info.description = description

    @property
    def chart_metadata(self) -> dict[str, Any]:
        return ((self.chart or {}).get("metadata") or {}) if isinstance(self.chart, dict) else {}

    @property
    def chart_name(self) -> str:
        return str(self.chart_metadata.get("name") or "")

    @property
    def chart_version(self) -> str:
        return str(self.chart_metadata.get("version") or "")

    @property
    def app_version(self) -> str:
        return str(self.chart_metadata.get("appVersion") or "")

    def chart_object(self) -> Any:
        """The stored chart as a `Chart` (no subcharts)."""
        from pilothouse.release.chartrecord import chart_from_record

        return chart_from_record(self.chart or {})

    def copy(self) -> Release:
        return copy.deepcopy(self)

    # --- JSON ------------------------------------------------------------------------------

    def to_struct(self) -> Struct:
        from pilothouse.release.chartrecord import chart_struct

        s = Struct()
        if self.name:
            s.append(("name", self.name))
        s.append(("info", self.info.to_struct()))
        if self.chart is not None:
            s.append(("chart", chart_struct(self.chart)))
        if self.config:
            s.append(("config", self.config))
        if self.manifest:
            s.append(("manifest", self.manifest))
        if self.hooks:
            s.append(("hooks", [hook_struct(h) for h in self.hooks]))
        if self.version:
            s.append(("version", self.version))
        if self.namespace:
            s.append(("namespace", self.namespace))
        if self.apply_method:
            s.append(("apply_method", self.apply_method))
        return s

    def to_json(self) -> str:
        """The record's JSON exactly as Helm's `json.Marshal(release)` writes it."""
        return encode(self.to_struct())

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Release:
        info = d.get("info")
        version = d.get("version") or 0
        return cls(
            name=_str(d.get("name")),
            namespace=_str(d.get("namespace")),
            version=int(version),
            info=Info.from_dict(info) if isinstance(info, dict) else Info(status=""),
            chart=d.get("chart") if isinstance(d.get("chart"), dict) else None,
            config=d.get("config") if isinstance(d.get("config"), dict) else {},
            config_given=isinstance(d.get("config"), dict),
            manifest=_str(d.get("manifest")),
            hooks=[hook_from_dict(h) for h in d.get("hooks") or [] if isinstance(h, dict)],
            apply_method=_str(d.get("apply_method")),
        )

    @classmethod
    def from_json(cls, data: bytes | str) -> Release:
        from pilothouse.errors import ReleaseError

        d = decode(data)
        if not isinstance(d, dict):
            raise ReleaseError("invalid release record: not a JSON object")
        return cls.from_dict(d)


def sort_by_revision(releases: list[Release], reverse: bool = False) -> list[Release]:
    """Releases in revision order (newest first with ``reverse``)."""
    return sorted(releases, key=lambda r: r.version, reverse=reverse)
