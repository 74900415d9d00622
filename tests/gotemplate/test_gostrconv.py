"""Go's strconv parsers and Quote, the one implementation every package uses.

Integer vectors are rows of Go's src/strconv/atoi_test.go (input, base, result or error);
the float cases with `_` separators are what Helm's `float64` function answers.
"""

from __future__ import annotations

import math

import pytest

from pilothouse.gotemplate.gostrconv import NumError, atoi, parse_float, parse_int, parse_uint, quote

SYNTAX, RANGE = "invalid syntax", "value out of range"

PARSE_UINT = [
    ("", 0, SYNTAX),
    ("0", 0, 0),
    ("-1", 0, SYNTAX),
    ("012345", 0, 0o12345),
    ("0X12345", 0, 0x12345),
    ("0xabcdefg123", 0, SYNTAX),
    ("123456789abc", 0, SYNTAX),
    ("18446744073709551615", 0, (1 << 64) - 1),
    ("18446744073709551616", 0, RANGE),
    ("0xFFFFFFFFFFFFFFFF", 0, (1 << 64) - 1),
    ("0x10000000000000000", 0, RANGE),
    ("01777777777777777777777", 0, (1 << 64) - 1),
    ("01777777777777777777778", 0, SYNTAX),
    ("02000000000000000000000", 0, RANGE),
    ("0b", 0, SYNTAX),
    ("0B101", 0, 5),
    ("0o", 0, SYNTAX),
    ("0O377", 0, 255),
    ("1_2_3_4_5", 0, 12345),
    ("_12345", 0, SYNTAX),
    ("1__2345", 0, SYNTAX),
    ("12345_", 0, SYNTAX),
    ("1_2_3_4_5", 10, SYNTAX),
    ("0x_1_2_3_4_5", 0, 0x12345),
    ("0x__12345", 0, SYNTAX),
    ("0_1_2_3_4_5", 0, 0o12345),
    ("0__12345", 0, SYNTAX),
    ("0o_1_2_3_4_5", 0, 0o12345),
    ("0b_1_0_1", 0, 5),
    ("0b10__1", 0, SYNTAX),
    ("101", 2, 5),
    ("101_", 2, SYNTAX),
]

PARSE_INT = [
    ("", 0, SYNTAX),
    ("-0", 0, 0),
    ("-012345", 0, -0o12345),
    ("-0X12345", 0, -0x12345),
    ("-12345x", 0, SYNTAX),
    ("9223372036854775807", 0, (1 << 63) - 1),
    ("9223372036854775808", 0, RANGE),
    ("-9223372036854775808", 0, -(1 << 63)),
    ("-9223372036854775809", 0, RANGE),
    ("g", 17, 16),
    ("holycow", 36, (((((17 * 36 + 24) * 36 + 21) * 36 + 34) * 36 + 12) * 36 + 24) * 36 + 32),
    ("-1000000000000000000000000000000000000000000000000000000000000000", 2, -(1 << 63)),
    ("1000000000000000000000000000000000000000000000000000000000000000", 2, RANGE),
    ("-10", 8, -8),
    ("-123456789abcdef", 16, -0x123456789ABCDEF),
    ("-0x_1_2_3_4_5", 0, -0x12345),
    ("_-0x12345", 0, SYNTAX),
    ("-_0x12345", 0, SYNTAX),
    ("-0_1_2_3_4_5", 0, -0o12345),
    ("+0xf", 0, 0xF),
    ("0x+f", 0, SYNTAX),
]

ATOI = [
    ("", SYNTAX),
    ("+0", 0),
    ("+1", 1),
    ("-012345", -12345),
    ("-9223372036854775808", -(1 << 63)),
    ("9223372036854775809", RANGE),
    ("-1_2_3_4_5", SYNTAX),
    ("123%45", SYNTAX),
]


def _outcome(fn, *args):  # noqa: ANN001, ANN202 - a test helper over several signatures
    try:
        return fn(*args)
    except NumError as e:
        return str(e)


@pytest.mark.parametrize(("text", "base", "want"), PARSE_UINT)
def test_parse_uint_go_vectors(text: str, base: int, want: int | str) -> None:
    assert _outcome(parse_uint, text, base) == want


@pytest.mark.parametrize(("text", "base", "want"), PARSE_INT)
def test_parse_int_go_vectors(text: str, base: int, want: int | str) -> None:
    assert _outcome(parse_int, text, base) == want


@pytest.mark.parametrize(("text", "want"), ATOI)
def test_atoi_go_vectors(text: str, want: int | str) -> None:
    assert _outcome(atoi, text) == want


def test_parse_int_32_bits_range() -> None:
    assert parse_int("-2147483648", 10, 32) == -(1 << 31)
    assert _outcome(parse_int, "2147483648", 10, 32) == RANGE
    assert _outcome(parse_uint, "4294967296", 10, 32) == RANGE


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("1_0.5", 10.5),  # Helm: {{ float64 "1_0.5" }} is 10.5
        ("0x_1p4", 16.0),  # Helm: {{ float64 "0x_1p4" }} is 16
        (".5_0", 0.5),
        ("0x1p-2", 0.25),
        ("1e23", 1e23),
        ("+INF", math.inf),
        ("-Infinity", -math.inf),
    ],
)
def test_parse_float_accepts_go_syntax(text: str, want: float) -> None:
    assert parse_float(text) == want


def test_parse_float_nan_and_errors() -> None:
    assert math.isnan(parse_float("NaN"))
    for bad in ("", ".", "1e", "1x", "._5", "1__0", "0x1", "+nan", "infin", "1e_5"):
        assert _outcome(parse_float, bad) == SYNTAX, bad
    assert _outcome(parse_float, "1e400") == RANGE
    assert _outcome(parse_float, "0x1p2000") == RANGE


def test_quote_writes_an_invalid_byte_as_hex() -> None:
    # A byte that is not UTF-8 travels as a lone surrogate; Go's Quote writes it as \x80.
    assert quote(b"a\x80".decode("utf-8", "surrogateescape")) == '"a\\x80"'
    assert quote("\x07\u00e9\u200b") == '"\\a\u00e9\\u200b"'
