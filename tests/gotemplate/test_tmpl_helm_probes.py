"""Behaviour Go's tests do not pin, as Helm v4 renders it (answers from the Helm oracle).

Each probe was rendered by Helm's own engine from a one-template chart with the values below
(read by Helm's YAML reader, so every number is a float64); Helm removes "<no value>" from
its output, so ours is compared after the same removal. Error probes compare the parts Helm
keeps of the Go error (location, node, message) with ExecError/ParseError fields.
"""

from __future__ import annotations

import re

import pytest

from pilothouse.gotemplate import ExecError, ParseError, TemplateSet

VALUES = {
    "big": 1000000.0,
    "ratio": 1.234e-05,
    "port": 8080.0,
    "half": 0.5,
    "neg": -0.0,
    "list": [1.0, "a", True, None],
    "map": {"b": 2.0, "a": 1.0, "c": {"z": 1.0}},
    "s": "héllo",
    "nullkey": None,
    "empty": "",
    "zero": 0.0,
}

PROBES = [
    ("andor", '{{ and 1 .Values.zero }}|{{ or .Values.empty "d" }}|{{ or .Values.nope .Values.zero }}', "0|d|0"),
    ("break", '{{ range .Values.list }}{{ if eq (printf "%v" .) "a" }}{{ break }}{{ end }}{{ . }}{{ end }}', "1"),
    (
        "chars",
        "{{ 'a' }}|{{ 0x1F }}|{{ 1e3 }}|{{ 1_000 }}|{{ 0o17 }}|{{ 0b101 }}|{{ 2i }}|{{ -.5 }}",
        "97|31|1000|1000|15|5|(0+2i)|-0.5",
    ),
    ("containers", "{{ .Values.list }}|{{ .Values.map }}", "[1 a true <nil>]|map[a:1 b:2 c:map[z:1]]"),
    (
        "define",
        '{{ define "probe.x" }}[{{ . }}]{{ end }}{{ template "probe.x" .Values.port }}{{ template "probe.x" }}',
        "[8080][]",
    ),
    (
        "eq_mixed",
        '{{ eq .Values.port 8080.0 }}|{{ eq .Values.nope nil }}|{{ eq .Values.nope "" }}|{{ ne .Values.empty "x" }}',
        "true|true|false|true",
    ),
    (
        "escapes",
        '{{ html "<a href=\'x\'>&</a>" }}|{{ js "it\'s <b> = \\"x\\"" }}|{{ urlquery "a b/c?d=é" }}',
        '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;|it\\\'s \\u003Cb\\u003E \\u003D \\"x\\"|a+b%2Fc%3Fd%3D%C3%A9',
    ),
    (
        "floats",
        "{{ .Values.big }}|{{ .Values.ratio }}|{{ .Values.port }}|{{ .Values.half }}|{{ .Values.neg }}",
        "1e+06|1.234e-05|8080|0.5|-0",
    ),
    ("len_bytes", '{{ len .Values.s }}|{{ index .Values.s 1 }}|{{ printf "%T" (index .Values.s 1) }}', "6|195|uint8"),
    ("missing", "[{{ .Values.nope }}][{{ .Values.nullkey }}]", "[][]"),
    (
        "print",
        '{{ print 1 2 "a" 3 .Values.half }}|{{ println "x" 1 }}|{{ printf "%5.2f|%-4s|%q|%x|%v" .Values.half "ab" "q\\"" "hi" .Values.map }}',
        '1 2a3 0.5|x 1\n| 0.50|ab  |"q\\""|6869|map[a:1 b:2 c:map[z:1]]',
    ),
    ("range_int", "{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}", "012|01"),
    ("range_list", "{{ range $i, $v := .Values.list }}{{ $i }}:{{ $v }};{{ end }}", "0:1;1:a;2:true;3:;"),
    ("range_map", "{{ range $k, $v := .Values.map }}{{ $k }}={{ $v }};{{ end }}", "a=1;b=2;c=map[z:1];"),
    ("trim", "a  {{- 1 -}}  b\n  {{- /* c */ -}}\n  c", "a1bc"),
    (
        "truth",
        "{{ if .Values.empty }}y{{ else }}n{{ end }}{{ if .Values.zero }}y{{ else }}n{{ end }}{{ if .Values.list }}y{{ else }}n{{ end }}{{ if .Values.nope }}y{{ else }}n{{ end }}",
        "nnyn",
    ),
    (
        "types",
        '{{ printf "%T %T %T %T %T" .Values.big .Values.list .Values.map 3 2.5 }}',
        "float64 []interface {} map[string]interface {} int float64",
    ),
    ("vars", "{{ $x := 1 }}{{ range .Values.list }}{{ $x = . }}{{ end }}{{ $x }}", ""),
    ("with_else", "{{ with .Values.nope }}x{{ else with .Values.map.c }}{{ .z }}{{ end }}", "1"),
]

