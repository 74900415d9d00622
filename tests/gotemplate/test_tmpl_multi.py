"""Go's tests of associated templates, options and error texts (multi_test.go, exec_test.go)."""

from __future__ import annotations

import pytest
from tmpl_godata import FUNCS, data

from pilothouse.gotemplate import ExecError, ParseError, TemplateSet
from pilothouse.gotemplate.builtins import js_escape
from pilothouse.gotemplate.gotypes import FuncError, GoObject, IntList, gofunc

# -- TestMultiParse -------------------------------------------------------------------------

MULTI_PARSE = [
    ("empty", "", True, {}),
    ("one", '{{define "foo"}} FOO {{end}}', True, {"foo": " FOO "}),
    ("two", '{{define "foo"}} FOO {{end}}{{define "bar"}} BAR {{end}}', True, {"foo": " FOO ", "bar": " BAR "}),
    ("missing end", '{{define "foo"}} FOO ', False, {}),
    ("malformed name", '{{define "foo}} FOO ', False, {}),
]


@pytest.mark.parametrize(("name", "text", "ok", "defs"), MULTI_PARSE, ids=[r[0] for r in MULTI_PARSE])
def test_multi_parse(name: str, text: str, ok: bool, defs: dict) -> None:
    ts = TemplateSet()
    if not ok:
        with pytest.raises(ParseError):
            ts.parse("root", text)
        assert ts.names() == []
        return
    ts.parse("root", text)
    assert sorted(ts.names()) == sorted(["root", *defs])
    for tname, want in defs.items():
        assert ts.execute(tname, None) == want


# -- TestMultiExecute ------------------------------------------------------------------------

MULTI_TEXT1 = '\n\t{{define "x"}}TEXT{{end}}\n\t{{define "dotV"}}{{.V}}{{end}}\n'
MULTI_TEXT2 = '\n\t{{define "dot"}}{{.}}{{end}}\n\t{{define "nested"}}{{template "dot" .}}{{end}}\n'

MULTI_EXEC = [
    ("empty", "", "", None),
    ("text", "some text", "some text", None),
    ("invoke x", '{{template "x" .SI}}', "TEXT", "tVal"),
    ("invoke x no args", '{{template "x"}}', "TEXT", "tVal"),
    ("invoke dot int", '{{template "dot" .I}}', "17", "tVal"),
    ("invoke dot []int", '{{template "dot" .SI}}', "[3 4 5]", "tVal"),
    ("invoke dotV", '{{template "dotV" .U}}', "v", "tVal"),
    ("invoke nested int", '{{template "nested" .I}}', "17", "tVal"),
    ("variable declared by template", '{{template "nested" $x:=.SI}},{{index $x 1}}', "[3 4 5],4", "tVal"),
    ("testFunc literal", '{{oneArg "joe"}}', "oneArg=joe", "tVal"),
    ("testFunc .", "{{oneArg .}}", "oneArg=joe", "joe"),
]


@pytest.mark.parametrize(("name", "text", "want", "value"), MULTI_EXEC, ids=[r[0] for r in MULTI_EXEC])
def test_multi_execute(name: str, text: str, want: str, value: object) -> None:
    ts = TemplateSet(FUNCS)
    ts.parse("root", MULTI_TEXT1)
    ts.parse("root", MULTI_TEXT2)
    ts.parse(name, text)
    assert ts.execute(name, data(value)) == want


def test_parse_files_with_data() -> None:
    ts = TemplateSet()
    ts.parse("tmpl1.tmpl", 'template1\n{{define "x"}}x{{end}}\n{{template "y"}}\n')
    ts.parse("tmpl2.tmpl", 'template2\n{{define "y"}}y{{end}}\n{{template "x"}}\n')
    ts.parse("test", '{{template "tmpl1.tmpl"}}{{template "tmpl2.tmpl"}}')
    assert ts.execute("test", 0) == "template1\n\ny\ntemplate2\n\nx\n"


def test_clone() -> None:
    root = TemplateSet(name="root")
    root.parse("root", '{{define "a"}}{{template "b"}}{{template "c"}}{{end}}')
    root.parse("root", '{{define "b"}}b{{end}}')
    clone = root.clone()
    root.parse("root", '{{define "c"}}root{{end}}')
    clone.parse("root", '{{define "c"}}clone{{end}}')
    assert root.execute("a", 0) == "broot"
    assert clone.execute("a", 0) == "bclone"


