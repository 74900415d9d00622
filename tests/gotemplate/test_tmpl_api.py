"""The public API: argument checks by declared Go signature, error fields, nested execution.

Expected texts are Go's (exec.go) as Helm users see them (see helm-engine.md §1.3, checked
against Helm)."""

from __future__ import annotations

import pytest

from pilothouse.errors import TemplateError
from pilothouse.gotemplate import ExecError, ParseError, TemplateSet
from pilothouse.gotemplate.gotypes import FuncError, Int64, gofunc


@gofunc("int", "string")
def indent(n: int, s: str) -> str:
    return " " * n + s


@gofunc("float64")
def half(f: float) -> float:
    return f / 2


@gofunc("int64")
def int64_of(v: int) -> str:
    return type(v).__name__


def _run(text: str, data: object = None, missingkey: str = "zero") -> str:
    ts = TemplateSet({"indent": indent, "half": half, "int64Of": int64_of}, missingkey=missingkey)
    ts.parse("t", text)
    return ts.execute("t", data)


ARGS = [
    ('{{ indent 2 "x" }}', None, "  x"),
    ('{{ indent 2.0 "x" }}', None, "  x"),  # an integral float literal fits an int parameter
    ("{{ half 3 }}", None, "1.5"),  # an int literal fits a float64 parameter
    ("{{ int64Of 3 }}", None, "Int64"),
    ("{{ int64Of .n }}", {"n": Int64(3)}, "Int64"),
]


@pytest.mark.parametrize(("text", "data", "want"), ARGS)
def test_literal_and_value_arguments(text: str, data: object, want: str) -> None:
    assert _run(text, data) == want


ARG_ERRORS = [
    ('{{ indent 2.5 "x" }}', None, "zero", "<2.5>", "expected integer; found 2.5"),
    ('{{ indent "2" "x" }}', None, "zero", '<"2">', 'expected integer; found "2"'),
    ("{{ indent 2 3 }}", None, "zero", "<3>", "expected string; found 3"),
    ('{{ indent .n "x" }}', {"n": 2.0}, "zero", "<.n>", "wrong type for value; expected int; got float64"),
    ('{{ indent .n "x" }}', {"n": Int64(2)}, "zero", "<.n>", "wrong type for value; expected int; got int64"),
    ('{{ indent .missing "x" }}', {}, "zero", "<.missing>", "wrong type for value; expected int; got interface {}"),
    ('{{ indent .missing "x" }}', {}, "default", "<.missing>", "invalid value; expected int"),
    ('{{ indent nil "x" }}', None, "zero", "<nil>", "cannot assign nil to int"),
    ("{{ indent 2 }}", None, "zero", "<indent>", "wrong number of args for indent: want 2 got 1"),
    ('{{ "x" | indent 1 2 }}', None, "zero", "<indent>", "wrong number of args for indent: want 2 got 3"),
    ("{{ 2 | half }}", None, "zero", "<half>", "wrong type for value; expected float64; got int"),
]


@pytest.mark.parametrize(("text", "data", "mk", "node", "msg"), ARG_ERRORS)
def test_argument_errors(text: str, data: object, mk: str, node: str, msg: str) -> None:
    with pytest.raises(ExecError) as err:
        _run(text, data, mk)
    assert str(err.value).endswith(f"at {node}: {msg}")
    assert err.value.msg == msg


def test_errors_are_template_errors() -> None:
    assert issubclass(ExecError, TemplateError) and issubclass(ParseError, TemplateError)
    with pytest.raises(ParseError) as err:
        TemplateSet().parse("x", "a\nb {{ nope }}")
    assert str(err.value) == 'template: x:2: function "nope" not defined'
    assert (err.value.name, err.value.line, err.value.msg) == ("x", 2, 'function "nope" not defined')


def test_function_errors_keep_their_cause() -> None:
    @gofunc()
    def bad() -> str:
        raise FuncError("it broke")

    def boom() -> str:
        raise ZeroDivisionError("integer divide by zero")

    ts = TemplateSet({"bad": bad, "boom": boom})
    ts.parse("t", "{{ bad }}")
    with pytest.raises(ExecError) as err:
        ts.execute("t", None)
    assert str(err.value) == 'template: t:1:3: executing "t" at <bad>: error calling bad: it broke'
    assert err.value.func == "bad" and isinstance(err.value.cause, FuncError)
    ts.parse("u", "x{{ boom }}")
    with pytest.raises(ExecError) as err:
        ts.execute("u", None)
    assert str(err.value) == 'template: u:1:4: executing "u" at <boom>: error calling boom: integer divide by zero'
    assert isinstance(err.value.cause, ZeroDivisionError)


def test_nested_execute_from_a_function() -> None:
    ts = TemplateSet()

    @gofunc("string", "interface {}")
    def include(name: str, data: object) -> str:
        return ts.execute(name, data)

    ts.funcs["include"] = include
    ts.parse("helpers", '{{ define "a" }}<{{ .x }}>{{ end }}{{ define "b" }}{{ include "nope" . }}{{ end }}')
    ts.parse("main", '{{ include "a" . | printf "%s!" }}')
    assert ts.execute("main", {"x": 1}) == "<1>!"
    ts.parse("err", '{{ include "b" . }}')
    with pytest.raises(ExecError) as err:
        ts.execute("err", {})
    assert str(err.value) == (
        'template: err:1:3: executing "err" at <include "b" .>: error calling include: '
        'template: helpers:1:54: executing "b" at <include "nope" .>: error calling include: '
        'template: no template "nope" associated with template "gotpl"'
    )
    assert isinstance(err.value.cause, ExecError)


def test_runaway_recursion_through_a_function_is_an_exec_error() -> None:
    ts = TemplateSet()

    def include(name: str, data: object) -> str:
        return ts.execute(name, data)

    ts.funcs["include"] = include
    ts.parse("r", '{{ define "loop" }}{{ include "loop" . }}{{ end }}')
    with pytest.raises(ExecError) as err:
        ts.execute("loop", None)
    assert "exceeded maximum template depth (100000)" in str(err.value)


def test_clone_is_independent() -> None:
    ts = TemplateSet({"f": lambda: "orig"})
    ts.parse("t", "{{ f }}")
    c = ts.clone()
    c.funcs["f"] = lambda: "clone"
    c.parse("t2", "{{ f }}!")
    assert (ts.execute("t", None), c.execute("t", None), c.execute("t2", None)) == ("orig", "clone", "clone!")
    assert not ts.has("t2") and c.has("t2") and sorted(c.names()) == ["t", "t2"]


def test_parse_failure_adds_nothing() -> None:
    ts = TemplateSet()
    with pytest.raises(ParseError):
        ts.parse("t", '{{ define "a" }}x{{ end }}{{ if }}')
    assert ts.names() == []


def test_unknown_missingkey_option() -> None:
    with pytest.raises(ValueError):
        TemplateSet(missingkey="nope")


def test_compiled_code_is_shared_between_sets() -> None:
    a, b = TemplateSet(), TemplateSet()
    text = "{{ range . }}{{ . }}{{ end }}"
    a.parse("t", text)
    b.parse("t", text)
    assert a._templates["t"] is b._templates["t"]
    assert b.execute("t", [1, 2]) == "12"
