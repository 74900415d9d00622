"""Running a `pilot` command line the way spf13/cobra runs Helm's.

`execute` finds the command (Cobra's ``Find``: flags stripped, names and aliases matched),
parses the flags with pflag's rules, answers ``--help``, checks the positional arguments with
Helm's validators and calls the command's ``run``. Messages are Cobra's and Helm's, with
``pilot`` in place of ``helm``.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import IO

from pilothouse.cli import command_table
from pilothouse.cli.command_table import CommandInfo
from pilothouse.cli.pflag import Flag, FlagSet, flag_usages, parse_args
from pilothouse.errors import UsageError
from pilothouse.slotrecord import SlotRecord

ROOT_NAME = "pilot"
MIN_NAME_PADDING = 11
# Cobra's own help command
HELP_COMMAND = CommandInfo("help [command]", "Help about any command")


def help_flag(name: str) -> Flag:
    """Cobra's default ``-h, --help`` flag of a command."""
    return Flag("help", "h", "bool", f"help for {name}", "false")


def strip_flags(args: Sequence[str], fs: FlagSet) -> list[str]:
    """Cobra's ``stripFlags``: the words of ``args`` that are not flags or flag values."""
    commands: list[str] = []
    rest = list(args)
    while rest:
        s = rest.pop(0)
        if s == "--":
            break
        takes_value = (s.startswith("--") and "=" not in s and not fs.has_no_opt(s[2:])) or \
            (s.startswith("-") and not s.startswith("--") and "=" not in s and len(s) == 2
             and not fs.short_has_no_opt(s[1:]))
        if takes_value:
            if len(rest) <= 1:
                break
            rest.pop(0)
            continue
        if s and not s.startswith("-"):
            commands.append(s)
    return commands


def args_minus_first(args: Sequence[str], word: str, fs: FlagSet) -> list[str]:
    """Cobra's ``argsMinusFirstX``: ``args`` without the first non-flag occurrence of ``word``."""
    pos = 0
    while pos < len(args):
        s = args[pos]
        if s == "--":
            break
        if (s.startswith("--") and "=" not in s and not fs.has_no_opt(s[2:])) or \
                (s.startswith("-") and not s.startswith("--") and "=" not in s and len(s) == 2
                 and not fs.short_has_no_opt(s[1:])):
            pos += 2
            continue
        if not s.startswith("-") and s == word:
            return list(args[:pos]) + list(args[pos + 1:])
        pos += 1
    return list(args)


def levenshtein(a: str, b: str) -> int:
    """Cobra's ``ld`` with case folding."""
    a, b = a.lower(), b.lower()
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggestions(node: CommandInfo, typed: str, extra: Sequence[str] = ()) -> list[str]:
    """Cobra's ``SuggestionsFor``: available sub-commands within distance 2 or starting with ``typed``."""
    order = {n: i for i, n in enumerate(command_table.REGISTRATION_ORDER)}
    names = sorted((c.name for c in node.children.values() if not c.hidden), key=lambda n: order.get(n, len(order)))
    names += list(extra)
    return [n for n in names if levenshtein(typed, n) <= 2 or n.lower().startswith(typed.lower())]


class Found(SlotRecord):
    """The command Cobra's ``Find`` arrives at."""

    __slots__ = ("path", "node", "args", "plugin")

    def __init__(self, path: list[str], node: CommandInfo, args: list[str], plugin: str = "") -> None:
        self.path = path
        self.node = node
        self.args = args
        self.plugin = plugin


