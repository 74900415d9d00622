"""text/template's builtin functions (and, or, not, len, index, slice, print*, html, js,
urlquery, call, eq, ne, lt, le, gt, ge), with Go's signatures and error texts.

Parameters declared ``reflect.Value`` receive values untouched, including the runtime's
NOVALUE (Go's invalid value), because these builtins tell nil and invalid apart as Go does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .gotypes import FuncError, GoObject, Uint8, gofunc
from .runtime import NOVALUE, fmt_v, map_types, map_zero, type_name

R = "reflect.Value"


def _indirect_iface(v: Any) -> Any:
    # A nil interface holds no value: Go's indirectInterface turns it into the invalid value.
    return NOVALUE if v is None else v


# -- and / or / not (and/or short-circuit in the compiler; these run via `call` etc.) ----------


@gofunc(R, R, variadic=True)
def and_(arg0: Any, *args: Any) -> Any:
    """Go's `and`: the first falsy argument, else the last."""
    for a in (arg0, *args):
        if not a:
            return a
    return a


@gofunc(R, R, variadic=True)
def or_(arg0: Any, *args: Any) -> Any:
    """Go's `or`: the first truthy argument, else the last."""
    for a in (arg0, *args):
        if a:
            return a
    return a


@gofunc(R)
def not_(arg: Any) -> bool:
    """Go's `not`."""
    return not arg


# -- len / index / slice ------------------------------------------------------------------------


def _go_len(v: Any) -> int:
    if isinstance(v, str):
        return len(v) if v.isascii() else len(v.encode("utf-8", "surrogateescape"))
    return len(v)


@gofunc(R)
def length(item: Any) -> int:
    """Go's `len`."""
    if item is None:
        raise FuncError("len of nil pointer")
    if item is NOVALUE:
        raise FuncError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, (str, list, tuple, dict, bytes, bytearray)):
        return _go_len(item)
    raise FuncError(f"len of type {type_name(item)}")


def _index_arg(index: Any, cap: int) -> int:
    if index is NOVALUE or index is None:
        raise FuncError("cannot index slice/array with nil")
    if isinstance(index, bool) or not isinstance(index, int):
        raise FuncError(f"cannot index slice/array with type {type_name(index)}")
    x = int(index)
    if x < 0 or x > cap:
        raise FuncError(f"index out of range: {x}")
    return x


def _str_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


@gofunc(R, R, variadic=True)
def index(item: Any, *indexes: Any) -> Any:
    """Go's `index`: item[i][j]... over maps, slices and strings."""
    item = _indirect_iface(item)
    if item is NOVALUE:
        raise FuncError("index of untyped nil")
    for idx in indexes:
        idx = _indirect_iface(idx)
        if item is None:
            raise FuncError("index of nil pointer")
        if isinstance(item, (list, tuple, str, bytes, bytearray)):
            n = _go_len(item)
            x = _index_arg(idx, n)
            if x >= n:
                kind = "string" if isinstance(item, str) else "slice"
                raise FuncError(f"reflect: {kind} index out of range")
            if isinstance(item, str):
                item = Uint8(ord(item[x])) if item.isascii() else Uint8(_str_bytes(item)[x])
            elif isinstance(item, (bytes, bytearray)):
                item = Uint8(item[x])
            else:
                item = item[x]
        elif isinstance(item, dict):
            key_type, _ = map_types(item)
            if idx is NOVALUE:
                if key_type not in ("interface {}", "any") and not key_type.startswith(("[]", "map[", "*")):
                    raise FuncError(f"value is nil; should be of type {key_type}")
                idx = None
            elif not _assignable_key(idx, key_type):
                raise FuncError(f"value has type {type_name(idx)}; should be {key_type}")
            try:
                item = item[idx]
            except (KeyError, TypeError):
                item = None if type(item) is dict else map_zero(item)
        else:
            raise FuncError(f"can't index item of type {type_name(item)}")
    return item


def _assignable_key(k: Any, key_type: str) -> bool:
    if key_type in ("interface {}", "any"):
        return True
    if key_type == "string":
        return type(k) is str
    tn = type_name(k)
    if tn == key_type:
        return True
    # Go converts between integer types for map keys (prepareArg's intLike rule).
    int_like = ("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr")
    return tn in int_like and key_type in int_like


@gofunc(R, R, variadic=True)
def slice_(item: Any, *indexes: Any) -> Any:
    """Go's `slice`: item[i:j:k] over strings and slices."""
    item = _indirect_iface(item)
    if item is NOVALUE:
        raise FuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        data: Any = item if item.isascii() else _str_bytes(item)
    elif isinstance(item, (list, tuple, bytes, bytearray)):
        data = item
    else:
        raise FuncError(f"can't slice item of type {type_name(item)}")
    n = len(data)
    idx = [0, n, 0]
    for i, x in enumerate(indexes):
        idx[i] = _index_arg(_indirect_iface(x), n)
    if idx[0] > idx[1]:
        raise FuncError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise FuncError(f"invalid slice index: {idx[1]} > {idx[2]}")
    part = data[idx[0] : idx[1]]
    if isinstance(item, str):
        return part if isinstance(part, str) else part.decode("utf-8", "surrogateescape")
    if type(item) in (list, bytes):
        return part
    return type(item)(part)


