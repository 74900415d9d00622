"""Helpers the compiled templates call: Go's value semantics for fields, calls, range, printing.

Two "empty" values exist, as in Go's reflect: `None` is a nil interface (what a map holds for a
null or, with missingkey=zero, a missing key) and `NOVALUE` is the invalid value (a missing key
with missingkey=default, untyped nil data, the result of a pipeline that produced nil). They
print the same (``<no value>``) but differ in what follows: ``.a.b`` on a nil interface is the
error ``nil pointer evaluating interface {}.b`` while on NOVALUE it is NOVALUE again.
Functions never see NOVALUE: an ``interface {}`` parameter receives None.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from .gotypes import NAMED_INTS, FuncError, GoObject, Int64

# -- sentinels ---------------------------------------------------------------------------------


class _NoValue:
    """Go's invalid reflect.Value."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOVALUE"


NOVALUE: Any = _NoValue()


class _Missing:
    """No final (piped) argument: Go's missingVal."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

MAX_EXEC_DEPTH = 100000
# Python frames are the real limit: nested template calls and nested executions (a function such
# as Helm's include calling execute) stop here with Go's depth error, far below the recursion
# limit set next, so a runaway recursion never becomes a RecursionError.
SAFE_DEPTH = 3000
if sys.getrecursionlimit() < 40000:
    sys.setrecursionlimit(40000)


class Fail(Exception):
    """Internal: an execution error at a node; turned into ExecError at the top."""

    def __init__(self, msg: str, node: Any, cause: BaseException | None = None, func: str | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.node = node
        self.cause = cause
        self.func = func


_tls = threading.local()


def depth_enter(node: Any) -> None:
    """Count one nested template execution; fail as Go does when too deep."""
    d = getattr(_tls, "depth", 0) + 1
    _tls.depth = d
    if d > SAFE_DEPTH:
        _tls.depth = d - 1
        raise Fail(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})", node)


def depth_leave() -> None:
    """Undo `depth_enter`."""
    _tls.depth -= 1


def depth() -> int:
    """The current nesting depth of template executions on this thread."""
    return getattr(_tls, "depth", 0)


# -- missingkey -------------------------------------------------------------------------------

MK_INVALID = 0
MK_ZERO = 1
MK_ERROR = 2


class Ctx:
    """The state of one execution: the template set, its functions and its missingkey mode."""

    __slots__ = ("ts", "funcs", "mk")

    def __init__(self, ts: Any, funcs: dict[str, Callable[..., Any]], mk: int) -> None:
        self.ts = ts
        self.funcs = funcs
        self.mk = mk


def _q(s: str) -> str:
    from .gofmt import quote

    return quote(s)


def type_name(v: Any) -> str:
    """Go's %T of a value."""
    from .gofmt import type_name as tn

    return tn(v)


def fmt_v(v: Any) -> str:
    """Go's %v of a value (NOVALUE prints as <no value>)."""
    if v is NOVALUE:
        return "<no value>"
    from .gofmt import format_value

    return format_value(v)


# -- map typing ----------------------------------------------------------------------------------

_map_info_cache: dict[type, tuple[str, str]] = {}


def map_types(m: dict) -> tuple[str, str]:
    """(key type, element type) of a Go map held in a dict (or dict subclass)."""
    t = type(m)
    info = _map_info_cache.get(t)
    if info is None:
        gt = getattr(t, "go_type", None)
        if isinstance(gt, str) and gt.startswith("map["):
            depth_ = 0
            for i, ch in enumerate(gt):
                if ch == "[":
                    depth_ += 1
                elif ch == "]":
                    depth_ -= 1
                    if depth_ == 0:
                        info = (gt[4:i], gt[i + 1 :])
                        break
        if info is None:
            info = ("string", "interface {}")
        _map_info_cache[t] = info
    return info


