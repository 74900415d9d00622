"""Sets of field paths, the unit of ownership in server-side apply, and their `fieldsV1` encoding.

A path is a tuple of elements: `("f", name)` for an object field, `("k", json-of-key-fields)` for
an element of a list merged by key, `("v", json-of-value)` for an element of a set. The encoding is
the one the real server writes into `metadata.managedFields[].fieldsV1`:
`{"f:data": {".": {}, "f:key": {}}}`, where `"."` marks a node that is owned itself as well as
through its children.
"""

from __future__ import annotations

import json
from typing import Any

from fakekube.schema import Node

Path = tuple[tuple[str, str], ...]

# Fields the server manages itself; they never appear in anyone's field set.
_IGNORED_TOP = {"apiVersion", "kind"}
_IGNORED_META = {
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
}


def key_of(item: Any, keys: tuple[str, ...]) -> str:
    """The `k:` element for a list item merged by `keys`, as the server spells it."""
    present = {k: item.get(k) for k in keys if isinstance(item, dict) and k in item}
    return json.dumps(present, separators=(",", ":"), sort_keys=True)


def value_of(item: Any) -> str:
    """The `v:` element for a set item."""
    return json.dumps(item, separators=(",", ":"), sort_keys=True)


def fields_of(obj: dict[str, Any], schema: Node, map_nodes: bool = False) -> set[Path]:
    """Every path set in `obj`: what a manager owns after writing `obj`.

    `map_nodes` also lists each granular map itself (`labels`, `data`), as the server records for
    updates but not for applies.
    """
    out: set[Path] = set()
    for name, value in obj.items():
        if name in _IGNORED_TOP:
            continue
        if name == "metadata" and isinstance(value, dict):
            meta = {k: v for k, v in value.items() if k not in _IGNORED_META}
            _walk(meta, schema.child("metadata"), (("f", "metadata"),), out, map_nodes)
            continue
        _value(value, schema.child(name), (("f", name),), out, map_nodes)
    return out


def _walk(obj: dict[str, Any], schema: Node, prefix: Path, out: set[Path], map_nodes: bool) -> None:
    for name, value in obj.items():
        _value(value, schema.child(name), prefix + (("f", name),), out, map_nodes)


def _value(value: Any, schema: Node, path: Path, out: set[Path], map_nodes: bool) -> None:
    if isinstance(value, dict) and not schema.atomic:
        if schema.is_map and map_nodes:
            out.add(path)
        before = len(out)
        _walk(value, schema, path, out, map_nodes)
        if len(out) == before:
            out.add(path)
        return
    if isinstance(value, list) and schema.list_type in ("map", "set"):
        if not value:
            out.add(path)
        for item in value:
            if schema.list_type == "set":
                out.add(path + (("v", value_of(item)),))
                continue
            ipath = path + (("k", key_of(item, schema.keys)),)
            out.add(ipath)
            if isinstance(item, dict):
                _walk(item, schema.item(), ipath, out, map_nodes)
        return
    out.add(path)


def encode(paths: set[Path]) -> dict[str, Any]:
    """The `fieldsV1` object for a set of paths."""
    root: dict[str, Any] = {}
    for path in sorted(paths):
        node = root
        for kind, name in path:
            node = node.setdefault(f"{kind}:{name}", {})
        node["."] = {}
    return _finish(root)


def _finish(node: dict[str, Any]) -> dict[str, Any]:
    children = {k: _finish(v) for k, v in node.items() if k != "."}
    if not children:
        return {}
    if "." in node:
        return {".": {}, **children}
    return children


def decode(fields: dict[str, Any], prefix: Path = ()) -> set[Path]:
    """The set of paths a `fieldsV1` object describes."""
    out: set[Path] = set()
    for key, sub in (fields or {}).items():
        if key == ".":
            if prefix:
                out.add(prefix)
            continue
        kind, _, name = key.partition(":")
        path = prefix + ((kind, name),)
        if sub:
            out |= decode(sub, path)
        else:
            out.add(path)
    return out


def get(obj: Any, path: Path, schema: Node) -> tuple[bool, Any]:
    """The value at `path` in `obj`, as (found, value)."""
    cur, node = obj, schema
    for kind, name in path:
        if kind == "f":
            if not isinstance(cur, dict) or name not in cur:
                return False, None
            cur, node = cur[name], node.child(name)
        elif kind == "k":
            if not isinstance(cur, list):
                return False, None
            match = [it for it in cur if key_of(it, node.keys) == name]
            if not match:
                return False, None
            cur, node = match[0], node.item()
        else:
            if not isinstance(cur, list):
                return False, None
            match = [it for it in cur if value_of(it) == name]
            if not match:
                return False, None
            cur = match[0]
    return True, cur


def remove(obj: Any, path: Path, schema: Node) -> None:
    """Delete the value at `path` from `obj`, if it is there."""
    if not path:
        return
    found, parent = get(obj, path[:-1], schema)
    if not found:
        return
    node = schema
    for kind, name in path[:-1]:
        node = node.child(name) if kind == "f" else node.item()
    kind, name = path[-1]
    if kind == "f" and isinstance(parent, dict):
        parent.pop(name, None)
    elif kind == "k" and isinstance(parent, list):
        parent[:] = [it for it in parent if key_of(it, node.keys) != name]
    elif kind == "v" and isinstance(parent, list):
        parent[:] = [it for it in parent if value_of(it) != name]


def descendants(paths: set[Path], path: Path) -> bool:
    """Whether `paths` holds `path` or anything below it."""
    n = len(path)
    return any(p[:n] == path for p in paths)
