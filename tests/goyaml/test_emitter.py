"""toYaml output: vectors from go-yaml v2's encode_test.go and Helm's documented samples."""

from __future__ import annotations

import pytest

from pilothouse.gotemplate.gotypes import Int64
from pilothouse.goyaml import JSONError, to_yaml

# (value, yaml.v2 Marshal output) from go-yaml v2.4 encode_test.go; values are ones whose
# JSON round trip (sigs.k8s.io/yaml) does not change them.
V2_MARSHAL = [
    (None, "null\n"),
    ({}, "{}\n"),
    ({"v": "hi"}, "v: hi\n"),
    ({"v": "true"}, 'v: "true"\n'),
    ({"v": "false"}, 'v: "false"\n'),
    ({"v": True}, "v: true\n"),
    ({"v": False}, "v: false\n"),
    ({"v": 10}, "v: 10\n"),
    ({"v": -10}, "v: -10\n"),
    ({"v": Int64(4294967296)}, "v: 4294967296\n"),
    ({"v": "10"}, 'v: "10"\n'),
    ({"v": 0.1}, "v: 0.1\n"),
    ({"v": -0.1}, "v: -0.1\n"),
    ({"v": None}, "v: null\n"),
    ({"v": ""}, 'v: ""\n'),
    ({"v": ["A", "B"]}, "v:\n- A\n- B\n"),
    ({"v": ["A", "B\nC"]}, "v:\n- A\n- |-\n  B\n  C\n"),
    ({"v": ["A", 1, {"B": [2, 3]}]}, "v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n"),
    ({"a": {"b": "c"}}, "a:\n  b: c\n"),
    ({"a": "-"}, "a: '-'\n"),
    ({"a": "<foo>"}, "a: <foo>\n"),
    ({"a": "1:1"}, 'a: "1:1"\n'),
    ({"a": "\x00"}, 'a: "\\0"\n'),
    ({"a": "你好"}, "a: 你好\n"),
    ({"a": "2015-02-24T18:19:39Z"}, 'a: "2015-02-24T18:19:39Z"\n'),
    ({"a": "b: c"}, "a: 'b: c'\n"),
    ({"a": "Hello #comment"}, "a: 'Hello #comment'\n"),
    ({"a": "你好 #comment"}, "a: '你好 #comment'\n"),
    (
        {"a": "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz "
         "ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 "},
        "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz\n"
        "  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n",
    ),
]


@pytest.mark.parametrize(("value", "want"), V2_MARSHAL)
def test_yaml_v2_encode_vectors(value, want):
    assert to_yaml(value) == want


# Samples verified against Helm (helm-engine.md §3.2 and §9), Helm's strip of one "\n" undone.
HELM_SAMPLES = [
    ({"list": [1, 2, {"a": "b"}]}, "list:\n- 1\n- 2\n- a: b\n"),
    ("multi\nline", "|-\n  multi\n  line\n"),
    ("a\n", "|\n  a\n"),
    ("a\n\n", "|+\n  a\n\n"),
    ("  x\ny", "|2-\n    x\n  y\n"),
    (1000000.0, "1000000\n"),
    (1e21, "1e+21\n"),
    (1e-6, "1e-06\n"),
    (4.56e-05, "4.56e-05\n"),
    (1e20, "1e+20\n"),
    ("s", "s\n"),
    ([], "[]\n"),
]


@pytest.mark.parametrize(("value", "want"), HELM_SAMPLES)
def test_helm_samples(value, want):
    assert to_yaml(value) == want


@pytest.mark.parametrize(
    "s",
    ["true", "yes", "on", "y", "Y", "1", "1.0", "1e3", "0755", "0x1F", "1_000", "+1", "0b101", "2023-01-01", "",
     "null", "~", ".inf", "12:30"],
)
def test_strings_that_would_change_meaning_are_double_quoted(s):
    assert to_yaml(s) == f'"{s}"\n'


@pytest.mark.parametrize("s", ["NaN", "1e", "a,b", "a:b", "it's"])
def test_strings_that_stay_plain(s):
    assert to_yaml(s) == s + "\n"


@pytest.mark.parametrize(
    ("s", "want"),
    [(" lead", "' lead'"), ("a: b", "'a: b'"), ("# c", "'# c'"), ("-", "'-'"), ("@at", "'@at'"), ("{a}", "'{a}'"),
     ("a #b", "'a #b'"), ('key: "q"', "'key: \"q\"'"), ("x\ty", '"x\\ty"'), ("\abell", '"\\abell"')],
)
def test_emitter_style_downgrades(s, want):
    assert to_yaml(s) == want + "\n"


def test_key_order_is_yaml_v2_natural_sort():
    keys = ["-x", ".x", "_u", "1", "2", "10", "A", "B", "a1", "a01", "a2", "a10", "empty_list", "x.y", "Ä"]
    out = to_yaml({k: 1 for k in reversed(keys)})
    assert [line.split(":")[0].strip('"') for line in out.splitlines()] == keys


def test_json_step_errors():
    with pytest.raises(JSONError, match=r"^error marshaling into JSON: json: unsupported value: NaN$"):
        to_yaml({"a": float("nan")})