def map_zero(m: dict) -> Any:
    """The zero value of a map's element type (None for interface elements)."""
    z = getattr(type(m), "zero", None)
    if z is not None:
        return z
    elem = map_types(m)[1]
    return _ZERO_OF.get(elem)


_ZERO_OF: dict[str, Any] = {"string": "", "int": 0, "int64": Int64(0), "float64": 0.0, "bool": False}


def _key_assignable(key: str, key_type: str) -> bool:
    return key_type in ("string", "interface {}", "any")


# -- field access ---------------------------------------------------------------------------------


def _missing_key(ctx: Ctx, m: dict, name: str, node: Any) -> Any:
    mk = ctx.mk
    if mk == MK_ZERO:
        if type(m) is dict:
            return None
        return map_zero(m)
    if mk == MK_ERROR:
        raise Fail(f"map has no entry for key {_q(name)}", node)
    return NOVALUE


def field(ctx: Ctx, r: Any, name: str, node: Any, iface: bool, has_args: bool = False) -> Any:
    """Evaluate ``r.name`` (no method arguments) the way Go's evalField does."""
    if type(r) is dict:
        if has_args:
            raise Fail(f"{name} is not a method but has arguments", node)
        try:
            return r[name]
        except KeyError:
            return _missing_key(ctx, r, name, node)
    return field_slow(ctx, r, name, node, iface, has_args)


def field_slow(ctx: Ctx, r: Any, name: str, node: Any, iface: bool, has_args: bool) -> Any:
    """The general case of `field`: methods, struct fields, typed maps, errors."""
    if r is NOVALUE:
        if ctx.mk == MK_ERROR:
            raise Fail(f"nil data; no entry for key {_q(name)}", node)
        return NOVALUE
    if r is None:
        raise Fail(f"nil pointer evaluating interface {{}}.{name}", node)
    if isinstance(r, GoObject) or hasattr(type(r), "go_methods"):
        methods = getattr(type(r), "go_methods", ())
        if name in methods:
            return _METHOD(getattr(r, name))
        fields = getattr(type(r), "go_fields", ())
        if name not in fields and name in (getattr(type(r), "go_all_fields", None) or ()):
            raise Fail(f"{name} is an unexported field of struct type {type_name(r)}", node)
        if name in fields:
            if has_args:
                raise Fail(f"{name} has arguments but cannot be invoked as function", node)
            return getattr(r, name)
    if isinstance(r, dict):
        key_type, _ = map_types(r)
        if _key_assignable(name, key_type):
            if has_args:
                raise Fail(f"{name} is not a method but has arguments", node)
            try:
                return r[name]
            except KeyError:
                return _missing_key(ctx, r, name, node)
    tn = "interface {}" if iface else type_name(r)
    raise Fail(f"can't evaluate field {name} in type {tn}", node)


