"""Sprig's string functions (strings.go and the string entries of functions.go).

Lengths and cuts are in bytes as in Go (`trunc 1 "é"` keeps half a character); argument
order puts the subject last so that `"x" | trimSuffix "x"` reads naturally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.funcs import casing
from pilothouse.funcs.cast import to_string
from pilothouse.funcs.gounicode import (
    from_bytes,
    is_letter,
    is_space,
    map_runes,
    to_bytes,
    to_lower,
    to_title,
    to_upper,
    trim_space,
)
from pilothouse.gotemplate.gotypes import FuncError, StrList, StrMap, gofunc


def _blen(s: str) -> int:
    return len(s) if s.isascii() else len(to_bytes(s))


def _bslice(s: str, start: int, end: int | None = None) -> str:
    if s.isascii():
        return s[start:end]
    return from_bytes(to_bytes(s)[start:end])


def _bounds_error(spec: str, length: int | None = None) -> FuncError:
    # Go's runtime panic text for a bad string slice expression.
    if length is None:
        return FuncError(f"runtime error: slice bounds out of range {spec}")
    return FuncError(f"runtime error: slice bounds out of range {spec} with length {length}")


def _go_slice(s: str, start: int | None, end: int | None) -> str:
    """s[start:end] with Go's bounds checks (byte offsets)."""
    n = _blen(s)
    lo = 0 if start is None else start
    hi = n if end is None else end
    if end is not None and hi < 0:
        raise _bounds_error(f"[:{hi}]")
    if end is not None and hi > n:
        raise _bounds_error(f"[:{hi}]", n)
    if start is not None and lo < 0:
        raise _bounds_error(f"[{lo}:]")
    if lo > hi:
        raise _bounds_error(f"[{lo}:{hi}]")
    return _bslice(s, lo, hi)


@gofunc("int", "string")
def abbrev(width: int, s: str) -> str:
    """abbrev: cut to `width` bytes ending in "..." (widths below 4 leave the string alone)."""
    if width < 4:
        return s
    return _abbreviate_full(s, 0, width)


def _abbreviate_full(s: str, offset: int, width: int) -> str:
    # goutils.AbbreviateFull; its errors are swallowed by Sprig (returns "").
    if s == "":
        return ""
    if width < 4:
        return ""
    raw = to_bytes(s)
    n = len(raw)
    if n <= width:
        return s
    if offset > n:
        offset = n
    if n - offset < width - 3:
        offset = n - (width - 3)
    if offset <= 4:
        return from_bytes(raw[: width - 3]) + "..."
    if width < 7:
        return ""
    if offset + width - 3 < n:
        return "..." + _abbreviate_full(from_bytes(raw[offset:]), 0, width - 3)
    return "..." + from_bytes(raw[n - (width - 3):])


@gofunc("int", "int", "string")
def abbrevboth(left: int, right: int, s: str) -> str:
    """abbrevboth: abbreviate at both ends around byte offset `left`, `right` bytes wide."""
    if right < 4 or (left > 0 and right < 7):
        return s
    return _abbreviate_full(s, left, right)


@gofunc("int", "string")
def trunc(c: int, s: str) -> str:
    """trunc: first c bytes, or the last -c bytes when c is negative."""
    n = _blen(s)
    if c < 0 and n + c > 0:
        return _bslice(s, n + c)
    if c >= 0 and n > c:
        return _bslice(s, 0, c)
    return s


@gofunc("string")
def trim(s: str) -> str:
    """strings.TrimSpace."""
    return trim_space(s)


@gofunc("string")
def upper(s: str) -> str:
    """strings.ToUpper."""
    return s.upper() if s.isascii() else map_runes(s, to_upper)


@gofunc("string")
def lower(s: str) -> str:
    """strings.ToLower."""
    return s.lower() if s.isascii() else map_runes(s, to_lower)


def _is_separator(c: str) -> bool:
    # strings.Title's word boundary rule.
    o = ord(c)
    if o <= 0x7F:
        return not (c.isalnum() or c == "_")
    if is_letter(c) or _is_digit(c):
        return False
    return is_space(c)


def _is_digit(c: str) -> bool:
    import unicodedata

    return unicodedata.category(c) == "Nd"


@gofunc("string")
def title(s: str) -> str:
    """strings.Title: title-case every rune that follows a separator; the rest is unchanged."""
    out = []
    prev = " "
    for c in s:
        out.append(to_title(c) if _is_separator(prev) else c)
        prev = c
    return "".join(out)


