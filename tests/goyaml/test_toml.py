"""toToml / fromToml (BurntSushi/toml v1.6), outputs checked against Helm's own toToml."""

from __future__ import annotations

import pytest

from pilothouse.gotemplate.gotypes import Int64
from pilothouse.goyaml import TOMLError, from_toml, load_values, to_toml

VALUES = """z: 1
a: {b: {c: 1, d: "x\\ny", "e f": [1, 2.5, "s", {g: 1, h: {i: 2}}, []]}, arr: [{x: 1}, {y: {z: 2}}]}
n: null
e: {}
"quo\\"te": true
f: 1e21
g: 1000000
"""

# Helm's `{{ toToml .Values }}` for VALUES (note `y:` read as the boolean key "true").
HELM_OUTPUT = """f = 1e+21
g = 1e+06
"quo\\"te" = true
z = 1.0

[a]

  [[a.arr]]
    x = 1.0

  [[a.arr]]
    [a.arr.true]
      z = 2.0
  [a.b]
    c = 1.0
    d = "x\\ny"
    "e f" = [1.0, 2.5, "s", {g = 1.0, h = {i = 2.0}}, []]

[e]
"""


def test_values_document_matches_helm():
    assert to_toml(load_values(VALUES)) == HELM_OUTPUT


def test_scalars_and_errors():
    assert to_toml({"a": Int64(1), "b": [Int64(1), Int64(2)]}) == "a = 1\nb = [1, 2]\n"
    assert to_toml([Int64(1), Int64(2)]) == "[1, 2]"
    assert to_toml("s") == '"s"'
    assert to_toml({}) == ""
    with pytest.raises(TOMLError, match="^toml: top-level values must be Go maps or structs$"):
        to_toml([{"a": Int64(1)}])
    with pytest.raises(TOMLError, match="^toml: cannot encode array with nil element$"):
        to_toml({"l": [Int64(1), None]})
    with pytest.raises(TOMLError, match="^toml: cannot encode a map with non-string key type$"):
        to_toml({1: "one"})


def test_decode_types():
    v = from_toml('a = 1\nb = 1.5\nc = [1, "x"]\n[t]\nd = true')
    assert v == {"a": 1, "b": 1.5, "c": [1, "x"], "t": {"d": True}}
    assert type(v["a"]) is Int64 and type(v["c"][0]) is Int64
    with pytest.raises(TOMLError, match="^toml: "):
        from_toml("one")
