"""Chart.yaml decoding and validation, with Helm's messages."""

from __future__ import annotations

import pytest

from pilothouse.chart.metadata import format_float32, load_metadata, validate_metadata
from pilothouse.chart.model import Dependency, Metadata
from pilothouse.errors import ChartError


@pytest.mark.parametrize(("md", "message"), [
    (None, "validation: chart.metadata is required"),
    (Metadata(name="test", version="1.0"), "validation: chart.metadata.apiVersion is required"),
    (Metadata(api_version="v2", version="1.0"), "validation: chart.metadata.name is required"),
    (Metadata(name=".", api_version="v2", version="1.0"), 'validation: chart.metadata.name "." is not allowed'),
    (Metadata(name="..", api_version="v2", version="1.0"), 'validation: chart.metadata.name ".." is not allowed'),
    (Metadata(name="../../test", api_version="v2", version="1.0"),
     'validation: chart.metadata.name "../../test" is invalid'),
    (Metadata(name="test", api_version="v2"), "validation: chart.metadata.version is required"),
    (Metadata(name="test", api_version="v2", version="1.0", type="test"),
     "validation: chart.metadata.type must be application or library"),
    (Metadata(name="test", api_version="v2", version="1.0", dependencies=[Dependency(name="bad", alias="illegal alias")]),
     'validation: dependency "bad" has disallowed characters in the alias'),
    (Metadata(name="test", api_version="v2", version="1.0", dependencies=[Dependency(name="foo"), Dependency(name="foo")]),
     'validation: more than one dependency with name or alias "foo"'),
    (Metadata(name="test", api_version="v2", version="1.0",
              dependencies=[Dependency(name="foo"), Dependency(name="bar", alias="foo")]),
     'validation: more than one dependency with name or alias "foo"'),
    (Metadata(name="test", api_version="v2", version="1.0", dependencies=[None]),
     "validation: dependencies must not contain empty or null nodes"),
    (Metadata(name="test", api_version="v2", version="1.0", maintainers=[None]),
     "validation: maintainers must not contain empty or null nodes"),
    (Metadata(name="test", api_version="v2", version="1.2.3.4"), 'validation: chart.metadata.version "1.2.3.4" is invalid'),
])
def test_validation_messages(md: Metadata | None, message: str) -> None:
    with pytest.raises(ChartError) as err:
        validate_metadata(md)
    assert str(err.value) == message


def test_valid_metadata_passes() -> None:
    validate_metadata(Metadata(name="test", api_version="v2", version="1.0", type="application",
                               dependencies=[Dependency(name="dependency", alias="legal-alias")]))


def test_sanitising_strings() -> None:
    md = Metadata(name="test", api_version="v2", version="1.0", description="a\tb\u2003c\x07d")
    validate_metadata(md)
    assert md.description == "a b cd"


def test_numbers_in_string_fields_are_stringified_like_float32() -> None:
    md = load_metadata(b"apiVersion: v2\nname: x\nversion: 1.0\nappVersion: 1.10\nkubeVersion: 10000000\n"
                       b"annotations:\n  a: 1.5\n  b: true\nkeywords: [1, 2.50]\n")
    assert md.version == "1"
    assert md.app_version == "1.1"
    assert md.kube_version == "10000000"
    assert md.annotations == {"a": "1.5", "b": "true"}
    assert md.keywords == ["1", "2.5"]


@pytest.mark.parametrize(("value", "text"), [
    (1.1, "1.1"), (1.0, "1"), (1e7, "1e+07"), (1234567.0, "1.234567e+06"), (0.1, "0.1"), (3.14159265, "3.1415927"),
    (0.00001, "1e-05"), (123456.0, "123456"),
])
def test_format_float32(value: float, text: str) -> None:
    assert format_float32(value) == text


def test_keys_match_case_insensitively_and_unknown_keys_are_ignored() -> None:
    md = load_metadata(b"APIVERSION: v2\nName: x\nVersion: 0.1.0\nsomething: else\n"
                       b"dependencies:\n- name: a\n  Import-Values: [x]\n  enabled: false\n")
    assert (md.api_version, md.name, md.version) == ("v2", "x", "0.1.0")
    assert md.dependencies[0].import_values == ["x"]


def test_wrong_type_is_an_unmarshal_error() -> None:
    with pytest.raises(ChartError) as err:
        load_metadata(b"name: {a: 1}\n")
    assert str(err.value) == ("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go "
                              "struct field Metadata.name of type string")


def test_go_map_view_for_templates() -> None:
    md = load_metadata(b"apiVersion: v2\nname: x\nversion: 0.1.0\nmaintainers:\n- name: me\n")
    view = md.as_go_map()
    assert view["Name"] == "x" and view["APIVersion"] == "v2" and view["Maintainers"] == [
        {"Name": "me", "Email": "", "URL": ""}]
    assert md.to_dict() == {"name": "x", "version": "0.1.0", "maintainers": [{"name": "me"}], "apiVersion": "v2"}
