"""pilothouse.funcs.cast, the conversions other function groups import (spf13/cast + strconv).

Expected values are Helm's answers (see helm_probes.json: cast_strings, cast_floats,
overflow, atoi_todecimal) and Go's documented strconv behaviour.
"""

from __future__ import annotations

import math

import pytest

from pilothouse.funcs import cast
from pilothouse.gotemplate.gotypes import Int64


@pytest.mark.parametrize(
    ("text", "expected"),
    [("010", 8), ("0x10", 16), ("0b11", 3), ("1.0", 1), ("1.5", 0), (" 5", 0), ("-08", 0), ("1_000", 1000),
     ("1.", 0), ("0o17", 15), ("+7", 7), ("9223372036854775808", 0), ("-9223372036854775808", -(2**63)),
     ("", 0), ("0", 0), ("0x", 0), ("1__0", 0), ("_1", 0), ("0_7", 7)],
)
def test_to_int64_of_strings(text: str, expected: int) -> None:
    assert cast.to_int64(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 0), (True, 1), (False, 0), (2.7, 2), (-3.7, -3), (1e20, -(2**63)), (math.nan, -(2**63)),
     (Int64(5), 5), (7, 7), ([1], 0), ({}, 0)],
)
def test_to_int64_of_values(value: object, expected: int) -> None:
    assert cast.to_int64(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1e3", 1000.0), ("0x10", 0.0), ("1_000", 1000.0), ("inf", math.inf), (".5", 0.5), ("1e400", 0.0),
     ("0x1p-2", 0.25), ("", 0.0), ("1_0.5", 10.5), ("abc", 0.0)],
)
def test_to_float64_of_strings(text: str, expected: float) -> None:
    assert cast.to_float64(text) == expected


def test_atoi_is_decimal_only() -> None:
    assert cast.atoi("12") == 12
    assert cast.atoi("-3") == -3
    with pytest.raises(cast.CastError):
        cast.atoi("1.0")


def test_wrap_int64() -> None:
    assert cast.wrap_int64(2**63) == -(2**63)
    assert cast.wrap_int64(2**64) == 0


def test_to_string() -> None:
    assert cast.to_string(1e6) == "1e+06"
    assert cast.to_string(None) == "<nil>"
    assert cast.to_string(b"hi") == "hi"
    assert cast.to_string([1.0, None]) == "[1 <nil>]"
    assert cast.to_string(ValueError("boom")) == "boom"
