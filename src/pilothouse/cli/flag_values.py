"""Checks of flag values made while the command line is parsed, as Helm's own flag types do in
their ``Set`` (so a bad value is reported before the arguments are looked at).

An argparse action carries its check as ``action.pflag_validate``; the bridge to pflag hands it to
the parser, which reports ``invalid argument "V" for "--flag" flag: <message>``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

WAIT_INPUTS = ("watcher", "hookOnly", "legacy", "ordered")


def output_format(value: str) -> None:
    """Helm's ``outputValue.Set`` (``output.ParseFormat``)."""
    if value not in ("table", "json", "yaml"):
        raise ValueError("invalid format type")


def wait_input(value: str) -> None:
    """Helm's ``waitValue.Set``: booleans are accepted with a warning; ``ordered`` is Pilothouse's
    HIP-0025 sequencing."""
    if value in ("true", "false"):
        from pilothouse import slog

        instead = "watcher" if value == "true" else "hookOnly"
        slog.warn(f"--wait={value} is deprecated (boolean value) and can be replaced with --wait={instead}")
        return
    if value not in WAIT_INPUTS:
        raise ValueError(f'invalid wait input "{value}". Valid inputs are watcher, hookOnly, legacy, and ordered')


def checked(action: argparse.Action, check: Callable[[str], None]) -> argparse.Action:
    """``action`` with ``check`` run on each value as it is parsed."""
    action.pflag_validate = check  # type: ignore[attr-defined]
    return action
