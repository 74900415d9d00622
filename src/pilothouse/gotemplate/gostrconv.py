"""The parts of Go's `strconv` that `fmt` and the template functions need.

`format_float` is strconv.FormatFloat and `quote` is strconv.Quote, byte for byte. Python's
float repr already yields the shortest digit string that round-trips (as Go's Ryu does), and
`%.Ne`/`%.Nf` round the exact binary value half-to-even (as Go's decimal conversion does), so
the work here is laying those digits out the way Go does.

Strings are Python `str`; a byte that is not valid UTF-8 is carried as a lone surrogate
U+DC80..U+DCFF (Python's "surrogateescape"), which is how Go's invalid bytes are kept.
"""

from __future__ import annotations

import math
import struct

_LOWERHEX = "0123456789abcdef"
_UPPERHEX = "0123456789ABCDEF"


# ---------------------------------------------------------------------------------------------
# floats


_FLT_MAX = 3.4028234663852886e38
_FLT_HALF_ULP_TOP = 2.0**103


def to_float32(x: float) -> float:
    """Round a float64 to the nearest float32 (as Go's float32(x) does), returned as a float."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        # struct refuses values just above the largest float32 that still round down to it.
        if abs(x) < _FLT_MAX + _FLT_HALF_ULP_TOP:
            return math.copysign(_FLT_MAX, x)
        return math.copysign(math.inf, x)


def _shortest_digits(f: float, bitsize: int) -> tuple[str, int]:
    """Shortest round-tripping digits of |f| and the decimal point position.

    The value is 0.DIGITS x 10**dp, DIGITS without trailing zeros ("" for zero).
    """
    if f == 0:
        return "", 0
    if bitsize == 32:
        target = abs(to_float32(f))
        for n in range(1, 10):
            s = f"{target:.{n - 1}e}"
            if to_float32(float(s)) == target:
                break
        return _split_e(s)
    return _split_repr(repr(abs(f)))


def _split_repr(r: str) -> tuple[str, int]:
    exp = 0
    if "e" in r:
        r, e = r.split("e")
        exp = int(e)
    ip, _, fp = r.partition(".")
    digits = ip + fp
    stripped = digits.lstrip("0")
    dp = len(ip) + exp - (len(digits) - len(stripped))
    return stripped.rstrip("0"), dp


def _split_e(s: str) -> tuple[str, int]:
    """Digits and point position of a "%.Ne" rendering (trailing zeros removed)."""
    mant, _, e = s.partition("e")
    digits = mant.replace(".", "").rstrip("0")
    if not digits:
        return "", 0
    return digits, int(e) + 1


def _fmt_e(neg: bool, digits: str, dp: int, prec: int, ch: str) -> str:
    first = digits[0] if digits else "0"
    out = ["-" if neg else "", first]
    if prec > 0:
        frac = digits[1 : 1 + prec]
        out.append(".")
        out.append(frac + "0" * (prec - len(frac)))
    exp = dp - 1 if digits else 0
    sign = "-" if exp < 0 else "+"
    exp = abs(exp)
    out.append(f"{ch}{sign}{exp:02d}")
    return "".join(out)


def _fmt_f(neg: bool, digits: str, dp: int, prec: int) -> str:
    nd = len(digits)
    if dp > 0:
        ip = digits[:dp] + "0" * (dp - nd) if dp > nd else digits[:dp]
    else:
        ip = "0"
    out = ["-" if neg else "", ip]
    if prec > 0:
        frac = []
        for i in range(1, prec + 1):
            j = dp + i - 1
            frac.append(digits[j] if 0 <= j < nd else "0")
        out.append(".")
        out.append("".join(frac))
    return "".join(out)


def _fmt_b(neg: bool, mant: int, exp: int, mantbits: int) -> str:
    exp -= mantbits
    return f"{'-' if neg else ''}{mant}p{'+' if exp >= 0 else '-'}{abs(exp)}"


def _fmt_x(prec: int, ch: str, neg: bool, mant: int, exp: int, mantbits: int) -> str:
    mask = (1 << 64) - 1
    if mant == 0:
        exp = 0
    # Put the leading 1 (if any) at bit 60, as Go does, then round to `prec` hex digits.
    mant = (mant << (60 - mantbits)) & mask
    while mant != 0 and mant & (1 << 60) == 0:
        mant = (mant << 1) & mask
        exp -= 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant = (mant << (60 - shift)) & mask
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    hexd = _UPPERHEX if ch == "X" else _LOWERHEX
    out = ["-" if neg else "", "0", ch, "01"[(mant >> 60) & 1]]
    mant = (mant << 4) & mask
    if prec < 0 and mant != 0:
        out.append(".")
        while mant != 0:
            out.append(hexd[(mant >> 60) & 15])
            mant = (mant << 4) & mask
    elif prec > 0:
        out.append(".")
        for _ in range(prec):
            out.append(hexd[(mant >> 60) & 15])
            mant = (mant << 4) & mask
    out.append("P" if ch == "X" else "p")
    out.append("-" if exp < 0 else "+")
    exp = abs(exp)
    out.append(f"{exp:02d}")
    return "".join(out)


def format_float(f: float, fmt: str = "g", prec: int = -1, bitsize: int = 64) -> str:
    """strconv.FormatFloat: `fmt` is one of 'e','E','f','g','G','b','x','X'; prec -1 = shortest."""
    f = float(f)
    if bitsize == 32:
        f = to_float32(f)
        bits = struct.unpack("<I", struct.pack("<f", f))[0]
        mantbits, expbits, bias = 23, 8, -127
    else:
        bits = struct.unpack("<Q", struct.pack("<d", f))[0]
        mantbits, expbits, bias = 52, 11, -1023
    neg = bits >> (mantbits + expbits) != 0
    exp = (bits >> mantbits) & ((1 << expbits) - 1)
    mant = bits & ((1 << mantbits) - 1)
    if exp == (1 << expbits) - 1:
        if mant != 0:
            return "NaN"
        return "-Inf" if neg else "+Inf"
    if exp == 0:
        exp += 1
    else:
        mant |= 1 << mantbits
    exp += bias
    if fmt == "b":
        return _fmt_b(neg, mant, exp, mantbits)
    if fmt in ("x", "X"):
        return _fmt_x(prec, fmt, neg, mant, exp, mantbits)
    a = abs(f)
    if prec < 0:
        digits, dp = _shortest_digits(f, bitsize)
        nd = len(digits)
        if fmt in ("e", "E"):
            return _fmt_e(neg, digits, dp, max(nd - 1, 0), fmt)
        if fmt == "f":
            return _fmt_f(neg, digits, dp, max(nd - dp, 0))
        if fmt in ("g", "G"):
            return _fmt_g(neg, digits, dp, nd, True, fmt)
        return "%" + fmt
    if fmt in ("e", "E"):
        # Python rounds the exact binary value half-to-even, like Go.
        s = f"{a:.{prec}e}"
        mant_s, _, e = s.partition("e")
        ev = int(e)
        return f"{'-' if neg else ''}{mant_s}{fmt}{'-' if ev < 0 else '+'}{abs(ev):02d}"
    if fmt == "f":
        return ("-" if neg else "") + f"{a:.{prec}f}"
    if fmt in ("g", "G"):
        if prec == 0:
            prec = 1
        digits, dp = _split_e(f"{a:.{prec - 1}e}") if a != 0 else ("", 0)
        return _fmt_g(neg, digits, dp, prec, False, fmt)
    return "%" + fmt


def _fmt_g(neg: bool, digits: str, dp: int, prec: int, shortest: bool, fmt: str) -> str:
    nd = len(digits)
    eprec = prec
    if eprec > nd and nd >= dp:
        eprec = nd
    if shortest:
        eprec = 6
    exp = dp - 1
    if exp < -4 or exp >= eprec:
        if prec > nd:
            prec = nd
        return _fmt_e(neg, digits, dp, prec - 1, "e" if fmt == "g" else "E")
    if prec > dp:
        prec = nd
    return _fmt_f(neg, digits, dp, max(prec - dp, 0))


def format_float_v(f: float) -> str:
    """Go's `%v` of a float64 (FormatFloat(f, 'g', -1, 64)), with fast paths for common values."""
    if -1e6 < f < 1e6:
        if f == int(f):
            if f == 0:
                return "-0" if math.copysign(1.0, f) < 0 else "0"
            return str(int(f))
        if f >= 1e-4 or f <= -1e-4:
            # Python's repr is fixed-point with the same shortest digits in this range.
            return repr(f)
    return format_float(f, "g", -1, 64)


