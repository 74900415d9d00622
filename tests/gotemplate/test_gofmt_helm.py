"""fmt output as Helm's engine shows it in templates.

Each expected string is what Helm v4 (Go 1.26) rendered for the template expression in the
comment, e.g. `{{ printf "%v %T" 1e6 .Values }}` -> `1e+06 common.Values`; the operands are
the same values in the shared model (numbers from values.yaml are float64, template literals
are int, sprig's list/dict are []interface {}/map[string]interface {}).
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from pilothouse.gotemplate.gofmt import format_value, kind_name, sprint, sprintf, type_name
from pilothouse.gotemplate.gotypes import FuncError, GoObject, Int64, IntList, StrList, StrMap, Uint8


class Values(dict, GoObject):
    go_type: ClassVar[str] = "common.Values"
    go_kind: ClassVar[str] = "map"


class KubeVersion(GoObject):
    """common.KubeVersion held by value: its String() has a pointer receiver, so fmt sees a struct."""

    go_type: ClassVar[str] = "common.KubeVersion"
    go_fields: ClassVar[tuple[str, ...]] = ("Version", "normalizedVersion", "Major", "Minor")

    def __init__(self) -> None:
        self.Version = "v1.36.0"
        self.normalizedVersion = "v1.36.0"
        self.Major = "1"
        self.Minor = "36"


class BuildInfo(GoObject):
    go_type: ClassVar[str] = "version.BuildInfo"
    go_fields: ClassVar[tuple[str, ...]] = ("Version", "GitCommit", "GitTreeState", "GoVersion", "KubeClientVersion")

    def __init__(self) -> None:
        self.Version = "v4.2"
        self.GitCommit = ""
        self.GitTreeState = ""
        self.GoVersion = "go1.26.6"
        self.KubeClientVersion = "v1.36"


class Version(GoObject):
    """*semver.Version: a pointer with a String() method."""

    go_type: ClassVar[str] = "*semver.Version"
    go_kind: ClassVar[str] = "ptr"
    go_fields: ClassVar[tuple[str, ...]] = ("major", "minor", "patch", "pre", "metadata", "original")

    def __init__(self, major: int, minor: int, patch: int, pre: str = "", metadata: str = "") -> None:
        self.major, self.minor, self.patch = major, minor, patch
        self.pre, self.metadata = pre, metadata
        self.original = f"{major}.{minor}.{patch}" + (f"-{pre}" if pre else "") + (f"+{metadata}" if metadata else "")

    def go_string(self) -> str:
        return self.original


class Capabilities(GoObject):
    go_type: ClassVar[str] = "*common.Capabilities"
    go_kind: ClassVar[str] = "ptr"


class Files(dict, GoObject):
    go_type: ClassVar[str] = "engine.files"
    go_kind: ClassVar[str] = "map"


# values.yaml: {i: 42, n: null, big: 12345678, neg0: -0.0, m: {b: 2, a: [1, "x", null], c: {d: true}}, l: [1, 2.5, "s"]}
M = {"b": 2.0, "a": [1.0, "x", None], "c": {"d": True}}
L = [1.0, 2.5, "s"]
HI = b"hi"  # .Files.GetBytes "f.txt"

SPRINTF = [
    ("%v %T", (1e6, Values()), "1e+06 common.Values"),  # printf "%v %T" 1e6 .Values
    ("%v", (M,), "map[a:[1 x <nil>] b:2 c:map[d:true]]"),
    ("%d", (42.0,), "%!d(float64=42)"),
    ("%s", (None,), "%!s(<nil>)"),
    ("%d %d", (1,), "1 %!d(MISSING)"),
    ("%d", (1, 2), "1%!(EXTRA int=2)"),
    ("%q", ('a"b\n\tc\x01é',), '"a\\"b\\n\\tc\\x01é"'),
    ("%5.2f|%-5s|%05d|%x|%X", (3.14159, "ab", 42, "hi", 255), " 3.14|ab   |00042|6869|FF"),
    ("%T %T %T %T", (M, L, [1], {}), "map[string]interface {} []interface {} []interface {} map[string]interface {}"),
    ("%v", ([1, "a", None],), "[1 a <nil>]"),
    (
        "%#v",
        (M,),
        'map[string]interface {}{"a":[]interface {}{1, "x", interface {}(nil)}, "b":2, "c":map[string]interface {}{"d":true}}',
    ),
    ("%+v", (M,), "map[a:[1 x <nil>] b:2 c:map[d:true]]"),
    ("%T", (StrList(["a", "b"]),), "[]string"),  # splitList
    ("%v %T", (StrMap(_0="a", _1="b"), StrMap()), "map[_0:a _1:b] map[string]string"),  # split
    ("%T %v", (IntList([0, 1, 2]), IntList([0, 1, 2])), "[]int [0 1 2]"),  # until 3
    ("%v %T", (Int64(5), Int64(5)), "5 int64"),
    ("%v %T", (Uint8(98), Uint8(98)), "98 uint8"),  # index "abc" 1
    (
        "%e %g %G %.3g %8.3e",
        (123456.789, 1e-7, 1e21, 0.000012345, 12345.678),
        "1.234568e+05 1e-07 1E+21 1.23e-05 1.235e+04",
    ),
    ("%t %v %t", (True, False, 1), "true false %!t(int=1)"),
    ("%c %U %#U %q", (65, 0x1F600, 0x1F600, 9731), "A U+1F600 U+1F600 '😀' '☃'"),
    ("%b %o %O %#x %#o %#b", (5, 8, 8, 255, 8, 5), "101 10 0o10 0xff 010 0b101"),
    ("%x % X %#x %# x", ("hello", "hi", "hi", "hi"), "68656c6c6f 68 69 0x6869 0x68 0x69"),
    ("%10.3s|%-10s|", ("abcdef", "x"), "       abc|x         |"),
    ("%*d|%-*d|%.*f", (5, 42, 5, 42, 2, 3.14159), "   42|42   |3.14"),
    ("%[2]d %[1]d", (1, 2), "2 1"),
    ("%[3]d", (1, 2), "%!d(BADINDEX)"),
    ("%!", (), "%!!(MISSING)"),
    ("%", (), "%!(NOVERB)"),
    ("%v %v", (12345678.0, -0.0), "1.2345678e+07 -0"),
    ("%s", (["a", "b"],), "[a b]"),
    ("%d", ([1, 2],), "[1 2]"),
    ("%d", (["a"],), "[%!d(string=a)]"),
    ("%05s|%-05d|%+d|% d|%+.2e", ("ab", 3, 5, 5, 12345.0), "000ab|3    |+5| 5|+1.23e+04"),
    ("%6.2v|%x|%.2x|%X", (3.14159, 3.5, 1.0, -0.1), "   3.1|0x1.cp+01|0x1.00p+00|-0X1.999999999999AP-04"),
    ("%q", (["a", 1],), "[\"a\" '\\x01']"),
    ("%v", ({"b": [], "a": {}},), "map[a:map[] b:[]]"),
    ("%#v", ([1, None, "a", 1.5, True, Int64(2)],), '[]interface {}{1, interface {}(nil), "a", 1.5, true, 2}'),
    ("%v", ([[1, 2], {"k": "v"}],), "[[1 2] map[k:v]]"),
    ("%T %v", (StrList(["1", "2.5"]), StrList(["1", "2.5"])), "[]string [1 2.5]"),  # toStrings
    ("%v|%s|%T|%x|%q|%#v", (HI,) * 6, '[104 105]|hi|[]uint8|6869|"hi"|[]byte{0x68, 0x69}'),
    ("%v", ([HI],), "[[104 105]]"),
    ("%s", ([HI],), "[hi]"),
    ("%#v", ([HI],), "[]interface {}{[]uint8{0x68, 0x69}}"),
    (
        "%v|%.1f|%5.1f|%-8.3f|%08.3f|%+08.3f",
        (L, 2.25, -1.0, 3.0, -3.14159, 3.14159),
        "[1 2.5 s]|2.2| -1.0|3.000   |-003.142|+003.142",
    ),
    ("%x %X %o %b %d", (-255, -255, -8, -5, 0), "-ff -FF -10 -101 0"),
    ("%#v %#v %#v %#v", ("s", 1.0, 1e6, Int64(-3)), '"s" 1 1e+06 -3'),
    ("%v %d", (Uint8(97), Uint8(195)), "97 195"),  # index "abc" 0, index "é" 0
    ("%#v", (Uint8(97),), "0x61"),
    ("%v", ([None],), "[<nil>]"),
    ("%+v %#v", (None, None), "<nil> <nil>"),
    ("%s %v", (True, 1.5), "%!s(bool=true) 1.5"),
    ("%z", ("x",), "%!z(string=x)"),
    ("%d", ("x",), "%!d(string=x)"),
    ("%10v|%-10v|%010v", ([1, "a"], {"a": 1}, 3.5), "[         1          a]|map[a         :1         ]|00000003.5"),
    ("%.0f %.0f %.0f %.0f %.1f", (0.5, 1.5, 2.5, -0.5, 0.25), "0 2 2 -0 0.2"),
    (
        "%g %g %g %g %.10g %.20g",
        (100000.0, 1e6, 0.0001, 0.00001, 1.0, 0.1),
        "100000 1e+06 0.0001 1e-05 1 0.10000000000000000555",
    ),
    ("%v %s", (Version(1, 2, 3, "beta.1", "b"), Version(1, 2, 3)), "1.2.3-beta.1+b 1.2.3"),
    ("%T", (Version(1, 2, 3),), "*semver.Version"),
    ("%+v", (Version(1, 2, 3),), "1.2.3"),
    ("%d", (Version(1, 2, 3),), "&{1 2 3 %!d(string=) %!d(string=) %!d(string=1.2.3)}"),
    (
        "%T|%T|%T|%T",
        (Capabilities(), {}, {}, KubeVersion()),
        "*common.Capabilities|map[string]interface {}|map[string]interface {}|common.KubeVersion",
    ),
    ("%T", (Files(),), "engine.files"),
    ("%+v", (KubeVersion(),), "{Version:v1.36.0 normalizedVersion:v1.36.0 Major:1 Minor:36}"),
    ("%s|%x", (KubeVersion(), KubeVersion()), "{v1.36.0 v1.36.0 1 36}|{76312e33362e30 76312e33362e30 31 3336}"),
    ("%v", ([KubeVersion()],), "[{v1.36.0 v1.36.0 1 36}]"),
    ("%v", (BuildInfo(),), "{v4.2   go1.26.6 v1.36}"),
    ("%+v", (BuildInfo(),), "{Version:v4.2 GitCommit: GitTreeState: GoVersion:go1.26.6 KubeClientVersion:v1.36}"),
    ("%T", (BuildInfo(),), "version.BuildInfo"),
    ("%v", ({"a": None, "b": []},), "map[a:<nil> b:[]]"),
    ("%s", (StrList(["ab", "ac", "ad"]),), "[ab ac ad]"),  # regexFindAll
]


@pytest.mark.parametrize(
    ("fmt", "args", "out"), [pytest.param(*row, id=f"{i}-{row[0]!r}") for i, row in enumerate(SPRINTF)]
)
def test_helm_printf(fmt: str, args: tuple, out: str) -> None:
    assert sprintf(fmt, *args) == out


@pytest.mark.parametrize(
    ("value", "out"),
    [
        # {{ .Values.floats }} with [0.1, 0.00001, 123456789.0, 1e20, 1e21, 100000.0, 1234567.0, 0.000001, 1e-4, 0.5]
        (
            [0.1, 0.00001, 123456789.0, 1e20, 1e21, 100000.0, 1234567.0, 0.000001, 1e-4, 0.5],
            "[0.1 1e-05 1.23456789e+08 1e+20 1e+21 100000 1.234567e+06 1e-06 0.0001 0.5]",
        ),
        (1e6, "1e+06"),  # toString 1e6
        (8080.0, "8080"),
        (123456.7, "123456.7"),
        (0.00001234, "1.234e-05"),
        (1234567.0, "1.234567e+06"),
    ],
)
def test_helm_print_values(value: Any, out: str) -> None:
    assert format_value(value) == out


def test_helm_print_spacing() -> None:
    # {{ print 1 nil "a" 2 3 }}
    assert sprint(1, None, "a", 2, 3) == "1 <nil>a2 3"


@pytest.mark.parametrize(
    ("value", "kind"),
    [(StrList(), "slice"), ([], "slice"), (None, "invalid"), (1, "int"), (Values(), "map"), (Capabilities(), "ptr")],
)
def test_helm_kind_of(value: Any, kind: str) -> None:
    # {{ kindOf (list) }} {{ kindOf nil }} {{ kindOf 1 }} {{ kindOf .Values }} {{ kindOf .Capabilities }}
    assert kind_name(value) == kind


@pytest.mark.parametrize(
    ("value", "name"),
    [(42.0, "float64"), (Int64(1), "int64"), ("s", "string"), (None, "<nil>"), ({}, "map[string]interface {}")],
)
def test_helm_type_of(value: Any, name: str) -> None:
    # {{ typeOf .Values.i }} {{ typeOf (int64 1) }} {{ typeOf "s" }} {{ typeOf nil }} {{ typeOf .Release }}
    assert type_name(value) == name


def test_error_operand_prints_its_message() -> None:
    # Go's fmt calls Error() on an operand that implements error, for %v %s %q %x.
    err = FuncError("boom")
    assert sprint(err) == "boom"
    assert sprintf("%q|%v", err, [err]) == '"boom"|[boom]'
    assert sprintf("%T", err) == "*errors.errorString"
