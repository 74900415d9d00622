"""Go's ``os.Expand``: how Helm expands ``$VAR`` in plugin commands and arguments.

Python's ``os.path.expandvars`` differs (it keeps unknown variables, has no special one-character
names), so Helm's rules are written out here: ``$NAME`` and ``${NAME}`` are replaced (unset →
empty), ``$*`` ``$#`` ``$$`` ``$@`` ``$!`` ``$?`` ``$-`` ``$0``-``$9`` are names too, ``${}`` is
dropped, an unterminated ``${`` loses just those two characters, and a ``$`` followed by
anything else is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

_SPECIAL = set("*#$@!?-0123456789")


def _is_alnum(c: str) -> bool:
    return c == "_" or ("0" <= c <= "9") or ("a" <= c <= "z") or ("A" <= c <= "Z")


def _shell_name(s: str) -> tuple[str, int]:
    if s[0] == "{":
        if len(s) > 2 and s[1] in _SPECIAL and s[2] == "}":
            return s[1], 3
        for i in range(1, len(s)):
            if s[i] == "}":
                if i == 1:
                    return "", 2
                return s[1:i], i + 1
        return "", 1
    if s[0] in _SPECIAL:
        return s[0], 1
    i = 0
    while i < len(s) and _is_alnum(s[i]):
        i += 1
    return s[:i], i


def expand(s: str, mapping: Mapping[str, str] | Callable[[str], str]) -> str:
    """Replace ``$var``/``${var}`` in ``s`` the way Go's ``os.Expand`` does."""
    lookup = mapping if callable(mapping) else (lambda k: mapping.get(k, ""))
    buf: list[str] = []
    i = 0
    j = 0
    n = len(s)
    while j < n:
        if s[j] == "$" and j + 1 < n:
            buf.append(s[i:j])
            name, w = _shell_name(s[j + 1:])
            if name == "" and w > 0:
                pass
            elif name == "":
                buf.append(s[j])
            else:
                buf.append(lookup(name))
            j += w
            i = j + 1
        j += 1
    buf.append(s[i:])
    return "".join(buf)
