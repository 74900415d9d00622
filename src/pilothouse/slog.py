"""Helm 4's log lines: Go's log/slog text handler on stderr, without the time attribute.

Helm logs an error at the point an action fails (`level=ERROR msg="release name check failed"
error="..."`) before the command prints `Error: ...`, and debug lines only under `--debug`.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _needs_quoting(s: str) -> bool:
    if not s:
        return True
    return any(ch in ' ="' or not ch.isprintable() for ch in s)


def _go_quote(s: str) -> str:
    """strconv.Quote for the characters log lines carry."""
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif not ch.isprintable():
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x80 else (f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        text = "true" if v else "false"
    elif v is None:
        text = "<nil>"
    else:
        text = str(v)
    return _go_quote(text) if _needs_quoting(text) else text


def line(level: str, msg: str, **attrs: Any) -> str:
    """One record as the text handler formats it (no trailing newline)."""
    parts = [f"level={level}", f"msg={_value(msg)}"]
    parts.extend(f"{k}={_value(v)}" for k, v in attrs.items())
    return " ".join(parts)


_TRUE = ("1", "t", "true", "yes")


def debug_enabled() -> bool:
    """--debug (or HELM_DEBUG) was given: the flag wins over the variable, as in Helm."""
    for arg in sys.argv[1:]:
        if arg == "--":
            break
        if arg == "--debug":
            return True
        if arg.startswith("--debug="):
            return arg.split("=", 1)[1].lower() in _TRUE
    return os.environ.get("HELM_DEBUG", "").lower() in _TRUE


def error(msg: str, **attrs: Any) -> None:
    """An ERROR record on stderr."""
    print(line("ERROR", msg, **attrs), file=sys.stderr, flush=True)


def warn(msg: str, **attrs: Any) -> None:
    """A WARN record on stderr."""
    print(line("WARN", msg, **attrs), file=sys.stderr, flush=True)


def debug(msg: str, **attrs: Any) -> None:
    """A DEBUG record on stderr, only under --debug."""
    if debug_enabled():
        print(line("DEBUG", msg, **attrs), file=sys.stderr, flush=True)