def find(argv: Sequence[str], fs: FlagSet, plugins: Mapping[str, str]) -> Found:
    """Walk the command tree along the non-flag words of ``argv``."""
    node = command_table.ROOT
    path: list[str] = []
    args = list(argv)
    while True:
        words = strip_flags(args, fs)
        if not words:
            break
        nxt = words[0]
        child = node.find_child(nxt)
        if child is None and not path and nxt == "help":
            return Found(["help"], HELP_COMMAND, args_minus_first(args, nxt, fs))
        if child is None and not path:
            child = _listed_only_in_main(nxt)
        if child is None and not path and nxt in plugins:
            return Found([nxt], CommandInfo(nxt, ""), args_minus_first(args, nxt, fs), plugin=nxt)
        if child is None:
            break
        path.append(child.name)
        node = child
        args = args_minus_first(args, nxt, fs)
    if not path:
        words = strip_flags(args, fs)
        if words:
            hint = suggestions(node, words[0], list(plugins))
            text = "".join(f"\t{s}\n" for s in hint)
            raise UsageError(f'unknown command "{words[0]}" for "{ROOT_NAME}"'
                             + (f"\n\nDid you mean this?\n{text}" if hint else "")
                             + f"\nRun '{ROOT_NAME} --help' for usage.")
    return Found(path, node, args)


COMPLETE_COMMANDS = ("__complete", "__completeNoDesc")


def completion_request(argv: Sequence[str]) -> tuple[str, list[str]] | None:
    """Cobra finds its hidden ``__complete`` command like any other, after global flags too
    (``pilot --repository-config F __complete repo remove ''``); the flags before it then
    reach the completion as part of the words typed. Returns (command, words) or None."""
    if not argv:
        return None
    if argv[0] in COMPLETE_COMMANDS:
        return argv[0], list(argv[1:])
    if not argv[0].startswith("-") or not any(a in COMPLETE_COMMANDS for a in argv):
        return None
    from pilothouse.cli import global_flags

    gfs = FlagSet(global_flags.global_flags())
    words = strip_flags(argv, gfs)
    if not words or words[0] not in COMPLETE_COMMANDS:
        return None
    return words[0], args_minus_first(argv, words[0], gfs)


def _listed_only_in_main(word: str) -> CommandInfo | None:
    """A command registered in ``main.COMMANDS`` but not (yet) in the command table."""
    from pilothouse.cli.main import ALIASES, COMMANDS

    name = ALIASES.get(word, word)
    if name not in COMMANDS or name in command_table.ROOT.children:
        return None
    module, short = COMMANDS[name]
    info = CommandInfo(name, short, module=module)
    command_table.ROOT.children[name] = info
    return info


def command_path(path: Sequence[str]) -> str:
    """``pilot repo add``."""
    return " ".join([ROOT_NAME, *path])


def use_line(path: Sequence[str], node: CommandInfo) -> str:
    """Cobra's ``UseLine``: the parent's path, ``Use``, and ``[flags]``."""
    line = " ".join([ROOT_NAME, *path[:-1], node.use]) if path else node.use.replace(node.name, ROOT_NAME, 1)
    return line if "[flags]" in line else line + " [flags]"


def validate_args(path: Sequence[str], node: CommandInfo, args: Sequence[str]) -> None:
    """Helm's ``require`` validators (and Cobra's legacy rule when a command has none)."""
    if node.args is None:
        return
    kind, n = node.args
    where = command_path(path)
    usage = f"\n\nUsage:  {use_line(path, node)}"
    plural = "argument" if n == 1 else "arguments"
    if kind == "none" and args:
        raise UsageError(f'"{where}" accepts no arguments{usage}')
    if kind == "exact" and len(args) != n:
        raise UsageError(f'"{where}" requires {n} {plural}{usage}')
    if kind == "min" and len(args) < n:
        raise UsageError(f'"{where}" requires at least {n} {plural}{usage}')
    if kind == "max" and len(args) > n:
        raise UsageError(f'"{where}" accepts at most {n} {plural}{usage}')