# -- printing -------------------------------------------------------------------------------------


def print_(*args: Any) -> str:
    """Go's `print` (fmt.Sprint)."""
    from .gofmt import sprint

    return sprint(*args)


@gofunc("string", "interface {}", variadic=True)
def printf(fmt: str, *args: Any) -> str:
    """Go's `printf` (fmt.Sprintf)."""
    from .gofmt import sprintf

    return sprintf(fmt, *args)


def println_(*args: Any) -> str:
    """Go's `println` (fmt.Sprintln)."""
    from .gofmt import sprintln

    return sprintln(*args)


def _eval_args(args: tuple[Any, ...]) -> str:
    if len(args) == 1 and type(args[0]) is str:
        return args[0]
    from .gofmt import sprint
    from .runtime import printable

    if len(args) == 1:
        return "<no value>" if args[0] is None else printable(args[0])
    # A nil operand is an invalid value to printableValue, which prints "<no value>"; pointers
    # to structs are printed as the struct.
    return sprint(
        *("<no value>" if a is None else _Printed(printable(a)) if isinstance(a, GoObject) else a for a in args)
    )


class _Printed(GoObject):
    """An operand already formatted by printableValue."""

    go_type = "string"

    def __init__(self, text: str) -> None:
        self.text = text

    def go_string(self) -> str:
        return self.text


_HTML = {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}


def html_escape(s: str) -> str:
    """template.HTMLEscapeString."""
    if not any(c in s for c in "'\"&<>\0"):
        return s
    return "".join(_HTML.get(c, c) for c in s)


def html(*args: Any) -> str:
    """Go's `html`."""
    return html_escape(_eval_args(args))


_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D"}


def js_escape(s: str) -> str:
    """template.JSEscapeString."""
    from .gostrconv import is_print

    out = []
    for c in s:
        if c in _JS:
            out.append(_JS[c])
        elif c < " ":
            out.append(f"\\u00{ord(c):02X}")
        elif c < "\x80":
            out.append(c)
        else:
            r = ord(c)
            if 0xDC80 <= r <= 0xDCFF:  # a raw byte of an invalid UTF-8 string decodes to U+FFFD
                out.append(c)
            elif is_print(r):
                out.append(c)
            else:
                out.append(f"\\u{r:04X}")
    return "".join(out)


def js(*args: Any) -> str:
    """Go's `js`."""
    return js_escape(_eval_args(args))


_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def query_escape(s: str) -> str:
    """url.QueryEscape."""
    out = []
    for b in s.encode("utf-8", "surrogateescape"):
        c = chr(b)
        if c in _URL_SAFE:
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append(f"%{b:02X}")
    return "".join(out)


def urlquery(*args: Any) -> str:
    """Go's `urlquery`."""
    return query_escape(_eval_args(args))


# -- call -------------------------------------------------------------------------------------------


@gofunc(R, R, variadic=True)
def call(name: str, fn: Any = NOVALUE, *args: Any) -> Any:
    """Go's `call`; the engine passes the callee's source text as `name`."""
    fn = _indirect_iface(fn)
    if fn is NOVALUE:
        raise FuncError("call of nil")
    if not callable(fn) or isinstance(fn, (GoObject, type)):
        raise FuncError(f"non-function {name} of type {type_name(fn)}")
    params = getattr(fn, "__go_params__", None)
    if params is None:
        return fn(*(None if a is NOVALUE else a for a in args))
    variadic = fn.__go_variadic__
    n = len(params)
    if variadic:
        if len(args) < n - 1:
            raise FuncError(f"wrong number of args for {name}: got {len(args)} want at least {n - 1}")
    elif len(args) != n:
        raise FuncError(f"wrong number of args for {name}: got {len(args)} want {n}")
    out = []
    for i, a in enumerate(args):
        t = params[i] if (not variadic or i < n - 1) else params[-1]
        a = _indirect_iface(a)
        try:
            out.append(_prepare_arg(a, t))
        except FuncError as e:
            raise FuncError(f"arg {i}: {e}") from None
    return fn(*out)


def _prepare_arg(v: Any, t: str) -> Any:
    from .runtime import IFACE_TYPES, REFLECT, _is_type, _nillable

    if t == REFLECT:
        return v
    if v is NOVALUE:
        if not _nillable(t):
            raise FuncError(f"value is nil; should be of type {t}")
        return None
    if t in IFACE_TYPES or _is_type(v, t):
        return v
    int_like = ("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr")
    if isinstance(v, int) and not isinstance(v, bool) and type_name(v) in int_like and t in int_like:
        from .runtime import _typed_int

        return _typed_int(int(v), t)
    raise FuncError(f"value has type {type_name(v)}; should be {t}")


