"""Go's `strconv` number parsing and formatting, as YAML and JSON code in Go uses them.

Go's shortest float formatting picks the same digits as Python's `repr` (both give the
shortest string that reads back to the same float64), so only the layout differs.
"""

from __future__ import annotations

import math
import re
import struct

_HEX_FLOAT = re.compile(r"[-+]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][-+]?[0-9]+")
_DEC_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = re.compile(r"[-+]?(?:inf|infinity|nan)", re.IGNORECASE)

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1


def parse_int(s: str, *, unsigned: bool = False, bits: int = 64) -> int | None:
    """Go `strconv.ParseInt(s, 0, bits)` (or ParseUint): None where Go returns an error.

    Base 0 means the prefix decides: 0x hex, 0o or a leading 0 octal, 0b binary. Underscores
    are allowed between digits only when there is a base prefix, as in Go.
    """
    body = s
    neg = False
    if not unsigned and body[:1] in ("+", "-"):
        neg = body[0] == "-"
        body = body[1:]
    if not body:
        return None
    base = 10
    prefixed = False
    if body[0] == "0" and len(body) > 1:
        c = body[1].lower()
        if c in "xob":
            base = {"x": 16, "o": 8, "b": 2}[c]
            body = body[2:]
        else:
            base = 8
            body = body[1:]
        prefixed = True
    if "_" in body or (prefixed and "_" in s):
        if not prefixed or not _underscores_ok(s):
            return None
        body = body.replace("_", "")
    if not body:
        return None
    try:
        value = int(body, base)
    except ValueError:
        return None
    if body[0] in "+-" or not body.isalnum():
        return None
    if neg:
        value = -value
    if unsigned:
        return value if value <= (1 << bits) - 1 else None
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return value if lo <= value <= hi else None


def _underscores_ok(s: str) -> bool:
    # Go's rule: '_' must separate digits (or follow the base prefix), never lead or trail.
    t = s[1:] if s[:1] in "+-" else s
    saw = "^"
    i = 0
    if len(t) >= 2 and t[0] == "0" and t[1].lower() in "box":
        i = 2
        saw = "0"
    elif t[:1] == "0":
        saw = "0"
    while i < len(t):
        c = t[i]
        if c.isalnum():
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def parse_float(s: str, bits: int = 64) -> float | None:
    """Go `strconv.ParseFloat(s, bits)`: None where Go returns an error (syntax or overflow)."""
    if _SPECIAL_FLOAT.fullmatch(s):
        low = s.lower().lstrip("+-")
        if low == "nan":
            return math.nan if s[:1] not in "+-" else None
        return -math.inf if s.startswith("-") else math.inf
    text = s
    if "_" in text:
        if not _HEX_FLOAT.fullmatch(text.replace("_", "")) or not _underscores_ok(text):
            return None
        text = text.replace("_", "")
    if _HEX_FLOAT.fullmatch(text):
        value = float.fromhex(text)
    elif _DEC_FLOAT.fullmatch(text):
        value = float(text)
    else:
        return None
    if bits == 32:
        try:
            value = struct.unpack("f", struct.pack("f", value))[0]
        except OverflowError:
            return None
    if math.isinf(value):
        return None
    return value


def _shortest_digits(f: float, bits: int) -> tuple[str, int]:
    """Shortest decimal digits and decimal point position (Go's `digs.d`, `digs.dp`) of |f|."""
    f = abs(f)
    if f == 0:
        return "0", 1
    # (bits == 32: the caller has already rounded f to float32)
    if bits == 64:
        text = repr(f)
    else:
        f32 = f
        text = ""
        for prec in range(1, 18):
            cand = f"{f32:.{prec - 1}e}"
            if struct.unpack("f", struct.pack("f", float(cand)))[0] == f32:
                text = cand
                break
    mant, _, exp = text.partition("e")
    exp_n = int(exp) if exp else 0
    int_part, _, frac = mant.partition(".")
    digits = (int_part + frac).lstrip("0")
    dp = len(int_part) + exp_n
    if int_part.strip("0") == "":
        # 0.000123 style: leading zeros of the fraction move the point left.
        stripped = frac.lstrip("0")
        dp = exp_n - (len(frac) - len(stripped))
        digits = stripped
    digits = digits.rstrip("0") or "0"
    return digits, dp


def format_float(f: float, fmt: str = "g", prec: int = -1, bits: int = 64) -> str:
    """Go `strconv.FormatFloat(f, fmt, prec, bits)` for fmt 'g', 'e' or 'f' and prec -1 (shortest)."""
    if math.isnan(f):
        return "NaN"
    if bits == 32 and not math.isinf(f):
        try:
            f = struct.unpack("f", struct.pack("f", f))[0]
        except OverflowError:
            f = math.copysign(math.inf, f)
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if prec != -1:
        raise ValueError("only the shortest precision is supported")
    neg = f < 0 or (f == 0 and math.copysign(1.0, f) < 0)
    digits, dp = _shortest_digits(f, bits)
    sign = "-" if neg else ""
    if fmt == "g":
        # Shortest %g switches to the exponent form when the exponent is < -4 or >= 6.
        fmt = "e" if digits != "0" and not -4 <= dp - 1 < 6 else "f"
    if fmt == "e":
        exp = dp - 1 if digits != "0" else 0
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        es = "-" if exp < 0 else "+"
        ea = abs(exp)
        return f"{sign}{mant}e{es}{ea:02d}"
    # 'f'
    if dp <= 0:
        return f"{sign}0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return sign + digits + "0" * (dp - len(digits))
    return f"{sign}{digits[:dp]}.{digits[dp:]}"


def format_float_json(f: float, bits: int = 64) -> str:
    """A float as Go's encoding/json writes it (the caller rejects NaN and infinities)."""
    a = abs(f)
    use_e = a != 0 and (a < 1e-6 or a >= 1e21)
    text = format_float(f, "e" if use_e else "f", -1, bits)
    if use_e and len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
        text = text[:-2] + text[-1]
    return text
