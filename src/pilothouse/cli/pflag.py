"""Flags as spf13/pflag parses them: Go value syntax, GNU-style long and short forms, pflag's errors.

A `Flag` knows its pflag type name (``bool``, ``string``, ``stringArray``, ``stringSlice``,
``int``, ``uint``, ``float32``, ``float64``, ``duration``, ``stringToString``, ``count``);
`parse_args` walks a command line the way ``FlagSet.Parse`` does (interspersed flags and
arguments, ``--`` ends the flags) and returns the flags set, in order, with their raw values,
and the remaining arguments. Values are checked with Go's rules (``strconv``,
``time.ParseDuration``) and kept as the strings the user typed, so the commands see what
they always saw.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Sequence
from typing import IO, Any

from pilothouse.errors import UsageError
from pilothouse.slotrecord import SlotRecord


class FlagError(UsageError):
    """A command line pflag refuses (Helm exits with 1 and prints only ``Error: <message>``)."""


class HelpRequested(Exception):  # noqa: N818 - Cobra's flag.ErrHelp, a signal not a failure
    """``-h``/``--help`` was given."""


def go_quote(text: str) -> str:
    """Go's ``strconv.Quote``."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\a\b\f\n\r\t\v":
            out.append({"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                        "\v": "\\v"}[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif ch == "\ufffd" or not ch.isprintable():
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _rune(c: str) -> str:
    """Go's ``%q`` of a rune: ``'x'``."""
    return "'\\''" if c == "'" else "'" + go_quote(c)[1:-1].replace('\\"', '"') + "'"


def parse_bool(text: str) -> bool:
    """Go's ``strconv.ParseBool``."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError(f"strconv.ParseBool: parsing {go_quote(text)}: invalid syntax")


_INT_BODY = {16: "0123456789abcdefABCDEF", 8: "01234567", 2: "01", 10: "0123456789"}


def _go_int(text: str, func: str, *, signed: bool, bits: int) -> int:
    syntax = ValueError(f"strconv.{func}: parsing {go_quote(text)}: invalid syntax")
    rng = ValueError(f"strconv.{func}: parsing {go_quote(text)}: value out of range")
    s = text
    neg = False
    if signed and s[:1] in ("+", "-"):
        neg = s[0] == "-"
        s = s[1:]
    base = 10
    low = s[:2].lower()
    if low in ("0x", "0o", "0b"):
        base = {"0x": 16, "0o": 8, "0b": 2}[low]
        s = s[2:]
    elif len(s) > 1 and s[0] == "0":
        base = 8
        s = s[1:]
    if not s:
        raise syntax
    if "_" in s:
        if not underscore_ok(text):
            raise syntax
        s = s.replace("_", "")
    if any(c not in _INT_BODY[base] for c in s):
        raise syntax
    value = int(s, base)
    if signed:
        limit = 1 << (bits - 1)
        if (neg and value > limit) or (not neg and value >= limit):
            raise rng
        return -value if neg else value
    if value >= 1 << bits:
        raise rng
    return value


def underscore_ok(text: str) -> bool:
    """Go's ``underscoreOK``: underscores only between digits (a base prefix counts as one).

    The template engine has the same rule (gotemplate.gostrconv); importing it from there would
    load the whole engine on every command line, so the flag parser keeps its own few lines."""
    s = text[1:] if text[:1] in ("+", "-") else text
    saw = "^"
    i = 0
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i, saw, hexa = 2, "0", s[1].lower() == "x"
    while i < len(s):
        c = s[i]
        if c.isascii() and (c.isdigit() or (hexa and c.lower() in "abcdef")):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
        i += 1
    return saw != "_"


def parse_int(text: str, bits: int = 64) -> int:
    """Go's ``strconv.ParseInt(text, 0, bits)``, as pflag's int flags use it."""
    return _go_int(text, "ParseInt", signed=True, bits=bits)


def parse_uint(text: str, bits: int = 64) -> int:
    """Go's ``strconv.ParseUint(text, 0, bits)``."""
    return _go_int(text, "ParseUint", signed=False, bits=bits)


_FLOAT = re.compile(r"[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)", re.IGNORECASE)


def parse_float(text: str, bits: int = 64) -> float:
    """Go's ``strconv.ParseFloat`` (decimal, hex with ``p`` exponent, inf/nan)."""
    syntax = ValueError(f"strconv.ParseFloat: parsing {go_quote(text)}: invalid syntax")
    s = text
    if "_" in s:
        if not underscore_ok(s):
            raise syntax
        s = s.replace("_", "")
    if _FLOAT.fullmatch(s):
        value = float(s)
    elif re.fullmatch(r"[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+", s):
        value = float.fromhex(s)
    else:
        raise syntax
    if value in (float("inf"), float("-inf")) and "inf" not in s.lower():
        raise ValueError(f"strconv.ParseFloat: parsing {go_quote(text)}: value out of range")
    if bits == 32 and abs(value) != float("inf") and abs(value) > 3.4028234663852886e38:
        raise ValueError(f"strconv.ParseFloat: parsing {go_quote(text)}: value out of range")
    return value


_UNITS = {"ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
          "m": 60_000_000_000, "h": 3_600_000_000_000}


def parse_duration(text: str) -> int:
    """Go's ``time.ParseDuration``: nanoseconds, or ValueError with Go's message."""
    invalid = ValueError(f"time: invalid duration {go_quote(text)}")
    s = text
    neg = False
    if s[:1] in ("-", "+"):
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise invalid
    total = 0
    max_ns = (1 << 63) - 1
    while s:
        if not (s[0] == "." or s[0].isdigit() and s[0].isascii()):
            raise invalid
        m = re.match(r"[0-9]*", s)
        assert m is not None
        whole, s = m.group(0), s[m.end():]
        frac = ""
        if s.startswith("."):
            m = re.match(r"[0-9]*", s[1:])
            assert m is not None
            frac, s = m.group(0), s[1 + m.end():]
            if not whole and not frac:
                raise invalid
        elif not whole:
            raise invalid
        i = 0
        while i < len(s) and s[i] != "." and not (s[i].isdigit() and s[i].isascii()):
            i += 1
        unit, s = s[:i], s[i:]
        if not unit:
            raise ValueError(f"time: missing unit in duration {go_quote(text)}")
        if unit not in _UNITS:
            raise ValueError(f"time: unknown unit {go_quote(unit)} in duration {go_quote(text)}")
        scale = _UNITS[unit]
        v = int(whole or "0")
        if v > max_ns // scale:
            raise invalid
        v *= scale
        if frac:
            v += int(int(frac) * scale // 10 ** len(frac))
        total += v
        if total > max_ns + (1 if neg else 0):
            raise invalid
    return -total if neg else total


def format_duration(ns: int) -> str:
    """Go's ``time.Duration.String`` (for defaults such as ``5m0s``)."""
    if ns == 0:
        return "0s"
    neg = ns < 0
    ns = abs(ns)
    if ns < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size:
                text = f"{ns / size:.9f}".rstrip("0").rstrip(".")
                return ("-" if neg else "") + text + unit
    hours, rem = divmod(ns, 3_600_000_000_000)
    minutes, rem = divmod(rem, 60_000_000_000)
    secs = f"{rem / 1e9:.9f}".rstrip("0").rstrip(".")
    out = ""
    if hours:
        out += f"{hours}h"
    if hours or minutes:
        out += f"{minutes}m"
    return ("-" if neg else "") + out + secs + "s"


def parse_csv(text: str) -> list[str]:
    """pflag's string slice: one CSV record (``encoding/csv``), empty text is no item."""
    if text == "":
        return []
    try:
        return next(csv.reader([text], strict=True))
    except (csv.Error, StopIteration) as err:
        raise ValueError(str(err)) from None


def check_value(kind: str, value: str) -> None:
    """Raise ValueError with Go's message when ``value`` is not valid for a flag of ``kind``."""
    if kind == "bool":
        parse_bool(value)
    elif kind in ("int", "int64"):
        parse_int(value)
    elif kind == "int32":
        parse_int(value, 32)
    elif kind in ("uint", "uint64"):
        parse_uint(value)
    elif kind == "float32":
        parse_float(value, 32)
    elif kind == "float64":
        parse_float(value)
    elif kind == "duration":
        parse_duration(value)
    elif kind == "stringSlice":
        parse_csv(value)
    elif kind == "stringToString":
        # no "=" at all names the whole value; exactly one makes one pair; more are CSV fields
        count = value.count("=")
        if count == 0:
            raise ValueError(f"{value} must be formatted as key=value")
        for item in ([value.strip('"')] if count == 1 else parse_csv(value)):
            if "=" not in item:
                raise ValueError(f"{item} must be formatted as key=value")
    elif kind == "count":
        if value != "+1":
            parse_int(value)


class Flag(SlotRecord):
    """One pflag flag."""

    __slots__ = ("name", "shorthand", "kind", "usage", "default", "no_opt", "hidden", "deprecated", "dest", "target",
                 "validate", "annotations")

    def __init__(self, name: str, shorthand: str = "", kind: str = "string", usage: str = "", default: str = "",
                 no_opt: str = "", hidden: bool = False, deprecated: str = "", dest: str = "", target: Any = None,
                 validate: Callable[[str], None] | None = None,
                 annotations: dict[str, list[str]] | None = None) -> None:
        self.name = name
        self.shorthand = shorthand
        self.kind = kind
        self.usage = usage
        self.default = default  # DefValue: the default as pflag prints it
        self.no_opt = no_opt  # NoOptDefVal: the value of ``--flag`` without ``=value``
        self.hidden = hidden
        self.deprecated = deprecated
        self.dest = dest
        self.target = target  # what applies a value (an argparse action for command flags)
        self.validate = validate  # extra check of a value (raises ValueError)
        self.annotations = {} if annotations is None else annotations
        self.__post_init__()

    def __post_init__(self) -> None:
        if self.kind in ("bool", "boolfunc") and not self.no_opt:
            self.no_opt = "true"
        if self.kind == "count" and not self.no_opt:
            self.no_opt = "+1"
        if not self.dest:
            self.dest = self.name.replace("-", "_")

    def display_name(self) -> str:
        """``-n, --namespace`` or ``--name``, as pflag names a flag in a value error."""
        return f"-{self.shorthand}, --{self.name}" if self.shorthand else f"--{self.name}"

    def is_zero_default(self) -> bool:
        """pflag's ``defaultIsZeroValue``: whether the help omits ``(default …)``."""
        d = self.default
        if self.kind in ("bool", "boolfunc"):
            return d == "false"
        if self.kind in ("duration",):
            return d in ("0", "0s")
        if self.kind in ("int", "int32", "int64", "uint", "uint64", "count"):
            return d == "0"
        if self.kind in ("float32", "float64"):
            return d in ("0", "0.0")
        if self.kind in ("stringSlice", "stringArray", "intSlice"):
            return d == "[]"
        if self.kind == "string":
            return d == ""
        # any other value type (StringToString, Helm's own types): pflag's fallback list, so a
        # StringToString's "[]" is shown
        return d in ("", "false", "<nil>", "0")


class FlagSet:
    """The flags one command accepts: its own and those it inherits."""

    def __init__(self, flags: Sequence[Flag] = ()) -> None:
        self.flags: list[Flag] = []
        self.by_name: dict[str, Flag] = {}
        self.by_short: dict[str, Flag] = {}
        for f in flags:
            self.add(f)

    def add(self, flag: Flag) -> None:
        """Register ``flag`` unless a flag of that name exists (the command's own flag wins)."""
        if flag.name in self.by_name:
            return
        self.flags.append(flag)
        self.by_name[flag.name] = flag
        if flag.shorthand and flag.shorthand not in self.by_short:
            self.by_short[flag.shorthand] = flag

    def lookup(self, name: str) -> Flag | None:
        """The flag called ``name`` (long form), if any."""
        return self.by_name.get(name)

    def has_no_opt(self, name: str) -> bool:
        f = self.by_name.get(name)
        return f is not None and f.no_opt != ""

    def short_has_no_opt(self, short: str) -> bool:
        f = self.by_short.get(short)
        return f is not None and f.no_opt != ""


class ParseResult(SlotRecord):
    """What ``FlagSet.Parse`` leaves: the flags set (in order) and the arguments."""

    __slots__ = ("values", "args", "args_len_at_dash", "help")

    def __init__(self, values: list[tuple[Flag, str]] | None = None, args: list[str] | None = None,
                 args_len_at_dash: int = -1, help: bool = False) -> None:  # noqa: A002 - the field's name
        self.values = [] if values is None else values
        self.args = [] if args is None else args
        self.args_len_at_dash = args_len_at_dash
        self.help = help

    def changed(self, name: str) -> bool:
        """Whether the flag called ``name`` was given."""
        return any(f.name == name for f, _ in self.values)

    def last(self, name: str) -> str | None:
        """The last value given to ``name``."""
        found = None
        for f, v in self.values:
            if f.name == name:
                found = v
        return found


def _set(fs: FlagSet, res: ParseResult, flag: Flag, value: str, warn: IO[str]) -> None:
    try:
        check_value(flag.kind, value)
        if flag.validate is not None:
            if getattr(flag.validate, "wants_earlier", False):
                flag.validate(value, [v for f, v in res.values if f is flag])
            else:
                flag.validate(value)
    except ValueError as err:
        raise FlagError(f"invalid argument {go_quote(value)} for {go_quote(flag.display_name())} flag: {err}") from None
    if flag.name == "help":
        res.help = parse_bool(value)
    res.values.append((flag, value))
    if flag.deprecated:
        warn.write(f"Flag --{flag.name} has been deprecated, {flag.deprecated}\n")


def parse_args(fs: FlagSet, argv: Sequence[str], *, warn: IO[str] | None = None,
               ignore_unknown: bool = False, interspersed: bool = True, partial: bool = False) -> ParseResult:
    """Parse ``argv`` as ``pflag.FlagSet.Parse`` does; raises `FlagError` with pflag's message.

    ``warn`` receives the deprecation notices (Cobra prints them only when parsing succeeds,
    so callers pass a buffer). With ``partial``, an error ends the parse quietly and what was
    parsed before it is returned (Helm's early pass over the global flags ignores errors).
    """
    warn = warn if warn is not None else sys.stderr
    res = ParseResult()
    try:
        _parse_into(fs, argv, res, warn, ignore_unknown, interspersed)
    except FlagError:
        if not partial:
            raise
    return res


def _parse_into(fs: FlagSet, argv: Sequence[str], res: ParseResult, warn: IO[str], ignore_unknown: bool,
                interspersed: bool) -> None:
    args = list(argv)
    while args:
        s = args.pop(0)
        if len(s) == 0 or s[0] != "-" or len(s) == 1:
            if not interspersed:
                res.args.append(s)
                res.args.extend(args)
                return
            res.args.append(s)
            continue
        if s[1] == "-":
            if len(s) == 2:
                res.args_len_at_dash = len(res.args)
                res.args.extend(args)
                break
            name = s[2:]
            if name[0] in "-=":
                raise FlagError(f"bad flag syntax: {s}")
            name, eq, value = name.partition("=")
            flag = fs.lookup(name)
            if flag is None:
                if name == "help":
                    # pflag: an undeclared --help ends the parse with ErrHelp
                    res.help = True
                    return
                if ignore_unknown:
                    if not eq and args and not args[0].startswith("-"):
                        args.pop(0)  # pflag's stripUnknownFlagValue
                    continue
                raise FlagError(f"unknown flag: --{name}")
            if eq:
                pass
            elif flag.no_opt:
                value = flag.no_opt
            elif args:
                value = args.pop(0)
            else:
                raise FlagError(f"flag needs an argument: {s}")
            _set(fs, res, flag, value, warn)
            continue
        shorts = s[1:]
        while shorts:
            c = shorts[0]
            rest = shorts[1:]
            flag = fs.by_short.get(c)
            if flag is None:
                if c == "h":
                    res.help = True
                    return
                if ignore_unknown:
                    if len(shorts) > 2 and shorts[1] == "=":
                        break
                    if args and not args[0].startswith("-"):
                        args.pop(0)
                    shorts = rest
                    continue
                raise FlagError(f"unknown shorthand flag: {_rune(c)} in -{shorts}")
            if len(shorts) > 2 and shorts[1] == "=":
                value = shorts[2:]
                rest = ""
            elif flag.no_opt:
                value = flag.no_opt
            elif len(shorts) > 1:
                value = shorts[1:]
                rest = ""
            elif args:
                value = args.pop(0)
            else:
                raise FlagError(f"flag needs an argument: {_rune(c)} in -{shorts}")
            _set(fs, res, flag, value, warn)
            shorts = rest


def flag_usages(flags: Sequence[Flag]) -> str:
    """pflag's ``FlagUsages``: one aligned line per visible flag, sorted by name."""
    lines: list[str] = []
    maxlen = 0
    for f in sorted(flags, key=lambda f: f.name):
        if f.hidden or f.deprecated:
            continue
        line = f"  -{f.shorthand}, --{f.name}" if f.shorthand else f"      --{f.name}"
        varname, usage = unquote_usage(f)
        if varname:
            line += " " + varname
        if f.no_opt:
            if f.kind == "string":
                line += f'[="{f.no_opt}"]'
            elif f.kind in ("bool", "boolfunc"):
                if f.no_opt != "true":
                    line += f"[={f.no_opt}]"
            elif f.kind == "count":
                if f.no_opt != "+1":
                    line += f"[={f.no_opt}]"
            else:
                line += f"[={f.no_opt}]"
        line += "\x00"
        maxlen = max(maxlen, len(line))
        line += usage
        if not f.is_zero_default():
            line += f" (default {go_quote(f.default)})" if f.kind == "string" else f" (default {f.default})"
        lines.append(line)
    out = []
    for line in lines:
        idx = line.index("\x00")
        # Go's Println puts a space either side of the padding
        out.append(line[:idx] + " " + " " * (maxlen - idx) + " " + line[idx + 1:] + "\n")
    return "".join(out)


_TYPE_NAMES = {"bool": "", "boolfunc": "", "func": "value", "float64": "float", "int64": "int", "uint64": "uint",
               "stringSlice": "strings", "intSlice": "ints", "uintSlice": "uints", "boolSlice": "bools"}


def unquote_usage(flag: Flag) -> tuple[str, str]:
    """pflag's ``UnquoteUsage``: a back-quoted word in the usage names the value."""
    usage = flag.usage
    i = usage.find("`")
    if i >= 0:
        j = usage.find("`", i + 1)
        if j >= 0:
            name = usage[i + 1:j]
            return name, usage[:i] + name + usage[j + 1:]
    return _TYPE_NAMES.get(flag.kind, flag.kind), usage


def uint_value(text: str) -> int:
    """An argparse ``type`` for a pflag ``uint`` flag."""
    return parse_uint(text)


uint_value.pflag_kind = "uint"  # type: ignore[attr-defined]