# -- comparison ---------------------------------------------------------------------------------------

_INVALID, _BOOL, _COMPLEX, _INT, _FLOAT, _STRING, _UINT = range(7)
_kind_cache: dict[type, int] = {bool: _BOOL, int: _INT, float: _FLOAT, str: _STRING, complex: _COMPLEX}


def basic_kind(v: Any) -> int:
    """Go's basicKind of a value (_INVALID for everything not bool/number/string)."""
    t = type(v)
    k = _kind_cache.get(t)
    if k is None:
        if isinstance(v, bool):
            k = _BOOL
        elif isinstance(v, int):
            gt = getattr(t, "go_type", "int")
            k = _UINT if isinstance(gt, str) and gt.startswith("uint") else _INT
        elif isinstance(v, float):
            k = _FLOAT
        elif isinstance(v, str) and not isinstance(v, GoObject):
            k = _STRING
        elif isinstance(v, complex):
            k = _COMPLEX
        else:
            k = _INVALID
        if t is not _NoValueType:
            _kind_cache[t] = k
    return k


_NoValueType = type(NOVALUE)


def _is_nil(v: Any) -> bool:
    return v is NOVALUE or v is None


def _comparable(v: Any) -> bool:
    return not isinstance(v, (dict, list, tuple, bytes, bytearray)) and not callable(v)


@gofunc(R, R, variadic=True)
def eq(arg1: Any, *arg2: Any) -> bool:
    """Go's `eq`: arg1 == any of the others."""
    from .gofmt import sprintf

    arg1 = _indirect_iface(arg1)
    if not arg2:
        raise FuncError("missing argument for comparison")
    k1 = basic_kind(arg1)
    for arg in arg2:
        arg = _indirect_iface(arg)
        k2 = basic_kind(arg)
        truth = False
        if k1 != k2:
            if k1 == _INT and k2 == _UINT or k1 == _UINT and k2 == _INT:
                truth = int(arg1) == int(arg)
            elif arg1 is not NOVALUE and arg is not NOVALUE:
                raise FuncError(f"incompatible types for comparison: {type_name(arg1)} and {type_name(arg)}")
        elif k1 != _INVALID:
            truth = arg1 == arg
        else:
            if arg1 is not NOVALUE and arg is not NOVALUE and _go_kind(arg1) != _go_kind(arg):
                raise FuncError(
                    sprintf("non-comparable types %s: %v, %s: %v", arg1, type_name(arg1), type_name(arg), arg)
                )
            if _is_nil(arg1) or _is_nil(arg):
                truth = _is_nil(arg) == _is_nil(arg1)
            else:
                if not _comparable(arg):
                    raise FuncError(sprintf("non-comparable type %s: %v", arg, type_name(arg)))
                truth = arg1 is arg or arg1 == arg
        if truth:
            return True
    return False


def _go_kind(v: Any) -> str:
    from .gofmt import kind_name

    return kind_name(v)


@gofunc(R, R)
def ne(arg1: Any, arg2: Any) -> bool:
    """Go's `ne`."""
    return not eq(arg1, arg2)


@gofunc(R, R)
def lt(arg1: Any, arg2: Any) -> bool:
    """Go's `lt`."""
    arg1 = _indirect_iface(arg1)
    k1 = basic_kind(arg1)
    if k1 == _INVALID:
        raise FuncError("invalid type for comparison")
    arg2 = _indirect_iface(arg2)
    k2 = basic_kind(arg2)
    if k2 == _INVALID:
        raise FuncError("invalid type for comparison")
    if k1 != k2:
        if k1 == _INT and k2 == _UINT or k1 == _UINT and k2 == _INT:
            return int(arg1) < int(arg2)
        raise FuncError(f"incompatible types for comparison: {type_name(arg1)} and {type_name(arg2)}")
    if k1 in (_BOOL, _COMPLEX):
        raise FuncError("invalid type for comparison")
    return arg1 < arg2


@gofunc(R, R)
def le(arg1: Any, arg2: Any) -> bool:
    """Go's `le`."""
    return lt(arg1, arg2) or eq(arg1, arg2)


@gofunc(R, R)
def gt(arg1: Any, arg2: Any) -> bool:
    """Go's `gt`."""
    return not le(arg1, arg2)


@gofunc(R, R)
def ge(arg1: Any, arg2: Any) -> bool:
    """Go's `ge`."""
    return not lt(arg1, arg2)


BUILTINS: dict[str, Callable[..., Any]] = {
    "and": and_,
    "call": call,
    "html": html,
    "index": index,
    "slice": slice_,
    "js": js,
    "len": length,
    "not": not_,
    "or": or_,
    "print": print_,
    "printf": printf,
    "println": println_,
    "urlquery": urlquery,
    "eq": eq,
    "ge": ge,
    "gt": gt,
    "le": le,
    "lt": lt,
    "ne": ne,
}

__all__ = ["BUILTINS", "fmt_v", "html_escape", "js_escape", "query_escape"]