def render_help(path: Sequence[str], node: CommandInfo, local: Sequence[Flag], inherited: Sequence[Flag],
                plugins: Mapping[str, str], *, long: str = "", usage_only: bool = False) -> str:
    """Cobra's default help (and usage) template, filled for one command."""
    out = io.StringIO()
    if not usage_only:
        text = (long or node.short).rstrip()
        if text:
            out.write(text + "\n\n")
    out.write("Usage:")
    children = {c.name: c.short for c in node.children.values() if not c.hidden}
    if not path:
        children.update(plugins)
        children["help"] = "Help about any command"
    if node.runnable:
        out.write("\n  " + use_line(path, node))
    if children:
        out.write(f"\n  {command_path(path)} [command]")
    if node.aliases:
        out.write("\n\nAliases:\n  " + ", ".join([node.name, *node.aliases]))
    if children:
        names = [c.name for c in node.children.values()] + (list(plugins) + ["help"] if not path else [])
        pad = max([MIN_NAME_PADDING, *(len(n) for n in names)])
        out.write("\n\nAvailable Commands:")
        for name in sorted(children):
            out.write(f"\n  {name.ljust(pad)} {children[name]}")
    if local:
        out.write("\n\nFlags:\n" + flag_usages(local).rstrip())
    if inherited and any(not f.hidden for f in inherited):
        out.write("\n\nGlobal Flags:\n" + flag_usages(inherited).rstrip())
    if children:
        out.write(f'\n\nUse "{command_path(path)} [command] --help" for more information about a command.')
    out.write("\n")
    return out.getvalue()


class LazyPlugins(Mapping[str, str]):
    """cli/v1 plugin command -> one-line usage, read from disk the first time it is consulted
    (a built-in command never needs the plugins, so it never pays for finding them)."""

    def __init__(self) -> None:
        self._data: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._data is None:
            self._data = _read_plugin_commands()
        return self._data

    def __getitem__(self, key: str) -> str:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def plugin_commands() -> LazyPlugins:
    """The plugin commands, found when first needed."""
    return LazyPlugins()


def _read_plugin_commands() -> dict[str, str]:
    """cli/v1 plugin command -> its one-line usage (nothing when plugins are off or broken)."""
    try:
        from pilothouse.cli.plugin_dispatch import cli_plugins

        out = {}
        for name, plugin in cli_plugins().items():
            config = plugin.metadata.config  # type: ignore[attr-defined]
            out[name] = config.get("shortHelp") or config.get("usage") or ""
        return out
    except Exception:  # noqa: BLE001 - a broken plugin directory must not break the command line
        return {}


def bad_color(argv: Sequence[str], err: IO[str]) -> bool:
    """Helm's first pass over the global flags, before anything else: an invalid color mode stops
    the program with a log line (even for completion requests)."""
    from pilothouse.cli import global_flags

    # no help flag yet: Helm's early pass stops at --help, as pflag does with an undeclared one
    gfs = FlagSet(global_flags.global_flags())
    early = parse_args(gfs, argv, ignore_unknown=True, partial=True, warn=io.StringIO())
    color = None
    for flag, value in early.values:
        if flag.dest == "color":
            color = value
    if color is not None and color not in ("never", "auto", "always"):
        err.write(f'level=WARN msg="command failed" error="invalid color mode \\"{color}\\": must be one of: '
                  'never, auto, always"\n')
        return True
    return False