@gofunc("string")
def untitle(s: str) -> str:
    """goutils.Uncapitalize."""
    return casing.uncapitalize(s)


@gofunc("int", "int", "string")
def substr(start: int, end: int, s: str) -> str:
    """substr: bytes start..end; a negative start means from 0, a negative or too large end means to the end."""
    if start < 0:
        return _go_slice(s, None, end)
    if end < 0 or end > _blen(s):
        return _go_slice(s, start, None)
    return _go_slice(s, start, end)


@gofunc("int", "string")
def repeat(count: int, s: str) -> str:
    """strings.Repeat with the count first."""
    if count < 0:
        raise FuncError("strings: negative Repeat count")
    if count and _blen(s) * count > (1 << 63) - 1:
        raise FuncError("strings: Repeat output length overflow")
    return s * count


def _trim_cutset(a: str, b: str) -> str:
    if b == "" or a == "":
        return b
    return b.strip(a)


@gofunc("string", "string")
def trim_all(a: str, b: str) -> str:
    """strings.Trim(b, a): strip every rune of cutset `a` from both ends of `b`."""
    return _trim_cutset(a, b)


@gofunc("string", "string")
def trim_suffix(a: str, b: str) -> str:
    """strings.TrimSuffix(b, a)."""
    return b.removesuffix(a)


@gofunc("string", "string")
def trim_prefix(a: str, b: str) -> str:
    """strings.TrimPrefix(b, a)."""
    return b.removeprefix(a)


@gofunc("string")
def nospace(s: str) -> str:
    """goutils.DeleteWhiteSpace."""
    return casing.delete_white_space(s)


@gofunc("string")
def initials(s: str) -> str:
    """goutils.Initials."""
    return casing.initials(s)


@gofunc("string")
def swapcase(s: str) -> str:
    """goutils.SwapCase."""
    return casing.swap_case(s)


@gofunc("string")
def snakecase(s: str) -> str:
    """xstrings.ToSnakeCase."""
    return casing.to_snake_case(s)


@gofunc("string")
def camelcase(s: str) -> str:
    """xstrings.ToPascalCase (upper camel case)."""
    return casing.to_camel_case(s, True)


@gofunc("string")
def kebabcase(s: str) -> str:
    """xstrings.ToKebabCase."""
    return casing.to_kebab_case(s)


@gofunc("int", "string")
def wrap(width: int, s: str) -> str:
    """goutils.Wrap: break lines at spaces so they fit `width` bytes; long words stay whole."""
    return casing.wrap_custom(s, width, "", False)


@gofunc("int", "string", "string")
def wrap_with(width: int, sep: str, s: str) -> str:
    """goutils.WrapCustom with a line separator; long words are cut."""
    return casing.wrap_custom(s, width, sep, True)


@gofunc("string", "string")
def contains(sub: str, s: str) -> bool:
    """strings.Contains(s, sub)."""
    return sub in s


@gofunc("string", "string")
def has_prefix(p: str, s: str) -> bool:
    """strings.HasPrefix(s, p)."""
    return s.startswith(p)


@gofunc("string", "string")
def has_suffix(p: str, s: str) -> bool:
    """strings.HasSuffix(s, p)."""
    return s.endswith(p)


@gofunc("interface {}", variadic=True)
def quote(*args: Any) -> str:
    """quote: Go-quote the string form of every non-nil argument, space separated."""
    from pilothouse.gotemplate.gofmt import quote as go_quote

    return " ".join(go_quote(to_string(a)) for a in args if a is not None)


@gofunc("interface {}", variadic=True)
def squote(*args: Any) -> str:
    """squote: wrap the %v form of every non-nil argument in single quotes (no escaping)."""
    from pilothouse.gotemplate.gofmt import format_value

    return " ".join("'" + format_value(a) + "'" for a in args if a is not None)


@gofunc("interface {}", variadic=True)
def cat(*args: Any) -> str:
    """cat: %v of every non-nil argument, space separated."""
    from pilothouse.gotemplate.gofmt import format_value

    return " ".join(format_value(a) for a in args if a is not None)


@gofunc("int", "string")
def indent(spaces: int, v: str) -> str:
    """indent: prefix every line (including an empty last one) with `spaces` spaces."""
    pad = " " * spaces
    return pad + v.replace("\n", "\n" + pad)


