"""Go's `strconv`: the one place every package takes Go's number and string literals from.

Formatting: `format_float` is strconv.FormatFloat and `quote` is strconv.Quote, byte for byte
(`format_float_json` is encoding/json's float layout on top of it). Parsing: `parse_int`,
`parse_uint`, `atoi` and `parse_float` accept exactly what Go accepts (base prefixes, `_`
separators, inf/nan) and raise `NumError` with Go's error text; `unquote` reads Go string
and rune literals. Python's
float repr already yields the shortest digit string that round-trips (as Go's Ryu does), and
`%.Ne`/`%.Nf` round the exact binary value half-to-even (as Go's decimal conversion does), so
the work here is laying those digits out the way Go does.

Strings are Python `str`; a byte that is not valid UTF-8 is carried as a lone surrogate
U+DC80..U+DCFF (Python's "surrogateescape"), which is how Go's invalid bytes are kept.
"""

from __future__ import annotations

import math
import re
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


def format_float_json(f: float, bits: int = 64) -> str:
    """A float as Go's encoding/json writes it (the caller rejects NaN and infinities)."""
    a = abs(f)
    use_e = a != 0 and (a < 1e-6 or a >= 1e21)
    text = format_float(f, "e" if use_e else "f", -1, bits)
    if use_e and len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
        # encoding/json writes e-07 as e-7.
        text = text[:-2] + text[-1]
    return text


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


# ---------------------------------------------------------------------------------------------
# unquoting


class NumError(ValueError):
    """A literal Go's strconv refuses; the message is Go's Err text ("invalid syntax", ...)."""

    def __init__(self, msg: str = "invalid syntax") -> None:
        super().__init__(msg)


_ERR_RANGE = "value out of range"
_UNESCAPE = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}
_HEXDIGITS = frozenset("0123456789abcdefABCDEF")


def unquote_char(s: str, i: int, quote_ch: str) -> tuple[int, bool, int]:
    """Decode one (possibly escaped) character of `s` at index `i`.

    Returns (value, is_byte, next index); is_byte is True for \\x and octal escapes, which
    stand for a raw byte rather than a rune.
    """
    c = s[i]
    if c == quote_ch and quote_ch in "'\"":
        raise NumError()
    if c != "\\":
        return ord(c), False, i + 1
    if i + 1 >= len(s):
        raise NumError()
    c = s[i + 1]
    i += 2
    if c in _UNESCAPE:
        if c in "'\"" and c != quote_ch:
            raise NumError()
        return _UNESCAPE[c], False, i
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        digits = s[i : i + n]
        if len(digits) < n or not all(d in _HEXDIGITS for d in digits):
            raise NumError()
        v = int(digits, 16)
        if c == "x":
            return v, True, i + n
        if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise NumError()
        return v, False, i + n
    if "0" <= c <= "7":
        digits = s[i - 1 : i + 2]
        if len(digits) < 3 or not all("0" <= d <= "7" for d in digits):
            raise NumError()
        v = int(digits, 8)
        if v > 255:
            raise NumError()
        return v, True, i + 2
    raise NumError()


def unquote(s: str) -> str:
    """strconv.Unquote for "…" and `…` literals (the lexer guarantees the outer shape)."""
    if len(s) < 2 or s[0] != s[-1]:
        raise NumError()
    q = s[0]
    body = s[1:-1]
    if q == "`":
        if "`" in body:
            raise NumError()
        return body.replace("\r", "")
    if q != '"':
        raise NumError()
    if "\\" not in body:
        if '"' in body or "\n" in body:
            raise NumError()
        return body
    out = bytearray()
    i = 0
    while i < len(body):
        if body[i] == "\n":
            raise NumError()
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
        raise NumError(f"malformed character constant: {text}")
    return v


# ---------------------------------------------------------------------------------------------
# parsing numbers


