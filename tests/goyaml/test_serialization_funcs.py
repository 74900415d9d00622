"""The template functions, with the cases of Helm's pkg/engine/funcs_test.go (TestFuncs)."""

from __future__ import annotations

import pytest

from pilothouse.funcs.serialization import FUNCS
from pilothouse.gotemplate.gotypes import FuncError, Int64, StrMap


def call(name, *args):
    return FUNCS[name](*args)


def test_function_set():
    assert set(FUNCS) == {
        "toYaml", "mustToYaml", "toYamlPretty", "fromYaml", "fromYamlArray", "toJson", "mustToJson", "fromJson",
        "fromJsonArray", "toToml", "mustToToml", "fromToml", "toPrettyJson", "toRawJson", "mustToPrettyJson",
        "mustToRawJson", "mustFromJson",
    }  # fmt: skip


def test_helm_funcs_cases():
    assert call("toYaml", {"foo": "bar"}) == "foo: bar"
    assert call("toYamlPretty", {"baz": [1, 2, 3]}) == "baz:\n  - 1\n  - 2\n  - 3"
    assert call("toToml", {"foo": "bar"}) == 'foo = "bar"\n'
    assert call("fromToml", 'hello = "world"') == {"hello": "world"}
    assert call("fromToml", '\n[table]\nkeyInTable = "valueInTable"\n[table.subtable]\nkeyInSubtable = "valueInSubTable"') == {
        "table": {"keyInTable": "valueInTable", "subtable": {"keyInSubtable": "valueInSubTable"}}
    }
    assert call("fromToml", '\n[[tableArray]]\nkeyInElement0 = "valueInElement0"\n[[tableArray]]\nkeyInElement1 = "valueInElement1"') == {
        "tableArray": [{"keyInElement0": "valueInElement0"}, {"keyInElement1": "valueInElement1"}]
    }
    assert "Error" in call("fromToml", "one")
    assert call("toJson", {"foo": "bar"}) == '{"foo":"bar"}'
    assert call("fromYaml", "hello: world") == {"hello": "world"}
    assert call("fromYamlArray", "- one\n- 2\n- name: helm\n") == ["one", 2.0, {"name": "helm"}]
    assert call("fromYamlArray", '["one", 2, { "name": "helm" }]') == ["one", 2.0, {"name": "helm"}]
    assert call("toToml", {"mast": StrMap({"sail": "white"})}) == '[mast]\n  sail = "white"\n'
    assert call("fromYaml", "- one\n- two\n") == {
        "Error": "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type "
        "map[string]interface {}"
    }
    assert call("fromJson", '{"hello":"world"}') == {"hello": "world"}
    assert call("fromJson", '["one", "two"]') == {
        "Error": "json: cannot unmarshal array into Go value of type map[string]interface {}"
    }
    assert call("fromJsonArray", '["one", 2, { "name": "helm" }]') == ["one", 2.0, {"name": "helm"}]
    assert call("fromJsonArray", '{"hello": "world"}') == [
        "json: cannot unmarshal object into Go value of type []interface {}"
    ]
    assert call("fromYaml", '["one", "two"]') == {
        "Error": "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type "
        "map[string]interface {}"
    }
    assert call("fromYamlArray", "hello: world") == [
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}"
    ]


def test_must_variants_abort_and_plain_variants_swallow():
    bad = {"x": float("nan")}
    assert call("toYaml", bad) == "" and call("toJson", bad) == "" and call("toPrettyJson", bad) == ""
    for name in ("mustToYaml", "mustToJson", "mustToPrettyJson", "mustToRawJson", "toRawJson"):
        with pytest.raises(FuncError):
            call(name, bad)
    with pytest.raises(FuncError):
        call("mustToToml", {1: "one"})
    assert call("mustToToml", {"foo": "bar"}) == 'foo = "bar"\n'
    assert call("toToml", {"l": [Int64(1), None]}) == "toml: cannot encode array with nil element"
    with pytest.raises(FuncError, match="invalid character"):
        call("mustFromJson", "{x")
    assert call("mustFromJson", "[1]") == [1.0]


def test_helm_documented_outputs():
    assert call("toYaml", "a\n\n") == "|+\n  a\n"
    assert call("toJson", {"a": "<&>"}) == '{"a":"\\u003c\\u0026\\u003e"}'
    assert call("toRawJson", {"a": "<&>"}) == '{"a":"<&>"}'
    assert call("toToml", {"a": Int64(1), "b": [Int64(1), Int64(2)]}) == "a = 1\nb = [1, 2]\n"
    assert call("toYamlPretty", 1000000.0) == "1e+06"
    assert call("fromYaml", "- a") == {
        "Error": "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type "
        "map[string]interface {}"
    }
    assert call("fromJson", '{"a":1e999}') == {
        "a": None, "Error": "json: cannot unmarshal number 1e999 into Go value of type float64"
    }
