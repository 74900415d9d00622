"""Go's lexer and parser tests (parse/lex_test.go, parse/parse_test.go), vector by vector."""

from __future__ import annotations

import pytest
from tmpl_lex_vectors import LEX_DELIM_TESTS, LEX_POS_TESTS, LEX_TESTS
from tmpl_parse_vectors import ERROR_TESTS, IS_EMPTY_TESTS, NUMBER_TESTS, PARSE_TESTS, PARSE_WITH_COMMENTS

from pilothouse.gotemplate import ParseError
from pilothouse.gotemplate import lexer as L
from pilothouse.gotemplate import parser as P
from pilothouse.gotemplate.gostrconv import NumError, quote
from pilothouse.gotemplate.nodes import ActionNode, TextNode, is_empty_tree

NAMES = {
    L.ERROR: "error",
    L.BOOL: "bool",
    L.CHAR: "char",
    L.CHAR_CONSTANT: "charconst",
    L.COMMENT: "comment",
    L.COMPLEX: "complex",
    L.DECLARE: ":=",
    L.ASSIGN: "=",
    L.EOF: "EOF",
    L.FIELD: "field",
    L.IDENTIFIER: "identifier",
    L.LEFT_DELIM: "left delim",
    L.LEFT_PAREN: "(",
    L.NUMBER: "number",
    L.PIPE: "pipe",
    L.RAW_STRING: "raw string",
    L.RIGHT_DELIM: "right delim",
    L.RIGHT_PAREN: ")",
    L.SPACE: "space",
    L.STRING: "string",
    L.TEXT: "text",
    L.VARIABLE: "variable",
    L.DOT: ".",
    L.BLOCK: "block",
    L.BREAK: "break",
    L.CONTINUE: "continue",
    L.DEFINE: "define",
    L.ELSE: "else",
    L.IF: "if",
    L.END: "end",
    L.NIL: "nil",
    L.RANGE: "range",
    L.TEMPLATE: "template",
    L.WITH: "with",
}


def _lex(text: str, left: str = "", right: str = "") -> list:
    return L.lex(text, left, right, emit_comment=True)


@pytest.mark.parametrize(("name", "text", "want"), LEX_TESTS, ids=[t[0] for t in LEX_TESTS])
def test_lex(name: str, text: str, want: list) -> None:
    assert [(NAMES[i.typ], i.val) for i in _lex(text)] == want


@pytest.mark.parametrize(
    ("name", "left", "right", "text", "want"), LEX_DELIM_TESTS, ids=[t[0] for t in LEX_DELIM_TESTS]
)
def test_lex_delims(name: str, left: str, right: str, text: str, want: list) -> None:
    assert [(NAMES[i.typ], i.val) for i in _lex(text, left, right)] == want


@pytest.mark.parametrize(("name", "text", "want"), LEX_POS_TESTS, ids=[t[0] for t in LEX_POS_TESTS])
def test_lex_positions(name: str, text: str, want: list) -> None:
    got = [(NAMES[i.typ], i.pos, i.val, text.count("\n", 0, i.pos) + 1) for i in _lex(text)]
    assert got == want


@pytest.mark.parametrize("row", NUMBER_TESTS, ids=[r[0] for r in NUMBER_TESTS])
def test_number_parse(row: tuple) -> None:
    text = row[0]
    if text[0] == "'":
        typ = L.CHAR_CONSTANT
    else:
        # Go's test lexes complex literals (real+imag) as complex items.
        body = text.lstrip("+-")
        typ = L.COMPLEX if text.endswith("i") and any(c in "+-" for c in body[1:]) else L.NUMBER
    if len(row) == 1:
        with pytest.raises(NumError):
            P.new_number(None, 0, text, typ)
        return
    _, is_int, is_uint, is_float, is_complex, i64, u64, f64, c128 = row
    n = P.new_number(None, 0, text, typ)
    assert (n.is_int, n.is_uint, n.is_float, n.is_complex) == (is_int, is_uint, is_float, is_complex)
    if is_int:
        assert n.int64 == i64
    if is_uint:
        assert n.uint64 == u64
    if is_float:
        assert n.float64 == f64
    if is_complex:
        assert n.complex128 == c128


PARSE_FUNCS = {"printf", "contains"}


@pytest.fixture
def quoted_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Go's parse tests print text nodes with %q.
    monkeypatch.setattr(TextNode, "string", lambda self: quote(self.text))
    monkeypatch.setattr(P, "MAX_STACK_DEPTH", 3)


@pytest.mark.parametrize(("name", "text", "ok", "want"), PARSE_TESTS, ids=[t[0] for t in PARSE_TESTS])
def test_parse(quoted_text: None, name: str, text: str, ok: bool, want: str) -> None:
    if not ok:
        with pytest.raises(ParseError) as err:
            P.parse("test", text, has_function=PARSE_FUNCS.__contains__)
        if want.startswith("template:"):
            assert str(err.value) == want
        return
    trees = P.parse(name, text, has_function=PARSE_FUNCS.__contains__)
    assert trees[name].root.string() == want


@pytest.mark.parametrize(("name", "text", "want"), PARSE_WITH_COMMENTS, ids=[t[0] for t in PARSE_WITH_COMMENTS])
def test_parse_with_comments(quoted_text: None, name: str, text: str, want: str) -> None:
    trees = P.parse(name, text, mode=P.PARSE_COMMENTS, has_function=lambda n: False)
    assert trees[name].root.string() == want


def test_keywords_and_funcs() -> None:
    text = "{{range .X}}{{break 20}}{{end}}"
    # 'break' is a function here, so it is no keyword and takes an argument.
    P.parse("", text, has_function={"break"}.__contains__)
    with pytest.raises(ParseError):
        P.parse("", text, has_function=lambda n: False)


def test_skip_func_check() -> None:
    trees = P.parse("skip func check", "{{fn 1 2}}", mode=P.SKIP_FUNC_CHECK, has_function=lambda n: False)
    assert trees["skip func check"].root.string() == "{{fn 1 2}}"


@pytest.mark.parametrize(("name", "text", "empty"), IS_EMPTY_TESTS, ids=[t[0] for t in IS_EMPTY_TESTS])
def test_is_empty(name: str, text: str, empty: bool) -> None:
    assert is_empty_tree(None)
    trees = P.parse("root", text, has_function=lambda n: False)
    assert is_empty_tree(trees["root"].root) == empty


@pytest.mark.parametrize(("name", "text", "want"), ERROR_TESTS, ids=[t[0] for t in ERROR_TESTS])
def test_errors(name: str, text: str, want: str) -> None:
    with pytest.raises(ParseError) as err:
        P.parse(name, text, has_function=lambda n: False)
    assert want in str(err.value)


def test_block() -> None:
    trees = P.parse("outer", 'a{{block "inner" .}}bar{{.}}baz{{end}}b', has_function=lambda n: False)
    assert trees["outer"].root.string() == 'a{{template "inner" .}}b'
    assert trees["inner"].root.string() == "bar{{.}}baz"


def test_line_numbers() -> None:
    text = "{{printf 1234}}\n" * 3
    nodes = P.parse("bench", text, has_function=PARSE_FUNCS.__contains__)["bench"].root.nodes
    for i in range(0, len(nodes), 2):
        assert isinstance(nodes[i], ActionNode)
        assert nodes[i].line == 1 + i // 2
        assert nodes[i].pipe.line == 1 + i // 2
