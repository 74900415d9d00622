"""Hostile core inputs: schemas, values and templates built to hang, exhaust or crash `pilot`.

Every one ends as ``Error: ...`` with exit 1 (never 70, never a traceback, never a hang), and
where Helm accepts the input, the output is Helm's (the real Helm CLI is the oracle).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HELM = Path(sys.executable).parent / "helm"
CATASTROPHIC = "^(a+)+$"
EVIL_VALUE = "a" * 33 + "!"  # 34 characters: a backtracking engine never finishes


def _chart(root: Path, schema: object | None = None, template: str = "x: {{ .Values.v | toJson }}\n",
           version: str = "0.1.0") -> Path:
    chart = root / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: c\nversion: {version}\n")
    (chart / "templates" / "cm.yaml").write_text(template)
    if schema is not None:
        text = schema if isinstance(schema, str) else json.dumps(schema)
        (chart / "values.schema.json").write_text(text)
    return chart


def _failed_cleanly(res: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert res.returncode == 1, (res.returncode, res.stderr[-2000:])
    assert res.stderr.startswith("Error: "), res.stderr[:500]
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    for n in needles:
        assert n in res.stderr, (n, res.stderr[:2000])


def _helm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(HELM), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HELM_PLUGINS": "/nonexistent"})


# ---- schema patterns: RE2, as Go's regexp --------------------------------------------------

def test_a_catastrophic_pattern_answers_at_once_as_in_helm(helm_home, pilot, tmp_path):
    chart = _chart(tmp_path, {"properties": {"v": {"type": "string", "pattern": CATASTROPHIC}}})
    res = pilot("template", str(chart), "--set", f"v={EVIL_VALUE}")
    _failed_cleanly(res, f"does not match pattern '{CATASTROPHIC}'")
    assert res.stderr == _helm("template", str(chart), "--set", f"v={EVIL_VALUE}").stderr


def test_a_catastrophic_pattern_properties_key_answers_at_once(helm_home, pilot, tmp_path):
    chart = _chart(tmp_path, {"properties": {"v": {"patternProperties": {CATASTROPHIC: {"type": "number"}}}}})
    res = pilot("template", str(chart), "--set", f"v.{EVIL_VALUE[:-1]}=x")
    _failed_cleanly(res, "got string, want number")
    ok = pilot("template", str(chart), "--set", f"v.{EVIL_VALUE}=x")
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("pattern", ["(a{1000}){1000}", "((((((((((a*)*)*)*)*)*)*)*)*)*)*$", "(?:a|aa)+$",
                                     "(x+x+)+y", "^(([a-z])+.)+[A-Z]([a-z])+$"])
def test_other_backtracking_traps_answer(helm_home, pilot, tmp_path, pattern):
    chart = _chart(tmp_path, {"properties": {"v": {"type": "string", "pattern": pattern}}})
    res = pilot("template", str(chart), "--set", "v=" + "a" * 5000 + "!")
    assert res.returncode in (0, 1) and "Traceback" not in res.stderr
    assert "re2.cc" not in res.stderr  # the engine's own logging stays quiet


def test_an_invalid_pattern_is_a_clear_error_without_engine_noise(helm_home, pilot, tmp_path):
    chart = _chart(tmp_path, {"properties": {"v": {"type": "string", "pattern": "(?<=a)b"}}})
    res = pilot("template", str(chart), "--set", "v=x")
    assert res.returncode == 1 and res.stderr.startswith("Error: ")
    assert "re2.cc" not in res.stderr and "Traceback" not in res.stderr


def test_digits_in_patterns_are_ascii_as_in_go(tmp_path):
    from pilothouse.chart.schema import _regex

    assert _regex(r"^\d+$").search("123")
    assert not _regex(r"^\d+$").search("١٢٣")  # Arabic-Indic digits: Python's \d would match


# ---- $ref -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("schema", [
    {"$ref": "#/definitions/a", "definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}},
    {"$ref": "#"},
    {"$ref": "#/definitions/a", "definitions": {"a": {"allOf": [{"$ref": "#/definitions/a"}]}}},
    {"properties": {"v": {"$ref": "#/properties/v"}}},
])
def test_a_ref_cycle_is_a_clear_error(helm_home, pilot, tmp_path, schema):
    chart = _chart(tmp_path, schema)
    res = pilot("template", str(chart), "--set", "v=1")
    _failed_cleanly(res, "causing reference cycle")
    assert _helm("template", str(chart), "--set", "v=1").returncode == 1  # Helm refuses it too


@pytest.mark.parametrize("ref", ["#/definitions/nope", "#/allOf/5", "#/allOf/x", "#/definitions/a/type/0"])
def test_a_ref_to_nothing_is_a_clear_error(helm_home, pilot, tmp_path, ref):
    chart = _chart(tmp_path, {"allOf": [{}], "definitions": {"a": {"type": "string"}}, "$ref": ref})
    res = pilot("template", str(chart), "--set", "v=1")
    _failed_cleanly(res, "json-pointer in ")


def test_a_recursive_schema_over_deep_but_legal_values_still_validates(helm_home, pilot, tmp_path):
    schema = {"properties": {"v": {"$ref": "#/definitions/tree"}},
              "definitions": {"tree": {"type": ["array", "number"], "items": {"$ref": "#/definitions/tree"}}}}
    chart = _chart(tmp_path, schema)
    deep = "[" * 300 + "1" + "]" * 300
    res = pilot("template", str(chart), "--set-json", f"v={deep}")
    assert res.returncode == 0, res.stderr
    assert res.stdout == _helm("template", str(chart), "--set-json", f"v={deep}").stdout


# ---- deeply nested values ------------------------------------------------------------------

@pytest.mark.parametrize("doc", ["[" * 60000 + "]" * 60000, '{"a":' * 20000 + "1" + "}" * 20000,
                                 "[" * 1001 + "]" * 1001, "[" * 60000])
def test_set_json_nested_too_deep_is_a_clear_error(helm_home, pilot, tmp_path, doc):
    chart = _chart(tmp_path)
    res = pilot("template", str(chart), "--set-json", f"v={doc}")
    _failed_cleanly(res, "failed parsing --set-json data", "nested more than 1000 levels deep")
    assert len(res.stderr) < 4096  # the echo of the value is cut short


def test_set_json_top_level_object_nested_too_deep(helm_home, pilot, tmp_path):
    res = pilot("template", str(_chart(tmp_path)), "--set-json", '{"v":' + "[" * 50000 + "]" * 50000 + "}")
    _failed_cleanly(res, "nested more than 1000 levels deep")


def test_brackets_inside_json_strings_do_not_count(helm_home, pilot, tmp_path):
    chart = _chart(tmp_path)
    text = json.dumps("[" * 5000 + '\\"{' * 100)
    res = pilot("template", str(chart), "--set-json", f"v={text}")
    assert res.returncode == 0, res.stderr
    assert res.stdout == _helm("template", str(chart), "--set-json", f"v={text}").stdout


def test_moderately_nested_set_json_renders_as_helm(helm_home, pilot, tmp_path):
    chart = _chart(tmp_path)
    doc = "[" * 500 + "]" * 500
    res = pilot("template", str(chart), "--set-json", f"v={doc}")
    assert res.returncode == 0, res.stderr
    assert res.stdout == _helm("template", str(chart), "--set-json", f"v={doc}").stdout


@pytest.mark.parametrize("text", ["a: " + "[" * 60000 + "]" * 60000, "a:\n" + "".join(
    "  " * i + "k:\n" for i in range(1, 3000)), "- " * 20000 + "x", "a: " + "{b: " * 5000 + "1" + "}" * 5000])
def test_deeply_nested_yaml_values_are_a_clear_error(helm_home, pilot, tmp_path, text):
    values = tmp_path / "deep.yaml"
    values.write_text(text)
    res = pilot("template", str(_chart(tmp_path)), "-f", str(values))
    _failed_cleanly(res, "deep.yaml")


def test_a_yaml_aliasing_bomb_in_values_is_refused_as_helm_refuses_it(helm_home, pilot, tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    values = tmp_path / "lol.yaml"
    values.write_text("\n".join(lines) + "\n")
    res = pilot("template", str(_chart(tmp_path)), "-f", str(values))
    _failed_cleanly(res, "excessive aliasing")


@pytest.mark.parametrize("schema", ['{"properties": ' * 50000 + "{}" + "}" * 50000,
                                    "[" * 100000 + "]" * 100000])
def test_a_deeply_nested_schema_is_a_clear_error(helm_home, pilot, tmp_path, schema):
    res = pilot("template", str(_chart(tmp_path, schema)), "--set", "v=1")
    _failed_cleanly(res)


@pytest.mark.parametrize("schema", [
    {"properties": {"v": {"multipleOf": 1e-300}}},
    {"properties": {"v": {"multipleOf": 0.1}}},
    {"properties": {"v": {"minLength": 1e308}}},
    {"properties": {"v": {"maxItems": 1e308, "minItems": 1e300, "type": "string"}}},
    '{"properties": {"v": {"maximum": 1' + "0" * 5000 + "}}}",
    {"properties": {"v": {"enum": [[[[[[[[[[1]]]]]]]]]] * 1000}}},
    {"properties": {"v": {"uniqueItems": True}}},
])
def test_hostile_schema_numbers_never_crash(helm_home, pilot, tmp_path, schema):
    chart = _chart(tmp_path, schema)
    res = pilot("template", str(chart), "--set-json", "v=1e300")
    assert res.returncode in (0, 1), res.stderr
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    many = pilot("template", str(chart), "--set-json", "v=[" + ",".join(["[1,2]"] * 3000) + "]")
    assert many.returncode in (0, 1) and "internal error" not in many.stderr


def test_set_paths_and_indexes_are_bounded_as_in_helm(helm_home, pilot, tmp_path):
    chart = _chart(tmp_path)
    for arg in ("v[99999999]=1", ".".join(["a"] * 30000) + "=1"):
        res = pilot("template", str(chart), "--set", arg)
        _failed_cleanly(res, "failed parsing --set data")
        assert res.stderr == _helm("template", str(chart), "--set", arg).stderr


# ---- templates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["if", "with"])
def test_thousands_of_nested_blocks_render_as_in_helm(helm_home, pilot, tmp_path, kind):
    n = 3000
    chart = _chart(tmp_path, template="x: " + ("{{" + kind + " true}}") * n + "y" + "{{end}}" * n + "\n")
    res = pilot("template", str(chart))
    assert res.returncode == 0, res.stderr[-500:]
    assert res.stdout == _helm("template", str(chart)).stdout


def test_thousands_of_nested_ranges_render_as_in_helm(helm_home, pilot, tmp_path):
    # each level declares a variable: the compiled code must stay linear in the nesting
    n = 3000
    chart = _chart(tmp_path, template="x: " + "{{range $i := list 1}}" * n + "{{$i}}" + "{{end}}" * n + "\n")
    res = pilot("template", str(chart))
    assert res.returncode == 0, res.stderr[-500:]
    assert res.stdout == _helm("template", str(chart)).stdout


def test_blocks_nested_past_the_limit_are_a_clear_parse_error(helm_home, pilot, tmp_path):
    from pilothouse.gotemplate.parser import MAX_BLOCK_DEPTH

    n = MAX_BLOCK_DEPTH + 1
    chart = _chart(tmp_path, template="x: " + "{{with .}}" * n + "y" + "{{end}}" * n + "\n")
    res = pilot("template", str(chart))
    _failed_cleanly(res, "parse error at (c/templates/cm.yaml:1)", f"blocks nested more than {MAX_BLOCK_DEPTH} deep")


def test_unbalanced_deep_nesting_is_a_template_error(helm_home, pilot, tmp_path):
    chart = _chart(tmp_path, template="{{if true}}" * 20000)
    res = pilot("template", str(chart))
    _failed_cleanly(res, "parse error")


@pytest.mark.parametrize("n", [3000, 10000, 10001])
def test_nested_parentheses_follow_gos_limit(helm_home, pilot, tmp_path, n):
    chart = _chart(tmp_path, template="x: {{" + "(" * n + "1" + ")" * n + "}}\n")
    res, helm = pilot("template", str(chart)), _helm("template", str(chart))
    assert (res.returncode, res.stdout) == (helm.returncode, helm.stdout), res.stderr[-300:]
    if n > 10000:
        _failed_cleanly(res, "max expression depth exceeded")


def test_deep_parentheses_are_a_template_error_not_a_crash(helm_home, pilot, tmp_path):
    chart = _chart(tmp_path, template="{{" + "(" * 20000 + "1" + ")" * 20000 + "}}")
    res = pilot("template", str(chart))
    _failed_cleanly(res, "max expression depth exceeded")


def test_a_template_recursing_for_ever_stops_with_helms_error(helm_home, pilot, tmp_path):
    chart = _chart(tmp_path, template='{{define "r"}}{{include "r" .}}{{end}}{{include "r" .}}')
    res = pilot("template", str(chart))
    _failed_cleanly(res, "rendering template has a nested reference name: r")
    assert res.stderr.splitlines()[0] == _helm("template", str(chart)).stderr.splitlines()[0]


# ---- versions ----------------------------------------------------------------------------------

def test_a_100kb_prerelease_renders_as_helm_and_cannot_crash_package(helm_home, pilot, tmp_path):
    chart = _chart(tmp_path, version="1.0.0-" + "a" * 100_000)
    res = pilot("template", str(chart), "--set", "v=1")
    assert res.returncode == 0, res.stderr[-300:]
    assert res.stdout == _helm("template", str(chart), "--set", "v=1").stdout
    out = tmp_path / "out"
    res = pilot("package", str(chart), "-d", str(out))
    _failed_cleanly(res, "file name too long")
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("version", ["1.0.0-" + "1" * 100_000, "1.0.0-" + "a." * 50_000 + "a",
                                     "1" * 100_000 + " - 2", ">=1.0.0-" + "a" * 100_000 + " <2"])
def test_long_versions_in_constraints_answer_promptly(version):
    from pilothouse.semver import Constraints, SemverError, Version

    try:
        c = Constraints.parse(version)
    except SemverError:
        return
    c.check(Version.parse("1.5.0"))
