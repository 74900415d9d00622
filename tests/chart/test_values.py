"""Values coalescing and dependency processing, with Helm's own answers as the reference.

Each chart under data/ has a `templates/dump.yaml` printing `toJson .Values`; Helm renders it
for every enabled chart, and the same tree is computed here with `process_dependencies` and
`coalesce_values`.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from chart_helmref import helm_values_per_chart

from corpus_cases import ABSENT_REASON, CORPUS, PRESENT
from pilothouse.chart import coalesce_values, load, process_dependencies
from pilothouse.chart.dependencies import check_dependencies
from pilothouse.chart.values import Values, coalesce_tables, merge_tables
from pilothouse.errors import ChartError, ValuesError

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def our_values_per_chart(chart_dir: str, user: dict) -> dict:
    chart = load(chart_dir)
    process_dependencies(chart, user)
    vals = coalesce_values(chart, user)
    out: dict = {}

    def walk(c, v, path):
        out[path] = json.loads(json.dumps(v))
        for sub in c.dependencies():
            walk(sub, v[sub.name()], f"{path}/charts/{sub.name()}")

    walk(chart, vals, chart.name())
    return out


SCENARIOS = [
    ("globals", {}),
    ("globals", {"global": {"region": "ap", "image": {"pull": "Never"}}, "sub1": {"global": {"own": 2}}}),
    ("globals", {"global": "not-a-map"}),
    ("nulls", {}),
    ("nulls", {"a": None, "nested": {"x": None, "deep": None}, "sub": {"p": None, "m": {"b": None}, "new": None}}),
    ("nulls", {"sub": {"table": None, "fromParent": "user"}, "zz": None}),
    ("deps", {}),
    ("deps", {"db": {"enabled": False}, "global": {"db": {"enabled": True}}}),
    ("deps", {"replica": {"enabled": True}, "tags": {"backend": False, "frontend": False}}),
    ("deps", {"tags": {"fast": True}, "cache": {"metrics": {"on": True}}, "dbport": {"number": 2}}),
    ("deps", {"db": {"enabled": "yes-but-a-string"}, "global": {"db": {"enabled": False}}}),
]


@pytest.mark.parametrize(("chart", "user"), SCENARIOS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(SCENARIOS)])
def test_values_match_helm(chart: str, user: dict) -> None:
    path = os.path.join(DATA, chart)
    assert our_values_per_chart(path, json.loads(json.dumps(user))) == helm_values_per_chart(path, user)


def test_user_values_are_not_modified() -> None:
    user = {"sub": {"p": None}, "a": None}
    chart = load(os.path.join(DATA, "nulls"))
    coalesce_values(chart, user)
    assert user == {"sub": {"p": None}, "a": None}


def test_import_values_are_normalised_in_metadata() -> None:
    chart = load(os.path.join(DATA, "deps"))
    process_dependencies(chart, {})
    db = next(d for d in chart.metadata.dependencies if d.name == "db")
    assert db.import_values == [{"child": "exports.defaults", "parent": "."}, {"child": "config.port", "parent": "dbport"}]
    assert [d.name() for d in chart.dependencies()] == ["extra", "db", "cache", "web"]
    assert [d.name for d in chart.metadata.dependencies] == ["db", "cache", "web"]


def test_alias_gets_its_own_copy(tmp_path) -> None:
    shutil.copytree(os.path.join(DATA, "deps"), tmp_path / "deps")
    chart = load(str(tmp_path / "deps"))
    process_dependencies(chart, {"replica": {"enabled": True}})
    names = [d.name() for d in chart.dependencies()]
    assert "replica" in names and "db" in names
    replica = next(d for d in chart.dependencies() if d.name() == "replica")
    assert replica.chart_full_path() == "umbrella/charts/replica"


def test_type_mismatch_for_a_subchart_section() -> None:
    chart = load(os.path.join(DATA, "nulls"))
    with pytest.raises(ValuesError) as err:
        coalesce_values(chart, {"sub": "text"})
    assert str(err.value) == "type mismatch on sub: %!t(string=text)"


def test_missing_dependency_is_reported(tmp_path) -> None:
    shutil.copytree(os.path.join(DATA, "deps"), tmp_path / "deps")
    shutil.rmtree(tmp_path / "deps" / "charts" / "web")
    with pytest.raises(ChartError) as err:
        check_dependencies(load(str(tmp_path / "deps")))
    assert str(err.value).endswith("found in Chart.yaml, but missing in charts/ directory: web")


# vectors from Helm's coalesce tests (CoalesceTables / MergeTables)
def test_coalesce_tables_vector() -> None:
    dst = {"name": "Ishmael", "address": {"street": "123 Spouter Inn Ct.", "city": "Nantucket", "country": None},
           "details": {"friends": ["Tashtego"]}, "boat": "pequod", "hole": None}
    src = {"occupation": "whaler", "address": {"state": "MA", "street": "234 Spouter Inn Ct.", "country": "US"},
           "details": "empty", "boat": {"mast": True}, "hole": "black"}
    coalesce_tables(dst, src)
    assert dst == {"name": "Ishmael", "occupation": "whaler",
                   "address": {"street": "123 Spouter Inn Ct.", "city": "Nantucket", "state": "MA"},
                   "details": {"friends": ["Tashtego"]}, "boat": "pequod"}


def test_merge_tables_keeps_nulls() -> None:
    dst = {"address": {"country": None}, "hole": None}
    merge_tables(dst, {"address": {"country": "US"}, "hole": "black"})
    assert dst == {"address": {"country": None}, "hole": None}


def test_values_object_methods() -> None:
    vals = Values({"a": {"b": {"c": 1}}, "s": "x"})
    assert vals.table("a.b") == {"c": 1}
    assert vals.path_value("a.b.c") == 1
    assert vals.path_value("s") == "x"
    with pytest.raises(ValuesError) as err:
        vals.path_value("a.b")
    assert str(err.value) == '"b" is not a value'
    with pytest.raises(ValuesError) as err:
        vals.table("a.x")
    assert str(err.value) == '"x" is not a table'


# --- every corpus chart: the .Values of each chart in the tree, compared with Helm's ----------

corpus = pytest.mark.skipif(not PRESENT, reason=ABSENT_REASON)
_LOAD_FAILURES = {"helmtest-bad-subcharts", "helmtest-lib-chart"}


def _corpus_charts() -> list[str]:
    base = os.path.join(CORPUS, "charts")
    return [c for c in sorted(os.listdir(base)) if c not in _LOAD_FAILURES] if os.path.isdir(base) else []


def _dump_copy(src: str, dst: str) -> None:
    """Copy a chart with every (sub)chart's templates replaced by one `toJson .Values` dump."""
    import tarfile

    shutil.copytree(src, dst)
    pending = True
    while pending:
        pending = False
        for root, _, files in os.walk(dst):
            for f in files:
                if f.endswith(".tgz") and os.path.basename(root) == "charts":
                    archive = os.path.join(root, f)
                    unpack = os.path.join(root, "_unpack")
                    with tarfile.open(archive) as tar:
                        tar.extractall(unpack, filter="data")
                    top = os.listdir(unpack)[0]
                    shutil.move(os.path.join(unpack, top), os.path.join(root, "x-" + f[:-4]))
                    os.rmdir(unpack)
                    os.remove(archive)
                    pending = True
    for root, _, files in os.walk(dst):
        if "Chart.yaml" in files:
            shutil.rmtree(os.path.join(root, "templates"), ignore_errors=True)
            os.makedirs(os.path.join(root, "templates"))
            with open(os.path.join(root, "templates", "dump.yaml"), "w") as fh:
                fh.write("{{ toJson .Values }}")
            if os.path.exists(os.path.join(root, "values.schema.json")):
                os.remove(os.path.join(root, "values.schema.json"))


@corpus
@pytest.mark.parametrize("name", _corpus_charts())
def test_corpus_values_match_helm(tmp_path, name: str) -> None:
    path = str(tmp_path / name)
    _dump_copy(os.path.join(CORPUS, "charts", name), path)
    theirs = helm_values_per_chart(path, {})
    ours = our_values_per_chart(path, {})
    # library charts render no templates, so Helm has no dump for them
    assert {k: v for k, v in ours.items() if k in theirs} == theirs
    assert set(theirs) <= set(ours)
