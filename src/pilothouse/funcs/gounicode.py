"""Go's view of strings: byte offsets, and the `unicode` package's character classes.

A Go string is a byte sequence that usually holds UTF-8. Sprig's functions index and cut
it by byte (`trunc`, `substr`, `abbrev`), so a cut can fall inside a character. Python
strings hold code points; we keep such broken bytes as lone surrogates (the
``surrogateescape`` error handler), which round-trips them byte-exactly.

Python's `str.isupper`/`str.upper` follow slightly different rules from Go's `unicode`
package (Other_Uppercase, multi-character case mappings), so the predicates here use
the Unicode general category as Go does, and case mappings keep one rune per rune.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

_ENC = "utf-8"
_ERR = "surrogateescape"

# unicode.IsSpace: these for Latin-1, the White_Space property beyond it.
_LATIN1_SPACE = frozenset("\t\n\v\f\r \x85\xa0")


def to_bytes(s: str) -> bytes:
    """The bytes of a Go string held as a Python str."""
    return s.encode(_ENC, _ERR)


def from_bytes(b: bytes) -> str:
    """A Go string (any bytes) as a Python str; invalid UTF-8 survives as lone surrogates."""
    return b.decode(_ENC, _ERR)


def is_ascii(s: str) -> bool:
    """True when byte offsets and character offsets of `s` coincide."""
    return s.isascii()


def is_space(c: str) -> bool:
    """unicode.IsSpace."""
    if ord(c) < 0x100:
        return c in _LATIN1_SPACE
    return c.isspace()


def is_upper(c: str) -> bool:
    """unicode.IsUpper (general category Lu)."""
    return unicodedata.category(c) == "Lu"


def is_lower(c: str) -> bool:
    """unicode.IsLower (general category Ll)."""
    return unicodedata.category(c) == "Ll"


def is_title(c: str) -> bool:
    """unicode.IsTitle (general category Lt)."""
    return unicodedata.category(c) == "Lt"


def is_letter(c: str) -> bool:
    """unicode.IsLetter (general category L*)."""
    return unicodedata.category(c)[0] == "L"


def is_punct(c: str) -> bool:
    """unicode.IsPunct (general category P*)."""
    return unicodedata.category(c)[0] == "P"


def is_number(c: str) -> bool:
    """unicode.IsNumber (general category N*)."""
    return unicodedata.category(c)[0] == "N"


def _single(mapped: str, c: str) -> str:
    # Go's case mappings are rune to rune; Python's full mappings may expand (ß → SS).
    return mapped if len(mapped) == 1 else c


def to_upper(c: str) -> str:
    """unicode.ToUpper of one rune."""
    if c.isascii():
        return c.upper()
    if unicodedata.category(c) == "Cs":
        return c
    return _single(c.upper(), c)


def to_lower(c: str) -> str:
    """unicode.ToLower of one rune."""
    if c.isascii():
        return c.lower()
    if unicodedata.category(c) == "Cs":
        return c
    # U+0130 lowers to "i̇" in Python (two runes); Go gives plain "i".
    if c == "\u0130":
        return "i"
    return _single(c.lower(), c)


def to_title(c: str) -> str:
    """unicode.ToTitle of one rune."""
    if c.isascii():
        return c.upper()
    if unicodedata.category(c) == "Cs":
        return c
    return _single(c.title(), c)


def map_runes(s: str, fn: Callable[[str], str]) -> str:
    """strings.Map with a rune → rune function."""
    return "".join(fn(c) for c in s)


def trim_space(s: str) -> str:
    """strings.TrimSpace."""
    start, end = 0, len(s)
    while start < end and is_space(s[start]):
        start += 1
    while end > start and is_space(s[end - 1]):
        end -= 1
    return s[start:end]
