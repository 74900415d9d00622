"""Sprig v3.3.0's own template tests, run through our template engine with helm_funcs()."""

from __future__ import annotations

import pytest
from sprig_vectors import VECTORS

from pilothouse.funcs import helm_funcs
from pilothouse.gotemplate.gotypes import GoObject, IntList


class FixtureTO(GoObject):
    """Sprig's test struct `fixtureTO{Name, Value string}`."""

    go_type = "sprig.fixtureTO"
    go_kind = "struct"
    go_fields = ("Name", "Value")

    def __init__(self, name: str, value: str) -> None:
        self.Name = name
        self.Value = value


class FixtureTOPtr(FixtureTO):
    """`&fixtureTO{...}` (or a nil `*fixtureTO`)."""

    go_type = "*sprig.fixtureTO"
    go_kind = "ptr"


class StringPtr(GoObject):
    """A Go `*string`."""

    go_type = "*string"
    go_kind = "ptr"


def _merge_data() -> dict:
    # The data of Sprig's TestMerge/TestMergeOverwrite (Go ints, []int lists).
    return {
        "src2": {"h": 10, "i": "i", "j": "j"},
        "src1": {"a": 1, "b": 2, "d": {"e": "four"}, "g": IntList([6, 7]), "i": "aye", "j": "jay", "k": {"l": False}},
        "dst": {"a": "one", "c": 3, "d": {"f": 5}, "g": IntList([8, 9]), "i": "eye", "k": {"l": True}},
    }


FIXTURES = {
    "merge_data": _merge_data,
    None: lambda: None,
    "nil_value": lambda: {"value": None},
    "top_empty": lambda: {"top": {}},
    "fixture_ptr": lambda: FixtureTOPtr("hello", "world"),
    "fixture_struct": lambda: FixtureTO("hello", "world"),
    "nil_fixture_ptr": lambda: FixtureTOPtr("", ""),
    "str_slice": lambda: ["hello"],
    "hello_str": lambda: "hello",
    "str_ptr": lambda: StringPtr(),
}


@pytest.mark.parametrize(("tpl", "data", "expected"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS])
def test_sprig_vector(tpl: str, data: str | None, expected: str) -> None:
    from pilothouse.gotemplate import TemplateSet

    ts = TemplateSet(funcs=helm_funcs())
    ts.parse("test", tpl)
    assert ts.execute("test", FIXTURES[data]()) == expected