def test_redefinition() -> None:
    ts = TemplateSet()
    ts.parse("tmpl1", '{{define "test"}}foo{{end}}')
    ts.parse("tmpl1", '{{define "test"}}bar{{end}}')
    ts.parse("tmpl2", '{{define "test"}}bar{{end}}')
    assert ts.execute("test", None) == "bar"


def test_parse_empty_definitions_do_not_conflict() -> None:
    ts = TemplateSet()
    ts.parse("test", '{{define "test"}}{{end}}')
    ts.parse("test", '{{define "test"}}{{/* this is a comment */}}{{end}}')
    ts.parse("test", '{{define "test"}}foo{{end}}')
    assert ts.execute("test", None) == "foo"


EMPTY_TEMPLATE = [
    (["x", "y"], "", "y"),
    ([""], "once", ""),
    (["", ""], "twice", ""),
    (["{{.}}", "{{.}}"], "twice", "twice"),
    (["{{/* a comment */}}", "{{/* a comment */}}"], "comment", ""),
]


@pytest.mark.parametrize(("defs", "name", "want"), EMPTY_TEMPLATE)
def test_empty_template(defs: list[str], name: str, want: str) -> None:
    ts = TemplateSet(name="root")
    for d in defs:
        ts.parse(name, d)
    assert ts.execute(name, name) == want


def test_issue19294_empty_block_does_not_replace() -> None:
    ts = TemplateSet()
    ts.parse("title.xhtml", '{{template "xhtml" .}}')
    ts.parse("stylesheet", '{{define "stylesheet"}}stylesheet{{end}}')
    ts.parse("xhtml", '{{block "stylesheet" .}}{{end}}')
    assert ts.execute("title.xhtml", 0) == "stylesheet"


def test_block_overlay_on_clone() -> None:
    ts = TemplateSet()
    ts.parse("outer", 'a({{block "inner" .}}bar({{.}})baz{{end}})b')
    ts2 = ts.clone()
    ts2.parse("outer", '{{define "inner"}}foo({{.}})bar{{end}}')
    assert ts.execute("outer", "hello") == "a(bar(hello)baz)b"
    assert ts2.execute("outer", "goodbye") == "a(foo(goodbye)bar)b"


def test_multiple_definition_in_one_parse() -> None:
    ts = TemplateSet()
    with pytest.raises(ParseError) as err:
        ts.parse("x", '{{define "y"}}a{{end}}{{define "y"}}b{{end}}')
    assert str(err.value) == 'template: x:1: template: multiple definition of template "y"'


# -- exec_test.go: options, delimiters, error texts -------------------------------------------


def test_missing_map_key() -> None:
    class MapSI(dict):
        go_type = "map[string]int"
        zero = 0

    value = MapSI({"x": 99})
    for mode, want in (("default", "99 <no value>"), ("invalid", "99 <no value>"), ("zero", "99 0")):
        ts = TemplateSet(missingkey=mode)
        ts.parse("t1", "{{.x}} {{.y}}")
        assert ts.execute("t1", value) == want
    ts = TemplateSet(missingkey="error")
    ts.parse("t1", "{{.x}} {{.y}}")
    with pytest.raises(ExecError) as err:
        ts.execute("t1", value)
    assert str(err.value) == 'template: t1:1:9: executing "t1" at <.y>: map has no entry for key "y"'
    with pytest.raises(ExecError) as err:
        ts.execute("t1", None)
    assert str(err.value) == 'template: t1:1:2: executing "t1" at <.x>: nil data; no entry for key "x"'


@pytest.mark.parametrize(("left", "right"), [("", ""), ("{{", "}}"), ("<<", ">>"), ("|", "|"), ("(日)", "(本)")])
def test_delims(left: str, right: str) -> None:
    tl, tr = left or "{{", right or "}}"
    text = tl + ".Str" + tr + tl + "/*comment*/" + tr + tl + '"' + tl + '"' + tr
    ts = TemplateSet()
    ts.parse("delims", text, left=left, right=right)
    assert ts.execute("delims", {"Str": "Hello, world"}) == "Hello, world" + tl


def test_exec_error_nested() -> None:
    text = (
        'line 1\nline 2\nline 3\n{{template "one" .}}\n{{define "one"}}{{template "two" .}}{{end}}\n'
        '{{define "two"}}{{template "three" .}}{{end}}\n{{define "three"}}{{index "hi" $}}{{end}}'
    )
    ts = TemplateSet()
    ts.parse("top", text)
    with pytest.raises(ExecError) as err:
        ts.execute("top", 5)
    assert str(err.value) == (
        'template: top:7:20: executing "three" at <index "hi" $>: error calling index: index out of range: 5'
    )
    e = err.value
    assert (e.template, e.name, e.line, e.col, e.node, e.func) == ("three", "top", 7, 20, 'index "hi" $', "index")
    assert e.msg == "error calling index: index out of range: 5"
    assert isinstance(e.cause, FuncError)


