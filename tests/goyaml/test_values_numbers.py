"""Numbers in values files, read through Go's strconv as Helm reads them.

Expected values are what Helm answers for `{{ kindOf .Values.x }} {{ .Values.x }}`.
"""

from __future__ import annotations

import pytest

from pilothouse.errors import ValuesError
from pilothouse.goyaml import load_values


def test_underscore_float_after_a_dot_is_a_float() -> None:
    # Helm: float64 0.5 (yaml.v2 hands ".5_0" to strconv.ParseFloat, which takes the separator).
    assert load_values("a: .5_0\nb: ._5\n") == {"a": 0.5, "b": "._5"}


def test_octal_prefix_after_a_leading_zero_is_a_string() -> None:
    # Helm: string 00o56 (base 8 after the leading 0, so "o" is not a digit).
    assert load_values("a: 00o56\nb: 0o56\n") == {"a": "00o56", "b": 46.0}


def test_non_ascii_digits_are_not_numbers() -> None:
    # Helm: string (Go reads only ASCII digits).
    assert load_values("a: 1\u0663\n") == {"a": "1\u0663"}


def test_invalid_utf8_is_a_yaml_error() -> None:
    # Helm: "cannot unmarshal yaml document: error converting YAML to JSON: yaml: invalid leading UTF-8 octet"
    with pytest.raises(ValuesError, match="invalid leading UTF-8 octet"):
        load_values(b"a: \xff\n")
