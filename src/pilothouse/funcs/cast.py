"""Value conversions as spf13/cast v1.7.0 and Go's strconv perform them.

Sprig converts almost every numeric operand with cast (`add`, `int`, `max`, `slice`
indices ...), so its quirks are visible in charts: a float64 truncates (`int 2.7` = 2),
strings parse with Go's base prefixes (`int "010"` = 8, `int "0x10"` = 16), `"1.0"` is an
integer but `"1.5"` is not, and anything unconvertible is silently 0.
Also here: `to_string`, Sprig's `strval` (what `toString`, `join` and `quote` print).
"""

from __future__ import annotations

import math
import re
from typing import Any

from pilothouse.gotemplate.gotypes import GoObject

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
_U64 = 1 << 64


class CastError(ValueError):
    """A value cannot be converted (cast's `...E` functions return this as an error)."""


def wrap_int64(n: int) -> int:
    """Two's-complement wrap-around of Go's 64-bit integer arithmetic."""
    if INT64_MIN <= n <= INT64_MAX:
        return n
    return (n - INT64_MIN) % _U64 + INT64_MIN


def float_to_int64(f: float) -> int:
    """Go's int64(f): truncation; NaN and out-of-range give the amd64 result (minimum int64)."""
    if f != f or f >= 9.223372036854775807e18 or f < -9.223372036854775808e18:
        return INT64_MIN
    return int(f)


def _lower(c: str) -> str:
    return c.lower() if c.isascii() else c


def underscore_ok(s: str) -> bool:
    """strconv's rule for '_' digit separators (only valid between digits or after a base prefix)."""
    saw = "^"
    i = 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and _lower(s[1]) in "box":
        i = 2
        saw = "0"
        hexa = _lower(s[1]) == "x"
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9" or (hexa and "a" <= _lower(c) <= "f"):
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


_DIGITS = {c: i for i, c in enumerate("0123456789abcdefghijklmnopqrstuvwxyz")}


def parse_uint(s: str, base: int) -> int:
    """strconv.ParseUint(s, base, 64); raises CastError on a syntax or range error."""
    if not s:
        raise CastError("invalid syntax")
    s0 = s
    base0 = base == 0
    if base0:
        base = 10
        if s[0] == "0":
            if len(s) >= 3 and _lower(s[1]) == "b":
                base, s = 2, s[2:]
            elif len(s) >= 3 and _lower(s[1]) == "o":
                base, s = 8, s[2:]
            elif len(s) >= 3 and _lower(s[1]) == "x":
                base, s = 16, s[2:]
            else:
                base, s = 8, s[1:]
    n = 0
    underscores = False
    for c in s:
        if c == "_" and base0:
            underscores = True
            continue
        d = _DIGITS.get(c.lower() if c.isascii() else "", 99)
        if d >= base:
            raise CastError("invalid syntax")
        n = n * base + d
    if underscores and not underscore_ok(s0):
        raise CastError("invalid syntax")
    if n >= _U64:
        raise CastError("value out of range")
    return n


def parse_int(s: str, base: int = 0) -> int:
    """strconv.ParseInt(s, base, 64)."""
    if not s:
        raise CastError("invalid syntax")
    neg = False
    body = s
    if s[0] in "+-":
        neg = s[0] == "-"
        body = s[1:]
    un = parse_uint(body, base) if body else None
    if un is None:
        raise CastError("invalid syntax")
    if not neg and un > INT64_MAX:
        raise CastError("value out of range")
    if neg and un > -INT64_MIN:
        raise CastError("value out of range")
    return -un if neg else un


def atoi(s: str) -> int:
    """strconv.Atoi: decimal only, optional sign."""
    if not re.fullmatch(r"[+-]?[0-9]+", s):
        raise CastError("invalid syntax")
    n = int(s)
    if not INT64_MIN <= n <= INT64_MAX:
        raise CastError("value out of range")
    return n


