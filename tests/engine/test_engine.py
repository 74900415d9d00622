"""Helm's engine semantics: parse order, define overriding, include/tpl/required/fail, error texts.

Expected strings are those of Helm v4.2.3's own engine tests (pkg/engine/engine_test.go) or
answers Helm gave through the corpus oracle.
"""

from __future__ import annotations

import pytest

from pilothouse.chart.model import Chart, File, Metadata
from pilothouse.engine.context import Capabilities, release_map
from pilothouse.engine.render import Engine, render_values, sort_templates
from pilothouse.errors import TemplateError


def make_chart(name: str, templates: dict[str, str], *, subcharts: tuple[Chart, ...] = (),
               chart_type: str = "") -> Chart:
    c = Chart()
    c.metadata = Metadata(name=name, version="0.1.0", api_version="v2", type=chart_type)
    c.templates = [File(n, t.encode()) for n, t in templates.items()]
    c.add_dependency(*subcharts)
    return c


def render(chart: Chart, values: dict | None = None, **engine_opts) -> dict[str, str]:
    top = render_values(values or {}, release=release_map("rel", "ns"), capabilities=Capabilities())
    return Engine(**engine_opts).render(chart, top)


def test_sort_templates_matches_helm():
    keys = ["/mychart/templates/foo.tpl", "/mychart/templates/charts/foo/charts/bar/templates/foo.tpl",
            "/mychart/templates/bar.tpl", "/mychart/templates/charts/foo/templates/bar.tpl",
            "/mychart/templates/_foo.tpl", "/mychart/templates/charts/foo/templates/foo.tpl",
            "/mychart/templates/charts/bar/templates/foo.tpl"]
    assert sort_templates(keys) == [
        "/mychart/templates/charts/foo/charts/bar/templates/foo.tpl",
        "/mychart/templates/charts/foo/templates/foo.tpl",
        "/mychart/templates/charts/foo/templates/bar.tpl",
        "/mychart/templates/charts/bar/templates/foo.tpl",
        "/mychart/templates/foo.tpl",
        "/mychart/templates/bar.tpl",
        "/mychart/templates/_foo.tpl",
    ]


def test_render_values_scopes_and_template_name():
    sub = make_chart("sub", {"templates/s.yaml": "{{ .Values.x }} {{ .Values.global.g }} {{ .Template.Name }} "
                                                 "{{ .Template.BasePath }} {{ .Chart.IsRoot }}"})
    root = make_chart("root", {"templates/r.yaml": "{{ .Values.sub.x }} {{ .Chart.Name }} {{ .Chart.IsRoot }} "
                                                   "{{ .Release.Name }}/{{ .Release.Namespace }}"}, subcharts=(sub,))
    out = render(root, {"sub": {"x": "sx", "global": {"g": "G"}}, "global": {"g": "G"}})
    assert out["root/templates/r.yaml"] == "sx root true rel/ns"
    assert out["root/charts/sub/templates/s.yaml"] == "sx G root/charts/sub/templates/s.yaml root/charts/sub/templates false"


def test_partials_are_not_rendered_and_parent_define_wins():
    sub = make_chart("sub", {"templates/_h.tpl": '{{ define "who" }}sub{{ end }}',
                             "templates/s.yaml": '{{ include "who" . }}'})
    root = make_chart("root", {"templates/_h.tpl": '{{ define "who" }}root{{ end }}',
                               "templates/r.yaml": '{{ include "who" . }}'}, subcharts=(sub,))
    out = render(root)
    assert set(out) == {"root/templates/r.yaml", "root/charts/sub/templates/s.yaml"}
    assert out["root/templates/r.yaml"] == "root"
    assert out["root/charts/sub/templates/s.yaml"] == "root"


def test_no_value_is_removed():
    out = render(make_chart("c", {"templates/a": "[{{ .Values.missing }}]<no value>"}))
    assert out["c/templates/a"] == "[]"


def test_parse_error_text():
    with pytest.raises(TemplateError) as info:
        render(make_chart("c", {"templates/undefined_function": "{{foo}}"}))
    assert str(info.value) == 'parse error at (c/templates/undefined_function:1): function "foo" not defined'


@pytest.mark.parametrize("tpl,expected", [
    ('{{required "foo is required" .Values.foo}}', "execution error at (c/templates/t:1:2): foo is required"),
    ('{{required ":this: message: has many: colons:" .Values.foo}}',
     "execution error at (c/templates/t:1:2): :this: message: has many: colons:"),
    ('{{ $someEmptyValue := "" }}\n{{ $myvar := "abc" }}\n'
     '{{- required (printf "%s: something is missing" $myvar) $someEmptyValue | repeat 0 }}',
     "execution error at (c/templates/t:3:4): abc: something is missing"),
    ('{{required "foo is required\\nmore info after the break" .Values.foo}}',
     "execution error at (c/templates/t:1:2): foo is required\nmore info after the break"),
    ('{{fail "something is wrong\\nlinebreak"}}', "execution error at (c/templates/t:1:2): something is wrong\nlinebreak"),
    ('All your base are belong to us{{ fail "This is an error" }}', "execution error at (c/templates/t:1:33): This is an error"),
])
def test_exec_error_texts(tpl, expected):
    with pytest.raises(TemplateError) as info:
        render(make_chart("c", {"templates/t": tpl}))
    assert str(info.value) == expected


def test_fail_in_lint_mode_renders_rest():
    out = render(make_chart("c", {"templates/t": 'All your base are belong to us{{ fail "This is an error" }}'}),
                 lint_mode=True)
    assert out["c/templates/t"] == "All your base are belong to us"


