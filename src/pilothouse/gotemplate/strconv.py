"""The parts of Go's strconv the template parser needs: Unquote, UnquoteChar, number parsing.

Go strings are bytes; a `\\xff` escape makes a string that is not valid UTF-8. Such bytes are
kept as lone surrogates (Python's ``surrogateescape``) so they survive until output.
"""

from __future__ import annotations

import math
import re


class SyntaxErr(ValueError):
    """strconv.ErrSyntax: the text is not a valid Go literal."""

    def __init__(self, msg: str = "invalid syntax") -> None:
        super().__init__(msg)


def quote(s: str) -> str:
    """strconv.Quote (delegates to the shared fmt implementation)."""
    from .gofmt import quote as _quote

    return _quote(s)


_SIMPLE = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}
_HEX = set("0123456789abcdefABCDEF")


def unquote_char(s: str, i: int, quote_ch: str) -> tuple[int, bool, int]:
    """Decode one (possibly escaped) character of `s` at index `i`.

    Returns (value, is_byte, next index); is_byte is True for \\x and octal escapes, which
    stand for a raw byte rather than a rune.
    """
    c = s[i]
    if c == quote_ch and quote_ch in "'\"":
        raise SyntaxErr()
    if c != "\\":
        return ord(c), False, i + 1
    if i + 1 >= len(s):
        raise SyntaxErr()
    c = s[i + 1]
    i += 2
    if c in _SIMPLE:
        if c in "'\"" and c != quote_ch:
            raise SyntaxErr()
        return _SIMPLE[c], False, i
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        digits = s[i : i + n]
        if len(digits) < n or not all(d in _HEX for d in digits):
            raise SyntaxErr()
        v = int(digits, 16)
        if c == "x":
            return v, True, i + n
        if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise SyntaxErr()
        return v, False, i + n
    if "0" <= c <= "7":
        digits = s[i - 1 : i + 2]
        if len(digits) < 3 or not all("0" <= d <= "7" for d in digits):
            raise SyntaxErr()
        v = int(digits, 8)
        if v > 255:
            raise SyntaxErr()
        return v, True, i + 2
    raise SyntaxErr()


def unquote(s: str) -> str:
    """strconv.Unquote for "…" and `…` literals (the lexer guarantees the outer shape)."""
    if len(s) < 2 or s[0] != s[-1]:
        raise SyntaxErr()
    q = s[0]
    body = s[1:-1]
    if q == "`":
        if "`" in body:
            raise SyntaxErr()
        return body.replace("\r", "")
    if q != '"':
        raise SyntaxErr()
    if "\\" not in body:
        if '"' in body or "\n" in body:
            raise SyntaxErr()
        return body
    out = bytearray()
    i = 0
    while i < len(body):
        if body[i] == "\n":
            raise SyntaxErr()
        v, is_byte, i = unquote_char(body, i, '"')
        if is_byte:
            out.append(v)
        else:
            out += chr(v).encode("utf-8", "surrogatepass")
    return out.decode("utf-8", "surrogateescape")


def unquote_rune(text: str) -> int:
    """The value of a Go character constant such as ``'a'`` or ``'\\n'``."""
    body = text[1:]
    v, _, i = unquote_char(body, 0, "'")
    if body[i:] != "'":
        raise SyntaxErr(f"malformed character constant: {text}")
    return v


def _underscore_ok(s: str) -> bool:
    # Go's rule: "_" may only sit between digits, or between a base prefix and a digit.
    if s[:1] in ("+", "-"):
        s = s[1:]
    saw = "^"
    i = 0
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1] in "bBoOxX":
        i, saw, hexa = 2, "0", s[1] in "xX"
    for ch in s[i:]:
        if "0" <= ch <= "9" or (hexa and ch in "abcdefABCDEF"):
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def parse_uint(s: str, bits: int = 64) -> int:
    """strconv.ParseUint(s, 0, bits)."""
    if not s or s[0] in "+-":
        raise SyntaxErr()
    return _parse_unsigned(s, bits)


def _parse_unsigned(s: str, bits: int) -> int:
    if "_" in s and not _underscore_ok(s):
        raise SyntaxErr()
    t = s.replace("_", "")
    base = 10
    if len(t) > 1 and t[0] == "0":
        p = t[1].lower()
        if p == "x":
            base, t = 16, t[2:]
        elif p == "b":
            base, t = 2, t[2:]
        elif p == "o":
            base, t = 8, t[2:]
        else:
            base, t = 8, t[1:]
    if not t:
        raise SyntaxErr()
    valid = "0123456789abcdefABCDEF"[: base if base <= 10 else base + 6]
    if not all(ch in valid for ch in t):
        raise SyntaxErr()
    v = int(t, base)
    if v >= 1 << bits:
        raise SyntaxErr("value out of range")
    return v


def parse_int(s: str, bits: int = 64) -> int:
    """strconv.ParseInt(s, 0, bits)."""
    if not s:
        raise SyntaxErr()
    neg = s[0] == "-"
    body = s[1:] if s[0] in "+-" else s
    v = _parse_unsigned(body, 64 + 1)
    if neg:
        v = -v
    if not -(1 << (bits - 1)) <= v < (1 << (bits - 1)):
        raise SyntaxErr("value out of range")
    return v


_DEC_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_HEX_FLOAT = re.compile(r"^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$")


def parse_float(s: str) -> float:
    """strconv.ParseFloat(s, 64) for the forms a template number can take."""
    if "_" in s:
        if not _underscore_ok(s):
            raise SyntaxErr()
        s = s.replace("_", "")
    m = _HEX_FLOAT.match(s)
    if m:
        sign, ip, fp, exp = m.groups()
        fp = fp or ""
        if not ip and not fp:
            raise SyntaxErr()
        mant = int((ip or "0") + fp, 16)
        v = math.ldexp(float(mant), int(exp) - 4 * len(fp)) if mant else 0.0
        if math.isinf(v):
            raise SyntaxErr("value out of range")
        return -v if sign == "-" else v
    if not _DEC_FLOAT.match(s):
        raise SyntaxErr()
    v = float(s)
    if math.isinf(v):
        raise SyntaxErr("value out of range")
    return v