# ---------------------------------------------------------------------------------------------
# quoting


def is_print(r: int) -> bool:
    """strconv.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space."""
    if r < 0x80:
        return 0x20 <= r < 0x7F
    if r > 0x10FFFF or 0xD800 <= r <= 0xDFFF:
        return False
    return chr(r).isprintable()


def _escape_rune(out: list[str], r: int, quote: str, ascii_only: bool) -> None:
    c = chr(r) if 0 <= r <= 0x10FFFF else ""
    if c == quote or c == "\\":
        out.append("\\" + c)
        return
    if ascii_only:
        if r < 0x80 and is_print(r):
            out.append(c)
            return
    elif is_print(r):
        out.append(c)
        return
    esc = _SIMPLE_ESCAPES.get(r)
    if esc is not None:
        out.append(esc)
    elif r < 0x20 or r == 0x7F:
        out.append(f"\\x{r:02x}")
    else:
        if r > 0x10FFFF or 0xD800 <= r <= 0xDFFF or r < 0:
            r = 0xFFFD
        if r < 0x10000:
            out.append(f"\\u{r:04x}")
        else:
            out.append(f"\\U{r:08x}")


_SIMPLE_ESCAPES = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}


def _quote_with(s: str, quote: str, ascii_only: bool) -> str:
    out = [quote]
    for ch in s:
        r = ord(ch)
        if 0xDC80 <= r <= 0xDCFF:
            # A byte that was not valid UTF-8 in Go's string.
            out.append(f"\\x{r - 0xDC00:02x}")
        elif 0xD800 <= r <= 0xDFFF:
            for b in ch.encode("utf-8", "surrogatepass"):
                out.append(f"\\x{b:02x}")
        else:
            _escape_rune(out, r, quote, ascii_only)
    out.append(quote)
    return "".join(out)


