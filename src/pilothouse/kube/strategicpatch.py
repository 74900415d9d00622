"""Three-way strategic merge patch creation, as Helm's client-side update sends it.

A strategic merge patch differs from a JSON merge patch in how it treats lists: a list whose field
carries the ``merge`` patch strategy is merged item by item (maps by their merge key, scalars as a
set) instead of being replaced, so items and fields another writer added to the live object survive.
The patch is the difference from the live object (``current``) to the new manifest (``modified``)
without deletions, plus the deletions from the previous manifest (``original``) to the new one: a
field is only ever removed if this client put it there. Ordering directives (``$setElementOrder``),
item deletions (``$patch: delete``), scalar-list deletions (``$deleteFromPrimitiveList``) and
``$retainKeys`` appear where the Kubernetes client library emits them.

Which fields merge comes from the ``patchStrategy``/``patchMergeKey`` struct tags of the built-in
API types; ``strategicpatch_meta.json`` holds them (regenerate with
``scripts/gen_strategic_patch_meta.py``). Kinds outside that table (custom resources) have no patch
metadata; callers use a JSON merge patch for them, as Helm does.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from pilothouse.errors import KubeError

_DIRECTIVE = "$patch"
_DELETE = "delete"
_REPLACE = "replace"
_MERGE = "merge"
_RETAIN_KEYS = "retainKeys"
_RETAIN_KEYS_DIRECTIVE = "$retainKeys"
_DELETE_PRIMITIVE_PREFIX = "$deleteFromPrimitiveList"
_SET_ORDER_PREFIX = "$setElementOrder"

# Helm converts these to typed objects although they are not in client-go's scheme; the v1beta1
# CustomResourceDefinition is singled out for JSON merge patch, v1 is typed (and has no merge lists).
_EXTRA_TYPED = {("apiextensions.k8s.io/v1", "CustomResourceDefinition")}


class StrategicPatchError(KubeError):
    """The documents cannot be diffed as a strategic merge patch (a list item lacks its merge key...)."""


# --- patch metadata ------------------------------------------------------------------------------

@cache
def _table() -> dict[str, Any]:
    data = resources.files("pilothouse.kube").joinpath("strategicpatch_meta.json").read_text()
    return json.loads(data)


class PatchSchema:
    """Patch metadata of one struct type: for each field, its type's metadata, strategies and merge key.

    ``types`` maps a type name to ``{field: [type name, "strategy[,strategy]", merge key]}`` (trailing
    empty entries omitted). A field the table does not list has no metadata and an opaque type.
    """

    __slots__ = ("_types", "_fields", "name")

    def __init__(self, types: dict[str, dict[str, list[str]]], name: str = "") -> None:
        self._types = types
        self.name = name
        self._fields = types.get(name, {}) if name else {}

    def lookup(self, key: str) -> tuple[PatchSchema, list[str], str]:
        """The metadata of field ``key``: its type's schema, patch strategies and merge key."""
        row = self._fields.get(key) or []
        target = row[0] if row else ""
        strategies = row[1].split(",") if len(row) > 1 and row[1] else []
        merge_key = row[2] if len(row) > 2 else ""
        return PatchSchema(self._types, target), strategies, merge_key


def schema_for(api_version: str, kind: str) -> PatchSchema | None:
    """The patch metadata of a built-in kind, or None for kinds sent as JSON merge patches (custom resources)."""
    table = _table()
    root = (table["kinds"].get(api_version) or {}).get(kind)
    if root is None:
        if (api_version, kind) in _EXTRA_TYPED:
            return PatchSchema({**table["types"], "crd": {"metadata": ["meta/v1.ObjectMeta"]}}, "crd")
        return None
    return PatchSchema(table["types"], root)


# --- Go value semantics ----------------------------------------------------------------------------

