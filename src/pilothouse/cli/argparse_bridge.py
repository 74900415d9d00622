"""The commands describe their flags with argparse (``register(subparsers)``); this module reads
those declarations as pflag flags and fills the ``argparse.Namespace`` each command's ``run``
expects from what `pflag.parse_args` found, so the parsing itself follows pflag, not argparse.
"""

from __future__ import annotations

import argparse
import importlib
import re
from typing import Any

from pilothouse.cli.pflag import Flag, FlagError, go_quote, parse_bool

# flags Helm 4.2 declares deprecated (pkg/cmd/install.go, upgrade.go, rollback.go, template.go), by command
DEPRECATED: dict[str, dict[str, str]] = {
    "install": {"atomic": "use --rollback-on-failure instead", "force": "use --force-replace instead"},
    "upgrade": {"atomic": "use --rollback-on-failure instead", "force": "use --force-replace instead"},
    "rollback": {"force": "use --force-replace instead"},
    "template": {"validate": "use '--dry-run=server' instead",
                 "atomic": "use --rollback-on-failure instead", "force": "use --force-replace instead",
                 "hide-notes": "this flag has no effect for 'helm template' and will be removed in Helm 5",
                 "render-subchart-notes": "this flag has no effect for 'helm template' and will be removed in Helm 5"},
}
HIDDEN: dict[str, set[str]] = {"create": {"chart-api-version"}}

# a usage line for common flags a command declares without one (help output never shows a blank)
FALLBACK_USAGE = {
    "cert-file": "identify the client with this TLS certificate file",
    "key-file": "identify the client with this TLS key file",
    "ca-file": "verify the server's certificate with this CA bundle",
    "insecure-skip-tls-verify": "do not verify the server's TLS certificate",
    "plain-http": "use plain HTTP instead of HTTPS",
    "username": "repository or registry username",
    "password": "repository or registry password",
    "allow-deprecated-repos": "allow adding repositories that have been permanently removed",
    "output": "prints the output in the specified format. Allowed values: table, json, yaml",
    "no-headers": "suppress headers in the output",
    "timeout": "time to wait for the operation to complete",
    "skip-refresh": "do not refresh the local repository cache",
    "verify": "verify the packages against signatures",
    "keyring": "keyring containing public keys",
}

# Helm's own flag value types, named as pflag prints them in help ("-o, --output format")
VALUE_TYPE_NAMES = {"output": "format", "wait": "WaitStrategy", "post-renderer": "postRendererString",
                    "post-renderer-args": "postRendererArgsSlice"}