def underscore_ok(s: str) -> bool:
    """Go's rule for '_' digit separators: only between digits, or after a base prefix."""
    if s[:1] in ("+", "-"):
        s = s[1:]
    saw = "^"  # what came last: ^ start, 0 digit or prefix, _ underscore, ! anything else
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


_DIGIT_VALUE = {c: i for i, c in enumerate("0123456789abcdefghijklmnopqrstuvwxyz")}
_DIGIT_VALUE.update({c.upper(): i for c, i in _DIGIT_VALUE.items() if c.isalpha()})


def parse_uint(s: str, base: int = 0, bits: int = 64) -> int:
    """strconv.ParseUint(s, base, bits); base 0 reads Go's prefixes (0x, 0o, 0b, 0) and '_'."""
    if not s:
        raise NumError()
    s0 = s
    base0 = base == 0
    if base0:
        base = 10
        if s[0] == "0":
            prefix = s[1:2].lower() if len(s) >= 3 else ""
            if prefix in ("b", "o", "x"):
                base, s = {"b": 2, "o": 8, "x": 16}[prefix], s[2:]
            else:
                base, s = 8, s[1:]
    limit = 1 << bits
    n = 0
    underscores = False
    for c in s:
        if c == "_" and base0:
            underscores = True
            continue
        d = _DIGIT_VALUE.get(c, 99)
        if d >= base:
            raise NumError()
        n = n * base + d
        if n >= limit:
            # Go stops at the first digit that overflows: range beats a later syntax error.
            raise NumError(_ERR_RANGE)
    if underscores and not underscore_ok(s0):
        raise NumError()
    return n


def parse_int(s: str, base: int = 0, bits: int = 64) -> int:
    """strconv.ParseInt(s, base, bits): an optional sign, then ParseUint's digits."""
    if not s:
        raise NumError()
    neg = s[0] == "-"
    body = s[1:] if s[0] in "+-" else s
    try:
        n = parse_uint(body, base, 64)
    except NumError as e:
        if str(e) != _ERR_RANGE:
            raise
        n = 1 << 64
    cutoff = 1 << (bits - 1)
    if n > cutoff or (n == cutoff and not neg):
        raise NumError(_ERR_RANGE)
    return -n if neg else n


def atoi(s: str) -> int:
    """strconv.Atoi: ParseInt(s, 10, 64), so decimal digits with an optional sign only."""
    return parse_int(s, 10)


_FLOAT_SPECIAL = {"inf": math.inf, "+inf": math.inf, "-inf": -math.inf, "infinity": math.inf,
                  "+infinity": math.inf, "-infinity": -math.inf, "nan": math.nan}
# Go's readFloat grammar; '_' may stand anywhere in the mantissa and after the exponent's
# first digit, and underscore_ok then decides whether each one separates digits.
_DEC_FLOAT = re.compile(r"[+-]?(?=_*\.?_*[0-9])[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9][0-9_]*)?")
_HEX_FLOAT = re.compile(
    r"[+-]?0[xX](?=_*\.?_*[0-9a-fA-F])[0-9a-fA-F_]*\.?[0-9a-fA-F_]*[pP][+-]?[0-9][0-9_]*")


def parse_float(s: str) -> float:
    """strconv.ParseFloat(s, 64): decimal and hex (0x…p…) floats, inf, infinity and nan."""
    special = _FLOAT_SPECIAL.get(s.lower() if s.isascii() else "")
    if special is not None:
        return special
    hexa = _HEX_FLOAT.fullmatch(s) is not None
    if not hexa and _DEC_FLOAT.fullmatch(s) is None:
        raise NumError()
    if "_" in s:
        if not underscore_ok(s):
            raise NumError()
        s = s.replace("_", "")
    try:
        # Both round the exact value to nearest-even once, as Go does.
        f = float.fromhex(s) if hexa else float(s)
    except OverflowError:
        f = math.inf
    if math.isinf(f):
        raise NumError(_ERR_RANGE)
    return f
