"""Go's `fmt` printing for the shared value model (see gotypes.py).

`{{ x }}` in a template prints `fmt.Sprint(x)`, `print`/`println` are Sprint/Sprintln and
`printf` is Sprintf, so the bytes of every chart depend on this module. It follows Go's
print.go/format.go closely: width and precision apply to each leaf value (so `%5v` of a list
pads every element), bad verbs print as `%!d(float64=42)`, unused operands as
`%!(EXTRA int=1)`, and map keys are sorted the way internal/fmtsort sorts them.

Go values without a Python twin are modelled in gotypes: a `GoObject` prints through
`go_string()` (Go's Stringer) or as a struct of its `go_fields`; a Python exception is a Go
`error` and prints its message.
"""

from __future__ import annotations

from typing import Any

from pilothouse.gotemplate.gostrconv import (
    can_backquote,
    format_float,
    format_float_v,
    is_print,
    quote,
    quote_rune,
    quote_rune_to_ascii,
    quote_to_ascii,
)
from pilothouse.gotemplate.gotypes import GoObject, Int64, Uint8, Uint64

__all__ = [
    "sprint",
    "sprintln",
    "sprintf",
    "format_value",
    "type_name",
    "kind_name",
    "quote",
    "format_float",
]

_MASK64 = (1 << 64) - 1
_MAX_RUNE = 0x10FFFF
_ERROR_TYPE = "*errors.errorString"
_UNSIGNED = frozenset({"uint8", "uint16", "uint32", "uint64", "uint", "uintptr"})
_INT_KINDS = _UNSIGNED | {"int", "int8", "int16", "int32", "int64"}


class _Flags:
    """The state of one verb: Go's fmtFlags plus width and precision."""

    __slots__ = (
        "wid",
        "prec",
        "wid_present",
        "prec_present",
        "minus",
        "plus",
        "sharp",
        "space",
        "zero",
        "plus_v",
        "sharp_v",
        "erroring",
    )

    def __init__(self) -> None:
        self.clear()
        self.erroring = False

    def clear(self) -> None:
        self.wid = 0
        self.prec = 0
        self.wid_present = False
        self.prec_present = False
        self.minus = False
        self.plus = False
        self.sharp = False
        self.space = False
        self.zero = False
        self.plus_v = False
        self.sharp_v = False


# ---------------------------------------------------------------------------------------------
# type names and kinds


def type_name(v: Any) -> str:
    """Go's `%T` of a value of the shared model (`<nil>` for None)."""
    t = type(v)
    if t is str:
        return "string"
    if t is float:
        return "float64"
    if t is int:
        return "int"
    if t is bool:
        return "bool"
    if v is None:
        return "<nil>"
    if t is complex:
        return "complex128"
    if t is dict:
        return "map[string]interface {}"
    if t is list or t is tuple:
        return "[]interface {}"
    name = getattr(t, "go_type", None)
    if isinstance(name, str):
        return name
    if isinstance(v, BaseException):
        return _ERROR_TYPE
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, (bytes, bytearray)):
        return "[]uint8"
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, (list, tuple)):
        return "[]interface {}"
    if callable(v):
        return "func(...interface {}) (interface {}, error)"
    return t.__name__


def kind_name(v: Any) -> str:
    """Go's reflect.Kind name of a value (what sprig's kindOf prints); "invalid" for None."""
    if v is None:
        return "invalid"
    if isinstance(v, GoObject):
        kind = type(v).go_kind
        if kind == "ptr" or not isinstance(v, (dict, list, str)):
            return kind
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        name = getattr(type(v), "go_type", "int")
        return name if name in _INT_KINDS else "int"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, (list, tuple, bytes, bytearray)):
        return "slice"
    if isinstance(v, BaseException):
        return "ptr"
    if callable(v):
        return "func"
    return "struct"


# ---------------------------------------------------------------------------------------------
# padding and basic formatters (format.go)


