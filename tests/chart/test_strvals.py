"""--set syntax: vectors from Helm's strvals parser tests, and Helm itself for error texts."""

from __future__ import annotations

import json

import pytest

from pilothouse.chart import strvals
from pilothouse.errors import ValuesError
from pilothouse.gotemplate.gotypes import Int64

# (input, expected map) from Helm's TestParseSet
PARSE_OK = [
    ("name1=null,f=false,t=true", {"name1": None, "f": False, "t": True}),
    ("name1=value1", {"name1": "value1"}),
    ("name1=value1,name2=value2", {"name1": "value1", "name2": "value2"}),
    ("name1=value1,name2=value2,", {"name1": "value1", "name2": "value2"}),
    ("name1=,name2=value2", {"name1": "", "name2": "value2"}),
    ("leading_zeros=00009", {"leading_zeros": "00009"}),
    ("zero_int=0", {"zero_int": 0}),
    ("long_int=1234567890", {"long_int": 1234567890}),
    ("boolean=true", {"boolean": True}),
    ("is_null=null", {"is_null": None}),
    ("name1=one\\,two,name2=three\\,four", {"name1": "one,two", "name2": "three,four"}),
    ("name1=one\\=two,name2=three\\=four", {"name1": "one=two", "name2": "three=four"}),
    ("name1=one two three,name2=three two one", {"name1": "one two three", "name2": "three two one"}),
    ("outer.inner=value", {"outer": {"inner": "value"}}),
    ("outer.middle.inner=value", {"outer": {"middle": {"inner": "value"}}}),
    ("outer.inner1=value,outer.inner2=value2", {"outer": {"inner1": "value", "inner2": "value2"}}),
    ("outer.inner1=value,outer.middle.inner=value", {"outer": {"inner1": "value", "middle": {"inner": "value"}}}),
    ("name1.name2=", {"name1": {"name2": ""}}),
    ("name1={value1,value2}", {"name1": ["value1", "value2"]}),
    ("name1={value1,value2},name2={value1,value2}", {"name1": ["value1", "value2"], "name2": ["value1", "value2"]}),
    ("name1={1021,902}", {"name1": [1021, 902]}),
    ("name1.name2={value1,value2}", {"name1": {"name2": ["value1", "value2"]}}),
    ("list[0]=foo", {"list": ["foo"]}),
    ("list[0].foo=bar", {"list": [{"foo": "bar"}]}),
    ("list[0].foo=bar,list[0].hello=world", {"list": [{"foo": "bar", "hello": "world"}]}),
    ("list[0]=foo,list[1]=bar", {"list": ["foo", "bar"]}),
    ("list[0]=foo,list[1]=bar,", {"list": ["foo", "bar"]}),
    ("list[0]=foo,list[3]=bar", {"list": ["foo", None, None, "bar"]}),
    ("noval[0]", {"noval": []}),
    ("noval[0]=", {"noval": [""]}),
    ("nested[0][0]=1", {"nested": [[1]]}),
    ("nested[1][1]=1", {"nested": [None, [None, 1]]}),
    ("name1.name2[0].foo=bar,name1.name2[1].foo=bar", {"name1": {"name2": [{"foo": "bar"}, {"foo": "bar"}]}}),
    ("name1.name2[1].foo=bar,name1.name2[0].foo=bar", {"name1": {"name2": [{"foo": "bar"}, {"foo": "bar"}]}}),
    ("name1.name2[1].foo=bar", {"name1": {"name2": [None, {"foo": "bar"}]}}),
]

# inputs Helm's TestParseSet refuses
PARSE_ERR = [
    "name1=value1,,,,name2=value2,", "name1,name2=", "name1,name2=value2", "name1,name2=value2\\", "name1,name2",
    "name1.name2", "name1.name2,name1.name3", "name1.=name2", "name1.,name2", "name1={1021,902",
    "list[0].foo=bar,list[-30].hello=world", "list[0]=foo,list[-20]=bar", "illegal[0]name.foo=bar", "]={}].",
]


@pytest.mark.parametrize(("text", "expected"), PARSE_OK)
def test_parse(text: str, expected: dict) -> None:
    assert strvals.parse(text) == expected


@pytest.mark.parametrize("text", PARSE_ERR)
def test_parse_errors(text: str) -> None:
    with pytest.raises(ValuesError):
        strvals.parse(text)


def test_integers_are_int64_and_strings_stay_strings() -> None:
    got = strvals.parse("a=1,b=-5,c=+7,d=0,e=1.5,f=0x10,g=1e3")
    assert type(got["a"]) is Int64 and type(got["b"]) is Int64 and type(got["d"]) is Int64
    assert got["c"] == 7
    assert got["e"] == "1.5" and got["f"] == "0x10" and got["g"] == "1e3"