def test_nested_helpers_produce_multiline_trace():
    common = make_chart("common", {
        "templates/_helpers_2.tpl": '{{- define "common.names.get_name" -}}'
                                    '{{- .Values.nonexistant.key | trunc 63 | trimSuffix "-" -}}{{- end -}}'})
    root = make_chart("NestedHelperFunctions", {
        "templates/svc.yaml": 'name: {{ include "nested_helper.name" . }}',
        "templates/_helpers_1.tpl": '{{- define "nested_helper.name" -}}{{- include "common.names.get_name" . -}}'
                                    '{{- end -}}'}, subcharts=(common,))
    with pytest.raises(TemplateError) as info:
        render(root)
    assert str(info.value) == (
        'NestedHelperFunctions/templates/svc.yaml:1:9\n'
        '  executing "NestedHelperFunctions/templates/svc.yaml" at <include "nested_helper.name" .>:\n'
        '    error calling include:\n'
        'NestedHelperFunctions/templates/_helpers_1.tpl:1:39\n'
        '  executing "nested_helper.name" at <include "common.names.get_name" .>:\n'
        '    error calling include:\n'
        'NestedHelperFunctions/charts/common/templates/_helpers_2.tpl:1:49\n'
        '  executing "common.names.get_name" at <.Values.nonexistant.key>:\n'
        '    nil pointer evaluating interface {}.key')


def test_no_template_associated_error():
    root = make_chart("multiline", {"templates/svc.yaml": 'name: {{ include "nested_helper.name" . }}',
                                    "templates/test.yaml": "{{ toYaml .Values }}"})
    with pytest.raises(TemplateError) as info:
        render(root)
    assert str(info.value) == (
        'multiline/templates/svc.yaml:1:9\n'
        '  executing "multiline/templates/svc.yaml" at <include "nested_helper.name" .>:\n'
        '    error calling include:\n'
        'template: no template "nested_helper.name" associated with template "gotpl"')


def test_function_error_keeps_go_text():
    # Helm gives Go's raw text when the innermost error is a function's own (answer from Helm v4.2.3).
    with pytest.raises(TemplateError) as info:
        render(make_chart("probe2", {"templates/a.yaml": "x\n" * 14 + "{{ div 1 0 }}"}))
    assert str(info.value) == ('template: probe2/templates/a.yaml:15:3: executing "probe2/templates/a.yaml" '
                               'at <div 1 0>: error calling div: runtime error: integer divide by zero')


def test_tpl_template_names_and_redefines():
    c = make_chart("TplRedefines", {
        "templates/_partials": '{{define "partial"}}original-in-partial{{end}}',
        "templates/partial": 'before: {{include "partial" .}}\\n{{tpl .Values.partialText .}}\\n'
                             'after: {{include "partial" .}}',
        "templates/manifest-only": '{{define "manifest-only"}}only-in-manifest{{end}}before: '
                                   '{{include "manifest-only" .}}\\n{{tpl .Values.manifestOnlyText .}}\\nafter: '
                                   '{{include "manifest-only" .}}',
        "templates/default-name": '{{tpl "{{ .Template.Name }}" .}}',
        "templates/default-basepath": '{{tpl "{{ .Template.BasePath }}" .}}',
        "templates/missing": 'missingValue: {{tpl "{{.Values.noSuchKey}}" .}}',
    })
    out = render(c, {"partialText": '{{define "partial"}}redefined-in-tpl{{end}}tpl: {{include "partial" .}}',
                     "manifestOnlyText": 'tpl: {{include "manifest-only" .}}'})
    assert out["TplRedefines/templates/partial"] == \
        "before: original-in-partial\\ntpl: redefined-in-tpl\\nafter: original-in-partial"
    assert out["TplRedefines/templates/manifest-only"] == \
        "before: only-in-manifest\\ntpl: only-in-manifest\\nafter: only-in-manifest"
    assert out["TplRedefines/templates/default-name"] == "TplRedefines/templates/default-name"
    assert out["TplRedefines/templates/default-basepath"] == "TplRedefines/templates"
    assert out["TplRedefines/templates/missing"] == "missingValue: "


def test_recursion_limit_error():
    c = make_chart("c", {"templates/t": '{{define "recursion"}}{{include "recursion" .}}{{end}}'
                                        '{{ include "recursion" . }}'})
    with pytest.raises(TemplateError) as info:
        render(c)
    assert "rendering template has a nested reference name: recursion: unable to execute template" in str(info.value)


def test_library_chart_contributes_only_partials():
    lib = make_chart("lib", {"templates/_h.tpl": '{{ define "lib.x" }}from-lib{{ end }}',
                             "templates/cm.yaml": "not rendered"}, chart_type="library")
    root = make_chart("app", {"templates/a.yaml": '{{ include "lib.x" . }}'}, subcharts=(lib,))
    assert render(root) == {"app/templates/a.yaml": "from-lib"}


def test_capabilities_and_helm_version_as_helm_prints_them():
    # Answers from Helm v4.2.3 through the corpus oracle.
    c = make_chart("p", {"templates/a": "{{ .Capabilities.HelmVersion }}|{{ .Capabilities.KubeVersion }}|"
                                        "{{ .Capabilities.KubeVersion.Major }}|{{ typeOf .Capabilities }}|"
                                        "{{ typeOf .Files }}|{{ typeOf .Template }}|{{ .Capabilities.APIVersions.Has \"apps/v1\" }}|"
                                        "{{ toJson .Capabilities.KubeVersion }}"})
    assert render(c)["p/templates/a"] == ('{v4.2   go1.26.6 v1.36}|v1.36.0|1|*common.Capabilities|engine.files|'
                                          'common.Values|true|{"Version":"v1.36.0","Major":"1","Minor":"36"}')
