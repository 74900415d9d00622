"""Helm's rewording of Go template errors, so users see exactly what `helm` prints.

Parse errors become ``parse error at (file:line): msg``; `required`/`fail` messages become
``execution error at (file:line:col): msg``; other execution errors become a trace with one
block per nested `include`. Helm does this by taking Go's error strings apart; we do the same
with the same rules, on the same strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WARN_START = "HELM_ERR_START"
WARN_END = "HELM_ERR_END"
_WARN_RX = re.compile(WARN_START + r"(.*)" + WARN_END, re.S)


def warn_wrap(message: str) -> str:
    """Mark a `required`/`fail` message so it can be found again in Go's error text."""
    return WARN_START + message + WARN_END


def cleanup_parse_error(filename: str, message: str) -> str:
    """Helm's cleanupParseError on Go's ``template: file:line: msg`` text."""
    tokens = message.split(": ")
    if len(tokens) == 1:
        return f"parse error in ({filename}): {message}"
    return f"parse error at ({tokens[1]}): {tokens[-1]}"


@dataclass(frozen=True)
class _Traceable:
    location: str = ""
    message: str = ""
    executed: str = ""

    def __str__(self) -> str:
        out = ""
        if self.location:
            out += f"{self.location}\n  "
        if self.executed:
            out += f"{self.executed}\n    "
        if self.message:
            out += f"{self.message}\n"
        return out


def _parse_exec_string(s: str) -> _Traceable | None:
    prefix = "template: "
    if not s.startswith(prefix):
        return None
    rest = s[len(prefix):]
    if rest.startswith("no template ") and " associated with template " in rest:
        return _Traceable(message=s)
    name, sep, after = rest.partition(": executing ")
    if sep:
        if not after.startswith('"'):
            return None
        end = after.find('"', 1)
        if end < 0:
            return None
        func = after[1:end]
        after_func = after[end + 1:]
        if not after_func.startswith(" at <"):
            return None
        location, sep2, msg = after_func[len(" at <"):].partition(">: ")
        if not sep2:
            return None
        cut = msg.find(" template:")
        if cut >= 0:
            msg = msg[:cut]
        return _Traceable(name, msg, f'executing "{func}" at <{location}>:')
    sep_at = rest.rfind(": ")
    if sep_at >= 0:
        msg = rest[sep_at + 2:]
        cut = msg.find(" template:")
        if cut >= 0:
            msg = msg[:cut]
        return _Traceable(rest[:sep_at], msg)
    return None


def reformat_exec_error(filename: str, chain: list[str]) -> str:
    """Helm's reformatExecErrorMsg.

    ``chain`` is the error and what it wraps, outermost first, as Go's strings (the
    ExecError, the ``error calling F`` wrapper, the function's own error, and so on).
    """
    full = chain[0]
    tokens = full.split(": ", 2)
    if len(tokens) != 3:
        return f"execution error in ({filename}): {full}"
    location = tokens[1]
    m = _WARN_RX.search(tokens[2])
    if m:
        return f"execution error at ({location}): {m.group(1)}"
    blocks: list[_Traceable] = []
    for text in chain:
        tr = _parse_exec_string(text)
        if tr is None:
            return full
        if not blocks or blocks[-1] != tr:
            blocks.append(tr)
    return "".join(str(b) for b in blocks).strip()
