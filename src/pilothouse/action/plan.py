"""Upgrade plans: `pilot upgrade --plan FILE` saves what an upgrade would do, `pilot apply FILE` does it.

A plan is a readable JSON or YAML document (by the file's extension). Its human part is the
summary of changes (the diff, Secrets redacted); its machine part is the release revision the
upgrade would store (rendered manifest, hooks, values, chart), the chart's digest, the revision
it was computed against and the live ``resourceVersion`` of every object it touches (``""``: the
object did not exist). `apply_plan` performs exactly that upgrade through the upgrade action,
after checking that nothing moved since; if anything did, it refuses with `PlanStale` (exit
code 3) and lists what moved.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pilothouse.errors import PilothouseError, ReleaseError

PLAN_API_VERSION = "pilothouse.io/v1"
PLAN_KIND = "UpgradePlan"
EXIT_PLAN_STALE = 3
MAX_PLAN_BYTES = 256 << 20


class PlanStale(ReleaseError):
    """The release or an object it touches changed since the plan was made (exit code 3)."""

    exit_code = EXIT_PLAN_STALE

    def __init__(self, moved: list[str]) -> None:
        self.moved = moved
        super().__init__("the plan is stale: the cluster changed since it was made:\n"
                         + "\n".join(f"  - {m}" for m in moved))


def chart_digest(record: Mapping[str, Any] | None) -> str:
    """sha256 of the chart as the release stores it (canonical JSON)."""
    data = json.dumps(record or {}, sort_keys=True, separators=(",", ":")).encode()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _diff_text(change: Any) -> str:
    return "\n".join(("  " if d == " " else d + " ") + t for d, t in change.records)


@dataclass
class Plan:
    """A plan as the library hands it around (``document`` is what is written to the file)."""

    document: dict[str, Any]
    changes: list[Any] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)


def make_plan(cfg: Any, name: str, chart: Any, values: Mapping[str, Any] | None = None, *,
              diff_options: Any = None, **flags: Any) -> Plan:
    """Compute an upgrade of release ``name`` without changing anything; ``flags`` as `DiffUpgrade`."""
    from pilothouse.action.diff import DiffOptions, DiffUpgrade

    result = DiffUpgrade(cfg, options=diff_options or DiffOptions(), **flags).run(name, chart, values)
    upgraded = result.upgraded
    if upgraded is None or not result.revision:
        raise ReleaseError(f'cannot plan an upgrade of "{name}": it has no deployed revision')
    record = json.loads(upgraded.to_json())
    objects = []
    for key, rv in sorted(result.live_versions.items()):
        api_version, kind, namespace, obj_name = _split_key(key)
        objects.append({"apiVersion": api_version, "kind": kind, "namespace": namespace, "name": obj_name,
                        "resourceVersion": rv})
    doc = {
        "apiVersion": PLAN_API_VERSION,
        "kind": PLAN_KIND,
        "release": name,
        "namespace": upgraded.namespace,
        "computedAgainstRevision": upgraded.version - 1,
        "revision": upgraded.version,
        "chart": {"name": (upgraded.chart or {}).get("metadata", {}).get("name", ""),
                  "version": (upgraded.chart or {}).get("metadata", {}).get("version", ""),
                  "digest": chart_digest(record.get("chart"))},
        "applyMethod": upgraded.apply_method,
        "summary": [{"object": c.key, "change": c.change, "fields": [f.path for f in c.fields],
                     "diff": _diff_text(c)} for c in result.changes],
        "values": upgraded.config,
        "objects": objects,
        "releaseRecord": record,
    }
    return Plan(doc, result.changes)


def _split_key(key: str) -> tuple[str, str, str, str]:
    # Resource.key(): group/version/Kind/namespace/name, group and namespace possibly empty
    parts = key.split("/")
    name, namespace, kind = parts[-1], parts[-2], parts[-3]
    api_version = "/".join(p for p in parts[:-3] if p)
    return api_version, kind, namespace, name


def write_plan(path: str, plan: Plan) -> None:
    """Write ``plan`` as YAML (``.yaml``/``.yml``) or JSON (anything else)."""
    if path.endswith((".yaml", ".yml")):
        from pilothouse.goyaml import to_yaml

        text = to_yaml(plan.document)
    else:
        text = json.dumps(plan.document, indent=2, sort_keys=False) + "\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def read_plan(path: str) -> dict[str, Any]:
    """A plan file, checked for its kind and required fields."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_PLAN_BYTES + 1)
    except OSError as err:
        raise PilothouseError(f"cannot read plan {path}: {err.strerror}") from None
    if len(data) > MAX_PLAN_BYTES:
        raise PilothouseError(f"plan {path} is larger than {MAX_PLAN_BYTES} bytes")
    from pilothouse.goyaml import YAMLError, load_yaml_v2

    try:
        doc = json.loads(data) if data.lstrip().startswith(b"{") else load_yaml_v2(data.decode("utf-8"))
    except (ValueError, YAMLError) as err:
        raise PilothouseError(f"plan {path} is not valid JSON or YAML: {err}") from None
    if not isinstance(doc, dict) or doc.get("kind") != PLAN_KIND or doc.get("apiVersion") != PLAN_API_VERSION:
        raise PilothouseError(f"{path} is not an upgrade plan (kind {PLAN_KIND}, apiVersion {PLAN_API_VERSION})")
    for key in ("release", "namespace", "computedAgainstRevision", "objects", "releaseRecord", "chart"):
        if key not in doc:
            raise PilothouseError(f"plan {path} has no {key!r}")
    if chart_digest(doc["releaseRecord"].get("chart")) != doc["chart"].get("digest"):
        raise PilothouseError(f"plan {path}: the chart does not match its digest (the plan was edited)")
    return doc


