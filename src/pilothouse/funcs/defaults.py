"""Sprig's defaults and flow functions: default, empty, coalesce, all, any, ternary.

"Empty" is Go's zero-value test as Sprig writes it: nil, false, numeric zero, and empty
strings, lists and maps; structs (GoObjects that are not maps, lists or strings) never are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.gotemplate.gotypes import GoObject, gofunc


def is_empty(v: Any) -> bool:
    """Sprig's empty(): true for nil, false, 0, 0.0, "" and empty lists and maps."""
    if v is None:
        return True
    if isinstance(v, bool):
        return not v
    if isinstance(v, (int, float)):
        return v == 0
    if isinstance(v, (str, bytes, bytearray, list, tuple, dict)):
        return len(v) == 0
    if isinstance(v, GoObject):
        # A nil pointer would be empty, but GoObjects stand for live values.
        return False
    return False


@gofunc("interface {}", "interface {}", variadic=True)
def default(d: Any, *given: Any) -> Any:
    """default: `given` unless it is empty (or absent), else `d`."""
    if not given or is_empty(given[0]):
        return d
    return given[0]


@gofunc("interface {}")
def empty(v: Any) -> bool:
    """empty."""
    return is_empty(v)


@gofunc("interface {}", variadic=True)
def coalesce(*vals: Any) -> Any:
    """coalesce: the first non-empty argument, else nil."""
    for v in vals:
        if not is_empty(v):
            return v
    return None


@gofunc("interface {}", variadic=True)
def all_(*vals: Any) -> bool:
    """all: no argument is empty (true for no arguments)."""
    return not any(is_empty(v) for v in vals)


@gofunc("interface {}", variadic=True)
def any_(*vals: Any) -> bool:
    """any: some argument is not empty."""
    return any(not is_empty(v) for v in vals)


@gofunc("interface {}", "interface {}", "bool")
def ternary(vt: Any, vf: Any, v: bool) -> Any:
    """ternary: vt when v is true, else vf."""
    return vt if v else vf


FUNCS: dict[str, Callable[..., Any]] = {
    "default": default,
    "empty": empty,
    "coalesce": coalesce,
    "all": all_,
    "any": any_,
    "ternary": ternary,
}
