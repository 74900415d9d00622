"""Property: whatever toYaml writes, Helm's reader reads back as the same value."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from pilothouse.goyaml import from_json, load_yaml, to_json, to_yaml, to_yaml_pretty

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufeff"), max_size=40
) | st.sampled_from(["yes", "no", "on", "~", "null", "1.0", "0x1F", "12:30", " a", "a: b", "- x", "#", "", "\n", "a\n\n"])
_floats = st.floats(allow_nan=False, allow_infinity=False).map(lambda f: 0.0 if f == 0 else f)
_scalars = st.none() | st.booleans() | _floats | st.integers(-(2**53), 2**53).map(float) | _text
_values = st.recursive(
    _scalars,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(_text, kids, max_size=4),
    max_leaves=12,
)


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None)
@given(_values)
def test_to_yaml_then_load_yaml_is_identity(v):
    assert _same(load_yaml(to_yaml(v)), v)


@settings(max_examples=150, deadline=None)
@given(_values)
def test_to_yaml_pretty_then_load_yaml_is_identity(v):
    assert _same(load_yaml(to_yaml_pretty(v)), v)


@settings(max_examples=150, deadline=None)
@given(_values)
def test_json_round_trip(v):
    assert _same(from_json(to_json(v)), v)
