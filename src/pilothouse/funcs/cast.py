"""Value conversions as spf13/cast v1.7.0 and Go's strconv perform them.

Sprig converts almost every numeric operand with cast (`add`, `int`, `max`, `slice`
indices ...), so its quirks are visible in charts: a float64 truncates (`int 2.7` = 2),
strings parse with Go's base prefixes (`int "010"` = 8, `int "0x10"` = 16), `"1.0"` is an
integer but `"1.5"` is not, and anything unconvertible is silently 0.
Go's strconv parsers (`parse_int`, `atoi`, ...) are re-exported from gotemplate.gostrconv.
Also here: `to_string`, Sprig's `strval` (what `toString`, `join` and `quote` print).
"""

from __future__ import annotations

from typing import Any

from pilothouse.gotemplate.gostrconv import NumError, parse_float, parse_int
from pilothouse.gotemplate.gostrconv import atoi as atoi  # re-exported: cast's callers parse with it
from pilothouse.gotemplate.gotypes import GoObject

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
_U64 = 1 << 64


# cast's errors are strconv's, or made the same way, so one class serves both.
CastError = NumError


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
