"""``--post-renderer`` parsed as Helm's ``postRendererString`` flag value.

Helm's ``Set`` ignores an empty value, refuses a second non-empty one and looks the plugin up
there and then (pkg/cmd/flags.go), so the first post-renderer named is the one used, naming another
is an error rather than an override, and an unknown one fails as a flag error before anything else
is read. Pilothouse also takes a path to an executable (or one on PATH), as Helm 3 did.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any


class PostRendererOnce(argparse.Action):
    """Stores the post-renderer's name; an empty value is a no-op, a second name a flag error."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        from pilothouse.cli.pflag import FlagError, go_quote

        value = values if isinstance(values, str) else ""
        if not value:
            return
        if getattr(namespace, self.dest, None):
            raise FlagError(f'invalid argument {go_quote(value)} for "--post-renderer" flag: '
                            "cannot specify --post-renderer flag more than once")
        _check_exists(value)
        setattr(namespace, self.dest, value)


def _check_exists(name: str) -> None:
    import os
    import shutil

    from pilothouse.cli.pflag import FlagError, go_quote
    from pilothouse.plugin.loader import find_plugins

    if os.sep in name or any(p.name == name and p.type == "postrenderer/v1" for p in find_plugins(warn=False)):
        return
    if shutil.which(name):
        return
    raise FlagError(f'invalid argument {go_quote(name)} for "--post-renderer" flag: '
                    f"plugin: {{Name:{name} Type:postrenderer/v1}} not found")
