"""The few Go formatting verbs that Helm's chart and values messages use (%q, %T, %v, %t)."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from pilothouse.gotemplate.gotypes import Int64

_ESC = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
        "\\": "\\\\", '"': '\\"'}


def go_quote(text: str) -> str:
    """strconv.Quote."""
    out = ['"']
    for ch in text:
        if ch in _ESC:
            out.append(_ESC[ch])
        elif ch == " " or (unicodedata.category(ch)[0] in "LMNPS"):
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def go_type(val: Any) -> str:
    """%T of a value of the shared value model."""
    if val is None:
        return "<nil>"
    if isinstance(val, bool):
        return "bool"
    gotype = getattr(type(val), "go_type", None)
    if isinstance(gotype, str):
        return gotype
    if isinstance(val, int):
        return "int"
    if isinstance(val, float):
        return "float64"
    if isinstance(val, str):
        return "string"
    if isinstance(val, bytes):
        return "[]uint8"
    if isinstance(val, list):
        return "[]interface {}"
    if isinstance(val, dict):
        return "map[string]interface {}"
    return type(val).__name__


def go_float(val: float) -> str:
    """%v of a float64 (shortest digits, %e beyond exponent 21 or below -4)."""
    if math.isnan(val):
        return "NaN"
    if math.isinf(val):
        return "+Inf" if val > 0 else "-Inf"
    if val == 0:
        return "-0" if math.copysign(1, val) < 0 else "0"
    from decimal import Decimal

    sign_bit, digit_tuple, exponent = Decimal(repr(val)).as_tuple()
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    e10 = len(digits) + int(exponent) - 1
    digits = digits.rstrip("0") or "0"
    sign = "-" if sign_bit else ""
    if e10 < -4 or e10 >= 21:
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{m}e{'-' if e10 < 0 else '+'}{abs(e10):02d}"
    if e10 < 0:
        return f"{sign}0.{'0' * (-e10 - 1)}{digits}"
    if len(digits) <= e10 + 1:
        return sign + digits + "0" * (e10 + 1 - len(digits))
    return f"{sign}{digits[:e10 + 1]}.{digits[e10 + 1:]}"


def go_value(val: Any) -> str:
    """%v of a value of the shared value model."""
    if val is None:
        return "<nil>"
    if isinstance(val, bool):
        return "true" if val else "false"
    if isinstance(val, float):
        return go_float(val)
    if isinstance(val, int):
        return str(int(val))
    if isinstance(val, list):
        return "[" + " ".join(go_value(v) for v in val) + "]"
    if isinstance(val, dict):
        return "map[" + " ".join(f"{k}:{go_value(val[k])}" for k in sorted(val)) + "]"
    return str(val)


def go_bool_verb(val: Any) -> str:
    """%t: booleans print, anything else prints as Go's bad-verb notation."""
    if isinstance(val, bool):
        return "true" if val else "false"
    if val is None:
        return "%!t(<nil>)"
    if isinstance(val, list):
        return "[" + " ".join(go_bool_verb(v) for v in val) + "]"
    if isinstance(val, dict):
        return "map[" + " ".join(f"%!t(string={k}):{go_bool_verb(val[k])}" for k in sorted(val)) + "]"
    return f"%!t({go_type(val)}={go_value(val)})"


__all__ = ["Int64", "go_bool_verb", "go_float", "go_quote", "go_type", "go_value"]
