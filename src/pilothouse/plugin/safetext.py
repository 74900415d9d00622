"""Showing strings a plugin (or any other hostile source) supplied, without letting them act.

A terminal obeys escape sequences: a plugin name, version, URL or host in ``plugin.yaml`` could
clear the screen, move the cursor, set the window title or, with Unicode bidirectional
overrides, reorder what the user reads in an approval prompt. Every such string is shown with
its invisible characters spelled out as escapes (``\\x1b``, ``\\u202e``), so what the user
reads is what the plugin wrote.
"""

from __future__ import annotations

import unicodedata

# categories that never print as themselves: controls, format characters (bidi overrides,
# zero-width joiners, BOM), line/paragraph separators, private use, surrogates, unassigned
_HIDDEN = frozenset(("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"))


def _spell(ch: str) -> str:
    n = ord(ch)
    if n < 0x100:
        return f"\\x{n:02x}"
    if n < 0x10000:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def escape(text: object) -> str:
    """``text`` with every character that would not print as itself spelled as an escape.

    Spaces other than the plain space (no-break, ideographic, ...) are spelled out too, so
    two strings that look the same on screen are shown differently.
    """
    s = str(text)
    if s.isascii() and s.isprintable():
        return s
    out = []
    for ch in s:
        cat = unicodedata.category(ch)
        if cat in _HIDDEN or (cat == "Zs" and ch != " "):
            out.append(_spell(ch))
        else:
            out.append(ch)
    return "".join(out)


def escape_message(text: str) -> str:
    """An error message for the terminal: like `escape`, but its own line breaks and tabs are kept."""
    if text.isascii() and all(c >= " " or c in "\n\t" for c in text) and "\x7f" not in text:
        return text
    return "\n".join("\t".join(escape(part) for part in line.split("\t")) for line in text.split("\n"))
