"""Go encoding/json: Marshal output and Unmarshal errors (vectors from Go's tests and from Helm)."""

from __future__ import annotations

import pytest

from pilothouse.gotemplate.gotypes import GoObject, Int64
from pilothouse.goyaml import JSONError, from_json, to_json


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (None, "null"),
        (True, "true"),
        (Int64(-5), "-5"),
        (1.0, "1"),
        (1e6, "1000000"),
        (123456789.0, "123456789"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (2.5e-7, "2.5e-7"),
        (-0.0, "-0"),
        (b"hi", '"aGk="'),
        ({"b": 1, "a": [1, {}, []], "B": None}, '{"B":null,"a":[1,{},[]],"b":1}'),
        # string escaping: control characters, HTML, line separators (Go >= 1.22 writes \b and \f)
        ("\b\f\x01\x7f\u2028<>&", '"\\b\\f\\u0001\x7f\\u2028\\u003c\\u003e\\u0026"'),
        ("\n\r\t\"\\é", '"\\n\\r\\t\\"\\\\é"'),
        ("\ud800x", '"\\ufffdx"'),
        # every control character as Go writes it: short forms for \b \t \n \f \r, \u00xx (lower-case) else
        ("".join(map(chr, range(0x20))),
         '"' + "".join({8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"}.get(c, f"\\u{c:04x}")
                       for c in range(0x20)) + '"'),
        ("\u2029 \udfff", '"\\u2029 \\ufffd"'),
        # a long string (a post-renderer's whole manifest goes through here)
        ("a<b\n" * 50_000, '"' + "a\\u003cb\\n" * 50_000 + '"'),
    ],
)
def test_marshal(value, want):
    assert to_json(value) == want


def test_raw_and_indent():
    assert to_json({"a": "<&>"}, escape_html=False) == '{"a":"<&>"}'
    assert to_json({"a": [1.0, {}, []], "b": 1.5}, indent="  ") == '{\n  "a": [\n    1,\n    {},\n    []\n  ],\n  "b": 1.5\n}'
    assert to_json([1], indent="\t", prefix=">") == "[\n>\t1\n>]"


def test_marshal_errors():
    with pytest.raises(JSONError, match=r"^json: unsupported value: NaN$"):
        to_json([float("nan")])
    with pytest.raises(JSONError, match=r"^json: unsupported value: \+Inf$"):
        to_json({"a": float("inf")})


class _Version(GoObject):
    go_type = "*semver.Version"

    def go_json(self):
        return "1.2.3"


class _Opaque(GoObject):
    go_type = "chan int"


def test_go_objects_marshal_through_their_hook():
    assert to_json({"v": _Version()}) == '{"v":"1.2.3"}'
    with pytest.raises(JSONError, match=r"^json: unsupported type: chan int$"):
        to_json(_Opaque())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # texts checked against Helm's fromJson / fromJsonArray
        ("[1]", "json: cannot unmarshal array into Go value of type map[string]interface {}"),
        ("", "unexpected end of JSON input"),
        ("01", "invalid character '1' after top-level value"),
        ('{"a" 1}', "invalid character '1' after object key"),
        ("1e999", "json: cannot unmarshal number into Go value of type map[string]interface {}"),
        ('"é', "unexpected end of JSON input"),
        ("é", "invalid character 'Ã' looking for beginning of value"),
        ('{"a":"\n"}', "invalid character '\\n' in string literal"),
        ('{"a":1,}', "invalid character '}' looking for beginning of object key string"),
        ("trux", "invalid character 'x' in literal true (expecting 'e')"),
        ("-x", "invalid character 'x' in numeric literal"),
        ("1.x", "invalid character 'x' after decimal point in numeric literal"),
        ("1ex", "invalid character 'x' in exponent of numeric literal"),
        ('"\\x"', "invalid character 'x' in string escape code"),
        ('"\\u12x4"', "invalid character 'x' in \\u hexadecimal character escape"),
    ],
)
def test_unmarshal_errors(text, message):
    with pytest.raises(JSONError) as e:
        from_json(text, "map")
    assert str(e.value) == message


def test_unmarshal_values_and_partial_results():
    assert from_json('{"a": [1, 2.5, "x", true, null, {}], "a": 2}') == {"a": 2.0}
    assert from_json('"\\ud83d\\ude00\\u00e9"') == "😀é"
    with pytest.raises(JSONError) as e:
        from_json('{"a":1e999}', "map")
    assert str(e.value) == "json: cannot unmarshal number 1e999 into Go value of type float64"
    assert e.value.partial == {"a": None}
    with pytest.raises(JSONError, match="cannot unmarshal object into Go value of type \\[\\]interface \\{\\}"):
        from_json("{}", "list")
