"""Sprig's odds and ends as Helm exposes them: hello, and getHostByName (a stub without --enable-dns)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.gotemplate.gotypes import gofunc


@gofunc()
def hello() -> str:
    """hello."""
    return "Hello!"


@gofunc("string")
def get_host_by_name(name: str) -> str:
    """getHostByName: Helm answers "" unless DNS lookups were enabled (--enable-dns)."""
    return ""


FUNCS: dict[str, Callable[..., Any]] = {
    "hello": hello,
    "getHostByName": get_host_by_name,
}
