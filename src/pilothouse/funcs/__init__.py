"""Template functions: Sprig's, as Helm v4 exposes them, one group per module.

`helm_funcs()` is the function map a Helm-compatible template set starts from: the union
of every group's `FUNCS`, without Sprig's `env` and `expandenv` (Helm removes them). The
engine adds Helm's own `include`, `tpl`, `required`, `fail` and `lookup` on top.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# Later groups override earlier ones for a shared name (serialization carries Helm's toJson).
_GROUPS = (
    "strings",
    "encoding",
    "numeric",
    "defaults",
    "reflection",
    "paths",
    "dicts",
    "lists",
    "regex",
    "urls",
    "misc",
    "dates",
    "crypto",
    "random",
    "semver_funcs",
    "serialization",
)

_REMOVED_BY_HELM = ("env", "expandenv")

_cache: dict[str, Callable[..., Any]] | None = None


def helm_funcs() -> dict[str, Callable[..., Any]]:
    """The Sprig + Helm function map (built once, then shared; copy it before changing it)."""
    global _cache
    if _cache is None:
        funcs: dict[str, Callable[..., Any]] = {}
        for name in _GROUPS:
            try:
                module = importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as e:
                # A group not written yet is simply absent; a broken import inside one is a bug.
                if e.name != f"{__name__}.{name}":
                    raise
                continue
            funcs.update(getattr(module, "FUNCS", {}))
        for name in _REMOVED_BY_HELM:
            funcs.pop(name, None)
        _cache = funcs
    return _cache


__all__ = ["helm_funcs"]