_DEC_FLOAT = re.compile(r"[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?")
_HEX_FLOAT = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+")
_SPECIAL = {"inf": math.inf, "+inf": math.inf, "-inf": -math.inf, "infinity": math.inf,
            "+infinity": math.inf, "-infinity": -math.inf, "nan": math.nan}


def parse_float(s: str) -> float:
    """strconv.ParseFloat(s, 64); raises CastError on a syntax or range error."""
    special = _SPECIAL.get(s.lower() if s.isascii() else "")
    if special is not None:
        return special
    if _DEC_FLOAT.fullmatch(s):
        digits = s.replace("_", "")
        if "_" in s and not underscore_ok(s):
            raise CastError("invalid syntax")
        if not any(c.isdigit() for c in digits.split("e")[0].split("E")[0]):
            raise CastError("invalid syntax")
        try:
            f = float(digits)
        except ValueError as e:
            raise CastError("invalid syntax") from e
    elif _HEX_FLOAT.fullmatch(s):
        if "_" in s and not underscore_ok(s):
            raise CastError("invalid syntax")
        text = s.replace("_", "")
        sign = -1.0 if text[0] == "-" else 1.0
        text = text.lstrip("+-")
        mant, _, exp = text[2:].replace("P", "p").partition("p")
        if not mant.replace(".", ""):
            raise CastError("invalid syntax")
        try:
            f = sign * float.fromhex("0x" + (mant if not mant.startswith(".") else "0" + mant) + "p" + exp)
        except (ValueError, OverflowError) as e:
            raise CastError("value out of range") from e
    else:
        raise CastError("invalid syntax")
    if math.isinf(f):
        raise CastError("value out of range")
    return f


def trim_zero_decimal(s: str) -> str:
    """cast's trimZeroDecimal: "1.00" → "1", anything else unchanged."""
    found_zero = False
    for i in range(len(s), 0, -1):
        c = s[i - 1]
        if c == ".":
            if found_zero:
                return s[: i - 1]
        elif c == "0":
            found_zero = True
        else:
            return s
    return s


def to_int64_e(v: Any) -> int:
    """cast.ToInt64E: raises CastError where cast returns an error."""
    if v is None or v is False:
        return 0
    if v is True:
        return 1
    if isinstance(v, int):
        return wrap_int64(int(v))
    if isinstance(v, float):
        return float_to_int64(v)
    if isinstance(v, str):
        try:
            return parse_int(trim_zero_decimal(v), 0)
        except CastError as e:
            raise CastError(f"unable to cast {v!r} to int64") from e
    raise CastError(f"unable to cast {type(v).__name__} to int64")


def to_int64(v: Any) -> int:
    """cast.ToInt64 (errors become 0)."""
    try:
        return to_int64_e(v)
    except CastError:
        return 0


def to_int(v: Any) -> int:
    """cast.ToInt: Go's int is 64-bit, so this is ToInt64 with an int result."""
    return to_int64(v)


def to_float64_e(v: Any) -> float:
    """cast.ToFloat64E."""
    if v is None or v is False:
        return 0.0
    if v is True:
        return 1.0
    if isinstance(v, int):
        return float(v)
    if isinstance(v, float):
        return v
    if isinstance(v, str):
        return parse_float(v)
    raise CastError(f"unable to cast {type(v).__name__} to float64")


def to_float64(v: Any) -> float:
    """cast.ToFloat64 (errors become 0)."""
    try:
        return to_float64_e(v)
    except CastError:
        return 0.0


def to_string(v: Any) -> str:
    """Sprig's strval: strings as they are, []byte as text, errors and Stringers by method, else %v."""
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        from pilothouse.funcs.gounicode import from_bytes

        return from_bytes(bytes(v))
    if isinstance(v, BaseException):
        return str(v)
    if isinstance(v, GoObject):
        s = v.go_string()
        if s is not None:
            return s
    from pilothouse.gotemplate.gofmt import format_value

    return format_value(v)
