"""Where execution errors are reported, what is checked before arguments run, and how values
that have a pointer-receiver String() print — each answer is Helm v4's own (Helm's engine was
given the same one-template chart and values; errors are its reformatted Go messages).

Go reports an error at the node its executor last marked (s.at): for a chain ``(pipe).a.b``
that is the last node the operand marked, for a computed argument of the wrong type the last
node its evaluation marked, after ``and``/``or`` the last operand evaluated. Go checks that a
function exists, its argument count, a ``{{template}}`` name and "is not a method but has
arguments" before it evaluates any argument. ``.Capabilities.KubeVersion`` has String() on
its pointer receiver: the template prints it as ``v1.36.0`` when it reached it through fields,
but a copy handed to a function prints as the struct.

Every case runs twice: from a fresh parse and from the persistent compile cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pilothouse
import pilothouse.gotemplate as gt
from pilothouse.errors import PilothouseError

VALUES = """
nodeExporter:
  enabled: true
port: 8080
s: str
list: [1, 2]
m: {a: 1}
"""
KEY = "probe/templates/t.yaml"

CHAIN_AND_MARKS = [
    (
        '{{- if and .Values.nodeExporter.enabled (index .Values "prometheus-node-exporter").kubeRBACProxy.enabled }}x{{ end }}',
        "",
    ),
    ('{{ (index .Values "nope").a.b }}', ""),
    ("{{ (.Values.nope).a }}", ""),
    (
        "{{ (.Values.m | default 1).a.b }}",
        'probe/templates/t.yaml:1:24\n  executing "probe/templates/t.yaml" at <1>:\n    can\'t evaluate field b in type interface {}',
    ),
    (
        "{{ (print .Values.s).a }}",
        'probe/templates/t.yaml:1:17\n  executing "probe/templates/t.yaml" at <.Values.s>:\n    can\'t evaluate field a in type string',
    ),
    (
        "{{ (list 1 2).a }}",
        'probe/templates/t.yaml:1:11\n  executing "probe/templates/t.yaml" at <2>:\n    can\'t evaluate field a in type []interface {}',
    ),
    (
        "{{ (and .Values.m 0).a }}",
        'probe/templates/t.yaml:1:18\n  executing "probe/templates/t.yaml" at <0>:\n    can\'t evaluate field a in type int',
    ),
    (
        "{{ (and 0 .Values.m).a }}",
        'probe/templates/t.yaml:1:8\n  executing "probe/templates/t.yaml" at <0>:\n    can\'t evaluate field a in type int',
    ),
    ("{{ (or .Values.nope .Values.nope2).a.b }}", ""),
    ("{{ $x := .Values.nope }}{{ ($x).a.b }}", ""),
    (
        "{{ (.Values).nope.a }}",
        'probe/templates/t.yaml:1:4\n  executing "probe/templates/t.yaml" at <.Values>:\n    nil pointer evaluating interface {}.a',
    ),
    (
        "{{ (.).Values.nope.a }}",
        'probe/templates/t.yaml:1:4\n  executing "probe/templates/t.yaml" at <.>:\n    nil pointer evaluating interface {}.a',
    ),
    (
        "{{ upper (.Values.m | default 1) }}",
        'probe/templates/t.yaml:1:30\n  executing "probe/templates/t.yaml" at <1>:\n    wrong type for value; expected string; got map[string]interface {}',
    ),
    (
        '{{ upper (index .Values "port") }}',
        'probe/templates/t.yaml:1:24\n  executing "probe/templates/t.yaml" at <"port">:\n    wrong type for value; expected string; got float64',
    ),
    (
        "{{ upper (.Values.m).a }}",
        'probe/templates/t.yaml:1:17\n  executing "probe/templates/t.yaml" at <.Values.m>:\n    wrong type for value; expected string; got float64',
    ),
    (
        "{{ .Values.port | upper }}",
        'probe/templates/t.yaml:1:18\n  executing "probe/templates/t.yaml" at <upper>:\n    wrong type for value; expected string; got float64',
    ),
    (
        "{{ .Values.m | upper }}",
        'probe/templates/t.yaml:1:15\n  executing "probe/templates/t.yaml" at <upper>:\n    wrong type for value; expected string; got map[string]interface {}',
    ),
    (
        "{{ upper .Values.list }}",
        'probe/templates/t.yaml:1:16\n  executing "probe/templates/t.yaml" at <.Values.list>:\n    wrong type for value; expected string; got []interface {}',
    ),
    (
        "{{ (.Values.m).a.b.c }}",
        'probe/templates/t.yaml:1:11\n  executing "probe/templates/t.yaml" at <.Values.m>:\n    can\'t evaluate field b in type interface {}',
    ),
    (
        "{{ .Values.nope | (.Values.s) }}",
        'probe/templates/t.yaml:1:10\n  executing "probe/templates/t.yaml" at <.Values.nope>:\n    can\'t give argument to non-function .Values.s',
    ),
    (
        "{{ (.Values.s) 1 }}",
        'probe/templates/t.yaml:1:3\n  executing "probe/templates/t.yaml" at <(.Values.s) 1>:\n    can\'t give argument to non-function .Values.s',
    ),
    (
        '{{ range (index .Values "port") }}{{ end }}',
        'probe/templates/t.yaml:1:24\n  executing "probe/templates/t.yaml" at <"port">:\n    range can\'t iterate over 8080',
    ),
    (
        '{{ (include "x" .).a }}',
        'probe/templates/t.yaml:1:4\n  executing "probe/templates/t.yaml" at <include "x" .>:\n    error calling include:\ntemplate: no template "x" associated with template "gotpl"',
    ),
    (
        '{{ range $k, $v := (index .Values "port") }}{{ end }}',
        'probe/templates/t.yaml:1:34\n  executing "probe/templates/t.yaml" at <"port">:\n    range can\'t iterate over 8080',
    ),
    (
        "{{ (default .Values.m .Values.nope).a.b }}",
        'probe/templates/t.yaml:1:29\n  executing "probe/templates/t.yaml" at <.Values.nope>:\n    can\'t evaluate field b in type interface {}',
    ),
    (
        "{{ (.Values.m | default (dict)).a.b }}",
        'probe/templates/t.yaml:1:25\n  executing "probe/templates/t.yaml" at <dict>:\n    can\'t evaluate field b in type interface {}',
    ),
    (
        "{{ (index .Values.list 0).a }}",
        'probe/templates/t.yaml:1:23\n  executing "probe/templates/t.yaml" at <0>:\n    can\'t evaluate field a in type float64',
    ),
    (
        "{{ (coalesce .Values.nope .Values.s).x }}",
        'probe/templates/t.yaml:1:33\n  executing "probe/templates/t.yaml" at <.Values.s>:\n    can\'t evaluate field x in type string',
    ),
    (
        "{{ ((.Values.m)).a.b }}",
        'probe/templates/t.yaml:1:12\n  executing "probe/templates/t.yaml" at <.Values.m>:\n    can\'t evaluate field b in type interface {}',
    ),
    (
        "{{ (and (or 0 .Values.m) 1).a }}",
        'probe/templates/t.yaml:1:25\n  executing "probe/templates/t.yaml" at <1>:\n    can\'t evaluate field a in type int',
    ),
    ("{{ (or (and 1 0) .Values.nope).a }}", ""),
    (
        '{{ upper (printf "%s" 1 | len) }}',
        'probe/templates/t.yaml:1:26\n  executing "probe/templates/t.yaml" at <len>:\n    wrong type for value; expected string; got int',
    ),
    (
        "{{ $x := dict }}{{ ($x).a.b }}",
        'probe/templates/t.yaml:1:20\n  executing "probe/templates/t.yaml" at <$x>:\n    nil pointer evaluating interface {}.b',
    ),
    (
        '{{ template "t" (.Values.m).a.b }}{{ define "t" }}{{ end }}',
        'probe/templates/t.yaml:1:24\n  executing "probe/templates/t.yaml" at <.Values.m>:\n    can\'t evaluate field b in type interface {}',
    ),
    (
        "{{ .Capabilities.APIVersions.Has (or 0 1) }}",
        'probe/templates/t.yaml:1:39\n  executing "probe/templates/t.yaml" at <1>:\n    wrong type for value; expected string; got int',
    ),
    (
        "{{ .Capabilities.APIVersions.Has (and 0 1) }}",
        'probe/templates/t.yaml:1:38\n  executing "probe/templates/t.yaml" at <0>:\n    wrong type for value; expected string; got int',
    ),
    (
        "{{ .Values.m | (or 0 .Values.s) }}",
        'probe/templates/t.yaml:1:10\n  executing "probe/templates/t.yaml" at <.Values.m>:\n    can\'t give argument to non-function or 0 .Values.s',
    ),
    (
        "{{ $y := (and 0 1) }}{{ $y.a }}",
        'probe/templates/t.yaml:1:26\n  executing "probe/templates/t.yaml" at <$y.a>:\n    can\'t evaluate field a in type int',
    ),
    (
        "{{ with (and .Values.m 0).a }}{{ end }}",
        'probe/templates/t.yaml:1:23\n  executing "probe/templates/t.yaml" at <0>:\n    can\'t evaluate field a in type int',
    ),
    (
        "{{ if (or 0 .Values.s).a }}{{ end }}",
        'probe/templates/t.yaml:1:19\n  executing "probe/templates/t.yaml" at <.Values.s>:\n    can\'t evaluate field a in type string',
    ),
    ("{{ (and 1 2 .Values.nope).a.b }}", ""),
    (
        '{{ printf "%s" (.Values.m).a.b }}',
        'probe/templates/t.yaml:1:23\n  executing "probe/templates/t.yaml" at <.Values.m>:\n    can\'t evaluate field b in type interface {}',
    ),
    (
        "{{ range (list 1 2) }}{{ (.).a }}{{ end }}",
        'probe/templates/t.yaml:1:26\n  executing "probe/templates/t.yaml" at <.>:\n    can\'t evaluate field a in type int',
    ),
    (
        '{{ .Values.s | printf "%s" | upper | lower | (.Values.m).a }}',
        'probe/templates/t.yaml:1:53\n  executing "probe/templates/t.yaml" at <.Values.m>:\n    a is not a method but has arguments',
    ),
    ('{{ (fail "boom").a }}', "execution error at (probe/templates/t.yaml:1:4): boom"),
    (
        "{{ (.Values.s).a | upper }}",
        'probe/templates/t.yaml:1:11\n  executing "probe/templates/t.yaml" at <.Values.s>:\n    can\'t evaluate field a in type string',
    ),
    (
        '{{ tpl "{{ .a.b }}" (dict "a" 1) }}',
        'template: probe/templates/t.yaml:1:3: executing "probe/templates/t.yaml" at <tpl "{{ .a.b }}" (dict "a" 1)>: error calling tpl: error during tpl function execution for "{{ .a.b }}": template: gotpl:1:5: executing "gotpl" at <.a.b>: can\'t evaluate field b in type interface {}',
    ),
    (
        '{{ include "t" 1 }}{{ define "t" }}{{ (.).x }}{{ end }}',
        'probe/templates/t.yaml:1:3\n  executing "probe/templates/t.yaml" at <include "t" 1>:\n    error calling include:\nprobe/templates/t.yaml:1:39\n  executing "t" at <.>:\n    can\'t evaluate field x in type int',
    ),
]

CHECKS_BEFORE_ARGUMENTS = [
    (
        '{{ upper .Values.nope.x "a" }}',
        'probe/templates/t.yaml:1:3\n  executing "probe/templates/t.yaml" at <upper>:\n    wrong number of args for upper: want 1 got 2',
    ),
    (
        "{{ upper (.Values.nope.x) }}",
        'probe/templates/t.yaml:1:17\n  executing "probe/templates/t.yaml" at <.Values.nope.x>:\n    nil pointer evaluating interface {}.x',
    ),
    (
        '{{ .Values.nope.x | upper "a" }}',
        'probe/templates/t.yaml:1:10\n  executing "probe/templates/t.yaml" at <.Values.nope.x>:\n    nil pointer evaluating interface {}.x',
    ),
    (
        '{{ template "nope" .Values.nope.x }}',
        'probe/templates/t.yaml:1:12\n  executing "probe/templates/t.yaml" at <{{template "nope" .Values.nope.x}}>:\n    template "nope" not defined',
    ),
    (
        "{{ .Values.m.a .Values.nope.x }}",
        'probe/templates/t.yaml:1:10\n  executing "probe/templates/t.yaml" at <.Values.m.a>:\n    a is not a method but has arguments',
    ),
    (
        '{{ .Values.m.a (fail "boom") }}',
        'probe/templates/t.yaml:1:10\n  executing "probe/templates/t.yaml" at <.Values.m.a>:\n    a is not a method but has arguments',
    ),
    (
        "{{ .Capabilities.APIVersions.Has .Values.nope.x }}",
        'probe/templates/t.yaml:1:40\n  executing "probe/templates/t.yaml" at <.Values.nope.x>:\n    nil pointer evaluating interface {}.x',
    ),
    (
        '{{ .Capabilities.APIVersions.Has "a" .Values.nope.x }}',
        'probe/templates/t.yaml:1:16\n  executing "probe/templates/t.yaml" at <.Capabilities.APIVersions.Has>:\n    wrong number of args for Has: want 1 got 2',
    ),
    (
        '{{ .Files.Get .Values.nope.x "b" }}',
        'probe/templates/t.yaml:1:9\n  executing "probe/templates/t.yaml" at <.Files.Get>:\n    wrong number of args for Get: want 1 got 2',
    ),
    (
        '{{ .Values.nope.x.y.Has "a" }}',
        'probe/templates/t.yaml:1:10\n  executing "probe/templates/t.yaml" at <.Values.nope.x.y.Has>:\n    nil pointer evaluating interface {}.x',
    ),
    (
        '{{ (.Capabilities).APIVersions.Has "a" "b" }}',
        'probe/templates/t.yaml:1:4\n  executing "probe/templates/t.yaml" at <.Capabilities>:\n    wrong number of args for Has: want 1 got 2',
    ),
    (
        "{{ (.Capabilities).APIVersions.Has .Values.nope.x }}",
        'probe/templates/t.yaml:1:42\n  executing "probe/templates/t.yaml" at <.Values.nope.x>:\n    nil pointer evaluating interface {}.x',
    ),
    (
        "{{ (.Capabilities).APIVersions.Has 1 }}",
        'probe/templates/t.yaml:1:35\n  executing "probe/templates/t.yaml" at <1>:\n    expected string; found 1',
    ),
    (
        "{{ .Capabilities.APIVersions.Has 1 }}",
        'probe/templates/t.yaml:1:33\n  executing "probe/templates/t.yaml" at <1>:\n    expected string; found 1',
    ),
    (
        "{{ .Capabilities.KubeVersion.String 1 }}",
        'probe/templates/t.yaml:1:16\n  executing "probe/templates/t.yaml" at <.Capabilities.KubeVersion.String>:\n    wrong number of args for String: want 0 got 1',
    ),
    (
        "{{ .Capabilities.KubeVersion.Version 1 }}",
        'probe/templates/t.yaml:1:16\n  executing "probe/templates/t.yaml" at <.Capabilities.KubeVersion.Version>:\n    Version has arguments but cannot be invoked as function',
    ),
    (
        "{{ .Capabilities.KubeVersion.normalizedVersion }}",
        'probe/templates/t.yaml:1:16\n  executing "probe/templates/t.yaml" at <.Capabilities.KubeVersion.normalizedVersion>:\n    normalizedVersion is an unexported field of struct type common.KubeVersion',
    ),
    (
        '{{ printf "%d" (upper 1 2) }}',
        'probe/templates/t.yaml:1:16\n  executing "probe/templates/t.yaml" at <upper>:\n    wrong number of args for upper: want 1 got 2',
    ),
    (
        "{{ upper (and 0 .Values.m) }}",
        'probe/templates/t.yaml:1:14\n  executing "probe/templates/t.yaml" at <0>:\n    wrong type for value; expected string; got int',
    ),
    (
        "{{ upper (or .Values.m 0) }}",
        'probe/templates/t.yaml:1:20\n  executing "probe/templates/t.yaml" at <.Values.m>:\n    wrong type for value; expected string; got map[string]interface {}',
    ),
    (
        "{{ .Values.s | and 0 | upper }}",
        'probe/templates/t.yaml:1:23\n  executing "probe/templates/t.yaml" at <upper>:\n    wrong type for value; expected string; got int',
    ),
    ("{{ .Values.s | and 1 | upper }}", "STR"),
    (
        '{{ include (fail "x") 1 2 }}',
        'probe/templates/t.yaml:1:3\n  executing "probe/templates/t.yaml" at <include>:\n    wrong number of args for include: want 2 got 3',
    ),
    (
        "{{ $x := 1 }}{{ upper $x.a }}",
        'probe/templates/t.yaml:1:24\n  executing "probe/templates/t.yaml" at <$x.a>:\n    can\'t evaluate field a in type int',
    ),
]

KUBE_VERSION = [
    ("{{ .Capabilities.KubeVersion }}", "v1.36.0"),
    ('{{ printf "%v" .Capabilities.KubeVersion }}', "{v1.36.0 v1.36.0 1 36}"),
    ("{{ .Capabilities.KubeVersion | quote }}", '"{v1.36.0 v1.36.0 1 36}"'),
    ("{{ print .Capabilities.KubeVersion }}", "{v1.36.0 v1.36.0 1 36}"),
    ("{{ $kv := .Capabilities.KubeVersion }}{{ $kv }}", "v1.36.0"),
    ('{{ printf "%s" .Capabilities.KubeVersion }}', "{v1.36.0 v1.36.0 1 36}"),
    ("{{ with .Capabilities }}{{ .KubeVersion }}{{ end }}", "v1.36.0"),
    ("{{ .Capabilities.KubeVersion.String }}", "v1.36.0"),
    ("{{ toString .Capabilities.KubeVersion }}", "{v1.36.0 v1.36.0 1 36}"),
    (
        '{{ printf "%+v|%T" .Capabilities.KubeVersion .Capabilities.KubeVersion }}',
        "{Version:v1.36.0 normalizedVersion:v1.36.0 Major:1 Minor:36}|common.KubeVersion",
    ),
    ("{{ list .Capabilities.KubeVersion }}", "[{v1.36.0 v1.36.0 1 36}]"),
    ("{{ (.Capabilities).KubeVersion }}", "v1.36.0"),
    ("{{ index (list .Capabilities.KubeVersion) 0 }}", "{v1.36.0 v1.36.0 1 36}"),
    ("{{ (.Capabilities.KubeVersion) }}", "v1.36.0"),
    ("{{ .Capabilities.KubeVersion | print }}", "{v1.36.0 v1.36.0 1 36}"),
    ("{{ with $x := .Capabilities.KubeVersion }}{{ . }}{{ end }}", "v1.36.0"),
    ("{{ .Capabilities.KubeVersion.Version }}|{{ .Capabilities.KubeVersion.Major }}", "v1.36.0|1"),
]
# The case that prompted the chain rule: a subchart's values without the nested block.
EXPORTER = (
    'a: 1\n{{- if and .Values.nodeExporter.enabled (index .Values "prometheus-node-exporter").kubeRBACProxy.enabled }}'
    "\nx: 1\n{{- end }}\n"
)
EXPORTER_CASES = [
    (
        "nodeExporter:\n  enabled: true\nprometheus-node-exporter:\n  enabled: true\n",
        'probe/templates/t.yaml:2:55\n  executing "probe/templates/t.yaml" at <"prometheus-node-exporter">:\n'
        "    nil pointer evaluating interface {}.enabled",
    ),
    (
        "nodeExporter:\n  enabled: true\nprometheus-node-exporter:\n  kubeRBACProxy:\n",
        'probe/templates/t.yaml:2:55\n  executing "probe/templates/t.yaml" at <"prometheus-node-exporter">:\n'
        "    nil pointer evaluating interface {}.enabled",
    ),
]


@pytest.fixture(params=["fresh", "cached"])
def render(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Render one template as Helm would; the "cached" run loads it from a warm disk cache."""
    monkeypatch.setenv("PILOTHOUSE_CACHE_DIR", str(tmp_path / "cache"))
    chart = tmp_path / "probe"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: probe\nversion: 0.1.0\n")

    def run(template: str, values: str = VALUES) -> str:
        (chart / "templates" / "t.yaml").write_text(template)
        (tmp_path / "values.yaml").write_text(values)
        passes = 2 if request.param == "cached" else 1
        for _ in range(passes):
            gt._CACHE.clear()
            try:
                out = pilothouse.render(
                    str(chart), values_files=[str(tmp_path / "values.yaml")], name="rel", namespace="default"
                )[KEY]
            except PilothouseError as err:
                out = str(err)
        return out

    yield run
    gt._CACHE.clear()


def _ids(rows: list[tuple[str, str]]) -> list[str]:
    return [t[:60] for t, _ in rows]


@pytest.mark.parametrize(("template", "helm"), CHAIN_AND_MARKS, ids=_ids(CHAIN_AND_MARKS))
def test_error_reported_where_go_marked(render, template: str, helm: str) -> None:
    assert render(template) == helm


@pytest.mark.parametrize(("values", "helm"), EXPORTER_CASES, ids=["enabled-only", "null-block"])
def test_chain_on_missing_subchart_block(render, values: str, helm: str) -> None:
    assert render(EXPORTER, values) == helm


@pytest.mark.parametrize(("template", "helm"), CHECKS_BEFORE_ARGUMENTS, ids=_ids(CHECKS_BEFORE_ARGUMENTS))
def test_call_checked_before_its_arguments(render, template: str, helm: str) -> None:
    assert render(template) == helm


@pytest.mark.parametrize(("template", "helm"), KUBE_VERSION, ids=_ids(KUBE_VERSION))
def test_kube_version_prints_as_helm(render, template: str, helm: str) -> None:
    assert render(template) == helm