class _METHOD:
    """A bound Go method found by `field_slow`; the caller decides how to call it."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn


def _walk(ctx: Ctx, r: Any, names: Any, node: Any, iface: bool, at: Any) -> tuple[Any, bool]:
    for name in names:
        if type(r) is dict:
            try:
                r = r[name]
            except KeyError:
                r = _missing_key(ctx, r, name, at)
            iface = True
            continue
        r = field_slow(ctx, r, name, at, iface, False)
        if type(r) is _METHOD:
            r = _call_method0(ctx, r.fn, name, node, at)
        iface = False
    return r, iface


def chain(ctx: Ctx, r: Any, names: tuple[str, ...], node: Any, iface: bool, at: Any = None) -> Any:
    """``r.a.b.c`` used as a value (a method at the end is called without arguments).

    `node` is the field, variable or chain node; `at` is the node Go's executor last marked
    (s.at) before walking the fields, where field errors are reported: it differs from `node`
    only for a chain ``(pipe).a.b``, whose operand marks nodes of its own.
    """
    if at is None:
        at = node
    for name in names:
        if type(r) is dict:
            try:
                r = r[name]
            except KeyError:
                r = _missing_key(ctx, r, name, at)
            iface = True
            continue
        r = field_slow(ctx, r, name, at, iface, False)
        if type(r) is _METHOD:
            r = _call_method0(ctx, r.fn, name, node, at)
        iface = False
    return r


def method(
    ctx: Ctx, r: Any, names: tuple[str, ...], node: Any, iface: bool, nargs: int, has_final: bool, at: Any = None
) -> Callable[..., Any] | None:
    """``r.a.b.Method`` as the first word of a command that has arguments or a piped value.

    Walks the fields and finds the method before any argument is evaluated, as Go does: a map
    key or struct field given arguments and a wrong argument count are errors at this point.
    `nargs` counts the arguments, `has_final` tells whether a value is piped in. Returns the bound method, or None
    when the receiver is the invalid value (the command's value is then invalid too).
    """
    if at is None:
        at = node
    if len(names) > 1:
        r, iface = _walk(ctx, r, names[:-1], node, iface, at)
    name = names[-1]
    if type(r) is dict:
        raise Fail(f"{name} is not a method but has arguments", at)
    m = field_slow(ctx, r, name, at, iface, True)
    if m is NOVALUE:
        return None  # Go returns the invalid value without evaluating the arguments
    if type(m) is not _METHOD:
        # field_slow reports a map key or struct field given arguments; anything else it
        # returns is a map element reached some other way
        raise Fail(f"{name} is not a method but has arguments", at)
    _check_arity(m.fn, name, nargs, nargs + has_final, at)
    return m.fn


def not_a_function(nargs: int, final: Any, first: Any, at: Any = None) -> None:
    """Go's notAFunction check for a non-function first word (reported where Go's state is)."""
    if nargs > 1 or final is not MISSING:
        raise Fail(f"can't give argument to non-function {first.string()}", first if at is None else at)


# -- calls ----------------------------------------------------------------------------------------

IFACE_TYPES = frozenset({"interface {}", "any", "interface{}"})
REFLECT = "reflect.Value"


def _nillable(t: str) -> bool:
    return (
        t in IFACE_TYPES
        or t.startswith(("[]", "map[", "*", "func", "chan"))
        or t in ("error", "fmt.Stringer")
        or t == REFLECT
    )


def _is_type(v: Any, t: str) -> bool:
    """Whether a (non-nil) value is assignable to a parameter of Go type `t`."""
    tv = type(v)
    if t == "string":
        return tv is str
    if t == "int":
        return tv is int
    if t == "float64":
        return tv is float
    if t == "bool":
        return tv is bool
    if t == "[]interface {}":
        return tv is list or tv is tuple or getattr(tv, "go_type", None) == t
    if t == "map[string]interface {}":
        if not isinstance(v, dict):
            return False
        gt = getattr(tv, "go_type", None)
        return gt is None or gt == t or not (isinstance(gt, str) and gt.startswith("map["))
    if t in ("[]byte", "[]uint8"):
        return tv is bytes
    if t == "complex128":
        return tv is complex
    gt = getattr(tv, "go_type", None)
    if gt == t:
        return True
    if t in ("error",):
        return isinstance(v, BaseException)
    return type_name(v) == t


def validate(v: Any, t: str, node: Any) -> Any:
    """Go's validateType for a computed argument value."""
    if t in IFACE_TYPES:
        return None if v is NOVALUE else v
    if t == REFLECT:
        return v
    if v is NOVALUE:
        if _nillable(t):
            return None
        raise Fail(f"invalid value; expected {t}", node)
    if v is None:
        raise Fail(f"wrong type for value; expected {t}; got interface {{}}", node)
    if _is_type(v, t):
        return v
    raise Fail(f"wrong type for value; expected {t}; got {type_name(v)}", node)


