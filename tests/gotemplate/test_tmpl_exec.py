"""Go's own execution tests (exec_test.go), vector by vector."""

from __future__ import annotations

import pytest
from tmpl_exec_vectors import CMP_TESTS, EXEC_TESTS
from tmpl_godata import FUNCS, data

from pilothouse.gotemplate import ExecError, TemplateSet


def _ids(rows):
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        name = row[0]
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


@pytest.mark.parametrize(("name", "text", "want", "value", "ok"), EXEC_TESTS, ids=_ids(EXEC_TESTS))
def test_exec(name: str, text: str, want: str, value: object, ok: bool) -> None:
    ts = TemplateSet(FUNCS)
    ts.parse(name, text)
    if ok:
        assert ts.execute(name, data(value)) == want
    else:
        with pytest.raises(ExecError):
            ts.execute(name, data(value))


@pytest.mark.parametrize(("expr", "truth", "ok"), CMP_TESTS, ids=_ids(CMP_TESTS))
def test_comparison(expr: str, truth: str, ok: bool) -> None:
    ts = TemplateSet()
    ts.parse("empty", "{{if " + expr + "}}true{{else}}false{{end}}")
    if ok:
        assert ts.execute("empty", data("cmp")) == truth
    else:
        with pytest.raises(ExecError):
            ts.execute("empty", data("cmp"))