@gofunc("int", "string")
def nindent(spaces: int, v: str) -> str:
    """nindent: a newline, then indent."""
    return "\n" + indent(spaces, v)


@gofunc("string", "string", "string")
def replace(old: str, new: str, src: str) -> str:
    """strings.Replace(src, old, new, -1)."""
    return src.replace(old, new)


@gofunc("string", "string", "int")
def plural(one: str, many: str, count: int) -> str:
    """plural: `one` when count is 1, else `many`."""
    return one if count == 1 else many


@gofunc("interface {}")
def to_string_func(v: Any) -> str:
    """toString (Sprig's strval)."""
    return to_string(v)


def go_split(s: str, sep: str, n: int = -1) -> list[str]:
    """strings.SplitN (n < 0: all parts; n == 0: none; an empty sep splits into runes)."""
    if n == 0:
        return []
    if sep == "":
        runes = list(s)
        if n < 0 or n >= len(runes):
            return runes
        return runes[: n - 1] + ["".join(runes[n - 1:])]
    if n < 0:
        return s.split(sep)
    return s.split(sep, n - 1)


def _indexed(parts: list[str]) -> StrMap:
    return StrMap((f"_{i}", p) for i, p in enumerate(parts))


@gofunc("string", "string")
def split(sep: str, orig: str) -> StrMap:
    """split: a map[string]string {"_0": ..., "_1": ...}."""
    return _indexed(go_split(orig, sep))


@gofunc("string", "string")
def split_list(sep: str, orig: str) -> StrList:
    """splitList: strings.Split(orig, sep) as []string."""
    return StrList(go_split(orig, sep))


@gofunc("string", "int", "string")
def splitn(sep: str, n: int, orig: str) -> StrMap:
    """splitn: like split, at most n parts."""
    return _indexed(go_split(orig, sep, n))


def _is_list(v: Any) -> bool:
    return isinstance(v, (list, tuple, bytes, bytearray))


def strslice(v: Any) -> StrList:
    """Sprig's strslice: the strval of every non-nil element; a non-list becomes a 1-element list."""
    if isinstance(v, StrList):
        return v
    if isinstance(v, (bytes, bytearray)):
        # A []byte is a slice of uint8 numbers to reflection.
        return StrList(str(b) for b in v)
    if isinstance(v, (list, tuple)):
        return StrList(to_string(x) for x in v if x is not None)
    if v is None:
        return StrList()
    return StrList([to_string(v)])


@gofunc("interface {}")
def to_strings(v: Any) -> StrList:
    """toStrings."""
    return strslice(v)


@gofunc("string", "interface {}")
def join(sep: str, v: Any) -> str:
    """join: strslice(v) joined with sep."""
    return sep.join(strslice(v))


@gofunc("interface {}")
def sort_alpha(v: Any) -> StrList:
    """sortAlpha: the strings of a list in byte order; any other value gives a 1-element list."""
    if _is_list(v):
        items = list(strslice(v))
        if all(s.isascii() for s in items):
            items.sort()
        else:
            items.sort(key=to_bytes)
        return StrList(items)
    return StrList([to_string(v)])


FUNCS: dict[str, Callable[..., Any]] = {
    "abbrev": abbrev,
    "abbrevboth": abbrevboth,
    "trunc": trunc,
    "trim": trim,
    "upper": upper,
    "lower": lower,
    "title": title,
    "untitle": untitle,
    "substr": substr,
    "repeat": repeat,
    "trimall": trim_all,
    "trimAll": trim_all,
    "trimSuffix": trim_suffix,
    "trimPrefix": trim_prefix,
    "nospace": nospace,
    "initials": initials,
    "swapcase": swapcase,
    "snakecase": snakecase,
    "camelcase": camelcase,
    "kebabcase": kebabcase,
    "wrap": wrap,
    "wrapWith": wrap_with,
    "contains": contains,
    "hasPrefix": has_prefix,
    "hasSuffix": has_suffix,
    "quote": quote,
    "squote": squote,
    "cat": cat,
    "indent": indent,
    "nindent": nindent,
    "replace": replace,
    "plural": plural,
    "toString": to_string_func,
    "split": split,
    "splitList": split_list,
    "splitn": splitn,
    "toStrings": to_strings,
    "join": join,
    "sortAlpha": sort_alpha,
}