_INT_TYPES = frozenset({"int", "int8", "int16", "int32", "int64"})
_UINT_TYPES = frozenset({"uint", "uint8", "uint16", "uint32", "uint64", "uintptr"})
_FLOAT_TYPES = frozenset({"float32", "float64"})


def ideal(n: Any) -> Any:
    """Go's idealConstant: the value of a number literal in an untyped context."""
    from .nodes import NumberNode

    if not isinstance(n, NumberNode):
        from .nodes import BoolNode, StringNode

        if isinstance(n, StringNode):
            return n.text
        if isinstance(n, BoolNode):
            return n.true
        return None
    if n.is_complex:
        return n.complex128
    text = n.text
    if (
        n.is_float
        and not (len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP"))
        and not text.startswith("'")
        and any(c in text for c in ".eEpP")
    ):
        return n.float64
    if n.is_int:
        return n.int64
    if n.is_uint:
        raise Fail(f"{text} overflows int", n)
    return NOVALUE


def convert_literal(n: Any, t: str) -> Any:
    """Go's evalArg for a literal operand and a parameter of type `t`."""
    from .nodes import BoolNode, NilNode, NumberNode, StringNode

    if isinstance(n, NilNode):
        if t == REFLECT:
            return NOVALUE
        if _nillable(t):
            return None
        raise Fail(f"cannot assign nil to {t}", n)
    if t in IFACE_TYPES or t == REFLECT:
        return ideal(n)
    if t == "bool":
        if isinstance(n, BoolNode):
            return n.true
        raise Fail(f"expected bool; found {n.string()}", n)
    if t == "string":
        if isinstance(n, StringNode):
            return n.text
        raise Fail(f"expected string; found {n.string()}", n)
    if t in _INT_TYPES:
        if isinstance(n, NumberNode) and n.is_int:
            return Int64(n.int64) if t == "int64" else _typed_int(n.int64, t)
        raise Fail(f"expected integer; found {n.string()}", n)
    if t in _UINT_TYPES:
        if isinstance(n, NumberNode) and n.is_uint:
            return _typed_int(n.uint64, t)
        raise Fail(f"expected unsigned integer; found {n.string()}", n)
    if t in _FLOAT_TYPES:
        if isinstance(n, NumberNode) and n.is_float:
            return n.float64
        raise Fail(f"expected float; found {n.string()}", n)
    if t in ("complex128", "complex64"):
        if isinstance(n, NumberNode) and n.is_complex:
            return n.complex128
        raise Fail(f"expected complex; found {n.string()}", n)
    named = NAMED_INTS.get(t)
    if named is not None:
        if isinstance(n, NumberNode) and n.is_int:
            return named(n.int64)
        raise Fail(f"expected integer; found {n.string()}", n)
    raise Fail(f"can't handle {n.string()} for arg of type {t}", n)


_typed_int_classes: dict[str, type] = {}


def _typed_int(v: int, t: str) -> int:
    if t == "int":
        return v
    from . import gotypes

    cls = _typed_int_classes.get(t)
    if cls is None:
        for name in dir(gotypes):
            obj = getattr(gotypes, name)
            if isinstance(obj, type) and issubclass(obj, int) and getattr(obj, "go_type", None) == t:
                cls = obj
                break
        if cls is None:
            cls = type(f"GoInt_{t}", (int,), {"__slots__": (), "go_type": t})
        _typed_int_classes[t] = cls
    return cls(v)


def _call_fn(fn: Callable[..., Any], args: list[Any], name: str, cmdnode: Any) -> Any:
    try:
        return fn(*args)
    except Fail:
        raise
    except RecursionError:
        raise
    except FuncError as e:
        raise Fail(f"error calling {name}: {e}", cmdnode, e, name) from None
    except Exception as e:  # a Go function's panic is recovered the same way
        raise Fail(f"error calling {name}: {_exc_text(e)}", cmdnode, e, name) from None


def _exc_text(e: BaseException) -> str:
    text = str(e)
    if isinstance(e, KeyError) and e.args:
        text = str(e.args[0])
    return text or type(e).__name__


def _signature(fn: Callable[..., Any]) -> tuple[tuple[str, ...] | None, bool]:
    """(parameter types, variadic) of a function or bound Go method.

    A method without a declared signature takes as many ``interface {}`` arguments as its
    Python definition (Go methods always have a fixed signature); a plain function without
    one takes any number.
    """
    params = getattr(fn, "__go_params__", None)
    if params is not None:
        return params, fn.__go_variadic__
    func = getattr(fn, "__func__", None)
    if func is None:
        return None, True
    sig = _method_sigs.get(func)
    if sig is None:
        code = func.__code__
        n = code.co_argcount - 1
        variadic = bool(code.co_flags & 0x04)
        sig = (("interface {}",) * (n + variadic), variadic)
        _method_sigs[func] = sig
    return sig


_method_sigs: dict[Any, tuple[tuple[str, ...], bool]] = {}


def _check_arity(fn: Callable[..., Any], name: str, nargs: int, num_in: int, at: Any) -> None:
    """Go's arity check of evalCall; `nargs` excludes and `num_in` includes the piped value."""
    params, variadic = _signature(fn)
    if params is None:
        return
    if variadic:
        if num_in < len(params) - 1:
            raise Fail(f"wrong number of args for {name}: want at least {len(params) - 1} got {nargs}", at)
    elif num_in != len(params):
        raise Fail(f"wrong number of args for {name}: want {len(params)} got {num_in}", at)


def _call_method0(ctx: Ctx, fn: Callable[..., Any], name: str, node: Any, at: Any) -> Any:
    """A method reached inside a field chain, called without arguments."""
    _check_arity(fn, name, 0, 0, at)
    return _call_fn(fn, [], name, node)


def invoke(
    ctx: Ctx, fn: Callable[..., Any], site: CallSite, vals: tuple[Any, ...], final: Any, is_builtin: bool
) -> Any:
    """Go's evalCall: check arity, convert arguments by parameter type, call, report errors.

    Arguments are converted (literals) or checked (computed values) where Go's executor does
    it: a literal at its own node, a computed value at the node its evaluation marked last
    (`site.vnodes`), the piped value at `site.fnode`.
    """
    name = site.name
    params, variadic = _signature(fn)
    if params is None:
        # Undeclared: ...interface {}. Literals were made ideal constants by the compiler.
        args = [None if v is NOVALUE else v for v in vals]
        if final is not MISSING:
            args.append(None if final is NOVALUE else final)
        return _call_fn(fn, args, name, site.cmd)
    nparams = len(params)
    num_in = len(vals) + (final is not MISSING)
    if variadic:
        num_fixed = nparams - 1
        if num_in < num_fixed:
            raise Fail(f"wrong number of args for {name}: want at least {nparams - 1} got {len(vals)}", site.ident)
    else:
        num_fixed = len(vals)
        if num_in != nparams:
            raise Fail(f"wrong number of args for {name}: want {nparams} got {num_in}", site.ident)
    args = []
    argnodes = site.argnodes
    for i, v in enumerate(vals):
        t = params[i] if (i < num_fixed or not variadic) else params[-1]
        n = argnodes[i]
        if n.is_literal:
            args.append(convert_literal(n, t))
        else:
            args.append(validate(v, t, site.vnodes[i]))
    if final is not MISSING:
        if variadic and num_in - 1 >= num_fixed:
            t = params[-1]
        else:
            t = params[num_in - 1]
        args.append(validate(final, t, site.fnode))
    if is_builtin and name == "call":
        callee = argnodes[0].string() if argnodes else fmt_v(final)
        args.insert(0, callee)
    return _call_fn(fn, args, name, site.cmd)


class CallSite:
    """A call in the source: the name and the nodes errors point at.

    `argnodes` are the argument nodes; `vnodes[i]` is the node Go's executor marked last while
    evaluating argument i (where a wrong-typed result is reported); `cmd` is where a failing
    call is reported, `ident` where a wrong argument count is, `fnode` where a wrong-typed
    piped value is.
    """

    __slots__ = ("name", "argnodes", "vnodes", "cmd", "ident", "fnode")

    def __init__(
        self, name: str, argnodes: tuple[Any, ...], vnodes: tuple[Any, ...], cmd: Any, ident: Any, fnode: Any
    ) -> None:
        self.name = name
        self.argnodes = argnodes
        self.vnodes = vnodes
        self.cmd = cmd
        self.ident = ident
        self.fnode = fnode


_builtins: dict[str, Any] | None = None


def _is_builtin(name: str, fn: Any) -> bool:
    global _builtins
    if _builtins is None:
        from .builtins import BUILTINS

        _builtins = BUILTINS
    return _builtins.get(name) is fn


def call_site(ctx: Ctx, site: CallSite, vals: tuple[Any, ...], final: Any = MISSING) -> Any:
    """Call a function at a call site; the raw result (an argument of another call)."""
    fn = ctx.funcs.get(site.name)
    if fn is None:
        raise Fail(f"{_q(site.name)} is not a defined function", site.ident)
    return invoke(ctx, fn, site, vals, final, _is_builtin(site.name, fn))


def call_pipe(ctx: Ctx, site: CallSite, vals: tuple[Any, ...], final: Any = MISSING) -> Any:
    """`call_site` as a pipeline command: a nil result becomes the invalid value."""
    fn = ctx.funcs.get(site.name)
    if fn is None:
        raise Fail(f"{_q(site.name)} is not a defined function", site.ident)
    r = invoke(ctx, fn, site, vals, final, _is_builtin(site.name, fn))
    return NOVALUE if r is None else r


def call_method(ctx: Ctx, fn: Callable[..., Any], site: CallSite, vals: tuple[Any, ...], final: Any = MISSING) -> Any:
    """Call a method `method` found, with its evaluated arguments: a nil result is invalid."""
    r = invoke(ctx, fn, site, vals, final, False)
    return NOVALUE if r is None else r


def precheck(ctx: Ctx, site: CallSite, num_in: int) -> None:
    """What Go checks of a function call before it evaluates the arguments.

    Called only after evaluating an argument failed: if the call itself is wrong (an unknown
    function, a wrong argument count), Go reports that instead.
    """
    fn = ctx.funcs.get(site.name)
    if fn is None:
        raise Fail(f"{_q(site.name)} is not a defined function", site.ident)
    _check_arity(fn, site.name, len(site.argnodes), num_in, site.ident)


def template_precheck(ctx: Ctx, name: str, node: Any) -> None:
    """What Go checks of ``{{template}}`` before it evaluates the pipeline (see `precheck`)."""
    if ctx.ts._compiled_for(name) is None:
        raise Fail(f"template {_q(name)} not defined", node)
    if depth() >= SAFE_DEPTH:
        raise Fail(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})", node)


