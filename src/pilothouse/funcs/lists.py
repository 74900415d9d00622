"""Sprig's list functions (list.go).

They accept any Go slice — []interface{}, []string, []int, []byte — and, except `slice`,
return a new []interface{} without touching their input. The non-`must` forms panic
where the `must` forms return an error; both surface as a template error with the same
text. A nil list panics in both, as reflect.TypeOf(nil).Kind() does in Go.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from pilothouse.funcs.cast import to_int
from pilothouse.funcs.defaults import is_empty
from pilothouse.funcs.reflection import deep_equal, kind_of
from pilothouse.gotemplate.gotypes import FuncError, Uint8, gofunc

_NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"


def _items(v: Any, what: str) -> list[Any]:
    """The elements of a Go slice value, or Go's error for anything else."""
    if isinstance(v, (list, tuple)):
        return list(v)
    if isinstance(v, (bytes, bytearray)):
        return [Uint8(b) for b in v]
    if v is None:
        raise FuncError(_NIL_DEREF)
    raise FuncError(what.format(kind_of(v)))


@gofunc("interface {}", variadic=True)
def list_(*v: Any) -> list[Any]:
    """list / tuple."""
    return list(v)


@gofunc("interface {}", "interface {}")
def push(lst: Any, v: Any) -> list[Any]:
    """append / push: a new list with v at the end."""
    return _items(lst, "Cannot push on type {}") + [v]


@gofunc("interface {}", "interface {}")
def prepend(lst: Any, v: Any) -> list[Any]:
    """prepend: a new list with v in front."""
    return [v] + _items(lst, "Cannot prepend on type {}")


@gofunc("int", "interface {}")
def chunk(size: int, lst: Any) -> list[list[Any]]:
    """chunk: split into lists of `size` elements (the last may be shorter)."""
    items = _items(lst, "Cannot chunk type {}")
    if size <= 0:
        raise FuncError("runtime error: makeslice: len out of range")
    n = len(items)
    count = int(math.floor((n - 1) / size) + 1) if n else 0
    return [items[i * size:(i + 1) * size] for i in range(count)]


@gofunc("interface {}")
def last(lst: Any) -> Any:
    """last: the last element, nil for an empty list."""
    items = _items(lst, "Cannot find last on type {}")
    return items[-1] if items else None


@gofunc("interface {}")
def first(lst: Any) -> Any:
    """first: the first element, nil for an empty list."""
    items = _items(lst, "Cannot find first on type {}")
    return items[0] if items else None


@gofunc("interface {}")
def rest(lst: Any) -> list[Any]:
    """rest: all but the first element."""
    return _items(lst, "Cannot find rest on type {}")[1:]


@gofunc("interface {}")
def initial(lst: Any) -> list[Any]:
    """initial: all but the last element."""
    return _items(lst, "Cannot find initial on type {}")[:-1]


@gofunc("interface {}")
def reverse(v: Any) -> list[Any]:
    """reverse: a reversed copy."""
    return _items(v, "Cannot find reverse on type {}")[::-1]


@gofunc("interface {}")
def compact(lst: Any) -> list[Any]:
    """compact: the non-empty elements."""
    return [x for x in _items(lst, "Cannot compact on type {}") if not is_empty(x)]


def _in_list(haystack: list[Any], needle: Any) -> bool:
    return any(deep_equal(needle, h) for h in haystack)


@gofunc("interface {}")
def uniq(lst: Any) -> list[Any]:
    """uniq: first occurrences, by reflect.DeepEqual."""
    dest: list[Any] = []
    for x in _items(lst, "Cannot find uniq on type {}"):
        if not _in_list(dest, x):
            dest.append(x)
    return dest


@gofunc("interface {}", "interface {}", variadic=True)
def without(lst: Any, *omit: Any) -> list[Any]:
    """without: the elements not deeply equal to any of `omit`."""
    omit_list = list(omit)
    return [x for x in _items(lst, "Cannot find without on type {}") if not _in_list(omit_list, x)]


@gofunc("interface {}", "interface {}")
def has(needle: Any, haystack: Any) -> bool:
    """has: the list holds a value deeply equal to needle (a nil list holds nothing)."""
    if haystack is None:
        return False
    return _in_list(_items(haystack, "Cannot find has on type {}"), needle)


@gofunc("interface {}", "interface {}", variadic=True)
def slice_(lst: Any, *indices: Any) -> Any:
    """slice l [start [end]]: a sub-slice of the same type; nil for an empty list."""
    if isinstance(lst, (list, tuple, bytes, bytearray)):
        n = len(lst)
        if n == 0:
            return None
        start = to_int(indices[0]) if indices else 0
        end = to_int(indices[1]) if len(indices) >= 2 else n
        if start < 0 or end < start or end > n:
            raise FuncError("reflect.Value.Slice: slice index out of bounds")
        part = lst[start:end]
        return type(lst)(part) if not isinstance(lst, tuple) else list(part)
    if lst is None:
        raise FuncError(_NIL_DEREF)
    raise FuncError(f"list should be type of slice or array but {kind_of(lst)}")


@gofunc("interface {}", variadic=True)
def concat(*lists: Any) -> list[Any]:
    """concat: the elements of every list, in order."""
    res: list[Any] = []
    for lst in lists:
        res += _items(lst, "Cannot concat type {} as list")
    return res


FUNCS: dict[str, Callable[..., Any]] = {
    "list": list_,
    "tuple": list_,
    "append": push,
    "push": push,
    "mustAppend": push,
    "mustPush": push,
    "prepend": prepend,
    "mustPrepend": prepend,
    "first": first,
    "mustFirst": first,
    "rest": rest,
    "mustRest": rest,
    "last": last,
    "mustLast": last,
    "initial": initial,
    "mustInitial": initial,
    "reverse": reverse,
    "mustReverse": reverse,
    "uniq": uniq,
    "mustUniq": uniq,
    "without": without,
    "mustWithout": without,
    "has": has,
    "mustHas": has,
    "slice": slice_,
    "mustSlice": slice_,
    "concat": concat,
    "chunk": chunk,
    "mustChunk": chunk,
    "compact": compact,
    "mustCompact": compact,
}
