"""The persistent compile cache: a template loaded from disk behaves exactly as a fresh parse.

Every expectation here is Go's or Helm's (the probe tables of test_tmpl_helm_probes, Go's exec
vectors); the cache is only ever compared with those, after a run that filled it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_tmpl_helm_probes import ERROR_PROBES, PROBES, VALUES, test_helm_error_probe
from tmpl_exec_vectors import EXEC_TESTS
from tmpl_godata import FUNCS, data

import pilothouse.gotemplate as gt
from pilothouse.gotemplate import ExecError, ParseError, TemplateSet
from pilothouse.gotemplate import cache as tcache

NAME = "probe/templates/t.yaml"


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("PILOTHOUSE_CACHE_DIR", str(d))
    gt._CACHE.clear()
    yield d / "templates"
    gt._CACHE.clear()


def _entries(d: Path) -> list[Path]:
    return sorted(p for p in d.rglob("*") if p.is_file())


def _render(text: str, funcs: dict | None = None) -> str:
    ts = TemplateSet(funcs, missingkey="zero")
    ts.parse(NAME, text)
    return ts.execute(NAME, {"Values": VALUES}).replace("<no value>", "")


def _cold_then_warm(text: str) -> None:
    """Fill the disk cache with `text`, then forget everything this process holds."""
    try:
        _render(text)
    except (ExecError, ParseError):
        pass
    gt._CACHE.clear()


@pytest.mark.parametrize(("name", "text", "want"), PROBES, ids=[p[0] for p in PROBES])
def test_probe_from_disk(cache_dir: Path, name: str, text: str, want: str) -> None:
    _cold_then_warm(text)
    assert _entries(cache_dir), "the first parse stores an entry"
    assert _render(text) == want


@pytest.mark.parametrize(("name", "text", "helm"), ERROR_PROBES, ids=[p[0] for p in ERROR_PROBES])
def test_error_probe_from_disk(cache_dir: Path, name: str, text: str, helm: str) -> None:
    # Error messages need nodes the entry does not hold: they come back by parsing again.
    _cold_then_warm(text)
    test_helm_error_probe(name, text, helm)


_SAMPLE = [row for row in EXEC_TESTS if "{{" in row[1]][::3]


@pytest.mark.parametrize(("name", "text", "want", "value", "ok"), _SAMPLE, ids=[r[0] for r in _SAMPLE])
def test_go_exec_vector_from_disk(cache_dir: Path, name: str, text: str, want: str, value: object, ok: bool) -> None:
    TemplateSet(FUNCS).parse(name, text)
    gt._CACHE.clear()
    ts = TemplateSet(FUNCS)
    ts.parse(name, text)
    if ok:
        assert ts.execute(name, data(value)) == want
    else:
        with pytest.raises(ExecError):
            ts.execute(name, data(value))


def test_literal_argument_errors_from_disk(cache_dir: Path) -> None:
    # Literal operands are checked against parameter types on every call (Go: evalArg).
    text = '{{ define "x" }}{{ indent "a" "b" }}{{ end }}{{ template "x" }}'
    funcs = {"indent": _indent}
    _render_funcs = lambda: _run(text, funcs)  # noqa: E731
    with pytest.raises(ExecError) as cold:
        _render_funcs()
    gt._CACHE.clear()
    with pytest.raises(ExecError) as warm:
        _render_funcs()
    # Go: template: t:1:26: executing "x" at <"a">: expected integer; found "a"
    assert str(cold.value) == str(warm.value) == 'template: t:1:26: executing "x" at <"a">: expected integer; found "a"'


def _indent(n: int, s: str) -> str:
    return " " * n + s


_indent.__go_params__ = ("int", "string")  # type: ignore[attr-defined]
_indent.__go_variadic__ = False  # type: ignore[attr-defined]


def _run(text: str, funcs: dict) -> str:
    ts = TemplateSet(funcs)
    ts.parse("t", text)
    return ts.execute("t", None)


def test_undefined_function_still_reported(cache_dir: Path) -> None:
    text = "{{ shout .Values.s }}"
    assert _render(text, {"shout": str.upper}) == "HÉLLO"
    gt._CACHE.clear()
    with pytest.raises(ParseError) as err:
        _render(text)
    assert str(err.value) == f'template: {NAME}:1: function "shout" not defined'


def test_empty_define_does_not_replace(cache_dir: Path) -> None:
    # Go: an empty redefinition never replaces a non-empty one, from a cached parse too.
    for _ in range(2):
        gt._CACHE.clear()
        ts = TemplateSet()
        ts.parse("a", '{{ define "x" }}full{{ end }}')
        ts.parse("b", '{{ define "x" }}  {{/* c */}} {{ end }}')
        assert ts.execute("a", None) == ""
        ts.parse("c", '{{ template "x" }}')
        assert ts.execute("c", None) == "full"


def test_define_named_like_its_file(cache_dir: Path) -> None:
    # Go: a text that defines its own name; what it means depends on that name, so it is never
    # taken from the cache under another one.
    text = '{{ define "x" }}in{{ end }}'
    for _ in range(2):
        gt._CACHE.clear()
        ts = TemplateSet()
        ts.parse("x", text)
        assert ts.execute("x", None) == "in"
        ts = TemplateSet()
        ts.parse("y", text)
        assert ts.execute("y", None) == ""
        assert ts.execute("x", None) == "in"


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b[:-1] + bytes([b[-1] ^ 0xFF]),
        lambda b: b"",
        lambda b: b"garbage" * 10,
    ],
    ids=["truncated", "flipped", "empty", "garbage"],
)
def test_corrupt_entry_is_rebuilt(cache_dir: Path, damage) -> None:
    text = "{{ .Values.port }}-{{ .Values.s | upper }}"
    funcs = {"upper": str.upper}
    assert _render(text, funcs) == "8080-HÉLLO"
    (entry,) = _entries(cache_dir)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    gt._CACHE.clear()
    assert _render(text, funcs) == "8080-HÉLLO"
    assert entry.read_bytes() == good, "the broken entry was replaced"


def test_unusable_cache_dir_never_breaks_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("PILOTHOUSE_CACHE_DIR", str(blocker))
    gt._CACHE.clear()
    assert _render("{{ .Values.half }}") == "0.5"
    gt._CACHE.clear()
    assert _render("{{ .Values.half }}") == "0.5"


def test_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PILOTHOUSE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    gt._CACHE.clear()
    assert tcache.cache_dir() is None
    assert _render("{{ 1 }}") == "1"
    assert not list(tmp_path.rglob("*"))


def test_default_location_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PILOTHOUSE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert tcache.cache_dir() == str(tmp_path / "xdg" / "pilothouse" / "templates")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert tcache.cache_dir() == str(tmp_path / "home" / ".cache" / "pilothouse" / "templates")


def test_writes_leave_no_temporary_files(cache_dir: Path) -> None:
    for i in range(5):
        _render("{{ .Values.port }}" * (i + 1))
    files = _entries(cache_dir)
    assert len(files) == 5
    assert not [f for f in files if f.name.endswith(".tmp")]


def test_key_covers_delimiters_and_keywords() -> None:
    flags = (False, False, True, True)
    base = tcache.entry_key("{{ x }}", "{{", "}}", flags)
    assert base != tcache.entry_key("{{ x }}", "[[", "]]", flags)
    assert base != tcache.entry_key("{{ x }}", "{{", "}}", (True, False, True, True))
    assert base != tcache.entry_key("{{ x }} ", "{{", "}}", flags)
    assert base == tcache.entry_key("{{ x }}", "{{", "}}", flags)


_CHILD = r"""
import sys
from pilothouse.gotemplate import TemplateSet, ExecError
ts = TemplateSet(missingkey="zero")
ts.parse("t", 'a{{ define "d" }}<{{ .x }}>{{ end }}{{ template "d" .Values }}{{ if .Values.on }}on{{ end }}')
print(ts.execute("t", {"Values": {"x": 1.5, "on": True}}))
print("parser" in sys.modules["pilothouse.gotemplate"].__dict__ or "pilothouse.gotemplate.parser" in sys.modules)
try:
    ts.execute("t", {"Values": 3.5})
except ExecError as e:
    print(e)
"""


def test_warm_process_does_not_parse(tmp_path: Path) -> None:
    env = dict(os.environ, PILOTHOUSE_CACHE_DIR=str(tmp_path))
    runs = [
        subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    ]
    # Go: field x on a float64 is an error at the field node.
    err = 'template: t:1:21: executing "d" at <.x>: can\'t evaluate field x in type float64'
    assert runs[0] == f"a<1.5>on\nTrue\n{err}\n"
    assert runs[1] == f"a<1.5>on\nFalse\n{err}\n"


def test_entry_of_another_user_is_not_run(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "{{ .Values.port }}"
    assert _render(text) == "8080"
    (entry,) = _entries(cache_dir)
    # As seen by another user, the entry is foreign: it is rebuilt, not loaded.
    monkeypatch.setattr(tcache, "_UID", os.stat(entry).st_uid + 1)
    gt._CACHE.clear()
    loads = []
    monkeypatch.setattr(tcache, "load", lambda *a: loads.append(a))
    assert _render(text) == "8080"
    assert loads == []
