"""Go's fmt and strconv formatting, checked against vectors from Go's own test tables.

data/go_fmt_vectors.json holds (format, operands, expected) rows taken from Go's
src/fmt/fmt_test.go and src/strconv/{ftoa,quote}_test.go, limited to operand types the value
model has. Rows whose operand is an int8/int16/int32 (uint/uint16/uint32) are run with a Go
int (uint64) when the expected text does not name the type: the output is then the same for
every signed (unsigned) integer type.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from pilothouse.gotemplate.gofmt import format_float, kind_name, quote, sprint, sprintf, sprintln, type_name
from pilothouse.gotemplate.gostrconv import can_backquote, quote_rune, quote_rune_to_ascii, quote_to_ascii
from pilothouse.gotemplate.gotypes import Int64, IntList, StrList, StrMap, Uint8, Uint64

VECTORS = json.loads((Path(__file__).parent / "data" / "go_fmt_vectors.json").read_text(encoding="utf-8"))
_NARROW_INTS = ("int32", "int16", "int8")
_NARROW_UINTS = ("uint32", "uint16", "uint")


def _decode(v: Any, narrow: list[str]) -> Any:
    """An operand of the data file as a value of the shared model."""
    if isinstance(v, list):
        return [_decode(e, narrow) for e in v]
    if not isinstance(v, dict):
        return v
    ((tag, x),) = v.items()
    if tag == "float64":
        return float(x)
    if tag == "int64":
        return Int64(x)
    if tag == "uint8":
        return Uint8(x)
    if tag == "uint64":
        return Uint64(x)
    if tag in _NARROW_INTS:
        narrow.append(tag)
        return int(x)
    if tag in _NARROW_UINTS:
        narrow.append(tag)
        return Uint64(x)
    if tag == "bytes":
        return bytes.fromhex(x)
    if tag == "[]string":
        return StrList(x)
    if tag == "[]int":
        return IntList(x)
    if tag == "map":
        return {k: _decode(e, narrow) for k, e in x.items()}
    if tag == "map[string]string":
        return StrMap(x)
    raise ValueError(tag)


def _sprintf_cases() -> list[Any]:
    cases = []
    for i, (fmt, args, out) in enumerate(VECTORS["sprintf"]):
        narrow: list[str] = []
        values = _decode(args, narrow)
        if any(name in out for name in narrow):
            continue  # the expected text names a Go type the model does not have
        cases.append(pytest.param(fmt, values, out, id=f"{i}-{fmt!r}"))
    return cases


@pytest.mark.parametrize(("fmt", "args", "out"), _sprintf_cases())
def test_go_sprintf_vectors(fmt: str, args: list[Any], out: str) -> None:
    assert sprintf(fmt, *args) == out


@pytest.mark.parametrize(
    ("f", "fmt", "prec", "out"),
    [
        pytest.param(float(f), fmt, prec, s, id=f"{i}-{f}-{fmt}-{prec}")
        for i, (f, fmt, prec, s) in enumerate(VECTORS["ftoa"])
    ],
)
def test_go_format_float_vectors(f: float, fmt: str, prec: int, out: str) -> None:
    assert format_float(f, fmt, prec, 64) == out


@pytest.mark.parametrize(
    ("s", "out", "ascii"), [pytest.param(*row, id=str(i)) for i, row in enumerate(VECTORS["quote"])]
)
def test_go_quote_vectors(s: str, out: str, ascii: str) -> None:
    assert quote(s) == out
    assert quote_to_ascii(s) == ascii


@pytest.mark.parametrize(
    ("r", "out", "ascii"), [pytest.param(*row, id=str(i)) for i, row in enumerate(VECTORS["quote_rune"])]
)
def test_go_quote_rune_vectors(r: int, out: str, ascii: str) -> None:
    assert quote_rune(r) == out
    assert quote_rune_to_ascii(r) == ascii


@pytest.mark.parametrize(("s", "ok"), [pytest.param(*row, id=str(i)) for i, row in enumerate(VECTORS["can_backquote"])])
def test_go_can_backquote_vectors(s: str, ok: bool) -> None:
    assert can_backquote(s) is ok


# FormatFloat with bitSize 32: the answers Go's strconv.FormatFloat(f, fmt, prec, 32) gives.
@pytest.mark.parametrize(
    ("f", "fmt", "prec", "out"),
    [
        (1.0, "g", -1, "1"),
        (1.1, "g", -1, "1.1"),
        (3.4028234663852886e38, "g", -1, "3.4028235e+38"),
        (1.401298464324817e-45, "g", -1, "1e-45"),
        (16777216.0, "g", -1, "1.6777216e+07"),
        (1.0, "b", -1, "8388608p-23"),
        (0.1, "g", -1, "0.1"),
        (1.100000023841858, "g", -1, "1.1"),
        (1.0, "x", -1, "0x1p+00"),
        (float("inf"), "g", -1, "+Inf"),
    ],
)
def test_format_float_32(f: float, fmt: str, prec: int, out: str) -> None:
    assert format_float(f, fmt, prec, 32) == out


# Go's TestSprint/Println behaviour (print.go doPrint): a space only between two non-strings.
@pytest.mark.parametrize(
    ("args", "out"),
    [
        ((1, 2), "1 2"),
        (("a", 1, "b"), "a1b"),
        ((1, "a", 2), "1a2"),
        ((None, None), "<nil> <nil>"),
        ((1.5, True), "1.5 true"),
        (("a", "b"), "ab"),
        (([1, "a", None], {"b": 2, "a": 1}), "[1 a <nil>] map[a:1 b:2]"),
        ((b"hi",), "[104 105]"),
        ((), ""),
    ],
)
def test_sprint(args: tuple, out: str) -> None:
    assert sprint(*args) == out


def test_sprintln() -> None:
    assert sprintln(1, "a", 2) == "1 a 2\n"
    assert sprintln() == "\n"


@pytest.mark.parametrize(
    ("value", "go_type", "kind"),
    [
        (None, "<nil>", "invalid"),
        (True, "bool", "bool"),
        (1, "int", "int"),
        (Int64(1), "int64", "int64"),
        (Uint8(98), "uint8", "uint8"),
        (Uint64(3), "uint64", "uint64"),
        (1.5, "float64", "float64"),
        ("s", "string", "string"),
        (b"x", "[]uint8", "slice"),
        ([1], "[]interface {}", "slice"),
        (StrList(["a"]), "[]string", "slice"),
        (IntList([1]), "[]int", "slice"),
        ({"a": 1}, "map[string]interface {}", "map"),
        (StrMap(a="b"), "map[string]string", "map"),
    ],
)
def test_type_and_kind_names(value: Any, go_type: str, kind: str) -> None:
    assert type_name(value) == go_type
    assert sprintf("%T", value) == go_type
    assert kind_name(value) == kind


def test_special_floats_print_like_go() -> None:
    assert sprint(math.inf, -math.inf, math.nan, -0.0) == "+Inf -Inf NaN -0"