def run_line(argv: Sequence[str], out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    """Execute one `pilot` command line; returns the exit code (errors raise `PilothouseError`)."""
    from pilothouse.cli import global_flags

    out = out or sys.stdout
    err = err or sys.stderr
    gflags = global_flags.global_flags()
    # Cobra adds the help flag only to the command it runs: finding the command knows only the globals
    gfs = FlagSet(gflags)
    plugins = plugin_commands()
    found = find(argv, gfs, plugins)
    if found.plugin:
        from pilothouse.cli import plugin_dispatch

        return plugin_dispatch.run_plugin_command(found.plugin, argv)
    if found.path == ["help"]:
        res = parse_args(FlagSet([help_flag("help"), *gflags]), found.args, warn=io.StringIO())
        if res.help or res.args == ["help"]:
            out.write(render_help(["help"], HELP_COMMAND, [help_flag("help")], gflags, plugins,
                                  long=_long_help(["help"])))
            return 0
        return _help_command(res.args, gflags, plugins, out)
    node, path = found.node, found.path
    local: list[Flag] = []
    chain = None
    top = command_table.ROOT.children[path[0]] if path else None
    if node.runnable and top is not None:
        from pilothouse.cli.argparse_bridge import flags_of, parser_chain

        chain = parser_chain(path, top.module)
        local = flags_of(chain[-1], " ".join(path), set(global_flags.GLOBAL_DESTS))
    name = path[-1] if path else ROOT_NAME
    fs = FlagSet([*local, help_flag(name), *gflags])
    warn = io.StringIO()
    res = parse_args(fs, found.args, warn=warn)
    err.write(warn.getvalue())
    shown_local = [*local, help_flag(name)] if path else [*gflags, help_flag(name)]
    inherited = gflags if path else []
    if res.help or not node.runnable:
        out.write(render_help(path, node, shown_local, inherited, plugins, long=_long_help(path)))
        return 0
    if os.environ.get("HELM_DRIVER") == "memory":
        # Cobra's initializers (Helm's loading of HELM_MEMORY_DRIVER_DATA) run before the arguments
        # are checked, for every command
        from pilothouse.release.driver.memory_data import check_files

        check_files()
    validate_args(path, node, res.args)
    from pilothouse.cli.flag_groups import validate_flag_groups

    validate_flag_groups(path, {f.name for f, _ in res.values})
    settings = global_flags.settings_values(gflags, res)
    global_flags.export(res)
    if not res.changed("namespace") and not os.environ.get("HELM_NAMESPACE"):
        settings["namespace"] = None
    for key in ("kube_context", "kubeconfig"):
        if not settings.get(key):
            settings[key] = None
    assert chain is not None
    from pilothouse.cli.argparse_bridge import build_namespace

    ns = build_namespace(chain, path, [(f, v) for f, v in res.values if f.target is not None], res.args, settings)
    ns.command_path = path
    func = getattr(ns, "func", None)
    if func is None:
        raise UsageError(f'"{command_path(path)}" is not available in this build')
    return int(func(ns) or 0)


def _long_help(path: Sequence[str]) -> str:
    from pilothouse.cli.help_text import LONG

    return LONG.get(" ".join(path), "")


def _help_command(args: Sequence[str], gflags: list[Flag], plugins: Mapping[str, str], out: IO[str]) -> int:
    """Cobra's ``help [command]``: the help of the named command, or an unknown-topic note."""
    node = command_table.ROOT
    path: list[str] = []
    words = [a for a in args if not a.startswith("-")]
    for w in words:
        child = node.find_child(w)
        if child is None:
            if not path and w in plugins:
                from pilothouse.cli import plugin_dispatch

                return plugin_dispatch.run_plugin_command(w, [w, "--help"])
            # Cobra prints the note and the root usage with Printf/Usage: both to stderr
            err = sys.stderr
            err.write(f"Unknown help topic [`{' '.join(words)}`]\n")
            err.write(render_help([], command_table.ROOT, [*gflags], [], plugins, usage_only=True))
            return 0
        path.append(child.name)
        node = child
    local: list[Flag] = []
    if node.runnable and path:
        from pilothouse.cli import global_flags
        from pilothouse.cli.argparse_bridge import flags_of, parser_chain

        chain = parser_chain(path, command_table.ROOT.children[path[0]].module)
        local = flags_of(chain[-1], " ".join(path), set(global_flags.GLOBAL_DESTS))
    name = path[-1] if path else ROOT_NAME
    shown = [*local, help_flag(name)] if path else [*gflags, help_flag(name)]
    out.write(render_help(path, node, shown, gflags if path else [], plugins, long=_long_help(path)))
    return 0