# (name, template, Helm's error message)
ERROR_PROBES = [
    (
        "badarity",
        "{{ printf }}",
        'probe/templates/t.yaml:1:3\n  executing "probe/templates/t.yaml" at <printf>:\n    wrong number of args for printf: want at least 1 got 0',
    ),
    (
        "eqtypes",
        "{{ eq .Values.port 8080 }}",
        'template: probe/templates/t.yaml:1:3: executing "probe/templates/t.yaml" at <eq .Values.port 8080>: error calling eq: incompatible types for comparison: float64 and int',
    ),
    (
        "fieldscalar",
        "{{ .Values.port.x }}",
        'probe/templates/t.yaml:1:10\n  executing "probe/templates/t.yaml" at <.Values.port.x>:\n    can\'t evaluate field x in type interface {}',
    ),
    (
        "indexfloat",
        "{{ index .Values.list .Values.half }}",
        'template: probe/templates/t.yaml:1:3: executing "probe/templates/t.yaml" at <index .Values.list .Values.half>: error calling index: cannot index slice/array with type float64',
    ),
    (
        "lenint",
        "{{ len 3 }}",
        'template: probe/templates/t.yaml:1:3: executing "probe/templates/t.yaml" at <len 3>: error calling len: len of type int',
    ),
    (
        "nilchain",
        "x\n  {{ .Values.nope.deeper }}",
        'probe/templates/t.yaml:2:12\n  executing "probe/templates/t.yaml" at <.Values.nope.deeper>:\n    nil pointer evaluating interface {}.deeper',
    ),
    (
        "notdefined",
        '{{ template "nope" }}',
        'probe/templates/t.yaml:1:12\n  executing "probe/templates/t.yaml" at <{{template "nope"}}>:\n    template "nope" not defined',
    ),
    (
        "outofrange",
        "{{ index .Values.list 9 }}",
        'template: probe/templates/t.yaml:1:3: executing "probe/templates/t.yaml" at <index .Values.list 9>: error calling index: index out of range: 9',
    ),
    ("parseerr", "{{ .Values.a }", 'parse error at (probe/templates/t.yaml:1): unexpected "}" in operand'),
    (
        "rangefloat",
        "{{ range .Values.port }}{{ end }}",
        'probe/templates/t.yaml:1:16\n  executing "probe/templates/t.yaml" at <.Values.port>:\n    range can\'t iterate over 8080',
    ),
]


NAME = "probe/templates/t.yaml"


def _render(text: str) -> str:
    ts = TemplateSet(missingkey="zero")
    ts.parse(NAME, text)
    return ts.execute(NAME, {"Values": VALUES}).replace("<no value>", "")


@pytest.mark.parametrize(("name", "text", "want"), PROBES, ids=[p[0] for p in PROBES])
def test_helm_probe(name: str, text: str, want: str) -> None:
    assert _render(text) == want


_MULTILINE = re.compile(
    r"^(?P<file>[^\n]+):(?P<line>\d+):(?P<col>\d+)\n  executing \"(?P<tmpl>[^\n]+)\" at <(?P<node>.*)>:\n    (?P<msg>.*)$",
    re.S,
)
_PARSE = re.compile(r"^parse error at \((?P<file>.+):(?P<line>\d+)\): (?P<msg>.*)$", re.S)


@pytest.mark.parametrize(("name", "text", "helm"), ERROR_PROBES, ids=[p[0] for p in ERROR_PROBES])
def test_helm_error_probe(name: str, text: str, helm: str) -> None:
    m = _PARSE.match(helm)
    if m:
        with pytest.raises(ParseError) as perr:
            _render(text)
        assert (perr.value.name, perr.value.line, perr.value.msg) == (m["file"], int(m["line"]), m["msg"])
        return
    with pytest.raises(ExecError) as err:
        _render(text)
    e = err.value
    m = _MULTILINE.match(helm)
    if m:
        # Helm shows Go's error split over lines; the parts must be Go's.
        assert (e.name, e.line, e.col, e.template, e.node, e.msg) == (
            m["file"],
            int(m["line"]),
            int(m["col"]),
            m["tmpl"],
            m["node"],
            m["msg"],
        )
    else:
        assert str(e) == helm