def _padding(n: int, f: _Flags) -> str:
    if n <= 0:
        return ""
    return ("0" if f.zero and not f.minus else " ") * n


def _pad(s: str, f: _Flags) -> str:
    if not f.wid_present or f.wid == 0:
        return s
    n = f.wid - len(s)
    if n <= 0:
        return s
    if f.minus:
        return s + " " * n
    return ("0" if f.zero else " ") * n + s


def _pad_nozero(s: str, f: _Flags) -> str:
    if not f.wid_present or f.wid == 0:
        return s
    n = f.wid - len(s)
    if n <= 0:
        return s
    return s + " " * n if f.minus else " " * n + s


def _truncate(s: str, f: _Flags) -> str:
    if f.prec_present and f.prec < len(s):
        return s[: f.prec]
    return s


def _fmt_s(s: str, f: _Flags) -> str:
    return _pad(_truncate(s, f), f)


def _fmt_q(s: str, f: _Flags) -> str:
    s = _truncate(s, f)
    if f.sharp and can_backquote(s):
        return _pad("`" + s + "`", f)
    return _pad(quote_to_ascii(s) if f.plus else quote(s), f)


def _fmt_sbx(data: bytes, upper: bool, f: _Flags) -> str:
    length = len(data)
    if f.prec_present and f.prec < length:
        length = f.prec
    width = 2 * length
    if width > 0:
        if f.space:
            if f.sharp:
                width *= 2
            width += length - 1
        elif f.sharp:
            width += 2
    else:
        return _padding(f.wid, f) if f.wid_present else ""
    prefix = "0X" if upper else "0x"
    parts = []
    if f.wid_present and f.wid > width and not f.minus:
        parts.append(_padding(f.wid - width, f))
    if f.sharp:
        parts.append(prefix)
    hexed = data[:length].hex()
    if upper:
        hexed = hexed.upper()
    if f.space:
        sep = " " + prefix if f.sharp else " "
        parts.append(sep.join(hexed[i : i + 2] for i in range(0, 2 * length, 2)))
    else:
        parts.append(hexed)
    if f.wid_present and f.wid > width and f.minus:
        parts.append(_padding(f.wid - width, f))
    return "".join(parts)


