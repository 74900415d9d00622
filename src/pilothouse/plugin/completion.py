"""Shell completion of cli/v1 plugin commands (Helm's ``completion.yaml`` and ``plugin.complete``).

A plugin may describe its sub-commands, flags and fixed arguments in ``completion.yaml``
(``name``, ``validArgs``, ``flags``, ``commands`` recursively); a command without sub-commands
may also get dynamic choices from the plugin's executable ``plugin.complete``, which receives the
sub-command path, the words typed (minus Helm's global flags, which set HELM_* instead) and the
word being completed, and prints one choice a line, optionally ending with ``:<directive>``.

The command line (``pilothouse.cli.complete``) calls `complete_plugin` when ``pilot __complete``
reaches a plugin command; nothing here knows about the command line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pilothouse.plugin.loader import Plugin

STATIC_FILE = "completion.yaml"
DYNAMIC_EXECUTABLE = "plugin.complete"

# Cobra's ShellCompDirective bits
DEFAULT, NO_FILE_COMP = 0, 4


@dataclass
class CompletionCommand:
    """One level of ``completion.yaml``."""

    name: str = ""
    valid_args: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    commands: list[CompletionCommand] = field(default_factory=list)

    def flag_words(self) -> list[str]:
        """The flags as typed: ``-x`` for one letter, ``--long`` otherwise."""
        return [("-" if len(f) == 1 else "--") + f for f in self.flags]


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _command(doc: Any) -> CompletionCommand:
    if not isinstance(doc, dict):
        return CompletionCommand()
    subs = doc.get("commands")
    return CompletionCommand(name=str(doc.get("name") or ""), valid_args=_strings(doc.get("validArgs")),
                             flags=_strings(doc.get("flags")),
                             commands=[_command(c) for c in subs] if isinstance(subs, list) else [])


def load(plugin: Plugin, command: str) -> CompletionCommand:
    """The plugin's completion tree, named ``command``; empty when the file is missing or invalid
    (Helm then keeps only the dynamic completion)."""
    from pilothouse.plugin.metadata import parse_yaml

    tree = CompletionCommand()
    try:
        with open(os.path.join(plugin.dir, STATIC_FILE), "rb") as fh:
            tree = _command(parse_yaml(fh.read(), STATIC_FILE))
    except Exception:  # noqa: BLE001 - a missing or broken completion file only loses static choices
        tree = CompletionCommand()
    tree.name = command
    # an unnamed sub-command is dropped, as Helm does
    tree.commands = [c for c in tree.commands if c.name]
    return tree


def dynamic(plugin: Plugin, argv: list[str], env_extra: dict[str, str]) -> tuple[list[str], int]:
    """Run ``plugin.complete`` (subprocess plugins only); its lines, and the directive it printed."""
    import subprocess

    from pilothouse.plugin.runtimes import subprocess as sp

    exe = os.path.join(plugin.dir, DYNAMIC_EXECUTABLE)
    if plugin.runtime != "subprocess":
        return [], DEFAULT
    env = sp.plugin_env(plugin.name, plugin.dir, {**os.environ, **env_extra})
    try:
        res = subprocess.run([exe, *argv], env=env, capture_output=True, check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return [], DEFAULT  # plugin.complete is optional
    if res.returncode != 0:
        return [], DEFAULT
    out = res.stdout + res.stderr
    lines = [line for line in out.decode(errors="replace").split("\n") if line]
    directive = DEFAULT
    if lines and len(lines[-1]) > 1 and lines[-1][0] == ":":
        try:
            directive = int(lines[-1][1:])
            lines.pop()
        except ValueError:
            pass
    return lines, directive


def complete_plugin(plugin: Plugin, command: str, words: Sequence[str], to_complete: str) -> tuple[list[str], int]:
    """Choices for ``pilot COMMAND WORDS… TO_COMPLETE`` where COMMAND is the plugin's command."""
    from pilothouse.plugin.env import HelmSettings
    from pilothouse.plugin.types.cli import split_args

    settings = HelmSettings.from_environ()
    rest = split_args(words, settings)
    node = load(plugin, command)
    path: list[str] = []
    args: list[str] = []
    for word in rest:
        sub = next((c for c in node.commands if c.name == word), None) if not args else None
        if sub is not None and not word.startswith("-"):
            node = sub
            path.append(word)
        else:
            args.append(word)
    choices: list[str] = []
    directive = DEFAULT
    if to_complete.startswith("-") and node.flags:
        choices = [f for f in node.flag_words() if f.startswith(to_complete)]
        directive = NO_FILE_COMP
    elif not [a for a in args if not a.startswith("-")]:
        statics = [c.name for c in node.commands] + node.valid_args
        if statics:
            choices = [s for s in statics if s.startswith(to_complete)]
            directive = NO_FILE_COMP
    if not node.commands:
        # only leaves call plugin.complete, so it never has to handle sub-command names itself
        ignore = bool(plugin.metadata.config.get("ignoreFlags"))
        argv = path if ignore else [*path, *args, to_complete]
        more, dyn = dynamic(plugin, argv, settings.env_vars())
        if more or dyn != DEFAULT or not choices:
            choices += more
            directive = dyn
    return choices, directive