def quote(s: str) -> str:
    """strconv.Quote: a double-quoted Go string literal; printable runes are kept as they are."""
    if s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'
    return _quote_with(s, '"', False)


def quote_to_ascii(s: str) -> str:
    """strconv.QuoteToASCII: like `quote` but every non-ASCII rune is escaped."""
    return _quote_with(s, '"', True)


def quote_rune(r: int) -> str:
    """strconv.QuoteRune: a single-quoted Go rune literal (invalid runes become U+FFFD)."""
    if not (0 <= r <= 0x10FFFF) or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    out = ["'"]
    _escape_rune(out, r, "'", False)
    out.append("'")
    return "".join(out)


def quote_rune_to_ascii(r: int) -> str:
    """strconv.QuoteRuneToASCII."""
    if not (0 <= r <= 0x10FFFF) or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    out = ["'"]
    _escape_rune(out, r, "'", True)
    out.append("'")
    return "".join(out)


def can_backquote(s: str) -> bool:
    """strconv.CanBackquote: s can be a raw string literal (no controls but tab, no backquote, no BOM)."""
    for ch in s:
        r = ord(ch)
        if r >= 0x80:
            if r == 0xFEFF or 0xD800 <= r <= 0xDFFF:
                return False
            continue
        if (r < 0x20 and r != 9) or r == 0x60 or r == 0x7F:
            return False
    return True