def moved_since(cfg: Any, doc: Mapping[str, Any]) -> list[str]:
    """What changed since the plan was computed: the release's revision, and any touched object."""
    from pilothouse.kube.client import run_parallel
    from pilothouse.release.driver.base import ReleaseNotFoundError

    moved = []
    name = doc["release"]
    try:
        last = cfg.releases.last(name)
        if last.version != doc["computedAgainstRevision"]:
            moved.append(f'release "{name}": revision {last.version} ({last.info.status}), the plan was made '
                         f"against revision {doc['computedAgainstRevision']}")
    except ReleaseNotFoundError:
        moved.append(f'release "{name}": not found')
    kube = cfg.kube
    objs = list(doc.get("objects") or [])

    def check(o: dict[str, Any]) -> None:
        rt = kube.resource_type(o["apiVersion"], o["kind"], name=o["name"], namespace=o["namespace"])
        live = kube.get_or_none(rt, o["namespace"], o["name"])
        rv = str((live or {}).get("metadata", {}).get("resourceVersion") or "") if live is not None else ""
        if rv != str(o.get("resourceVersion") or ""):
            where = f"{o['kind']} {o['namespace'] + '/' if o['namespace'] else ''}{o['name']}"
            if not rv:
                moved.append(f"{where}: deleted since the plan")
            elif not o.get("resourceVersion"):
                moved.append(f"{where}: created since the plan")
            else:
                moved.append(f"{where}: resourceVersion {o['resourceVersion']} → {rv}")

    for err in run_parallel(objs, check):
        if err is not None:
            raise err
    return sorted(moved)


def planned_release(record: Mapping[str, Any], current: Any, last: Any, ssa: bool, labels: Mapping[str, str]) -> Any:
    """The pending revision an upgrade stores for a plan (Upgrade's ``planned`` hook)."""
    from pilothouse.action.upgrade import merge_custom_labels
    from pilothouse.release import timeutil
    from pilothouse.release.model import APPLY_CSA, APPLY_SSA, PENDING_UPGRADE, Release

    rel = Release.from_dict(dict(record))
    rel.version = last.version + 1
    rel.namespace = current.namespace
    rel.info.first_deployed = current.info.first_deployed
    rel.info.last_deployed = timeutil.now()
    rel.info.status = PENDING_UPGRADE
    rel.info.description = "Preparing upgrade"
    rel.labels = merge_custom_labels(last.labels, labels)
    rel.apply_method = APPLY_SSA if ssa else APPLY_CSA
    return rel


def apply_plan(cfg: Any, doc: Mapping[str, Any], **upgrade_options: Any) -> Any:
    """Perform the upgrade a plan describes, or raise `PlanStale` listing what moved since."""
    from pilothouse.action.upgrade import Upgrade
    from pilothouse.release.chartrecord import chart_from_record

    if cfg.namespace != doc["namespace"]:
        raise PilothouseError(f'the plan is for namespace "{doc["namespace"]}", not "{cfg.namespace}"')
    moved = moved_since(cfg, doc)
    if moved:
        raise PlanStale(moved)
    record = doc["releaseRecord"]
    server_side = "true" if doc.get("applyMethod", "ssa") == "ssa" else "false"
    action = Upgrade(cfg, namespace=cfg.namespace, server_side=server_side, planned=record, **upgrade_options)
    return action.run(doc["release"], chart_from_record(record.get("chart") or {}), record.get("config") or {})