def _go_float(f: float) -> str:
    """fmt's %v of a float64: the shortest digits, in exponent form below 1e-4 or from 1e6 on."""
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if math.isnan(f):
        return "NaN"
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    sign, digits, exponent = Decimal(repr(f)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    point = exponent + len(digits)  # where the decimal point sits relative to the digits
    exp = point - 1
    neg = "-" if sign else ""
    if exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{neg}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return f"{neg}{abs(f):.{max(len(text) - point, 0)}f}"


def _gostr(v: Any) -> str:
    """fmt.Sprintf("%v") of a decoded JSON value: how the Go code orders list items and merge keys."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _go_float(v)
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "[" + " ".join(_gostr(x) for x in v) + "]"
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{_gostr(v[k])}" for k in sorted(v)) + "]"
    return str(v)


def _same(a: Any, b: Any) -> bool:
    """reflect.DeepEqual on decoded JSON: equal values of identical types (1 is not 1.0 nor true)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _scalar_eq(a: Any, b: Any) -> bool:
    # Go compares interface values: same dynamic type and value.
    return type(a) is type(b) and a == b


def _kind(v: Any) -> str:
    if isinstance(v, dict):
        return "map"
    if isinstance(v, list):
        return "slice"
    return "scalar:" + type(v).__name__


def _element_kind(*lists: list[Any]) -> str:
    prev: str | None = None
    for lst in lists:
        for v in lst:
            k = _kind(v)
            if prev is None:
                prev = k
                if k == "slice":
                    raise StrategicPatchError("lists of lists are not supported")
            elif prev != k:
                raise StrategicPatchError(f"list element types are not identical: {lists}")
    if prev is None:
        raise StrategicPatchError("no elements in any of the given slices")
    return prev


def _no_merge_key(m: Any, key: str) -> StrategicPatchError:
    return StrategicPatchError(f"map: {_gostr(m)} does not contain declared merge key: {key}")


def _retain_strategy(strategies: list[str]) -> tuple[bool, str]:
    if not strategies:
        return False, ""
    if len(strategies) == 1:
        return (True, "") if strategies[0] == _RETAIN_KEYS else (False, strategies[0])
    if len(strategies) == 2:
        if strategies[0] == _RETAIN_KEYS:
            return True, strategies[1]
        if strategies[1] == _RETAIN_KEYS:
            return True, strategies[0]
    raise StrategicPatchError(f"unexpected patch strategy: {strategies}")


def _sort_scalars(values: list[Any]) -> list[Any]:
    return sorted(values, key=_gostr)


def _dedupe_scalars(s: list[Any]) -> list[Any]:
    # The same swap-with-last removal as the Go code, so deletion lists come out in the same order.
    s = list(s)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if _scalar_eq(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


# --- diff ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _DiffOptions:
    set_element_order: bool = False
    ignore_changes_and_additions: bool = False
    ignore_deletions: bool = False
    build_retain_keys: bool = False


def _diff_maps(original: dict[str, Any], modified: dict[str, Any], schema: PatchSchema,
               opts: _DiffOptions) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    retain: list[str] = []
    for key, mod in modified.items():
        if opts.build_retain_keys and mod is not None:
            retain.append(key)
        if key not in original:
            if not opts.ignore_changes_and_additions:
                patch[key] = mod
            continue
        orig = original[key]
        if key == _DIRECTIVE:
            if not isinstance(orig, str) or not isinstance(mod, str):
                raise StrategicPatchError(f"invalid value for special key: {_DIRECTIVE}")
            if orig != mod:
                patch[_DIRECTIVE] = mod
            continue
        if type(orig) is not type(mod):
            if not opts.ignore_changes_and_additions:
                patch[key] = mod
            continue
        if isinstance(orig, dict):
            _map_diff(key, orig, mod, patch, schema, opts)
        elif isinstance(orig, list):
            _slice_diff(key, orig, mod, patch, schema, opts)
        elif not opts.ignore_changes_and_additions and not _same(orig, mod):
            patch[key] = mod
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain and (patch or any(v is not None and k not in modified for k, v in original.items())):
        patch[_RETAIN_KEYS_DIRECTIVE] = _sort_scalars(retain)
    return patch


def _map_diff(key: str, orig: dict[str, Any], mod: dict[str, Any], patch: dict[str, Any], schema: PatchSchema,
              opts: _DiffOptions) -> None:
    sub, strategies, _ = schema.lookup(key)
    retain, strategy = _retain_strategy(strategies)
    opts = replace(opts, build_retain_keys=retain)
    if strategy == _REPLACE:
        if not opts.ignore_changes_and_additions:
            patch[key] = mod
        return
    value = _diff_maps(orig, mod, sub, opts)
    if value:
        patch[key] = value


def _slice_diff(key: str, orig: list[Any], mod: list[Any], patch: dict[str, Any], schema: PatchSchema,
                opts: _DiffOptions) -> None:
    sub, strategies, merge_key = schema.lookup(key)
    retain, strategy = _retain_strategy(strategies)
    if strategy != _MERGE:
        if not opts.ignore_changes_and_additions and not _same(orig, mod):
            patch[key] = mod
        return
    opts = replace(opts, build_retain_keys=retain)
    additions, deletions, order = _diff_lists(orig, mod, sub, merge_key, opts)
    if additions:
        patch[key] = additions
    if deletions:
        patch[f"{_DELETE_PRIMITIVE_PREFIX}/{key}"] = deletions
    if order:
        patch[f"{_SET_ORDER_PREFIX}/{key}"] = order


def _validate_merge_key(merge_key: str, *lists: list[Any]) -> None:
    for lst in lists:
        for item in lst:
            if not isinstance(item, dict):
                raise StrategicPatchError(f"expected a map, but got {_gostr(item)}")
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)


def _index(items: list[Any], value: Any, merge_key: str, kind: str) -> int:
    def ident(v: Any) -> Any:
        if kind == "map":
            return v.get(merge_key) if isinstance(v, dict) else None
        return v

    want = ident(value)
    for i, v in enumerate(items):
        if _scalar_eq(want, ident(v)):
            return i
    return -1


def _normalize_slice_order(to_sort: list[Any], order: list[Any], merge_key: str, kind: str) -> list[Any]:
    to_delete: list[Any] = []
    if kind == "map":
        _validate_merge_key(merge_key, to_sort, order)
        keep = [v for v in to_sort if v.get(_DIRECTIVE) != _DELETE]
        to_delete = [v for v in to_sort if v.get(_DIRECTIVE) == _DELETE]
        to_sort = keep
    # Items the order does not name keep their relative order after the ones it does.
    ranked = [(_index(order, v, merge_key, kind), n, v) for n, v in enumerate(to_sort)]
    found = sorted((r for r in ranked if r[0] >= 0), key=lambda r: (r[0], r[1]))
    missing = [r for r in ranked if r[0] < 0]
    return [v for _, _, v in found + missing] + to_delete


def _merge_sorted(left: list[Any], right: list[Any], server_order: list[Any], merge_key: str,
                  kind: str) -> list[Any]:
    out: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li = _index(server_order, left[i], merge_key, kind)
            ri = _index(server_order, right[j], merge_key, kind)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _normalize_element_order(patch: list[Any], server_only: list[Any], patch_order: list[Any],
                             server_order: list[Any], merge_key: str, kind: str) -> list[Any]:
    patch = _normalize_slice_order(patch, patch_order, merge_key, kind)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, kind)
    return _merge_sorted(server_only, patch, server_order, merge_key, kind)


