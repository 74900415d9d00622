"""Property tests: any text parses or raises ParseError; any parsed template executes or raises
ExecError. No other exception may escape the engine."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilothouse.gotemplate import ExecError, ParseError, TemplateSet
from pilothouse.gotemplate.gotypes import FuncError, gofunc

# Pieces that hit every lexer and parser path, joined at random.
TOKENS = [
    "{{",
    "}}",
    "{{- ",
    " -}}",
    "{{/*",
    "*/}}",
    " ",
    "\n",
    "\t",
    ".",
    ".a",
    ".b.c",
    "$",
    "$x",
    "$y",
    ":=",
    "=",
    "|",
    "(",
    ")",
    ",",
    '"s"',
    "`raw`",
    "'c'",
    "1",
    "-2",
    "3.5",
    "0x1F",
    "1e3",
    "2i",
    "1+2i",
    "true",
    "false",
    "nil",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    '"t"',
    "and",
    "or",
    "not",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "println",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "html",
    "js",
    "urlquery",
    "call",
    "f",
    "g",
    "x",
    "#",
    "@",
    "\\",
    "é",
    "{",
    "}",
    "-",
    "+",
]

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "c", "x"]), inner, max_size=3)
    ),
    max_leaves=8,
)


@gofunc("interface {}")
def _f(v: object) -> object:
    return v


@gofunc("int", "string")
def _g(n: int, s: str) -> str:
    if n < 0:
        raise FuncError("negative")
    return s * n


def _new() -> TemplateSet:
    return TemplateSet({"f": _f, "g": _g})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_parse_never_crashes(text: str) -> None:
    try:
        _new().parse("fuzz", text)
    except ParseError:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=40))
def test_parse_arbitrary_text(text: str) -> None:
    try:
        _new().parse("fuzz", text)
    except ParseError:
        pass


# Templates that parse more often: actions built from a small grammar.
OPERAND = st.sampled_from(
    [".", ".a", ".b", ".a.b", "$", "$.a", "1", "0", "-1", "2.5", '"s"', "true", "nil", "(len .)", "(f .a)"]
)
FUNC = st.sampled_from(
    ["f", "g", "len", "index", "slice", "print", "printf", "eq", "lt", "and", "or", "not", "html", "js", "call"]
)
COMMAND = st.one_of(OPERAND, st.builds(lambda fn, args: " ".join([fn, *args]), FUNC, st.lists(OPERAND, max_size=3)))
PIPE = st.builds(lambda cmds: " | ".join(cmds), st.lists(COMMAND, min_size=1, max_size=3))


def _wrap(kind: str, pipe: str, body: str) -> str:
    if kind == "action":
        return "{{" + pipe + "}}"
    if kind == "decl":
        return "{{$v := " + pipe + "}}{{$v}}"
    if kind == "range":
        return "{{range $i, $e := " + pipe + "}}" + body + "{{$e}}{{else}}E{{end}}"
    if kind == "template":
        return '{{define "d"}}[' + body + ']{{end}}{{template "d" ' + pipe + "}}"
    return "{{" + kind + " " + pipe + "}}" + body + "{{else}}-{{end}}"


PIECE = st.builds(
    _wrap,
    st.sampled_from(["action", "decl", "range", "template", "if", "with"]),
    PIPE,
    st.sampled_from(["", "{{.}}", "{{break}}", "x"]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECE, min_size=1, max_size=4).map("".join), VALUES, st.sampled_from(["default", "zero", "error"]))
def test_execute_never_crashes(text: str, value: object, missingkey: str) -> None:
    ts = TemplateSet({"f": _f, "g": _g}, missingkey=missingkey)
    try:
        ts.parse("fuzz", text)
    except ParseError:
        return
    try:
        out = ts.execute("fuzz", value)
    except ExecError:
        return
    assert isinstance(out, str)
