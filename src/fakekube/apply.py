"""Server-side apply and field ownership (`metadata.managedFields`).

`apply` merges an applied configuration into the live object the way the API server does: maps
merge, lists merge by their key fields or as sets or are replaced whole, fields a manager applied
before and no longer applies are removed unless someone else owns them, and changing a field
another manager owns is a 409 conflict unless the apply is forced. `track_update` records the
ownership that ordinary create/update/patch requests take.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from fakekube import fieldsets
from fakekube.errors import ApiError
from fakekube.fieldsets import Path
from fakekube.schema import Node


def _entries(obj: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not obj:
        return []
    return [copy.deepcopy(e) for e in (obj.get("metadata") or {}).get("managedFields") or []]


def _set_of(entry: dict[str, Any]) -> set[Path]:
    return fieldsets.decode(entry.get("fieldsV1") or {})


def _entry(manager: str, operation: str, api_version: str, now: str, paths: set[Path], sub: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "manager": manager,
        "operation": operation,
        "apiVersion": api_version,
        "time": now,
        "fieldsType": "FieldsV1",
        "fieldsV1": fieldsets.encode(paths),
    }
    if sub:
        entry["subresource"] = sub
    return entry


def _same(entry: dict[str, Any], manager: str, operation: str, sub: str) -> bool:
    return (
        entry.get("manager") == manager
        and entry.get("operation") == operation
        and entry.get("subresource", "") == sub
    )


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


# list-map key fields the server defaults before it identifies items (a port without a protocol
# is the TCP port), so that an applied item matches the stored one and its key names them
_KEY_DEFAULTS = {"protocol": "TCP"}


def default_keys(value: Any, schema: Node) -> Any:
    """`value` with missing list-map key fields defaulted, as the server does for an apply."""
    if isinstance(value, dict) and not schema.atomic:
        return {k: default_keys(v, schema.child(k)) for k, v in value.items()}
    if isinstance(value, list) and schema.list_type == "map":
        out = []
        for item in value:
            item = default_keys(item, schema.item())
            if isinstance(item, dict):
                for key in schema.keys:
                    if key not in item and key in _KEY_DEFAULTS and any(k in item for k in schema.keys):
                        item[key] = _KEY_DEFAULTS[key]
            out.append(item)
        return out
    return value


def merge(live: Any, applied: Any, schema: Node) -> Any:
    """The structural merge of apply: `applied` wins, maps and keyed lists merge."""
    if isinstance(applied, dict) and isinstance(live, dict) and not schema.atomic:
        out = dict(live)
        for key, value in applied.items():
            out[key] = merge(live[key], value, schema.child(key)) if key in live else copy.deepcopy(value)
        return out
    if isinstance(applied, list) and isinstance(live, list):
        if schema.list_type == "map":
            out = list(live)
            for item in applied:
                k = fieldsets.key_of(item, schema.keys)
                idx = next((i for i, cur in enumerate(out) if fieldsets.key_of(cur, schema.keys) == k), None)
                if idx is None:
                    out.append(copy.deepcopy(item))
                else:
                    out[idx] = merge(out[idx], item, schema.item())
            return out
        if schema.list_type == "set":
            out = list(live)
            out.extend(copy.deepcopy(v) for v in applied if v not in out)
            return out
    return copy.deepcopy(applied)


def format_path(path: Path) -> str:
    """A path as the server prints it in conflict messages: `.spec.containers[name="a"].image`."""
    out = []
    for kind, name in path:
        if kind == "f":
            out.append("." + name)
        elif kind == "k":
            keys = json.loads(name)
            out.append("[" + ",".join(f"{k}={json.dumps(v)}" for k, v in keys.items()) + "]")
        else:
            out.append(f"[={name}]")
    return "".join(out)


def _leaves(paths: set[Path]) -> set[Path]:
    """Members of `paths` with no other member below them."""
    prefixes = {p[:i] for p in paths for i in range(len(p))}
    return {p for p in paths if p not in prefixes}


def _describe(entry: dict[str, Any]) -> str:
    text = f'conflict with "{entry.get("manager", "")}"'
    if entry.get("operation") == "Update":
        text += f' using {entry.get("apiVersion", "")}'
    if entry.get("subresource"):
        text += f' with subresource "{entry["subresource"]}"'
    return text


def apply(
    live: dict[str, Any] | None,
    applied: dict[str, Any],
    manager: str,
    force: bool,
    schema: Node,
    api_version: str,
    now: str,
    sub: str = "",
) -> dict[str, Any]:
    """The object after `manager` applies `applied` to `live` (None: the object is new)."""
    applied = default_keys(_drop_nulls(applied), schema)
    applied_set = fieldsets.fields_of(applied, schema)
    entries = _entries(live)
    base = copy.deepcopy(live) if live else {}
    if base.get("metadata"):
        base["metadata"].pop("managedFields", None)
    merged = merge(base, applied, schema)

    # Conflicts: fields another manager owns whose value this apply changes.
    conflicts: dict[int, list[Path]] = {}
    for i, entry in enumerate(entries):
        if _same(entry, manager, "Apply", sub):
            continue
        for p in _leaves(applied_set) & _set_of(entry):
            before = fieldsets.get(base, p, schema)
            after = fieldsets.get(applied, p, schema)
            if before != after:
                conflicts.setdefault(i, []).append(p)
    if conflicts and not force:
        causes, lines = [], []
        for i, paths in conflicts.items():
            for p in sorted(paths):
                causes.append({"reason": "FieldManagerConflict", "message": _describe(entries[i]), "field": format_path(p)})
                lines.append((entries[i], format_path(p)))
        n = len(lines)
        if n == 1:
            message = f"Apply failed with 1 conflict: {_describe(lines[0][0])}: {lines[0][1]}"
        else:
            parts = []
            for i, paths in conflicts.items():
                desc = _describe(entries[i]).replace("conflict with", "conflicts with", 1)
                parts.append(desc + ":\n" + "\n".join(f"- {format_path(p)}" for p in sorted(paths)))
            message = f"Apply failed with {n} conflicts: " + "\n".join(parts)
        raise ApiError(409, "Conflict", message, {"causes": causes})

    # Forced (or no conflicts): the others lose what this apply changed.
    for i, paths in conflicts.items():
        remaining = _set_of(entries[i]) - set(paths)
        entries[i]["fieldsV1"] = fieldsets.encode(remaining)
        entries[i]["_empty"] = not remaining

    previous: set[Path] = set()
    mine = next((e for e in entries if _same(e, manager, "Apply", sub)), None)
    if mine is not None:
        previous = _set_of(mine)
    others: set[Path] = set()
    for entry in entries:
        if entry is not mine and not entry.get("_empty"):
            others |= _set_of(entry)

    # Fields this manager stopped applying go away unless someone else still owns them. Outer
    # paths go first: removing a list item's key field first would leave the item unfindable.
    for p in sorted(previous - applied_set, key=len):
        if fieldsets.descendants(others, p) or fieldsets.descendants(applied_set, p):
            continue
        fieldsets.remove(merged, p, schema)
        # Typed objects omit empty maps and lists, so a parent emptied by the removal goes too.
        parent = p[:-1]
        while parent and parent[-1][0] == "f":
            found, value = fieldsets.get(merged, parent, schema)
            if not found or value not in ({}, []) or fieldsets.descendants(applied_set | others, parent):
                break
            fieldsets.remove(merged, parent, schema)
            parent = parent[:-1]

    new_entries = [e for e in entries if e is not mine and not e.pop("_empty", False)]
    if applied_set:
        new_entries.append(_entry(manager, "Apply", api_version, now, applied_set, sub))
    merged.setdefault("metadata", {})["managedFields"] = new_entries
    return merged


def track_update(
    old: dict[str, Any] | None,
    new: dict[str, Any],
    manager: str,
    schema: Node,
    api_version: str,
    now: str,
    sub: str = "",
) -> None:
    """Record on `new` that `manager` wrote it over `old` (create, update or patch)."""
    sent = (new.get("metadata") or {}).get("managedFields")
    entries = _entries(old)
    if isinstance(sent, list) and sent != entries:
        # A client that sends managedFields replaces them; an empty list resets tracking.
        entries = [e for e in copy.deepcopy(sent) if isinstance(e, dict)]
    bare_old = copy.deepcopy(old) if old else {}
    new_set = fieldsets.fields_of(new, schema, map_nodes=True)
    old_set = fieldsets.fields_of(bare_old, schema, map_nodes=True) if old else set()
    leaves = _leaves(new_set)
    changed = {
        p
        for p in new_set
        if (p in leaves and fieldsets.get(bare_old, p, schema) != fieldsets.get(new, p, schema)) or p not in old_set
    }
    removed = old_set - new_set
    out = []
    mine_set: set[Path] = set()
    for entry in entries:
        paths = _set_of(entry)
        if _same(entry, manager, "Update", sub):
            mine_set = paths
            continue
        paths = paths - changed - removed
        if paths:
            entry["fieldsV1"] = fieldsets.encode(paths)
            out.append(entry)
    mine_set = ((mine_set | changed) - removed) & new_set
    if mine_set:
        out.append(_entry(manager, "Update", api_version, now, mine_set, sub))
    new.setdefault("metadata", {})["managedFields"] = out