def _diff_lists(original: list[Any], modified: list[Any], schema: PatchSchema, merge_key: str,
                opts: _DiffOptions) -> tuple[list[Any], list[Any], list[Any]]:
    if not original:
        if not modified or opts.ignore_changes_and_additions:
            return [], [], []
        return modified, [], []
    kind = _element_kind(original, modified)
    order: list[Any] = []
    if kind == "map":
        additions, deletions = _diff_lists_of_maps(original, modified, schema, merge_key, opts)
        additions = _normalize_slice_order(additions, modified, merge_key, kind)
        same_order = len(original) == len(modified) and all(
            _merge_key_equal(o, m, merge_key) for o, m in zip(original, modified))
        additions = additions + deletions
        deletions = []
        if opts.set_element_order and (
                (not opts.ignore_changes_and_additions and (additions or not same_order))
                or (not opts.ignore_deletions and additions)):
            order = [{merge_key: v[merge_key]} for v in modified]
        return additions, deletions, order
    additions, deletions = _diff_lists_of_scalars(original, modified, opts)
    additions = _normalize_slice_order(additions, modified, merge_key, kind)
    # The Go code sorts the original list in place before this comparison.
    if opts.set_element_order and ((not opts.ignore_deletions and deletions) or (
            not opts.ignore_changes_and_additions and not _same(_sort_scalars(original), modified))):
        order = modified
    return additions, deletions, order