def chain_pipe(ctx: Ctx, r: Any, names: tuple[str, ...], node: Any, iface: bool, at: Any = None) -> Any:
    """`chain` as a pipeline command: a nil result becomes the invalid value."""
    r = chain(ctx, r, names, node, iface, at)
    return NOVALUE if r is None else r


# -- range ----------------------------------------------------------------------------------------


def sort_keys(keys: list[Any]) -> list[Any]:
    """Map keys in Go's fmtsort order."""
    try:
        return sorted(keys)
    except TypeError:
        return sorted(keys, key=_mixed_key)


def _mixed_key(k: Any) -> tuple[int, Any]:
    if k is None:
        return (0, 0)
    if isinstance(k, bool):
        return (1, int(k))
    if isinstance(k, (int, float)):
        return (2, k)
    if isinstance(k, str):
        return (3, k)
    return (4, repr(k))


def range_over(v: Any, ndecl: int, node: Any) -> Any:
    """What `{{range}}` iterates: an iterable of (index/key, element), or None for the else branch."""
    t = type(v)
    if t is list or isinstance(v, (list, tuple)):
        return enumerate(v) if v else None
    if isinstance(v, dict):
        if not v:
            return None
        return [(k, v[k]) for k in sort_keys(list(v))]
    if isinstance(v, int) and not isinstance(v, bool):
        if ndecl > 1:
            raise Fail(f"can't use {fmt_v(v)} to iterate over more than one variable", node)
        n = int(v)
        if n <= 0:
            return None
        if t is int:
            return ((None, i) for i in range(n))
        return ((None, t(i)) for i in range(n))
    if v is NOVALUE or v is None:
        return None
    if isinstance(v, (bytes, bytearray)):
        if not v:
            return None
        from .gotypes import Uint8

        return ((i, Uint8(b)) for i, b in enumerate(v))
    raise Fail(f"range can't iterate over {fmt_v(v)}", node)


