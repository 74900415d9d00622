"""Sprig's reflection functions: typeOf, typeIs, typeIsLike, kindOf, kindIs, deepEqual.

In the shared value model every Go type has its own Python class (int vs Int64 vs float,
list vs StrList, dict vs StrMap), so Go's reflect.DeepEqual — which never equates values of
different types — compares the classes first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.gotemplate.gotypes import gofunc


def deep_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual over the shared value model."""
    if type(a) is not type(b):
        return False
    if a is b:
        # NaN is the one value not deeply equal to itself.
        return not (isinstance(a, float) and a != a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        if len(a) != len(b):
            return False
        for k, v in a.items():
            if k not in b or not deep_equal(v, b[k]):
                return False
        return True
    try:
        return bool(a == b)
    except Exception:
        return False


def type_of(v: Any) -> str:
    """Go's %T."""
    from pilothouse.gotemplate.gofmt import type_name

    return type_name(v)


def kind_of(v: Any) -> str:
    """reflect.Kind name."""
    from pilothouse.gotemplate.gofmt import kind_name

    return kind_name(v)


@gofunc("interface {}")
def type_of_func(src: Any) -> str:
    """typeOf."""
    return type_of(src)


@gofunc("string", "interface {}")
def type_is(target: str, src: Any) -> bool:
    """typeIs: %T equals target."""
    return target == type_of(src)


@gofunc("string", "interface {}")
def type_is_like(target: str, src: Any) -> bool:
    """typeIsLike: %T equals target or *target."""
    t = type_of(src)
    return t == target or t == "*" + target


@gofunc("interface {}")
def kind_of_func(src: Any) -> str:
    """kindOf."""
    return kind_of(src)


@gofunc("string", "interface {}")
def kind_is(target: str, src: Any) -> bool:
    """kindIs."""
    return target == kind_of(src)


@gofunc("interface {}", "interface {}")
def deep_equal_func(a: Any, b: Any) -> bool:
    """deepEqual."""
    return deep_equal(a, b)


FUNCS: dict[str, Callable[..., Any]] = {
    "typeOf": type_of_func,
    "typeIs": type_is,
    "typeIsLike": type_is_like,
    "kindOf": kind_of_func,
    "kindIs": kind_is,
    "deepEqual": deep_equal_func,
}