def test_execute_error_from_method() -> None:
    ts = TemplateSet()
    ts.parse("error", "{{.MyError true}}")
    with pytest.raises(ExecError) as err:
        ts.execute("error", data("tVal"))
    assert "my error" in str(err.value)


def test_tree_with_paren_delims_and_trim() -> None:
    class Tree(GoObject):
        go_type = "*template.Tree"
        go_kind = "ptr"
        go_fields = ("Val", "Left", "Right")

        def __init__(self, val: int, left: Tree | None = None, right: Tree | None = None) -> None:
            self.Val, self.Left, self.Right = val, left, right

    tree = Tree(
        1,
        Tree(2, Tree(3, Tree(4)), Tree(5, Tree(6))),
        Tree(7, Tree(8, Tree(9)), Tree(10, Tree(11))),
    )
    text = (
        '\n\t(- define "tree" -)\n\t[\n\t\t(- .Val -)\n\t\t(- with .Left -)\n\t\t\t(template "tree" . -)\n'
        '\t\t(- end -)\n\t\t(- with .Right -)\n\t\t\t(- template "tree" . -)\n\t\t(- end -)\n\t]\n\t(- end -)\n'
    )
    ts = TemplateSet()
    ts.parse("root", text, left="(", right=")")
    assert ts.execute("tree", tree) == "[1[2[3[4]][5[6]]][7[8[9]][10[11]]]]"


def test_unterminated_string_error_line() -> None:
    with pytest.raises(ParseError) as err:
        TemplateSet().parse("X", "hello\n\n{{`unterminated\n\n\n\n}}\n some more\n\n")
    assert "X:3: unterminated raw quoted string" in str(err.value)


def test_exec_error_field_in_type_int() -> None:
    ts = TemplateSet()
    ts.parse("X", "hello, {{.X.Y}}")
    with pytest.raises(ExecError) as err:
        ts.execute("X", 0)
    assert "field X in type int" in str(err.value)


def test_max_exec_depth() -> None:
    ts = TemplateSet()
    ts.parse("tmpl", '{{template "tmpl" .}}')
    with pytest.raises(ExecError) as err:
        ts.execute("tmpl", None)
    assert "exceeded maximum template depth" in str(err.value)


@gofunc("int")
def _plus_one(n: int) -> int:
    return n + 1


INTERFACE_VALUES = [
    ("{{index .Nil 1}}", "ERROR: index of untyped nil"),
    ("{{index .Slice 2}}", "2"),
    ("{{index .Slice .Two}}", "2"),
    ("{{call .Nil 1}}", "ERROR: call of nil"),
    ("{{call .PlusOne 1}}", "2"),
    ("{{call .PlusOne .One}}", "2"),
    ("{{and (index .Slice 0) true}}", "0"),
    ("{{and .Zero true}}", "0"),
    ("{{and (index .Slice 1) false}}", "false"),
    ("{{and .One false}}", "false"),
    ("{{or (index .Slice 0) false}}", "false"),
    ("{{or .Zero false}}", "false"),
    ("{{or (index .Slice 1) true}}", "1"),
    ("{{or .One true}}", "1"),
    ("{{not (index .Slice 0)}}", "true"),
    ("{{not .Zero}}", "true"),
    ("{{not (index .Slice 1)}}", "false"),
    ("{{not .One}}", "false"),
    ("{{eq (index .Slice 0) .Zero}}", "true"),
    ("{{eq (index .Slice 1) .One}}", "true"),
    ("{{ne (index .Slice 0) .Zero}}", "false"),
    ("{{ne (index .Slice 1) .One}}", "false"),
    ("{{ge (index .Slice 0) .One}}", "false"),
    ("{{ge (index .Slice 1) .Zero}}", "true"),
    ("{{gt (index .Slice 0) .One}}", "false"),
    ("{{gt (index .Slice 1) .Zero}}", "true"),
    ("{{le (index .Slice 0) .One}}", "true"),
    ("{{le (index .Slice 1) .Zero}}", "false"),
    ("{{lt (index .Slice 0) .One}}", "true"),
    ("{{lt (index .Slice 1) .Zero}}", "false"),
]


