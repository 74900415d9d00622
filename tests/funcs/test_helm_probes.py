"""Sprig functions under Helm's conditions (float64 values, typed results, errors), against Helm's answers.

helm_probes.json holds what the real Helm engine rendered for each probe in helm_probes.py
(regenerate it with that script). Values are read as Helm reads them: every number a float64,
the root a `common.Values` map; `<no value>` is removed from the output as Helm does.
"""

from __future__ import annotations

import json
import os

import pytest
import yaml
from helm_probes import ANSWERS, PROBES, VALUES

from pilothouse.funcs import helm_funcs

with open(ANSWERS, encoding="utf-8") as _f:
    HELM = json.load(_f)


class Values(dict):
    """Stand-in for Helm's `common.Values` (a named map type)."""

    go_type = "common.Values"


def _as_helm_reads(v):  # type: ignore[no-untyped-def]
    # Values files go YAML → JSON → Go, so every number is a float64.
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, list):
        return [_as_helm_reads(x) for x in v]
    return {str(k): _as_helm_reads(x) for k, x in v.items()}


def _render(tpl: str) -> str:
    from pilothouse.gotemplate import TemplateSet

    ts = TemplateSet(funcs=helm_funcs(), missingkey="zero")
    ts.parse("probe/templates/t.txt", tpl)
    data = {"Values": Values(_as_helm_reads(yaml.safe_load(VALUES)))}
    return ts.execute("probe/templates/t.txt", data).replace("<no value>", "")


def test_every_probe_has_an_answer() -> None:
    assert sorted(HELM) == sorted(PROBES)


@pytest.mark.parametrize("pid", sorted(PROBES))
def test_probe(pid: str) -> None:
    kind, expected = HELM[pid]
    if kind == "ok":
        assert _render(PROBES[pid]) == expected
        return
    from pilothouse.errors import TemplateError

    with pytest.raises(TemplateError) as info:
        _render(PROBES[pid])
    # Helm's message ends with the function's (or the argument check's) own words.
    inner = expected.rsplit("\n", 1)[-1].strip()
    assert inner in str(info.value)


def test_answers_file_is_beside_probes() -> None:
    assert os.path.dirname(ANSWERS) == os.path.dirname(os.path.abspath(__file__))
