"""``--post-renderer`` parsed as Helm's ``postRendererString`` flag value.

Helm's ``Set`` ignores an empty value, refuses a second non-empty one and looks the plugin up
there and then (pkg/cmd/flags.go), so the first post-renderer named is the one used, naming another
is an error rather than an override, and an unknown one fails as a flag error while the command
line is read, before its arguments are checked. Pilothouse also takes a path to an executable (or
one on PATH), as Helm 3 did.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any


def check(value: str, earlier: Sequence[str]) -> None:
    """The parse-time check (pflag calls it with the values the flag was given before this one)."""
    import os
    import shutil

    from pilothouse.plugin.loader import find_plugins

    if not value:
        return
    if any(earlier):
        raise ValueError("cannot specify --post-renderer flag more than once")
    if os.sep in value or any(p.name == value and p.type == "postrenderer/v1" for p in find_plugins(warn=False)):
        return
    if shutil.which(value):
        return
    raise ValueError(f"plugin: {{Name:{value} Type:postrenderer/v1}} not found")


check.wants_earlier = True  # type: ignore[attr-defined]


class PostRendererOnce(argparse.Action):
    """Stores the first post-renderer named (values were checked by `check` while parsing)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        value = values if isinstance(values, str) else ""
        if value and not getattr(namespace, self.dest, None):
            setattr(namespace, self.dest, value)
