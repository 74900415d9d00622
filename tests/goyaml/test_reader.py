"""Reading YAML as Helm does (sigs.k8s.io/yaml over yaml.v2): values, errors, documents."""

from __future__ import annotations

import pytest

from pilothouse.goyaml import YAMLError, load_values, load_yaml, load_yaml_all, load_yaml_v2, unmarshal


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # YAML 1.1 scalars (helm-engine.md §0.1 item 4, verified against Helm)
        ("y: [yes, 0755, 0x1F, 1_000, 1e3, 2001-12-14]\n'n': 3\n", {"true": [True, 493.0, 31.0, 1000.0, 1000.0, "2001-12-14"], "n": 3.0}),
        ("y: 1\n", {"true": 1.0}),
        ("mode: 0755\n", {"mode": 493.0}),
        ("a: 0o17\nb: 1_000\nc: 08\n", {"a": 15.0, "b": 1000.0, "c": 8.0}),
        ("[x, y, n, off, On]", ["x", True, False, False, True]),
        ("x: 9007199254740993", {"x": 9007199254740992.0}),
        ("a: ~\nb: null\nc:\nd: '~'\ne: \"null\"", {"a": None, "b": None, "c": None, "d": "~", "e": "null"}),
        ("a: !!str 3\nb: !!binary aGVsbG8=\nc: !foo x", {"a": "3", "b": "hello", "c": "x"}),
        ("1.5: a\n1: b\ntrue: c\n0x10: d", {"1.5": "a", "1": "b", "true": "c", "16": "d"}),
        # merge keys and anchors as yaml.v2 applies them
        ("<<: {a: 1}\na: 2\n<<: {a: 3}", {"a": 3.0}),
        ("a: 1\na: 2", {"a": 2.0}),
        ("b: &x {k: v}\nc: {<<: *x, z: 1}", {"b": {"k": "v"}, "c": {"k": "v", "z": 1.0}}),
        ("a: &x 1\na2: &x 2\nb: *x", {"a": 1.0, "a2": 2.0, "b": 2.0}),
        ("", None),
        ("# only a comment\n", None),
        ("a: 1\n---\nb: 2\n", {"a": 1.0}),
        ("12:30", "12:30"),
        (".5", 0.5),
        ("1e999", "1e999"),
    ],
)
def test_load_yaml(text, want):
    assert load_yaml(text) == want


def test_numbers_are_floats():
    v = load_yaml("a: 1\nb: [2]")
    assert type(v["a"]) is float and type(v["b"][0]) is float


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # messages checked against Helm's own fromYaml
        ("~: 1", "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: 1"),
        ('null: "x"', 'error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"'),
        ("? [a]\n: 1", 'error converting YAML to JSON: yaml: invalid map key: []interface {}{"a"}'),
        ("18446744073709551615: 1",
         "error converting YAML to JSON: unsupported map key of type: uint64, key: 0xffffffffffffffff, value: 1"),
        ("a: !!int abc", "error converting YAML to JSON: yaml: cannot decode !!str `abc` as a !!int"),
        ("a: &x [1]\nb: *x\nc: *y", "error converting YAML to JSON: yaml: unknown anchor 'y' referenced"),
        ("a: &a {b: *a}", "error converting YAML to JSON: yaml: anchor 'a' value contains itself"),
        ("<<: 3", "error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value"),
        ("a: .inf", "error converting YAML to JSON: json: unsupported value: +Inf"),
        ("a: b: c", "error converting YAML to JSON: yaml: mapping values are not allowed in this context"),
        ("a:\n  - b\n c: d", "error converting YAML to JSON: yaml: line 2: did not find expected key"),
        ('{"a\u2028b": 1}', "error converting YAML to JSON: yaml: line 1: did not find expected ',' or '}'"),
        ("\x7f", "error converting YAML to JSON: yaml: control characters are not allowed"),
    ],
)
def test_errors_carry_go_text(text, message):
    with pytest.raises(YAMLError) as e:
        load_yaml(text)
    assert str(e.value) == message


def test_error_has_line_and_column():
    with pytest.raises(YAMLError) as e:
        load_yaml("a:\n  - b\n c: d")
    assert e.value.line == 2 and e.value.column is not None


def test_filename_prefix():
    with pytest.raises(YAMLError, match=r"^failed to parse v\.yaml: error converting YAML"):
        load_yaml("a: b: c", filename="v.yaml")


def test_target_types():
    msg = "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
    with pytest.raises(YAMLError) as e:
        unmarshal("- 1", "map")
    assert str(e.value) == msg
    with pytest.raises(YAMLError, match="cannot unmarshal object into Go value of type \\[\\]interface \\{\\}"):
        unmarshal("a: 1", "list")
    assert unmarshal("", "map") == {} and unmarshal("null", "list") == []


def test_values_files_merge_documents():
    text = "a: 1\nm: {x: 1}\n---\nb: {c: 2}\n--- # comment\nb: {d: 3}\nm: 5\n"
    assert load_values(text) == {"a": 1.0, "b": {"c": 2.0, "d": 3.0}, "m": 5.0}
    assert load_values("") == {} and load_values("# nothing\n") == {}


def test_values_errors():
    with pytest.raises(YAMLError) as e:
        load_values("- 1", filename="v.yaml")
    assert str(e.value) == (
        "failed to parse v.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: "
        "json: cannot unmarshal array into Go value of type map[string]interface {}"
    )
    with pytest.raises(YAMLError, match="invalid Yaml document separator: x"):
        load_values("a: 1\n---x\n")


def test_load_yaml_all_and_v2_types():
    assert load_yaml_all("a: 1\n---\n- 2\n") == [{"a": 1.0}, [2.0]]
    v = load_yaml_v2("a: 1\n1: [2.5, yes, 0x10]")
    assert v == {"a": 1, 1: [2.5, True, 16]} and type(v["a"]) is int