@pytest.mark.parametrize(("text", "want"), INTERFACE_VALUES)
def test_interface_values(text: str, want: str) -> None:
    ts = TemplateSet()
    ts.parse("tmpl", text)
    value = {"PlusOne": _plus_one, "Slice": IntList([0, 1, 2, 3]), "One": 1, "Two": 2, "Nil": None, "Zero": 0}
    if want.startswith("ERROR:"):
        with pytest.raises(ExecError) as err:
            ts.execute("tmpl", value)
        assert want[len("ERROR: ") :] in str(err.value)
    else:
        assert ts.execute("tmpl", value) == want


@gofunc()
def _do_panic() -> str:
    raise RuntimeError("custom panic string")


PANICS = [
    ("{{doPanic}}", None, 'template: t:1:2: executing "t" at <doPanic>: error calling doPanic: custom panic string'),
    (
        "{{call doPanic}}",
        None,
        'template: t:1:7: executing "t" at <doPanic>: error calling doPanic: custom panic string',
    ),
    (
        "{{call .PanicFunc}}",
        "tVal",
        'template: t:1:2: executing "t" at <call .PanicFunc>: error calling call: test panic',
    ),
]


@pytest.mark.parametrize(("text", "value", "want"), PANICS)
def test_panic_during_call(text: str, value: object, want: str) -> None:
    ts = TemplateSet({"doPanic": _do_panic})
    ts.parse("t", text)
    with pytest.raises(ExecError) as err:
        ts.execute("t", data(value))
    assert want in str(err.value)
    assert err.value.cause is not None


FUNCTION_CHECKS = [
    ("{{call}}", "tVal", "wrong number of args for call: want at least 1 got 0"),
    ("{{call .True}}", "tVal", "error calling call: non-function .True of type bool"),
    ("{{call .BinaryFunc 1}}", "tVal", "error calling call: wrong number of args for .BinaryFunc: got 1 want 2"),
    (
        "{{call .VariadicFuncInt}}",
        "tVal",
        "error calling call: wrong number of args for .VariadicFuncInt: got 0 want at least 1",
    ),
    ('{{call (len "test")}}', None, 'error calling call: non-function len "test" of type int'),
]


@pytest.mark.parametrize(("text", "value", "want"), FUNCTION_CHECKS)
def test_function_check_during_call(text: str, value: object, want: str) -> None:
    ts = TemplateSet()
    ts.parse("t", text)
    with pytest.raises(ExecError) as err:
        ts.execute("t", data(value))
    assert want in str(err.value)


def test_issue31810_parenthesized_first_word() -> None:
    ts = TemplateSet()
    ts.parse("", "{{ (.)  }}")
    assert ts.execute("", "result") == "result"

    @gofunc()
    def f() -> str:
        return "result"

    with pytest.raises(ExecError):
        ts.execute("", f)
    ts.parse("", "{{ (call .)  }}")
    assert ts.execute("", f) == "result"


JS_ESCAPING = [
    ("a", "a"),
    ("'foo", "\\'foo"),
    ('Go "jump" \\', 'Go \\"jump\\" \\\\'),
    ('Yukihiro says "今日は世界"', 'Yukihiro says \\"今日は世界\\"'),
    ("unprintable \ufffe", "unprintable \\uFFFE"),
    ("<html>", "\\u003Chtml\\u003E"),
    ("no = in attributes", "no \\u003D in attributes"),
    ("&#x27; does not become HTML entity", "\\u0026#x27; does not become HTML entity"),
]


@pytest.mark.parametrize(("text", "want"), JS_ESCAPING)
def test_js_escaping(text: str, want: str) -> None:
    assert js_escape(text) == want


def test_final_for_printf() -> None:
    ts = TemplateSet()
    ts.parse("", '{{"x" | printf}}')
    assert ts.execute("", 0) == "x"


def test_unknown_template_name() -> None:
    ts = TemplateSet(name="gotpl")
    with pytest.raises(ExecError) as err:
        ts.execute("nope", None)
    assert str(err.value) == 'template: no template "nope" associated with template "gotpl"'


def test_template_not_defined() -> None:
    ts = TemplateSet()
    ts.parse("x", '{{template "nope"}}')
    with pytest.raises(ExecError) as err:
        ts.execute("x", None)
    assert str(err.value) == 'template: x:1:11: executing "x" at <{{template "nope"}}>: template "nope" not defined'
