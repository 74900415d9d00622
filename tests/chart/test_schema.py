"""values.schema.json: Helm's report texts (jsonschema tests and corpus error cases)."""

from __future__ import annotations

import json
import os

import pytest

from corpus_cases import ABSENT_REASON, CORPUS, PRESENT
from pilothouse.chart import coalesce_values, load, process_dependencies, validate_schemas
from pilothouse.chart.model import Chart, Metadata
from pilothouse.chart.options import ValueOptions
from pilothouse.chart.schema import validate_single
from pilothouse.errors import ValuesError

SUB_SCHEMA = json.dumps({
    "$schema": "http://json-schema.org/draft-07/schema#", "title": "Values", "type": "object",
    "properties": {"age": {"description": "Age", "minimum": 0, "type": "integer"}}, "required": ["age"],
}).encode()
SUB_SCHEMA_2020 = json.dumps({
    "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
    "properties": {"data": {"type": "array", "contains": {"type": "string"}, "unevaluatedItems": {"type": "number"}}},
    "required": ["data"],
}).encode()


def tree(schema: bytes) -> Chart:
    parent, sub = Chart(), Chart()
    parent.metadata, sub.metadata = Metadata(name="chrt"), Metadata(name="subchart")
    sub.schema = schema
    parent.add_dependency(sub)
    return parent


def report(chart: Chart, values: dict) -> str:
    with pytest.raises(ValuesError) as err:
        validate_schemas(chart, values)
    return str(err.value).split("\n", 1)[1]


def test_valid_subchart_values() -> None:
    validate_schemas(tree(SUB_SCHEMA), {"name": "John", "subchart": {"age": 25}})
    validate_schemas(tree(SUB_SCHEMA_2020), {"subchart": {"data": ["hello", 12]}})


def test_missing_property() -> None:
    assert report(tree(SUB_SCHEMA), {"name": "John", "subchart": {}}) == "subchart:\n- at '': missing property 'age'\n"


def test_nested_contains_failure() -> None:
    assert report(tree(SUB_SCHEMA_2020), {"subchart": {"data": [12]}}) == (
        "subchart:\n- at '/data': no items match contains schema\n  - at '/data/0': got number, want string\n")


def test_missing_or_null_subchart_values_are_skipped() -> None:
    validate_schemas(tree(SUB_SCHEMA), {"name": "John"})
    validate_schemas(tree(SUB_SCHEMA), {"subchart": None})


def test_subchart_values_of_wrong_type() -> None:
    assert report(tree(SUB_SCHEMA), {"subchart": "oops"}) == (
        "subchart:\ninvalid type for values: expected object (map), got string\n")


def test_negative_vector() -> None:
    schema = json.dumps({
        "$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
        "required": ["firstname", "lastname", "addresses", "employmentInfo"],
        "properties": {"age": {"type": "integer", "minimum": 0}, "firstname": {"type": "string"}},
    }).encode()
    with pytest.raises(ValuesError) as err:
        validate_single({"firstname": "John", "lastname": "Doe", "addresses": [], "age": -5.0}, schema)
    assert str(err.value) == "- at '': missing property 'employmentInfo'\n- at '/age': minimum: got -5, want 0\n"


def test_invalid_schema_against_metaschema() -> None:
    with pytest.raises(ValuesError) as err:
        validate_single({}, json.dumps({"properties": {"x": 1}}).encode())
    assert str(err.value).startswith('"file:///values.schema.json#" is not valid against metaschema: '
                                     "jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'")


def test_unresolved_urn_reference_is_permissive() -> None:
    schema = json.dumps({"$schema": "https://json-schema.org/draft-07/schema#",
                         "$ref": "urn:example:helm:schemas:v1:helm-schema-validation-conditions:v1/x"}).encode()
    validate_single({"any": "value"}, schema)


