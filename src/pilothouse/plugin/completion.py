"""Shell completion of cli/v1 plugin commands (Helm's ``completion.yaml`` and ``plugin.complete``).

A plugin may describe its sub-commands, flags and fixed arguments in ``completion.yaml``
(``name``, ``validArgs``, ``flags``, ``commands`` recursively); a command without sub-commands
may also get dynamic choices from the plugin's executable ``plugin.complete``, which receives the
sub-command path, the words typed (minus Helm's global flags, which set HELM_* instead) and the
word being completed, and prints one choice a line, optionally ending with ``:<directive>``.

`shell_complete` answers ``pilot __complete WORDS… TO_COMPLETE`` the way Cobra does: the
choices, one a line, then ``:<directive>`` on stdout and the directive's name on stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pilothouse.plugin.loader import Plugin

STATIC_FILE = "completion.yaml"
DYNAMIC_EXECUTABLE = "plugin.complete"

# Cobra's ShellCompDirective bits
DEFAULT, ERROR, NO_SPACE, NO_FILE_COMP, FILTER_FILE_EXT, FILTER_DIRS, KEEP_ORDER = 0, 1, 2, 4, 8, 16, 32
_DIRECTIVE_NAMES = [(ERROR, "ShellCompDirectiveError"), (NO_SPACE, "ShellCompDirectiveNoSpace"),
                    (NO_FILE_COMP, "ShellCompDirectiveNoFileComp"),
                    (FILTER_FILE_EXT, "ShellCompDirectiveFilterFileExt"),
                    (FILTER_DIRS, "ShellCompDirectiveFilterDirs"), (KEEP_ORDER, "ShellCompDirectiveKeepOrder")]


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


def directive_name(directive: int) -> str:
    """Cobra's spelling of a directive, e.g. ``ShellCompDirectiveNoFileComp``."""
    if directive == DEFAULT:
        return "ShellCompDirectiveDefault"
    return ", ".join(name for bit, name in _DIRECTIVE_NAMES if directive & bit)


def shell_complete(words: Sequence[str], out: Any = None, err: Any = None) -> int:
    """``pilot __complete WORDS… TO_COMPLETE``: complete plugin commands and their arguments."""
    from pilothouse.cli.plugin_dispatch import cli_plugins

    out = out or sys.stdout
    err = err or sys.stderr
    words = list(words) or [""]
    *typed, to_complete = words
    plugins = cli_plugins()
    choices: list[str] = []
    directive = NO_FILE_COMP
    if not typed:
        from pilothouse.cli.main import COMMANDS

        names = sorted({*COMMANDS, *plugins, "completion", "help"})
        choices = [n for n in names if n.startswith(to_complete)]
    else:
        from pilothouse.plugin.env import HelmSettings
        from pilothouse.plugin.types.cli import split_args

        # global flags may come before the command name
        positional = split_args(typed, HelmSettings())
        name = next((w for w in positional if not w.startswith("-")), "")
        plugin = plugins.get(name)
        if plugin is None:
            directive = DEFAULT  # built-in commands have no completion data here
        else:
            after = list(typed)
            del after[after.index(name)]
            choices, directive = complete_plugin(plugin, name, after, to_complete)  # type: ignore[arg-type]
    for c in choices:
        print(c, file=out)
    print(f":{directive}", file=out)
    print(f"Completion ended with directive: {directive_name(directive)}", file=err)
    return 0