@pytest.mark.parametrize(("text", "expected"), [
    ("long_int_string=1234567890", {"long_int_string": "1234567890"}),
    ("boolean=true", {"boolean": "true"}),
    ("is_null=null", {"is_null": "null"}),
    ("zero=0", {"zero": "0"}),
])
def test_parse_string(text: str, expected: dict) -> None:
    assert strvals.parse_string(text) == expected


def test_parse_into_merges_and_overwrites() -> None:
    dest = {"outer": {"inner1": "overwrite", "inner2": "value2"}}
    strvals.parse_into("outer.inner1=value1,outer.inner3=value3,outer.inner4=4", dest)
    assert dest == {"outer": {"inner1": "value1", "inner2": "value2", "inner3": "value3", "inner4": 4}}


def test_parse_into_nested_lists() -> None:
    dest = {"listOuter": [[[{"exited": "old"}]]]}
    strvals.parse_into("listOuter[0][1][0].type=listValue", dest)
    strvals.parse_into("listOuter[0][0][1].status=alive", dest)
    assert dest == {"listOuter": [[[{"exited": "old"}, {"status": "alive"}], [{"type": "listValue"}]]]}


def test_parse_into_string() -> None:
    dest = {"outer": {"inner1": "overwrite", "inner2": "value2"}}
    strvals.parse_into_string("outer.inner1=1,outer.inner3=3", dest)
    assert dest == {"outer": {"inner1": "1", "inner2": "value2", "inner3": "3"}}


def test_parse_json() -> None:
    dest = {"outer": {"inner1": "overwrite", "inner2": "value2"}}
    strvals.parse_json('outer.inner1="1",outer.inner3=3,outer.inner4=true,outer.inner5="true"', dest)
    assert dest == {"outer": {"inner1": "1", "inner2": "value2", "inner3": 3, "inner4": True, "inner5": "true"}}
    assert type(dest["outer"]["inner3"]) is float
    dest = {"outer": {"inner1": {"x": "overwrite"}, "inner2": "value2"}}
    strvals.parse_json('outer.inner1=,outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner3.cc[1]=null', dest)
    assert dest == {"outer": {"inner1": None, "inner2": "value2", "inner3": {"aa": "1", "bb": 2, "cc": [1, None, 3]}}}


def test_parse_file() -> None:
    assert strvals.parse_file("name1=path1", lambda p: {"path1": "value1"}[p]) == {"name1": "value1"}


def test_literal_takes_the_rest_verbatim() -> None:
    assert strvals.parse_literal("a=b,c=d") == {"a": "b,c=d"}
    assert strvals.parse_literal("a.b[1]=x\\y") == {"a": {"b": [None, "x\\y"]}}


def test_nesting_limit_message() -> None:
    key = ".".join(f"name{i}" for i in range(1, strvals.MAX_NESTED_NAME_LEVEL + 3))
    with pytest.raises(ValuesError) as err:
        strvals.parse(key + "=value")
    assert str(err.value) == "value name nested level is greater than maximum supported nested level of 30"


# inputs whose result (map or exact error text) is compared with Helm's own parser
DIFFERENTIAL = [
    "name1,name2=value2", "name1.name2", "name1.=name2", "name1={1021,902", "list[0]=foo,list[-20]=bar",
    "illegal[0]name.foo=bar", "a=1,a.b=2", "a.b=1,a[0]=2", "a[0]=1,a[0][1]=2", "a[0]=1,a[0].b=2", "a[x]=1",
    "a[0", "a.", "a=x,a.b.c=1", "big=9223372036854775808", "neg=-12", "TRUE=True", "k\\.dot=v", "a[70000]=1",
    "a[1]b=2", "a=b=c", "=v", "a={x,{y}", "a={}", "a={,}", "x=", "a.b.c[2].d=1,a.b.c[0]=z",
]


def _helm(fn_name: str, text: str) -> tuple[str, object]:
    import helm_python as h

    try:
        return "ok", getattr(h, fn_name)(text)
    except h.HelmError as err:
        return "err", str(err)


def _ours(fn, text: str) -> tuple[str, object]:
    try:
        return "ok", json.loads(json.dumps(fn(text)))
    except ValuesError as err:
        return "err", str(err)


@pytest.mark.parametrize("text", DIFFERENTIAL)
def test_set_matches_helm(text: str) -> None:
    assert _ours(strvals.parse, text) == _helm("parse_set_string", text)


@pytest.mark.parametrize("text", DIFFERENTIAL)
def test_set_literal_matches_helm(text: str) -> None:
    assert _ours(strvals.parse_literal, text) == _helm("parse_set_literal", text)


@pytest.mark.parametrize("text", ["a=1,b=true", "x.y=0", "l={1,2}"])
def test_set_string_matches_helm(text: str) -> None:
    assert _ours(strvals.parse_string, text) == _helm("parse_set_string_values", text)