_DURATION_DEFAULT = re.compile(r"^\d+(h|m|s|ms)(\d+[ms])*$")


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter at a fixed width: nothing it formats is shown (help is Cobra's), and
    asking for the terminal's width would import shutil (and bz2, lzma) in every command."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, 78 if width is None else width)


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting (used only to collect declarations)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        from pilothouse.errors import UsageError

        raise UsageError(message)


def parser_chain(path: list[str], module: str) -> list[argparse.ArgumentParser]:
    """The argparse parsers from the top command down to ``path``'s (imports only ``module``)."""
    top = _Parser(prog="pilot", add_help=False)
    sub = top.add_subparsers(dest="command", parser_class=_Parser)
    importlib.import_module(f"pilothouse.cli.{module}").register(sub)
    chain = [top]
    parser: argparse.ArgumentParser = top
    for word in path:
        child = None
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                child = action.choices.get(word)
        if child is None:
            from pilothouse.errors import UsageError

            raise UsageError(f'"pilot {" ".join(path)}" is not available in this build')
        chain.append(child)
        parser = child
    return chain


def _default_text(value: Any, kind: str) -> str:
    if kind == "bool":
        return "true" if value else "false"
    if value is None or value is argparse.SUPPRESS:
        return "0" if kind in ("int", "uint", "float64", "count") else ("[]" if kind.endswith(("Slice", "Array"))
                                                                        else "")
    if isinstance(value, dict):
        return "[" + ",".join(f"{k}={v}" for k, v in value.items()) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(str(v) for v in value) + "]"
    return str(value)


def _kind(action: argparse.Action) -> str:
    cls = type(action).__name__
    declared = getattr(action.type, "pflag_kind", None) or getattr(action, "pflag_kind", None)
    if declared:
        return str(declared)
    if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
        return "bool"
    if isinstance(action, argparse._CountAction):
        return "count"
    if cls == "_CsvAppend":
        return "stringSlice"
    if cls == "_Labels":
        return "stringToString"
    if isinstance(action, argparse._AppendAction):
        return "stringSlice" if getattr(action.type, "__name__", "") == "_csv" else "stringArray"
    if action.nargs == "?" and action.const is True:
        return "bool"
    if action.type is int:
        return "int"
    if action.type is float:
        return "float64"
    if action.dest == "timeout" or (isinstance(action.default, str) and _DURATION_DEFAULT.match(action.default)
                                    and action.dest.endswith("timeout")):
        return "duration"
    return "string"


def flags_of(parser: argparse.ArgumentParser, command: str, skip: set[str]) -> list[Flag]:
    """The pflag flags an argparse parser declares (help and ``skip`` dests left out)."""
    out: list[Flag] = []
    deprecated = DEPRECATED.get(command, {})
    hidden = HIDDEN.get(command, set())
    for action in parser._actions:
        if not action.option_strings or isinstance(action, argparse._HelpAction) or action.dest in skip:
            continue
        longs = [o[2:] for o in action.option_strings if o.startswith("--")]
        shorts = [o[1:] for o in action.option_strings if not o.startswith("--") and len(o) == 2]
        kind = _kind(action)
        if longs and longs[0] in VALUE_TYPE_NAMES and kind in ("string", "stringArray"):
            kind = VALUE_TYPE_NAMES[longs[0]]
        no_opt = ""
        if action.nargs == "?" and kind != "bool":
            no_opt = str(action.const)
        default = action.default
        if isinstance(action, argparse._StoreFalseAction):
            default = True
        usage = action.help if isinstance(action.help, str) and action.help is not argparse.SUPPRESS else ""
        usage = usage or FALLBACK_USAGE.get(longs[0] if longs else "", "")
        if longs and usage is not argparse.SUPPRESS:
            from pilothouse.cli.helm_flag_usage import helm_usage

            usage = helm_usage(command, longs[0]) or usage
        default_text = _default_text(default, kind)
        if longs and longs[0] == "keyring" and not default_text:
            # Helm shows where it looks by default ($GNUPGHOME or ~/.gnupg)
            from pilothouse.cli.helm_flag_usage import default_keyring

            default_text = default_keyring()
        if kind == "WaitStrategy" and not default_text:
            # commands that follow a release's recorded order by default still show Helm's default
            default_text = "hookOnly"
        for i, name in enumerate(longs or shorts):
            out.append(Flag(name, shorts[0] if shorts and i == 0 and longs else "", kind, usage,
                            default_text, no_opt=no_opt,
                            hidden=name in hidden or action.help is argparse.SUPPRESS,
                            deprecated=deprecated.get(name, ""), dest=action.dest, target=action,
                            validate=getattr(action, "pflag_validate", None)))
    return out


def build_namespace(chain: list[argparse.ArgumentParser], path: list[str], values: list[tuple[Flag, str]],
                    positionals: list[str], settings: dict[str, object]) -> argparse.Namespace:
    """The namespace argparse would have built for this command line."""
    ns = argparse.Namespace()
    for i, parser in enumerate(chain):
        for action in parser._actions:
            if action.dest is argparse.SUPPRESS or action.default is argparse.SUPPRESS:
                continue
            if isinstance(action, argparse._SubParsersAction):
                if i < len(path):
                    setattr(ns, action.dest, path[i])
                continue
            if isinstance(action, argparse._HelpAction):
                continue
            default = action.default
            if isinstance(default, str) and action.type is not None and action.option_strings:
                default = action.type(default)
            if isinstance(default, list):
                default = list(default)
            setattr(ns, action.dest, default)
        for key, value in parser._defaults.items():
            setattr(ns, key, value)
    for key, value in settings.items():
        setattr(ns, key, value)
    leaf = chain[-1]
    for flag, value in values:
        _apply(leaf, ns, flag, value)
    rest = list(positionals)
    for action in leaf._actions:
        if action.option_strings or isinstance(action, argparse._SubParsersAction):
            continue
        if action.nargs in (None, "?", 1):
            if rest:
                item = _positional(action, rest.pop(0))
                setattr(ns, action.dest, [item] if action.nargs == 1 else item)
        elif action.nargs in ("*", "+", argparse.REMAINDER):
            setattr(ns, action.dest, [_positional(action, item) for item in rest])
            rest = []
    return ns


def _positional(action: argparse.Action, value: str) -> Any:
    """A positional argument converted by its declared type (e.g. a revision number)."""
    if action.type is None or action.nargs == argparse.REMAINDER:
        return value
    try:
        return action.type(value)
    except (ValueError, TypeError, argparse.ArgumentTypeError) as err:
        from pilothouse.errors import PilothouseError

        name = (action.metavar if isinstance(action.metavar, str) else action.dest).upper()
        raise PilothouseError(f"invalid {name} {go_quote(value)}: {err}") from None


def _apply(parser: argparse.ArgumentParser, ns: argparse.Namespace, flag: Flag, value: str) -> None:
    action = flag.target
    if action is None:
        return
    option = "--" + flag.name if len(flag.name) > 1 else "-" + flag.name
    if isinstance(action, argparse._StoreTrueAction):
        setattr(ns, action.dest, parse_bool(value))
        return
    if isinstance(action, argparse._StoreFalseAction):
        setattr(ns, action.dest, not parse_bool(value))
        return
    if isinstance(action, argparse._CountAction):
        setattr(ns, action.dest, (getattr(ns, action.dest, 0) or 0) + 1 if value == "+1" else int(value, 0))
        return
    if action.nargs == "?" and flag.no_opt and value == flag.no_opt:
        converted: Any = action.const
    elif action.nargs == "?" and flag.kind == "bool":
        converted = parse_bool(value)
    else:
        try:
            converted = action.type(value) if action.type is not None else value
        except (ValueError, TypeError, argparse.ArgumentTypeError) as err:
            raise FlagError(f"invalid argument {go_quote(value)} for {go_quote(flag.display_name())} flag: "
                            f"{err}") from None
    if action.choices is not None and converted not in action.choices:
        reason = "invalid format type" if action.dest == "output" else \
            f"must be one of: {', '.join(str(c) for c in action.choices)}"
        raise FlagError(f"invalid argument {go_quote(value)} for {go_quote(flag.display_name())} flag: {reason}")
    action(parser, ns, converted, option)
