"""Sprig's numbers: conversions, integer and decimal arithmetic, sequences.

Integer arithmetic (`add`, `mul`, `max`, ...) converts every operand with cast's ToInt64, so
float64 values from YAML are truncated first (`add 0.5 0.6` = 0) and the result is an
int64 that wraps on overflow. The `...f` functions go through shopspring/decimal: the
operands become the shortest decimal of their float64, arithmetic is exact (division
rounds half away from zero at 16 places), and the result is converted back to float64.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import reduce
from typing import TYPE_CHECKING, Any

from pilothouse.funcs import cast
from pilothouse.gotemplate.gotypes import FuncError, Int64, IntList, gofunc

if TYPE_CHECKING:
    from fractions import Fraction


@gofunc("string")
def atoi(s: str) -> int:
    """strconv.Atoi with errors turned into 0."""
    try:
        return cast.atoi(s)
    except cast.CastError:
        return 0


@gofunc("interface {}")
def int64_(v: Any) -> Int64:
    """cast.ToInt64."""
    return Int64(cast.to_int64(v))


@gofunc("interface {}")
def int_(v: Any) -> int:
    """cast.ToInt."""
    return cast.to_int(v)


@gofunc("interface {}")
def float64_(v: Any) -> float:
    """cast.ToFloat64."""
    return cast.to_float64(v)


@gofunc("interface {}")
def to_decimal(v: Any) -> Int64:
    """toDecimal: the %v text of v read as an octal number (unix modes: "0777" → 511); errors give 0."""
    from pilothouse.gotemplate.gofmt import sprint

    try:
        return Int64(cast.parse_int(sprint(v), 8))
    except cast.CastError:
        return Int64(0)


def until_step(start: int, stop: int, step: int) -> IntList:
    """Sprig's untilStep: start, start+step, ... up to (not including) stop; wrong-signed steps give []."""
    if stop < start:
        if step >= 0:
            return IntList()
        return IntList(range(start, stop, step))
    if step <= 0:
        return IntList()
    return IntList(range(start, stop, step))


@gofunc("int")
def until(count: int) -> IntList:
    """until: 0..count-1 (counting down for a negative count)."""
    return until_step(0, count, -1 if count < 0 else 1)


@gofunc("int", "int", "int")
def until_step_func(start: int, stop: int, step: int) -> IntList:
    """untilStep."""
    return until_step(start, stop, step)


@gofunc("int", variadic=True)
def seq(*params: int) -> str:
    """seq like the Unix command: `seq end`, `seq start end`, `seq start step end`; space separated."""
    n = len(params)
    if n == 1:
        start, end = 1, params[0]
        inc = -1 if end < start else 1
        out = until_step(start, end + inc, inc)
    elif n == 2:
        start, end = params
        step = -1 if end < start else 1
        out = until_step(start, end + step, step)
    elif n == 3:
        start, step, end = params
        inc = 1
        if end < start:
            inc = -1
            if step > 0:
                return ""
        out = until_step(start, end + inc, step)
    else:
        return ""
    return " ".join(str(i) for i in out)


def _i64(v: Any) -> int:
    return cast.to_int64(v)


@gofunc("interface {}")
def add1(i: Any) -> Int64:
    """add1: ToInt64(i) + 1."""
    return Int64(cast.wrap_int64(_i64(i) + 1))


@gofunc("interface {}", variadic=True)
def add(*vals: Any) -> Int64:
    """add: sum of ToInt64 of every operand."""
    return Int64(reduce(lambda total, v: cast.wrap_int64(total + _i64(v)), vals, 0))


@gofunc("interface {}", "interface {}")
def sub(a: Any, b: Any) -> Int64:
    """sub."""
    return Int64(cast.wrap_int64(_i64(a) - _i64(b)))


def _go_div(a: int, b: int) -> int:
    if b == 0:
        raise FuncError("runtime error: integer divide by zero")
    q = abs(a) // abs(b)
    return cast.wrap_int64(q if (a < 0) == (b < 0) else -q)


@gofunc("interface {}", "interface {}")
def div(a: Any, b: Any) -> Int64:
    """div: Go integer division (truncates toward zero)."""
    return Int64(_go_div(_i64(a), _i64(b)))


@gofunc("interface {}", "interface {}")
def mod(a: Any, b: Any) -> Int64:
    """mod: Go's % (the sign follows the dividend)."""
    x, y = _i64(a), _i64(b)
    if y == 0:
        raise FuncError("runtime error: integer divide by zero")
    r = abs(x) % abs(y)
    return Int64(-r if x < 0 else r)


@gofunc("interface {}", "interface {}", variadic=True)
def mul(a: Any, *vals: Any) -> Int64:
    """mul."""
    return Int64(reduce(lambda total, v: cast.wrap_int64(total * _i64(v)), vals, _i64(a)))


@gofunc("interface {}", "interface {}", variadic=True)
def max_(a: Any, *vals: Any) -> Int64:
    """max/biggest of the ToInt64 values."""
    return Int64(max(_i64(v) for v in (a, *vals)))


@gofunc("interface {}", "interface {}", variadic=True)
def min_(a: Any, *vals: Any) -> Int64:
    """min of the ToInt64 values."""
    return Int64(min(_i64(v) for v in (a, *vals)))


def go_max(x: float, y: float) -> float:
    """math.Max (NaN wins; +0 beats -0)."""
    if math.isinf(x) and x > 0 or math.isinf(y) and y > 0:
        return math.inf
    if x != x or y != y:
        return math.nan
    if x == 0 and y == 0:
        return y if math.copysign(1, x) < 0 else x
    return x if x > y else y