def _to_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _from_bytes(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


_DIGITS = {10: "d", 16: "x", 8: "o", 2: "b"}


def _fmt_integer(u: int, base: int, is_signed: bool, verb: str, upper: bool, f: _Flags) -> str:
    """Go's fmt.fmtInteger; `u` is the value as Go's uint64 holds it."""
    negative = is_signed and u >= 1 << 63
    if negative:
        u = (1 << 64) - u
    prec = 0
    if f.prec_present:
        prec = f.prec
        if prec == 0 and u == 0:
            return " " * f.wid if f.wid_present else ""
    elif f.zero and not f.minus and f.wid_present:
        prec = f.wid
        if negative or f.plus or f.space:
            prec -= 1
    digits = format(u, _DIGITS[base])
    if upper:
        digits = digits.upper()
    if len(digits) < prec:
        digits = "0" * (prec - len(digits)) + digits
    if f.sharp:
        if base == 2:
            digits = "0b" + digits
        elif base == 8:
            if digits[0] != "0":
                digits = "0" + digits
        elif base == 16:
            digits = ("0X" if upper else "0x") + digits
    if verb == "O":
        digits = "0o" + digits
    if negative:
        digits = "-" + digits
    elif f.plus:
        digits = "+" + digits
    elif f.space:
        digits = " " + digits
    return _pad_nozero(digits, f)


def _fmt_unicode(u: int, f: _Flags) -> str:
    prec = 4
    if f.prec_present and f.prec > 4:
        prec = f.prec
    s = "U+" + format(u, "X").rjust(prec, "0")
    if f.sharp and u <= _MAX_RUNE and is_print(u):
        s += " '" + chr(u) + "'"
    return _pad_nozero(s, f)


def _valid_rune(u: int) -> int:
    if u > _MAX_RUNE or 0xD800 <= u <= 0xDFFF:
        return 0xFFFD
    return u


def _fmt_0x64(u: int, leading0x: bool, f: _Flags) -> str:
    sharp = f.sharp
    f.sharp = leading0x
    s = _fmt_integer(u, 16, False, "v", False, f)
    f.sharp = sharp
    return s


def _fmt_float_raw(v: float, size: int, verb: str, prec: int, f: _Flags) -> str:
    """Go's fmt.fmtFloat: signs, NaN/Inf, the '#' flag and zero padding around FormatFloat."""
    if f.prec_present:
        prec = f.prec
    num = format_float(v, verb, prec, size)
    if num[0] != "-" and num[0] != "+":
        num = "+" + num
    if f.space and num[0] == "+" and not f.plus:
        num = " " + num[1:]
    if num[1] == "I" or num[1] == "N":
        if num[1] == "N" and not f.space and not f.plus:
            num = num[1:]
        return _pad_nozero(num, f)
    if f.sharp and verb != "b":
        digits = 0
        if verb in ("v", "g", "G", "x"):
            digits = prec if prec != -1 else 6
        tail = ""
        body = [num[0]]
        has_point = False
        saw_nonzero = False
        i = 1
        while i < len(num):
            c = num[i]
            if c == ".":
                has_point = True
            elif c in "pP" or (c in "eE" and verb not in ("x", "X")):
                tail = num[i:]
                break
            else:
                if c != "0":
                    saw_nonzero = True
                if saw_nonzero:
                    digits -= 1
            body.append(c)
            i += 1
        num = "".join(body)
        if not has_point:
            if len(num) == 2 and num[1] == "0":
                digits -= 1
            num += "."
        if digits > 0:
            num += "0" * digits
        num += tail
    if f.plus or num[0] != "+":
        if f.zero and not f.minus and f.wid_present and f.wid > len(num):
            return num[0] + "0" * (f.wid - len(num)) + num[1:]
        return _pad(num, f)
    return _pad(num[1:], f)


def _fmt_complex(v: complex, verb: str, f: _Flags) -> str:
    """Go's fmtComplex: ``(re+imi)``, each part formatted as a float; the imaginary part signed."""
    if verb not in ("v", "b", "g", "G", "x", "X", "f", "F", "e", "E"):
        return _bad_verb(v, verb, f)
    fverb = {"v": "g", "F": "f"}.get(verb, verb)
    prec = 6 if fverb in ("f", "e", "E") else -1
    old_plus = f.plus
    re_part = _fmt_float_raw(v.real, 64, fverb, prec, f)
    f.plus = True
    im_part = _fmt_float_raw(v.imag, 64, fverb, prec, f)
    f.plus = old_plus
    return "(" + re_part + im_part + "i)"


# ---------------------------------------------------------------------------------------------
# the printer (print.go)


def _bad_verb(v: Any, verb: str, f: _Flags) -> str:
    if v is None:
        return "%!" + verb + "(<nil>)"
    erroring = f.erroring
    f.erroring = True
    inner = _print_arg(v, "v", f)
    f.erroring = erroring
    return "%!" + verb + "(" + type_name(v) + "=" + inner + ")"


def _fmt_bool(v: bool, verb: str, f: _Flags) -> str:
    if verb == "t" or verb == "v":
        return _pad("true" if v else "false", f)
    return _bad_verb(v, verb, f)


def _fmt_int(v: Any, verb: str, f: _Flags) -> str:
    t = type(v)
    is_signed = t is int or t is Int64 or getattr(t, "go_type", "int") not in _UNSIGNED
    u = int(v) & _MASK64
    if verb == "v":
        if f.sharp_v and not is_signed:
            return _fmt_0x64(u, True, f)
        return _fmt_integer(u, 10, is_signed, verb, False, f)
    if verb == "d":
        return _fmt_integer(u, 10, is_signed, verb, False, f)
    if verb == "b":
        return _fmt_integer(u, 2, is_signed, verb, False, f)
    if verb == "o" or verb == "O":
        return _fmt_integer(u, 8, is_signed, verb, False, f)
    if verb == "x":
        return _fmt_integer(u, 16, is_signed, verb, False, f)
    if verb == "X":
        return _fmt_integer(u, 16, is_signed, verb, True, f)
    if verb == "c":
        return _pad(chr(_valid_rune(u)), f)
    if verb == "q":
        r = _valid_rune(u)
        return _pad(quote_rune_to_ascii(r) if f.plus else quote_rune(r), f)
    if verb == "U":
        return _fmt_unicode(u, f)
    return _bad_verb(v, verb, f)


def _fmt_float(v: float, verb: str, f: _Flags) -> str:
    if verb == "v":
        if not (f.wid_present or f.prec_present or f.plus or f.space or f.sharp):
            return format_float_v(v)
        return _fmt_float_raw(v, 64, "g", -1, f)
    if verb in ("b", "g", "G", "x", "X"):
        return _fmt_float_raw(v, 64, verb, -1, f)
    if verb in ("f", "e", "E"):
        return _fmt_float_raw(v, 64, verb, 6, f)
    if verb == "F":
        return _fmt_float_raw(v, 64, "f", 6, f)
    return _bad_verb(v, verb, f)


def _fmt_string(s: str, verb: str, f: _Flags, orig: Any = None) -> str:
    if verb == "v":
        return _fmt_q(s, f) if f.sharp_v else _fmt_s(s, f)
    if verb == "s":
        return _fmt_s(s, f)
    if verb == "x":
        return _fmt_sbx(_to_bytes(s), False, f)
    if verb == "X":
        return _fmt_sbx(_to_bytes(s), True, f)
    if verb == "q":
        return _fmt_q(s, f)
    return _bad_verb(s if orig is None else orig, verb, f)


def _fmt_bytes(b: bytes, verb: str, f: _Flags, type_string: str, depth: int) -> str:
    if verb == "v" or verb == "d":
        if f.sharp_v:
            return type_string + "{" + ", ".join(_fmt_0x64(c, True, f) for c in b) + "}"
        return "[" + " ".join(_fmt_integer(c, 10, False, verb, False, f) for c in b) + "]"
    if verb == "s":
        return _fmt_s(_from_bytes(b), f)
    if verb == "x":
        return _fmt_sbx(b, False, f)
    if verb == "X":
        return _fmt_sbx(b, True, f)
    if verb == "q":
        return _fmt_q(_from_bytes(b), f)
    return _print_list([Uint8(c) for c in b], verb, f, type_string, depth)


def _stringer(v: Any, verb: str, f: _Flags) -> str | None:
    """Go's handleMethods: the Error()/String() text for string-accepting verbs, else None."""
    if f.erroring or f.sharp_v or verb not in ("v", "s", "x", "X", "q"):
        return None
    if isinstance(v, BaseException):
        return _fmt_string(_error_text(v), verb, f)
    if isinstance(v, GoObject):
        s = v.go_string()
        if s is not None:
            return _fmt_string(s, verb, f)
    return None


def _error_text(e: BaseException) -> str:
    text = getattr(e, "go_error", None)
    if callable(text):
        return str(text())
    return str(e)


def _print_arg(arg: Any, verb: str, f: _Flags) -> str:
    """Go's printArg: one operand at the top level."""
    if verb == "T":
        return _pad("<nil>", f) if arg is None else _fmt_s(type_name(arg), f)
    if verb == "p":
        return _bad_verb(None, verb, f) if arg is None else _fmt_pointer(arg, "p", f)
    t = type(arg)
    if t is str:
        return _fmt_string(arg, verb, f)
    if t is int or t is Int64 or t is Uint8 or t is Uint64:
        return _fmt_int(arg, verb, f)
    if t is float:
        return _fmt_float(arg, verb, f)
    if t is complex:
        return _fmt_complex(arg, verb, f)
    if arg is None:
        return _pad("<nil>", f) if verb == "v" else _bad_verb(None, verb, f)
    if t is bool:
        return _fmt_bool(arg, verb, f)
    if t is bytes or t is bytearray:
        return _fmt_bytes(bytes(arg), verb, f, "[]byte", 0)
    s = _stringer(arg, verb, f)
    if s is not None:
        return s
    return _print_value(arg, verb, f, 0)


def _print_value(v: Any, verb: str, f: _Flags, depth: int) -> str:
    """Go's printValue: a value inside a container (depth > 0) or a composite at the top."""
    if depth > 0:
        s = _stringer(v, verb, f)
        if s is not None:
            return s
    if isinstance(v, bool):
        return _fmt_bool(bool(v), verb, f)
    if isinstance(v, int):
        return _fmt_int(v, verb, f)
    if isinstance(v, float):
        return _fmt_float(float(v), verb, f)
    if isinstance(v, complex):
        return _fmt_complex(complex(v), verb, f)
    if isinstance(v, str):
        return _fmt_string(str.__str__(v), verb, f, v)
    if isinstance(v, GoObject) and type(v).go_kind == "ptr" and not isinstance(v, (dict, list)):
        if depth == 0:
            return "&" + _print_struct(v, verb, f, depth + 1)
        return _fmt_pointer(v, verb, f)
    if isinstance(v, dict):
        return _print_map(v, verb, f, depth)
    if isinstance(v, (list, tuple)):
        return _print_list(v, verb, f, type_name(v), depth)
    if isinstance(v, (bytes, bytearray)):
        if verb in ("s", "q", "x", "X"):
            return _fmt_bytes(bytes(v), verb, f, "[]uint8", depth)
        return _print_list([Uint8(c) for c in v], verb, f, "[]uint8", depth)
    if isinstance(v, GoObject):
        return _print_struct(v, verb, f, depth)
    if isinstance(v, BaseException):
        # Go's errors.New value: a pointer to a struct holding the message.
        inner = _print_elem(_error_text(v), verb, f, depth + 1)
        body = ("errors.errorString{s:" if f.sharp_v else "{s:" if f.plus_v else "{") + inner + "}"
        return "&" + body if depth == 0 else _fmt_pointer(v, verb, f)
    if callable(v):
        return _fmt_pointer(v, verb, f)
    return _pad(str(v), f)


def _print_elem(e: Any, verb: str, f: _Flags, depth: int) -> str:
    """An element held in an interface{} slot: nil prints as <nil> whatever the verb."""
    if e is None:
        return "interface {}(nil)" if f.sharp_v else "<nil>"
    return _print_value(e, verb, f, depth)


def _print_list(v: Any, verb: str, f: _Flags, type_string: str, depth: int) -> str:
    if f.sharp_v:
        return type_string + "{" + ", ".join(_print_elem(e, verb, f, depth + 1) for e in v) + "}"
    return "[" + " ".join(_print_elem(e, verb, f, depth + 1) for e in v) + "]"


def _sort_key(k: Any) -> tuple[int, Any]:
    # internal/fmtsort: nil first, then numbers, strings, bools by value.
    if k is None:
        return (0, 0)
    if isinstance(k, bool):
        return (3, k)
    if isinstance(k, (int, float)):
        return (1, k)
    if isinstance(k, str):
        return (2, k)
    return (4, str(k))


def _print_map(m: dict, verb: str, f: _Flags, depth: int) -> str:
    try:
        keys = sorted(m)
    except TypeError:
        keys = sorted(m, key=_sort_key)
    items = [_print_elem(k, verb, f, depth + 1) + ":" + _print_elem(m[k], verb, f, depth + 1) for k in keys]
    if f.sharp_v:
        return type_name(m) + "{" + ", ".join(items) + "}"
    return "map[" + " ".join(items) + "]"


def _print_struct(v: GoObject, verb: str, f: _Flags, depth: int) -> str:
    parts = []
    named = f.plus_v or f.sharp_v
    for name in type(v).go_all_fields or type(v).go_fields:
        value = getattr(v, name, None)
        s = _print_elem(value, verb, f, depth + 1)
        parts.append(name + ":" + s if named else s)
    if f.sharp_v:
        return type_name(v).lstrip("*") + "{" + ", ".join(parts) + "}"
    return "{" + " ".join(parts) + "}"


def _fmt_pointer(v: Any, verb: str, f: _Flags) -> str:
    """%p and pointers inside containers: Go prints a machine address, which no chart can rely on."""
    pointer_like = isinstance(v, (dict, list, tuple, bytes, bytearray, BaseException)) or callable(v)
    if isinstance(v, GoObject) and type(v).go_kind in ("ptr", "map", "slice", "func"):
        pointer_like = True
    if not pointer_like:
        return _bad_verb(v, verb, f)
    u = 0xC000000000 + (id(v) & 0xFFFFFF) * 8
    if verb == "v":
        if f.sharp_v:
            return "(" + type_name(v) + ")(" + _fmt_0x64(u, True, f) + ")"
        return _fmt_0x64(u, not f.sharp, f)
    if verb == "p":
        return _fmt_0x64(u, not f.sharp, f)
    if verb in ("b", "o", "d", "x", "X"):
        base = {"b": 2, "o": 8, "d": 10, "x": 16, "X": 16}[verb]
        return _fmt_integer(u, base, False, verb, verb == "X", f)
    return _bad_verb(v, verb, f)


# ---------------------------------------------------------------------------------------------
# public API


def format_value(v: Any) -> str:
    """`%v` of one value (fmt.Sprint of a single operand); None prints `<nil>`."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if t is float:
        return format_float_v(v)
    if t is bool:
        return "true" if v else "false"
    if v is None:
        return "<nil>"
    if t is Int64:
        return str(int(v))
    return _print_arg(v, "v", _Flags())


def sprint(*args: Any) -> str:
    """fmt.Sprint: operands in their default format, a space between two non-string operands."""
    if len(args) == 1:
        return format_value(args[0])
    out = []
    prev_string = False
    for i, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if i > 0 and not is_string and not prev_string:
            out.append(" ")
        out.append(format_value(arg))
        prev_string = is_string
    return "".join(out)


def sprintln(*args: Any) -> str:
    """fmt.Sprintln: operands separated by spaces, then a newline."""
    return " ".join(format_value(a) for a in args) + "\n"


def _too_large(x: int) -> bool:
    return x > 1_000_000 or x < -1_000_000


def _parsenum(s: str, start: int, end: int) -> tuple[int, bool, int]:
    if start >= end:
        return 0, False, end
    num = 0
    isnum = False
    i = start
    while i < end and "0" <= s[i] <= "9":
        if _too_large(num):
            return 0, False, end
        num = num * 10 + ord(s[i]) - 48
        isnum = True
        i += 1
    return num, isnum, i


def _int_from_arg(a: tuple, arg_num: int) -> tuple[int, bool, int]:
    num, is_int, new_arg_num = 0, False, arg_num
    if arg_num < len(a):
        v = a[arg_num]
        if isinstance(v, int) and not isinstance(v, bool) and not isinstance(v, GoObject):
            num, is_int = int(v), True
            if not -(1 << 63) <= num < (1 << 63):
                num, is_int = 0, False
        new_arg_num = arg_num + 1
        if _too_large(num):
            num, is_int = 0, False
    return num, is_int, new_arg_num


class _State:
    __slots__ = ("reordered", "good_arg_num")

    def __init__(self) -> None:
        self.reordered = False
        self.good_arg_num = True


def _parse_arg_number(fmt: str) -> tuple[int, int, bool]:
    if len(fmt) < 3:
        return 0, 1, False
    for i in range(1, len(fmt)):
        if fmt[i] == "]":
            width, ok, newi = _parsenum(fmt, 1, i)
            if not ok or newi != i:
                return 0, i + 1, False
            return width - 1, i + 1, True
    return 0, 1, False


def _arg_number(st: _State, arg_num: int, fmt: str, i: int, num_args: int) -> tuple[int, int, bool]:
    if len(fmt) <= i or fmt[i] != "[":
        return arg_num, i, False
    st.reordered = True
    index, wid, ok = _parse_arg_number(fmt[i:])
    if ok and 0 <= index < num_args:
        return index, i + wid, True
    st.good_arg_num = False
    return arg_num, i + wid, ok


def sprintf(format: str, *args: Any) -> str:
    """fmt.Sprintf with every verb, flag, width, precision, `*` and `[n]` index Go supports."""
    out: list[str] = []
    f = _Flags()
    st = _State()
    end = len(format)
    arg_num = 0
    after_index = False
    nargs = len(args)
    i = 0
    while i < end:
        st.good_arg_num = True
        j = format.find("%", i)
        if j < 0:
            out.append(format[i:])
            break
        if j > i:
            out.append(format[i:j])
        i = j + 1
        f.clear()
        simple = False
        while i < end:
            c = format[i]
            if c == "#":
                f.sharp = True
            elif c == "0":
                f.zero = True
            elif c == "+":
                f.plus = True
            elif c == "-":
                f.minus = True
            elif c == " ":
                f.space = True
            else:
                if "a" <= c <= "z" and arg_num < nargs:
                    if c == "v":
                        f.sharp_v, f.sharp = f.sharp, False
                        f.plus_v, f.plus = f.plus, False
                    out.append(_print_arg(args[arg_num], c, f))
                    arg_num += 1
                    i += 1
                    simple = True
                break
            i += 1
        if simple:
            continue

        arg_num, i, after_index = _arg_number(st, arg_num, format, i, nargs)

        if i < end and format[i] == "*":
            i += 1
            f.wid, f.wid_present, arg_num = _int_from_arg(args, arg_num)
            if not f.wid_present:
                out.append("%!(BADWIDTH)")
            if f.wid < 0:
                f.wid = -f.wid
                f.minus = True
                f.zero = False
            after_index = False
        else:
            f.wid, f.wid_present, i = _parsenum(format, i, end)
            if after_index and f.wid_present:
                st.good_arg_num = False

        if i + 1 < end and format[i] == ".":
            i += 1
            if after_index:
                st.good_arg_num = False
            arg_num, i, after_index = _arg_number(st, arg_num, format, i, nargs)
            if i < end and format[i] == "*":
                i += 1
                f.prec, f.prec_present, arg_num = _int_from_arg(args, arg_num)
                if f.prec < 0:
                    f.prec = 0
                    f.prec_present = False
                if not f.prec_present:
                    out.append("%!(BADPREC)")
                after_index = False
            else:
                f.prec, f.prec_present, i = _parsenum(format, i, end)
                if not f.prec_present:
                    f.prec = 0
                    f.prec_present = True

        if not after_index:
            arg_num, i, after_index = _arg_number(st, arg_num, format, i, nargs)

        if i >= end:
            out.append("%!(NOVERB)")
            break

        verb = format[i]
        i += 1
        if verb == "%":
            out.append("%")
        elif not st.good_arg_num:
            out.append("%!" + verb + "(BADINDEX)")
        elif arg_num >= nargs:
            out.append("%!" + verb + "(MISSING)")
        else:
            if verb == "v":
                f.sharp_v, f.sharp = f.sharp, False
                f.plus_v, f.plus = f.plus, False
            out.append(_print_arg(args[arg_num], verb, f))
            arg_num += 1

    if not st.reordered and arg_num < nargs:
        f.clear()
        extra = []
        for arg in args[arg_num:]:
            if arg is None:
                extra.append("<nil>")
            else:
                extra.append(type_name(arg) + "=" + _print_arg(arg, "v", f))
        out.append("%!(EXTRA " + ", ".join(extra) + ")")
    return "".join(out)