def elems_iface(v: Any) -> bool:
    """Whether a range's elements have static type interface {} (for error messages)."""
    t = type(v)
    return t is list or t is dict or t is tuple


# -- printing ---------------------------------------------------------------------------------------


def printv(v: Any, node: Any, addressable: bool = True) -> str:
    """fmt.Fprint of a pipeline result, as the template's printValue does.

    `addressable` tells whether Go holds the value where it can take its address (a field
    reached through a pointer, not a function's result): only then does a String() declared
    on the pointer receiver apply.
    """
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if v is NOVALUE or v is None:
        return "<no value>"
    if callable(v) and not isinstance(v, (GoObject, dict, list, type)) and not hasattr(v, "go_type"):
        raise Fail(
            f"can't print {node.pipe.string() if hasattr(node, 'pipe') else node.string()} of type {type_name(v)}", node
        )
    if addressable and isinstance(v, GoObject):
        s = v.go_ptr_string()
        if s is not None:
            return s
    return printable(v)


def printable(v: Any) -> str:
    """fmt.Sprint of a value after Go's printableValue (a pointer to a struct prints as the struct)."""
    from .gofmt import format_value

    s = format_value(v)
    if isinstance(v, GoObject) and type(v).go_kind == "ptr" and s.startswith("&") and v.go_string() is None:
        return s[1:]
    return s