def go_min(x: float, y: float) -> float:
    """math.Min (NaN wins; -0 beats +0)."""
    if math.isinf(x) and x < 0 or math.isinf(y) and y < 0:
        return -math.inf
    if x != x or y != y:
        return math.nan
    if x == 0 and y == 0:
        return x if math.copysign(1, x) < 0 else y
    return x if x < y else y


@gofunc("interface {}", "interface {}", variadic=True)
def maxf(a: Any, *vals: Any) -> float:
    """maxf: math.Max over ToFloat64 values."""
    return reduce(go_max, map(cast.to_float64, vals), cast.to_float64(a))


@gofunc("interface {}", "interface {}", variadic=True)
def minf(a: Any, *vals: Any) -> float:
    """minf: math.Min over ToFloat64 values."""
    return reduce(go_min, map(cast.to_float64, vals), cast.to_float64(a))


def _dec(v: Any) -> Fraction:
    # decimal.NewFromFloat: the shortest decimal that reads back as the same float64.
    f = cast.to_float64(v)
    if f != f:
        raise FuncError("Cannot create a Decimal from NaN")
    if math.isinf(f):
        raise FuncError("Cannot create a Decimal from " + ("+Inf" if f > 0 else "-Inf"))
    from decimal import Decimal
    from fractions import Fraction

    return Fraction(Decimal(repr(f)))


_SCALE = 10**16  # decimal.DivisionPrecision


def _dec_div(a: Fraction, b: Fraction) -> Fraction:
    if b == 0:
        raise FuncError("decimal division by 0")
    x = a / b * _SCALE
    q = math.trunc(x)
    if abs(x - q) * 2 >= 1:
        q += 1 if x > 0 else -1
    return type(a)(q, _SCALE)


def _decimal_op(a: Any, rest: tuple[Any, ...], op: Callable[[Fraction, Fraction], Fraction]) -> float:
    acc = _dec(a)
    for v in rest:
        acc = op(acc, _dec(v))
    try:
        return float(acc)
    except OverflowError:
        # big.Rat.Float64 saturates to ±Inf.
        return math.inf if acc > 0 else -math.inf


@gofunc("interface {}")
def add1f(i: Any) -> float:
    """add1f."""
    return _decimal_op(i, (1,), lambda x, y: x + y)


@gofunc("interface {}", variadic=True)
def addf(*vals: Any) -> float:
    """addf: decimal sum."""
    return _decimal_op(0.0, vals, lambda x, y: x + y)


@gofunc("interface {}", "interface {}", variadic=True)
def subf(a: Any, *vals: Any) -> float:
    """subf."""
    return _decimal_op(a, vals, lambda x, y: x - y)


@gofunc("interface {}", "interface {}", variadic=True)
def divf(a: Any, *vals: Any) -> float:
    """divf: decimal division rounded at 16 places."""
    return _decimal_op(a, vals, _dec_div)


@gofunc("interface {}", "interface {}", variadic=True)
def mulf(a: Any, *vals: Any) -> float:
    """mulf."""
    return _decimal_op(a, vals, lambda x, y: x * y)


def _go_ceil(f: float) -> float:
    if math.isinf(f) or f != f or f == 0:
        return f
    r = float(math.ceil(f))
    # Go keeps the sign of a result that rounds to zero (Ceil(-0.5) = -0).
    return math.copysign(r, f) if r == 0 else r


def _go_floor(f: float) -> float:
    if math.isinf(f) or f != f or f == 0:
        return f
    return float(math.floor(f))


def _go_fdiv(x: float, y: float) -> float:
    # IEEE division as Go does it: no exception for a zero divisor.
    if y != 0:
        return x / y
    if x != x or x == 0:
        return math.nan
    return math.copysign(math.inf, x) * math.copysign(1, y)


@gofunc("interface {}")
def ceil(a: Any) -> float:
    """math.Ceil of ToFloat64."""
    return _go_ceil(cast.to_float64(a))


@gofunc("interface {}")
def floor(a: Any) -> float:
    """math.Floor of ToFloat64."""
    return _go_floor(cast.to_float64(a))


@gofunc("interface {}", "int", "float64", variadic=True)
def round_(a: Any, places: int, *round_on: float) -> float:
    """round: to `places` decimals, rounding up from the fraction `round_on` (default .5)."""
    on = round_on[0] if round_on else 0.5
    val = cast.to_float64(a)
    try:
        pow_ = math.pow(10, float(places))
    except OverflowError:
        pow_ = math.inf
    digit = pow_ * val
    # math.Modf: the fraction of ±Inf or NaN is NaN.
    frac = math.nan if math.isinf(digit) or digit != digit else math.modf(digit)[0]
    r = _go_ceil(digit) if frac >= on else _go_floor(digit)
    return _go_fdiv(r, pow_)


FUNCS: dict[str, Callable[..., Any]] = {
    "atoi": atoi,
    "int64": int64_,
    "int": int_,
    "float64": float64_,
    "seq": seq,
    "toDecimal": to_decimal,
    "until": until,
    "untilStep": until_step_func,
    "add1": add1,
    "add": add,
    "sub": sub,
    "div": div,
    "mod": mod,
    "mul": mul,
    "add1f": add1f,
    "addf": addf,
    "subf": subf,
    "divf": divf,
    "mulf": mulf,
    "biggest": max_,
    "max": max_,
    "min": min_,
    "maxf": maxf,
    "minf": minf,
    "ceil": ceil,
    "floor": floor,
    "round": round_,
}
