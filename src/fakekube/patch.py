"""The three PATCH formats besides apply: JSON Patch (RFC 6902), JSON merge patch (RFC 7386)
and Kubernetes' strategic merge patch (lists merged by key, `$patch`, `$setElementOrder`,
`$deleteFromPrimitiveList`, `$retainKeys`).
"""

from __future__ import annotations

import copy
from typing import Any

from fakekube.errors import ApiError, bad_request
from fakekube.schema import Node


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge recursively, `null` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise bad_request(f"invalid JSON pointer: {path!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _index(container: list, token: str, allow_end: bool) -> int:
    if token == "-" and allow_end:
        return len(container)
    try:
        idx = int(token)
    except ValueError:
        raise ApiError(422, "Invalid", f"unable to access invalid index: {token}") from None
    if idx < 0 or idx > len(container) or (idx == len(container) and not allow_end):
        raise ApiError(422, "Invalid", f"Unable to access invalid index: {idx}")
    return idx


def _resolve(doc: Any, tokens: list[str]) -> Any:
    cur = doc
    for tok in tokens:
        if isinstance(cur, dict):
            if tok not in cur:
                raise ApiError(422, "Invalid", f"jsonpatch: missing value at {'/' + '/'.join(tokens)}")
            cur = cur[tok]
        elif isinstance(cur, list):
            cur = cur[_index(cur, tok, False)]
        else:
            raise ApiError(422, "Invalid", f"jsonpatch: cannot traverse into {tok!r}")
    return cur


def json_patch(doc: Any, ops: Any) -> Any:
    """Apply an RFC 6902 operation list; a failing `test` or a bad path is a 422."""
    if not isinstance(ops, list):
        raise bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = copy.deepcopy(doc)
    for op in ops:
        if not isinstance(op, dict) or "op" not in op:
            raise bad_request("invalid JSON patch operation")
        kind = op["op"]
        tokens = _pointer(op.get("path", ""))
        if kind in ("move", "copy"):
            value = copy.deepcopy(_resolve(doc, _pointer(op.get("from", ""))))
            if kind == "move":
                doc = _remove(doc, _pointer(op["from"]))
            doc = _add(doc, tokens, value)
        elif kind == "add":
            doc = _add(doc, tokens, copy.deepcopy(op.get("value")))
        elif kind == "remove":
            doc = _remove(doc, tokens)
        elif kind == "replace":
            _resolve(doc, tokens)
            doc = _remove(doc, tokens)
            doc = _add(doc, tokens, copy.deepcopy(op.get("value")))
        elif kind == "test":
            if _resolve(doc, tokens) != op.get("value"):
                raise ApiError(422, "Invalid", f"testing value {op.get('path')} failed: test failed")
        else:
            raise bad_request(f"Unexpected kind: {kind}")
    return doc


def _add(doc: Any, tokens: list[str], value: Any) -> Any:
    if not tokens:
        return value
    parent = _resolve(doc, tokens[:-1])
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, last, True), value)
    else:
        raise ApiError(422, "Invalid", f"jsonpatch add operation does not apply: doc is missing path: {'/' + '/'.join(tokens)}")
    return doc


def _remove(doc: Any, tokens: list[str]) -> Any:
    if not tokens:
        return None
    parent = _resolve(doc, tokens[:-1])
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise ApiError(422, "Invalid", f"jsonpatch remove operation does not apply: doc is missing path: {'/' + '/'.join(tokens)}")
        del parent[last]
    elif isinstance(parent, list):
        del parent[_index(parent, last, False)]
    return doc


# --- strategic merge patch -------------------------------------------------------------------

_DIRECTIVE = "$patch"
_ORDER = "$setElementOrder/"
_DELETE_PRIMITIVE = "$deleteFromPrimitiveList/"
_RETAIN = "$retainKeys"


def strategic_merge(original: Any, patch: Any, schema: Node) -> Any:
    """Apply a strategic merge patch to `original` using `schema` for list merge keys."""
    if not isinstance(patch, dict) or not isinstance(original, dict):
        return _strip(copy.deepcopy(patch))
    return _merge_map(copy.deepcopy(original), patch, schema)


def _strip(value: Any) -> Any:
    """Remove directives from a value that is inserted as a whole."""
    if isinstance(value, dict):
        return {
            k: _strip(v)
            for k, v in value.items()
            if not (k == _DIRECTIVE or k == _RETAIN or k.startswith(_ORDER) or k.startswith(_DELETE_PRIMITIVE))
        }
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _merge_map(original: dict, patch: dict, schema: Node) -> dict:
    directive = patch.get(_DIRECTIVE)
    if directive == "replace":
        return _strip({k: v for k, v in patch.items() if k != _DIRECTIVE})
    if directive == "delete":
        return {}
    if _RETAIN in patch:
        keep = set(patch[_RETAIN] or [])
        original = {k: v for k, v in original.items() if k in keep}
    orders: dict[str, list] = {}
    for key, value in patch.items():
        if key in (_DIRECTIVE, _RETAIN):
            continue
        if key.startswith(_ORDER):
            orders[key[len(_ORDER):]] = value or []
            continue
        if key.startswith(_DELETE_PRIMITIVE):
            name = key[len(_DELETE_PRIMITIVE):]
            drop = value or []
            if isinstance(original.get(name), list):
                original[name] = [v for v in original[name] if v not in drop]
            continue
        if value is None:
            original.pop(key, None)
            continue
        sub = schema.child(key)
        current = original.get(key)
        if isinstance(value, dict) and not sub.atomic:
            original[key] = _merge_map(current if isinstance(current, dict) else {}, value, sub)
        elif isinstance(value, list) and sub.smp_strategy == "merge":
            original[key] = _merge_list(current if isinstance(current, list) else [], value, sub)
        else:
            original[key] = _strip(copy.deepcopy(value))
    for name, order in orders.items():
        if isinstance(original.get(name), list):
            original[name] = _reorder(original[name], order, schema.child(name))
    return original


def _merge_list(original: list, patch: list, schema: Node) -> list:
    key = schema.smp_key
    for item in patch:
        if isinstance(item, dict) and item.get(_DIRECTIVE) == "replace" and len(item) == 1:
            # The list in the patch replaces the live one, without the directive itself.
            return [_strip(copy.deepcopy(v)) for v in patch if v is not item]
    if not key:
        # A list of primitives merged as a set (finalizers).
        out = list(original)
        for item in patch:
            if item not in out:
                out.append(item)
        return out
    out = list(original)
    for item in patch:
        if not isinstance(item, dict):
            continue
        if item.get(_DIRECTIVE) == "replace" and len(item) == 1:
            continue
        idx = next((i for i, cur in enumerate(out) if isinstance(cur, dict) and cur.get(key) == item.get(key)), None)
        if item.get(_DIRECTIVE) == "delete":
            if idx is not None:
                del out[idx]
            continue
        if idx is None:
            out.append(_strip(copy.deepcopy(item)))
        else:
            out[idx] = _merge_map(out[idx], item, schema.item())
    return out


def _reorder(items: list, order: list, schema: Node) -> list:
    """Put items listed in a `$setElementOrder` first, in that order; the rest keep theirs after."""
    key = schema.smp_key

    def ident(v: Any) -> Any:
        return v.get(key) if key and isinstance(v, dict) else v

    wanted = [ident(o) for o in order]
    ranked = {w: i for i, w in enumerate(wanted) if isinstance(w, (str, int, float, bool))}
    listed = [it for it in items if ident(it) in ranked]
    listed.sort(key=lambda it: ranked[ident(it)])
    return listed + [it for it in items if ident(it) not in ranked]
