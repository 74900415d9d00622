"""Sprig's dict functions (dict.go), mergo's merge rules, and deepCopy.

`set`, `unset`, `merge` and `mergeOverwrite` change their first argument in place and return
it; charts rely on that (`$_ := set $d "k" v`). Iteration follows the dict's insertion
order where Go's is random (`keys`, `values`, `omit`), so results are at least stable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.funcs.cast import to_string
from pilothouse.gotemplate.gotypes import FuncError, GoObject, StrList, gofunc

MAP = "map[string]interface {}"


def _d(d: dict | None) -> dict:
    # A nil map reads as empty.
    return {} if d is None else d


@gofunc(MAP, "string")
def get(d: dict, key: str) -> Any:
    """get: d[key], or "" when absent."""
    return _d(d).get(key, "")


@gofunc(MAP, "string", "interface {}")
def set_(d: dict, key: str, value: Any) -> dict:
    """set: d[key] = value, in place; returns d."""
    if d is None:
        raise FuncError("assignment to entry in nil map")
    d[key] = value
    return d


@gofunc(MAP, "string")
def unset(d: dict, key: str) -> dict:
    """unset: delete d[key] in place; returns d."""
    if d is not None:
        d.pop(key, None)
    return d


@gofunc(MAP, "string")
def has_key(d: dict, key: str) -> bool:
    """hasKey."""
    return key in _d(d)


@gofunc("string", MAP, variadic=True)
def pluck(key: str, *dicts: dict) -> list[Any]:
    """pluck: the value of key in every dict that has it."""
    return [d[key] for d in dicts if d is not None and key in d]


@gofunc(MAP, variadic=True)
def keys(*dicts: dict) -> StrList:
    """keys: every key of every dict ([]string; Go's order is random)."""
    return StrList(k for d in dicts if d is not None for k in d)


@gofunc(MAP, "string", variadic=True)
def pick(d: dict, *names: str) -> dict:
    """pick: a new dict with only the named keys."""
    src = _d(d)
    return {k: src[k] for k in names if k in src}


@gofunc(MAP, "string", variadic=True)
def omit(d: dict, *names: str) -> dict:
    """omit: a new dict without the named keys."""
    drop = set(names)
    return {k: v for k, v in _d(d).items() if k not in drop}


@gofunc("interface {}", variadic=True)
def dict_(*v: Any) -> dict:
    """dict k1 v1 k2 v2 ...: keys are converted with toString; a missing last value is ""."""
    out: dict = {}
    for i in range(0, len(v), 2):
        key = to_string(v[i])
        out[key] = v[i + 1] if i + 1 < len(v) else ""
    return out


@gofunc(MAP)
def values(d: dict) -> list[Any]:
    """values: every value of d (Go's order is random)."""
    return list(_d(d).values())


# --- mergo ----------------------------------------------------------------------------


def _mergo_empty(v: Any) -> bool:
    # mergo's isEmptyValue for an interface{} element, dereferenced.
    if v is None:
        return True
    if isinstance(v, bool):
        return not v
    if isinstance(v, (int, float)):
        return v == 0
    if isinstance(v, (str, bytes, list, tuple, dict)):
        return len(v) == 0
    return False


def _is_map(v: Any) -> bool:
    return isinstance(v, dict) and not (isinstance(v, GoObject) and type(v).go_kind != "map")


def _is_slice(v: Any) -> bool:
    return isinstance(v, (list, tuple, bytes, bytearray))


def mergo_merge(dst: dict, src: dict, overwrite: bool) -> None:
    """mergo.Merge(&dst, src) (overwrite=False) or MergeWithOverwrite, for maps of interface{}.

    Without overwrite, src fills keys that dst lacks or holds an empty value for; nested maps
    merge recursively. With overwrite, every src value replaces dst's (nil and empty ones too),
    except that nested maps still merge key by key.
    """
    for key, s in src.items():
        has_d = key in dst
        d = dst.get(key)
        if s is None:
            if overwrite:
                dst[key] = None
            continue
        if _is_map(s) and _is_map(d):
            mergo_merge(d, s, overwrite)
        elif _is_slice(s) and not overwrite:
            # mergo re-stores dst's own value here, or an empty slice when dst had nothing.
            if has_d and d is not None:
                dst[key] = d
        if has_d and not _mergo_empty(d):
            if _is_slice(s) and not overwrite:
                continue
            if _is_map(s) and _is_map(d):
                continue
        if overwrite or not has_d or _mergo_empty(d):
            dst[key] = s


def _merge(dst: dict | None, srcs: tuple[dict, ...], overwrite: bool) -> dict:
    out = {} if dst is None else dst
    for src in srcs:
        if src:
            mergo_merge(out, src, overwrite)
    return out


@gofunc(MAP, MAP, variadic=True)
def merge(dst: dict, *srcs: dict) -> dict:
    """merge: fill dst (in place) from each src; dst's non-empty values win."""
    return _merge(dst, srcs, False)


@gofunc(MAP, MAP, variadic=True)
def merge_overwrite(dst: dict, *srcs: dict) -> dict:
    """mergeOverwrite: src values win, even empty ones; nested maps merge."""
    return _merge(dst, srcs, True)


# --- deepCopy and dig -------------------------------------------------------------------


def deep_copy(v: Any) -> Any:
    """copystructure.Copy over the value model: maps and slices are copied, the rest shared."""
    if isinstance(v, dict) and not isinstance(v, GoObject):
        return type(v)((k, deep_copy(x)) for k, x in v.items())
    if isinstance(v, (list, tuple)) and not isinstance(v, GoObject):
        return type(v)(deep_copy(x) for x in v)
    if isinstance(v, bytearray):
        return bytearray(v)
    return v


@gofunc("interface {}")
def deep_copy_func(v: Any) -> Any:
    """deepCopy / mustDeepCopy."""
    if v is None:
        # copystructure asks reflect for the type of nil, which panics.
        raise FuncError("reflect: call of reflect.Value.Type on zero Value")
    return deep_copy(v)


def _conversion_error(v: Any, want: str) -> FuncError:
    from pilothouse.gotemplate.gofmt import type_name

    got = "nil" if v is None else type_name(v)
    return FuncError(f"interface conversion: interface {{}} is {got}, not {want}")


@gofunc("interface {}", variadic=True)
def dig(*ps: Any) -> Any:
    """dig k1 k2 ... default dict: walk nested maps by key, the default when a key is missing."""
    if len(ps) < 3:
        raise FuncError("dig needs at least three arguments")
    d = ps[-1]
    if type(d) is not dict:
        raise _conversion_error(d, MAP)
    default = ps[-2]
    ks = ps[:-2]
    for k in ks:
        if type(k) is not str:
            raise _conversion_error(k, "string")
    cur: dict = d
    for i, k in enumerate(ks):
        if k not in cur:
            return default
        step = cur[k]
        if i == len(ks) - 1:
            return step
        if type(step) is not dict:
            raise _conversion_error(step, MAP)
        cur = step
    return default


FUNCS: dict[str, Callable[..., Any]] = {
    "dict": dict_,
    "get": get,
    "set": set_,
    "unset": unset,
    "hasKey": has_key,
    "pluck": pluck,
    "keys": keys,
    "pick": pick,
    "omit": omit,
    "merge": merge,
    "mergeOverwrite": merge_overwrite,
    "mustMerge": merge,
    "mustMergeOverwrite": merge_overwrite,
    "values": values,
    "deepCopy": deep_copy_func,
    "mustDeepCopy": deep_copy_func,
    "dig": dig,
}