def _merge_key_equal(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return _scalar_eq(left, right)
    for side in (left, right):
        if not isinstance(side, dict):
            raise StrategicPatchError(f"expected a map, but got {_gostr(side)}")
        if merge_key not in side:
            raise _no_merge_key(side, merge_key)
    return _scalar_eq(left[merge_key], right[merge_key])


def _diff_lists_of_scalars(original: list[Any], modified: list[Any],
                           opts: _DiffOptions) -> tuple[list[Any], list[Any]]:
    orig = _sort_scalars(original)
    mod = _sort_scalars(modified)
    additions: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(orig) or j < len(mod):
        o = _gostr(orig[i]) if i < len(orig) else None
        m = _gostr(mod[j]) if j < len(mod) else None
        if o is not None and m is not None and o == m:
            i += 1
            j += 1
        elif o is None or (m is not None and o > m):
            if not opts.ignore_changes_and_additions:
                additions.append(mod[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                deletions.append(orig[i])
            i += 1
    return additions, _dedupe_scalars(deletions)


def _keyed(item: Any, merge_key: str) -> tuple[dict[str, Any], Any]:
    if not isinstance(item, dict):
        raise StrategicPatchError(f"expected a map, but got {_gostr(item)}")
    if merge_key not in item:
        raise _no_merge_key(item, merge_key)
    return item, item[merge_key]


def _diff_lists_of_maps(original: list[Any], modified: list[Any], schema: PatchSchema, merge_key: str,
                        opts: _DiffOptions) -> tuple[list[Any], list[Any]]:
    def by_key(lst: list[Any]) -> list[Any]:
        return sorted(lst, key=lambda m: _gostr(m.get(merge_key)) if isinstance(m, dict) else "")

    orig = by_key(original)
    mod = by_key(modified)
    patch: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(orig) or j < len(mod):
        o_item = o_val = m_item = m_val = None
        if i < len(orig):
            o_item, o_val = _keyed(orig[i], merge_key)
        if j < len(mod):
            m_item, m_val = _keyed(mod[j], merge_key)
        o_str = _gostr(o_val) if o_item is not None else None
        m_str = _gostr(m_val) if m_item is not None else None
        if o_item is not None and m_item is not None and o_str == m_str:
            value = _diff_maps(o_item, m_item, schema, opts)
            if value:
                value[merge_key] = m_val
                patch.append(value)
            i += 1
            j += 1
        elif o_item is None or (m_item is not None and o_str > m_str):
            if not opts.ignore_changes_and_additions:
                patch.append(m_item)
            j += 1
        else:
            if not opts.ignore_deletions:
                deletions.append({merge_key: o_val, _DIRECTIVE: _DELETE})
            i += 1
    return patch, deletions


# --- merging the deletions patch with the changes patch -------------------------------------------------

def _remove_directives(obj: Any) -> tuple[Any, bool]:
    if isinstance(obj, dict):
        if _DIRECTIVE in obj:
            return None, False
        out = {}
        for k, v in obj.items():
            nv, keep = _remove_directives(v)
            if keep:
                out[k] = nv
        return out, True
    if isinstance(obj, list):
        res = []
        for v in obj:
            nv, keep = _remove_directives(v)
            if keep:
                res.append(nv)
        return res, True
    return obj, True


def _extract_key(s: str, prefix: str) -> str:
    head, sep, rest = s.partition("/")
    if not sep or head != prefix:
        raise StrategicPatchError(f"invalid patch key {s!r}")
    return rest


def _merge_map(original: dict[str, Any] | None, patch: dict[str, Any], schema: PatchSchema) -> dict[str, Any]:
    if _DIRECTIVE in patch:
        directive = patch[_DIRECTIVE]
        if directive == _REPLACE:
            return {k: v for k, v in patch.items() if k != _DIRECTIVE}
        if directive == _DELETE:
            return {}
        raise StrategicPatchError(f"Unknown patch type: {directive} in map: {_gostr(patch)}")
    original = {} if original is None else original
    patch = dict(patch)
    if _RETAIN_KEYS_DIRECTIVE in patch:
        keys = patch.pop(_RETAIN_KEYS_DIRECTIVE)
        if _RETAIN_KEYS_DIRECTIVE in original:
            if not _same(original[_RETAIN_KEYS_DIRECTIVE], keys):
                raise StrategicPatchError(f"{original[_RETAIN_KEYS_DIRECTIVE]} and {keys} are not deep equal: "
                                          "this may happen when calculating the 3-way diff patch")
        else:
            original[_RETAIN_KEYS_DIRECTIVE] = keys
    _merge_ordered_lists(original, patch, schema)
    for k, pv in patch.items():
        if k.startswith(_DELETE_PRIMITIVE_PREFIX):
            original[k] = pv
            continue
        if pv is None:
            original.pop(k, None)
        if k not in original:
            v, keep = _remove_directives(pv)
            if keep:
                original[k] = v
            continue
        ov = original[k]
        if type(ov) is not type(pv):
            v, keep = _remove_directives(pv)
            if keep:
                original[k] = v
            else:
                del original[k]
            continue
        if isinstance(ov, dict):
            sub, strategies, _ = schema.lookup(k)
            _, strategy = _retain_strategy(strategies)
            original[k] = pv if strategy == _REPLACE else _merge_map(ov, pv, sub)
        elif isinstance(ov, list):
            sub, strategies, merge_key = schema.lookup(k)
            _, strategy = _retain_strategy(strategies)
            original[k] = _merge_slice(ov, pv, sub, merge_key) if strategy == _MERGE else pv
        else:
            v, keep = _remove_directives(pv)
            if keep:
                original[k] = v
            else:
                del original[k]
    return original


def _partition(items: list[Any], by: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    inside: list[Any] = []
    outside: list[Any] = []
    for v in items:
        if merge_key:
            m, val = _keyed(v, merge_key)
            hit = any(isinstance(b, dict) and merge_key in b and _scalar_eq(b[merge_key], val) for b in by)
        else:
            hit = any(_scalar_eq(v, b) for b in by)
        (inside if hit else outside).append(v)
    return inside, outside


def _validate_order_list(patch_list: list[Any], order: list[Any], merge_key: str) -> None:
    if not order or not patch_list:
        return
    items = [v for v in patch_list if not (isinstance(v, dict) and v.get(_DIRECTIVE) == _DELETE)] \
        if merge_key else patch_list
    pi = si = 0
    while pi < len(items) and si < len(order):
        if isinstance(items[pi], dict) and _DIRECTIVE in items[pi]:
            pi += 1
            continue
        if _merge_key_equal(items[pi], order[si], merge_key):
            pi += 1
        si += 1
    if pi < len(items) and si >= len(order):
        raise StrategicPatchError(f"The order in patch list:\n{patch_list}\n doesn't match {_SET_ORDER_PREFIX} "
                                  f"list:\n{order}\n")


def _merge_ordered_lists(original: dict[str, Any], patch: dict[str, Any], schema: PatchSchema) -> None:
    for key in [k for k in patch if k.startswith(_SET_ORDER_PREFIX)]:
        order = patch.pop(key)
        if key in original:
            if not _same(original[key], order):
                raise StrategicPatchError("invalid patch: the $setElementOrder lists of the two patches differ")
        else:
            original[key] = order
        if not isinstance(order, list):
            raise StrategicPatchError(f"invalid {_SET_ORDER_PREFIX} list: {order!r}")
        field = _extract_key(key, _SET_ORDER_PREFIX)
        found_orig = field in original
        found_patch = field in patch
        orig_list = original.get(field) if found_orig else []
        patch_list = patch.get(field) if found_patch else []
        if not isinstance(orig_list, list) or not isinstance(patch_list, list):
            raise StrategicPatchError(f"expected a list for {field!r}")
        sub, strategies, merge_key = schema.lookup(field)
        _, strategy = _retain_strategy(strategies)
        _validate_order_list(patch_list, order, merge_key)
        if found_orig and not found_patch:
            merged = orig_list
        elif found_patch and not found_orig:
            merged, _ = _remove_directives(patch_list)
        elif found_orig and found_patch:
            merged = _merge_slice(orig_list, patch_list, sub, merge_key) if strategy == _MERGE else patch_list
        else:
            continue
        inside, outside = _partition(merged, order, merge_key)
        kind = _element_kind(orig_list, patch_list)
        original[field] = _normalize_element_order(inside, outside, order, orig_list, merge_key, kind)
        patch.pop(field, None)


def _merge_slice(original: list[Any], patch: list[Any], schema: PatchSchema, merge_key: str) -> list[Any]:
    if not original and not patch:
        return original
    kind = _element_kind(original, patch)
    if kind != "map":
        merged = _dedupe_scalars(original + patch)
    else:
        if not merge_key:
            raise StrategicPatchError(f"cannot merge lists without merge key for {schema.name or 'struct'}")
        original, patch = _merge_special_items(list(original), patch, merge_key)
        merged = list(original)
        for item in patch:
            _, val = _keyed(item, merge_key)
            idx = next((n for n, cur in enumerate(merged)
                        if isinstance(cur, dict) and merge_key in cur and _scalar_eq(cur[merge_key], val)), None)
            if idx is None:
                merged.append(item)
            else:
                merged[idx] = _merge_map(merged[idx], item, schema)
    inside, outside = _partition(merged, patch, merge_key)
    return _normalize_element_order(inside, outside, patch, original, merge_key, kind)


def _merge_special_items(original: list[Any], patch: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    plain: list[Any] = []
    replace_all = False
    for item in patch:
        if _DIRECTIVE not in item:
            plain.append(item)
            continue
        directive = item[_DIRECTIVE]
        if directive == _DELETE:
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)
            original = [o for o in original if not (isinstance(o, dict) and merge_key in o
                                                   and _scalar_eq(o[merge_key], item[merge_key]))]
        elif directive == _REPLACE:
            replace_all = True
        elif directive == _MERGE:
            raise StrategicPatchError("merging lists cannot yet be specified in the patch")
        else:
            raise StrategicPatchError(f"Unknown patch type: {directive} in map: {_gostr(item)}")
    if replace_all:
        return plain, []
    return original, plain


# --- public entry points ---------------------------------------------------------------------------

def create_three_way_merge_patch(original: dict[str, Any] | None, modified: dict[str, Any],
                                 current: dict[str, Any] | None, schema: PatchSchema) -> dict[str, Any]:
    """The strategic merge patch taking ``current`` to ``modified``, deleting only what ``original`` had.

    Conflicts between the live object and the new manifest resolve in favour of the manifest, as
    with Helm (which always asks for overwrite).
    """
    original = copy.deepcopy(original) if isinstance(original, dict) else {}
    modified = copy.deepcopy(modified) if isinstance(modified, dict) else {}
    current = copy.deepcopy(current) if isinstance(current, dict) else {}
    delta = _diff_maps(current, modified, schema, _DiffOptions(ignore_deletions=True, set_element_order=True))
    deletions = _diff_maps(original, modified, schema,
                           _DiffOptions(set_element_order=True, ignore_changes_and_additions=True))
    return _merge_map(deletions, delta, schema)


def create_two_way_json_merge_patch(original: Any, modified: Any) -> Any:
    """RFC 7386 merge patch from ``original`` to ``modified`` (what Helm sends for custom resources)."""
    if not isinstance(original, dict) or not isinstance(modified, dict):
        return copy.deepcopy(modified)
    patch: dict[str, Any] = {}
    for key, value in modified.items():
        if key not in original:
            patch[key] = copy.deepcopy(value)
        elif isinstance(value, dict) and isinstance(original[key], dict):
            sub = create_two_way_json_merge_patch(original[key], value)
            if sub:
                patch[key] = sub
        elif not _same(original[key], value):
            patch[key] = copy.deepcopy(value)
    for key in original:
        if key not in modified:
            patch[key] = None
    return patch
