"""The chart inside a release record: Helm's `chart.Chart` as encoding/json writes it.

A record's chart is kept in its JSON shape (a dict), so a chart read from storage and written
again (rollback, status updates) is unchanged. `chart_record` makes one from a loaded chart;
`chart_from_record` gives back a `Chart` (without subcharts: Helm does not store them).
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from pilothouse.release.gojson import Struct
from pilothouse.release.timeutil import ZERO_TIME, format_rfc3339nano, parse


def _time(dt: datetime | None) -> str:
    return format_rfc3339nano(dt) if dt is not None else ""


def _file(f: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name, "data": base64.b64encode(bytes(f.data)).decode("ascii")}
    if f.modtime is not None:
        out["modtime"] = _time(f.modtime)
    return out


def chart_record(chart: Any) -> dict[str, Any]:
    """The JSON shape of a loaded chart as Helm stores it in a release."""
    md = chart.metadata
    lock = None
    if chart.lock is not None:
        lock = {"generated": chart.lock.generated or ZERO_TIME, "digest": chart.lock.digest,
                "dependencies": [d.to_dict() if d else None for d in chart.lock.dependencies]}
    return {
        "metadata": md.to_dict() if md is not None else None,
        "lock": lock,
        "templates": [_file(f) for f in chart.templates] or None,
        "values": plain_values(chart.values) if chart.values or _has_values_file(chart) else None,
        "schema": base64.b64encode(chart.schema).decode("ascii") if chart.schema is not None else None,
        "schemamodtime": _time(chart.schema_modtime) or ZERO_TIME,
        "files": [_file(f) for f in chart.files] or None,
        "modtime": _time(chart.modtime),
    }


def _has_values_file(chart: Any) -> bool:
    # Go leaves Values nil (JSON null) when the chart has no values.yaml
    return any(f.name == "values.yaml" for f in getattr(chart, "raw", []) or [])


def plain_values(v: Any) -> Any:
    """Chart values as plain dicts and lists (a `Values` map carries Go methods; records hold data)."""
    if isinstance(v, dict):
        return {k: plain_values(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain_values(x) for x in v]
    return v


def _metadata_struct(md: dict[str, Any] | None) -> Any:
    if md is None:
        return None
    out = Struct()
    for key, val in md.items():
        if key == "maintainers" and isinstance(val, list):
            val = [Struct(m.items()) if isinstance(m, dict) else m for m in val]
        elif key == "dependencies" and isinstance(val, list):
            val = [_dep_struct(d) for d in val]
        out.append((key, val))
    return out


_META_ORDER = ("name", "home", "sources", "version", "description", "keywords", "maintainers", "icon", "apiVersion",
               "condition", "tags", "appVersion", "deprecated", "annotations", "kubeVersion", "dependencies", "type")
_DEP_ORDER = ("name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias")


def _dep_struct(d: Any) -> Any:
    if not isinstance(d, dict):
        return d
    out = Struct()
    for key in _DEP_ORDER:
        if key in ("name", "repository"):
            out.append((key, d.get(key) or ""))
        elif d.get(key):
            out.append((key, d[key]))
    return out


def _files_struct(files: Any) -> Any:
    if files is None:
        return None
    out = []
    for f in files:
        s = Struct([("name", f.get("name", "")), ("data", f.get("data"))])
        if f.get("modtime") and not _zero(f["modtime"]):
            s.append(("modtime", f["modtime"]))
        out.append(s)
    return out


def _zero(text: str) -> bool:
    p = parse(text)
    return p is None or text == ZERO_TIME


def chart_struct(rec: dict[str, Any] | None) -> Any:
    """The record as Go writes it: struct fields in declaration order, omitempty applied."""
    if rec is None:
        return None
    md = rec.get("metadata")
    if isinstance(md, dict):
        md = {k: md[k] for k in _META_ORDER if md.get(k) not in (None, "", [], {}, False)}
    lock = rec.get("lock")
    if isinstance(lock, dict):
        lock = Struct([("generated", lock.get("generated") or ZERO_TIME), ("digest", lock.get("digest") or ""),
                       ("dependencies", [_dep_struct(d) for d in lock.get("dependencies") or []]
                        if lock.get("dependencies") is not None else None)])
    out = Struct([
        ("metadata", _metadata_struct(md)),
        ("lock", lock),
        ("templates", _files_struct(rec.get("templates"))),
        ("values", rec.get("values")),
        ("schema", rec.get("schema")),
        ("schemamodtime", rec.get("schemamodtime") or ZERO_TIME),
        ("files", _files_struct(rec.get("files"))),
    ])
    if rec.get("modtime") and not _zero(rec["modtime"]):
        out.append(("modtime", rec["modtime"]))
    return out


def _datetime(text: str | None) -> datetime | None:
    p = parse(text or "")
    return p[0] if p and text != ZERO_TIME else None


def chart_from_record(rec: dict[str, Any]) -> Any:
    """A `Chart` rebuilt from a record (metadata, values, templates, files, schema; no subcharts)."""
    from pilothouse.chart.metadata import load_metadata
    from pilothouse.chart.model import Chart, File, Lock
    from pilothouse.goyaml import to_json

    chart = Chart()
    if rec.get("metadata") is not None:
        chart.metadata = load_metadata(to_json(rec["metadata"]).encode(), filename="Chart.yaml")
    lock = rec.get("lock")
    if isinstance(lock, dict):
        from pilothouse.chart.metadata import load_lock

        chart.lock = load_lock(to_json(lock).encode()) if lock.get("dependencies") else Lock(
            generated=lock.get("generated") or "", digest=lock.get("digest") or "")
    for key, target in (("templates", chart.templates), ("files", chart.files)):
        for f in rec.get(key) or []:
            target.append(File(f.get("name", ""), base64.b64decode(f.get("data") or ""), _datetime(f.get("modtime"))))
    chart.values = rec.get("values") or {}
    if rec.get("schema"):
        chart.schema = base64.b64decode(rec["schema"])
    chart.schema_modtime = _datetime(rec.get("schemamodtime"))
    chart.modtime = _datetime(rec.get("modtime"))
    return chart
