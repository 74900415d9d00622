"""Sprig's path functions: Go's `path` package (and `path/filepath`, the same on Linux)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.gotemplate.gotypes import gofunc


@gofunc("string")
def clean(p: str) -> str:
    """path.Clean: the shortest equivalent path (lexical; "" → ".")."""
    if p == "":
        return "."
    rooted = p[0] == "/"
    out: list[str] = []
    for part in p.split("/"):
        if part == "" or part == ".":
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")
            continue
        out.append(part)
    body = "/".join(out)
    if rooted:
        return "/" + body
    return body or "."


@gofunc("string")
def base(p: str) -> str:
    """path.Base: the last element ("" → ".", all slashes → "/")."""
    if p == "":
        return "."
    p = p.rstrip("/")
    if p == "":
        return "/"
    i = p.rfind("/")
    return p[i + 1:] if i >= 0 else p


@gofunc("string")
def dir_(p: str) -> str:
    """path.Dir: everything before the last element, cleaned."""
    i = p.rfind("/")
    return clean(p[: i + 1])


@gofunc("string")
def ext(p: str) -> str:
    """path.Ext: the suffix from the last dot of the last element."""
    for i in range(len(p) - 1, -1, -1):
        c = p[i]
        if c == "/":
            break
        if c == ".":
            return p[i:]
    return ""


@gofunc("string")
def is_abs(p: str) -> bool:
    """path.IsAbs."""
    return p.startswith("/")


# Sprig registers each twice, as path.X and filepath.X, which agree on Linux.
FUNCS: dict[str, Callable[..., Any]] = {
    "base": base,
    "dir": dir_,
    "clean": clean,
    "ext": ext,
    "isAbs": is_abs,
    "osBase": base,
    "osDir": dir_,
    "osClean": clean,
    "osExt": ext,
    "osIsAbs": is_abs,
}
