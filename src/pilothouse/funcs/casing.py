"""Case conversions of huandu/xstrings v1.5.0 and Masterminds/goutils v1.1.1.

Sprig's `snakecase`, `kebabcase` and `camelcase` come from xstrings (word splitting on case
changes, numbers and connectors), `swapcase`, `untitle`, `initials` and `nospace` from
goutils. Their rules differ from Python's `str.title`/`str.swapcase` in many details,
which charts that build resource names from values depend on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from pilothouse.funcs.gounicode import (
    from_bytes,
    is_letter,
    is_lower,
    is_number,
    is_punct,
    is_space,
    is_title,
    is_upper,
    to_bytes,
    to_lower,
    to_title,
    to_upper,
)

# --- xstrings --------------------------------------------------------------------------

_INVALID, _NUMBER, _UPPER, _ALPHA, _CONNECTOR, _PUNCT, _OTHER = range(7)


def _is_connector(c: str) -> bool:
    return c == "-" or c == "_" or is_space(c)


def _is_alphabet(c: str) -> bool:
    # Letters, except CJK ideographs (xstrings treats those as words of their own kind).
    if not is_letter(c):
        return False
    o = ord(c)
    if o < 0x3400:
        return True
    if 0x4E00 <= o <= 0x9FCC or 0x3400 <= o <= 0x4D85 or 0x20000 <= o <= 0x2B81D:
        return False
    return True


def _is_bad(c: str) -> bool:
    # utf8.RuneError: an invalid byte (kept as a lone surrogate) or U+FFFD itself.
    return c == "\ufffd" or unicodedata.category(c) == "Cs"


def _next_valid(s: str, i: int, prev: str) -> tuple[str, int]:
    """The next valid rune at or after s[i] and how many chars were consumed to reach past it."""
    size = 0
    while i < len(s):
        c = s[i]
        size += 1
        if not _is_bad(c):
            return c, size
        i += 1
    return prev, size


def _next_word(s: str) -> tuple[int, str, str]:
    if not s:
        return _INVALID, "", ""
    offset = 0
    r, size = _next_valid(s, 0, "\ufffd")
    offset += size
    if r == "\ufffd":
        return _INVALID, s[:offset], s[offset:]
    rem = offset  # index into s where `remaining` starts
    if _is_connector(r):
        wt = _CONNECTOR
        offset = rem = _skip(s, rem, r, _is_connector)
    elif is_punct(r):
        wt = _PUNCT
        offset = rem = _skip(s, rem, r, is_punct)
    elif is_upper(r):
        wt = _UPPER
        if rem < len(s):
            r, size = _next_valid(s, rem, r)
            if is_upper(r):
                prev_size = size
                offset += size
                rem += size
                while rem < len(s):
                    r, size = _next_valid(s, rem, r)
                    if not is_upper(r):
                        break
                    prev_size = size
                    offset += size
                    rem += size
                # "HTTPStatus" splits as "HTTP" + "Status": give the last capital back.
                if rem < len(s) and _is_alphabet(r):
                    offset -= prev_size
                    rem = offset
            elif _is_alphabet(r):
                offset = rem = _skip(s, rem + size, r, _is_lower_alphabet)
    elif _is_alphabet(r):
        wt = _ALPHA
        offset = rem = _skip(s, rem, r, _is_lower_alphabet)
    elif is_number(r):
        wt = _NUMBER
        offset = rem = _skip(s, rem, r, is_number)
    else:
        wt = _OTHER
        offset = rem = _skip(s, rem, r, _is_other)
    return wt, s[:offset], s[rem:]


def _skip(s: str, pos: int, r: str, keep: Callable[[str], bool]) -> int:
    """Where the run of valid runes from `pos` that `keep` accepts ends (`r`: the last rune read)."""
    while pos < len(s):
        r, size = _next_valid(s, pos, r)
        if not keep(r):
            break
        pos += size
    return pos


def _is_lower_alphabet(r: str) -> bool:
    return _is_alphabet(r) and not is_upper(r)


def _is_other(r: str) -> bool:
    return not (_is_connector(r) or _is_alphabet(r) or is_number(r) or is_punct(r))


def _lower_word(out: list[str], wt: int, word: str, connector: str) -> None:
    if wt != _UPPER and wt != _CONNECTOR:
        out.append(word)
        return
    for c in word:
        if _is_connector(c):
            out.append(connector)
        elif is_upper(c):
            out.append(to_lower(c))
        else:
            out.append(c)


def camel_to_lower(s: str, connector: str) -> str:
    """xstrings camelCaseToLowerCase: ToSnakeCase (connector "_") and ToKebabCase ("-")."""
    if not s:
        return ""
    out: list[str] = []
    wt, word, rem = _next_word(s)
    while rem:
        if wt != _CONNECTOR:
            _lower_word(out, wt, word, connector)
        prev, last = wt, word
        wt, word, rem = _next_word(rem)
        if prev == _NUMBER:
            while wt == _ALPHA or wt == _NUMBER:
                _lower_word(out, wt, word, connector)
                wt, word, rem = _next_word(rem)
            if wt not in (_INVALID, _PUNCT, _CONNECTOR):
                out.append(connector)
        elif prev == _CONNECTOR:
            _lower_word(out, prev, last, connector)
        elif prev == _PUNCT:
            pass
        else:
            if wt != _NUMBER:
                if wt != _CONNECTOR and wt != _PUNCT:
                    out.append(connector)
                continue
            if not rem:
                continue
            last = word
            wt, word, rem = _next_word(rem)
            # A number followed by no letters belongs to the previous word ("Bld4Floor" → "bld4_floor").
            if wt != _ALPHA:
                _lower_word(out, _NUMBER, last, connector)
                if wt != _CONNECTOR and wt != _PUNCT:
                    out.append(connector)
                continue
            # Letters after a number start a new word at the number ("HTTP2xx" → "http_2xx").
            out.append(connector)
            _lower_word(out, _NUMBER, last, connector)
            while wt == _ALPHA or wt == _NUMBER:
                _lower_word(out, wt, word, connector)
                wt, word, rem = _next_word(rem)
            if wt not in (_INVALID, _CONNECTOR, _PUNCT):
                out.append(connector)
    _lower_word(out, wt, word, connector)
    return "".join(out)


def to_snake_case(s: str) -> str:
    """xstrings.ToSnakeCase."""
    return camel_to_lower(s, "_")


def to_kebab_case(s: str) -> str:
    """xstrings.ToKebabCase."""
    return camel_to_lower(s, "-")


def _decode_rune(s: str, i: int) -> str:
    c = s[i]
    return "\ufffd" if unicodedata.category(c) == "Cs" else c


def to_camel_case(s: str, big: bool) -> str:
    """xstrings toCamelCase: ToPascalCase when `big`, ToCamelCase otherwise."""
    if not s:
        return ""
    out: list[str] = []
    first_upper = False
    r0 = ""
    i = 0
    n = len(s)
    while i < n:
        r0 = _decode_rune(s, i)
        i += 1
        if not _is_connector(r0):
            first_upper = is_upper(r0)
            r0 = to_upper(r0) if big else to_lower(r0)
            break
        out.append(r0)
    if i >= n:
        # xstrings writes the last rune once more even when it was a connector ("__" → "___").
        out.append(r0)
        return "".join(out)
    while i < n:
        r1 = r0
        r0 = _decode_rune(s, i)
        i += 1
        if _is_connector(r0) and _is_connector(r1):
            out.append(r1)
            continue
        if _is_connector(r1):
            first_upper = is_upper(r0)
            r0 = to_upper(r0)
        else:
            if first_upper:
                if is_upper(r0):
                    r0 = to_lower(r0)
                else:
                    first_upper = False
            out.append(r1)
    if first_upper and not big:
        r0 = to_lower(r0)
    out.append(r0)
    return "".join(out)


# --- goutils ---------------------------------------------------------------------------


def swap_case(s: str) -> str:
    """goutils.SwapCase: lower → title case at a word start, upper elsewhere; upper/title → lower."""
    out = []
    whitespace = True
    for c in s:
        if is_upper(c) or is_title(c):
            out.append(to_lower(c))
            whitespace = False
        elif is_lower(c):
            if whitespace:
                out.append(to_title(c))
                whitespace = False
            else:
                out.append(to_upper(c))
        else:
            out.append(c)
            whitespace = is_space(c)
    return "".join(out)


def uncapitalize(s: str) -> str:
    """goutils.Uncapitalize: lower-case the first rune of every whitespace-separated word."""
    out = []
    next_lower = True
    for c in s:
        if is_space(c):
            next_lower = True
            out.append(c)
        elif next_lower:
            out.append(to_lower(c))
            next_lower = False
        else:
            out.append(c)
    return "".join(out)


def _latin1_space(b: int) -> bool:
    return b in (9, 10, 11, 12, 13, 32, 0x85, 0xA0)


def initials(s: str) -> str:
    """goutils.Initials. It reads the string byte by byte, each byte taken as a Latin-1 rune."""
    if s.isascii():
        out = []
        gap = True
        for c in s:
            if _latin1_space(ord(c)):
                gap = True
            elif gap:
                out.append(c)
                gap = False
        return "".join(out)
    out = []
    gap = True
    for b in to_bytes(s):
        if _latin1_space(b):
            gap = True
        elif gap:
            out.append(chr(b))
            gap = False
    return "".join(out)


def delete_white_space(s: str) -> str:
    """goutils.DeleteWhiteSpace: byte-wise, so bytes 0x85/0xA0 inside UTF-8 count as spaces."""
    if s.isascii():
        return "".join(c for c in s if not _latin1_space(ord(c)))
    raw = to_bytes(s)
    kept = [b for b in raw if not _latin1_space(b)]
    if len(kept) == len(raw):
        return s
    # Each surviving byte is written back as the rune of that value.
    return "".join(chr(b) for b in kept)


def wrap_custom(s: str, width: int, newline: str, wrap_long: bool) -> str:
    """goutils.WrapCustom (byte offsets, words separated by single spaces)."""
    if s == "":
        return ""
    if newline == "":
        newline = "\n"
    if width < 1:
        width = 1
    raw = to_bytes(s)
    nl = to_bytes(newline)
    n = len(raw)
    offset = 0
    out = bytearray()
    while n - offset > width:
        if raw[offset] == 0x20:
            offset += 1
            continue
        end = width + offset + 1
        space_at = raw.rfind(b" ", offset, end)
        if space_at >= offset:
            out += raw[offset:space_at] + nl
            offset = space_at + 1
        elif wrap_long:
            end = width + offset
            out += raw[offset:end] + nl
            offset += width
        else:
            end = width + offset
            idx = raw.find(b" ", end)
            if idx == -1:
                out += raw[offset:]
                offset = n
            else:
                out += raw[offset:idx] + nl
                offset = idx + 1
    out += raw[offset:]
    return from_bytes(bytes(out))