# -- templates ----------------------------------------------------------------------------------------


def tcall(ctx: Ctx, name: str, dot: Any, node: Any, out: list[str]) -> None:
    """``{{template "name" dot}}``."""
    fn = ctx.ts._compiled_for(name)
    if fn is None:
        raise Fail(f"template {_q(name)} not defined", node)
    depth_enter(node)
    try:
        fn(ctx, dot, out)
    finally:
        depth_leave()


def nil_command(node: Any) -> Any:
    """``{{nil}}`` as a command."""
    raise Fail("nil is not a command", node)


def explicit_nil_chain(node: Any) -> Any:
    """``nil.X``."""
    raise Fail(f"indirection through explicit nil in {node.string()}", node)


def fail_at(msg: str, node: Any) -> Any:
    """Raise an execution error at `node`."""
    raise Fail(msg, node)


# -- compiled code --------------------------------------------------------------------------------


def instantiate(code: Any, fnames: dict[str, str], consts: dict[str, Any]) -> dict[str, Callable[..., Any]]:
    """Run a compiled template module with its globals; returns {template name: function}."""
    ns: dict[str, Any] = {"rt": sys.modules[__name__], "NOVALUE": NOVALUE, "MISSING": MISSING}
    ns.update(consts)
    exec(code, ns)  # noqa: S102 - code the template compiler generated
    return {tname: ns[fname] for tname, fname in fnames.items()}