SCHEMA_CASES = [
    ({"maximum": 1000}, 1500.0),
    ({"enum": ["a", "b"]}, "c"),
    ({"enum": [1, [2]]}, 3.0),
    ({"const": 3}, 4.0),
    ({"type": "string", "pattern": "^a+$"}, "b"),
    ({"type": "string", "maxLength": 2}, "abc"),
    ({"minLength": 1000}, "x"),
    ({"multipleOf": 0.5}, 1.25),
    ({"additionalProperties": False, "properties": {"a": {}}}, {"a": 1, "b": 2}),
    ({"type": ["string", "null"]}, 1.0),
    ({"type": "integer"}, 1.5),
    ({"required": ["a", "b"], "minProperties": 3}, {}),
    # (one failing property only: Go visits object properties in random order)
    ({"properties": {"a": {"type": "string"}, "b": {"minimum": 5}}}, {"a": 1, "b": 7}),
    ({"items": {"type": "string"}, "minItems": 3, "uniqueItems": True}, ["x", "x"]),
    ({"oneOf": [{"type": "string"}, {"type": "number"}]}, True),
    ({"oneOf": [{"type": "number"}, {"minimum": 0}]}, 1.0),
    ({"anyOf": [{"type": "string"}, {"properties": {"a": {"type": "string"}}, "minProperties": 3}]},
     {"a": 1, "b": 2}),
    ({"const": {"a": 1}}, 2.0),
    ({"allOf": [{"type": "object"}, {"required": ["z"]}]}, {}),
    ({"not": {"type": "string"}}, "s"),
    ({"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x"]}, "else": {"required": ["y"]}},
     {"kind": "a"}),
    ({"$defs": {"port": {"type": "integer", "maximum": 65535}}, "$ref": "#/properties/v/$defs/port"}, 70000.0),
    ({"$ref": "#/properties/v/$defs/obj", "$defs": {"obj": {"required": ["a", "b"], "properties": {"c": {"type": "string"}}}}},
     {"c": 1}),
    ({"patternProperties": {"^x-": {"type": "boolean"}}}, {"x-a": 1, "y": 2}),
    ({"propertyNames": {"maxLength": 2}}, {"abc": 1}),
    ({"dependentRequired": {"a": ["b"]}}, {"a": 1}),
    ({"prefixItems": [{"type": "string"}], "items": {"type": "number"}}, [1, "x"]),
]


def _helm_report(tmp_path, schema: dict, value: object) -> str:
    import helm_python as hp

    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: s\nversion: 1.0.0\n")
    (tmp_path / "values.schema.json").write_text(json.dumps({"properties": {"v": schema}}))
    chart = hp.Chart.load(str(tmp_path))
    try:
        chart.validate_schema({"v": value})
        return ""
    except hp.HelmError as err:
        return str(err)
    finally:
        chart.close()


@pytest.mark.parametrize(("schema", "value"), SCHEMA_CASES)
def test_reports_match_helm(tmp_path, schema: dict, value: object) -> None:
    try:
        validate_single({"v": value}, json.dumps({"properties": {"v": schema}}).encode())
        ours = ""
    except ValuesError as err:
        ours = f"s:\n{err}"
    assert ours == _helm_report(tmp_path, schema, value)


def test_integral_floats_are_integers() -> None:
    validate_single({"n": 3.0}, b'{"properties": {"n": {"type": "integer"}}}')


corpus = pytest.mark.skipif(not PRESENT, reason=ABSENT_REASON)


def _schema_cases() -> list[str]:
    base = os.path.join(CORPUS, "error_cases")
    if not os.path.isdir(base):
        return []
    return [c for c in sorted(os.listdir(base))
            if json.load(open(os.path.join(base, c, "error.json")))["type"] == "HelmValuesError"]


@corpus
@pytest.mark.parametrize("case", _schema_cases())
def test_corpus_schema_errors(case: str) -> None:
    base = os.path.join(CORPUS, "error_cases", case)
    expected = json.load(open(os.path.join(base, "error.json")))["message"]
    chart = load(os.path.join(CORPUS, json.load(open(os.path.join(base, "case.json")))["chart_dir"]))
    vals = ValueOptions(value_files=[os.path.join(base, "values.yaml")]).merge_values()
    process_dependencies(chart, vals)
    with pytest.raises(ValuesError) as err:
        validate_schemas(chart, coalesce_values(chart, vals))
    assert str(err.value) == expected
