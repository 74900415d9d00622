"""Loading charts: directories, archives, BOMs, v1 requirements, safety checks, and the corpus."""

from __future__ import annotations

import io
import json
import os
import tarfile

import pytest
from chart_helmref import write_chart

from corpus_cases import ABSENT_REASON, CORPUS, PRESENT
from pilothouse.chart.loader import load, load_archive
from pilothouse.errors import ChartError

CHART_YAML = "apiVersion: v2\nname: demo\nversion: 0.1.0\n"


def make_tgz(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_directory_layout_and_order(tmp_path) -> None:
    write_chart(str(tmp_path), {
        "Chart.yaml": CHART_YAML, "values.yaml": "a: 1\n", "values.schema.json": "{}",
        "templates/b.yaml": "b", "templates/a.yaml": "a", "templates/_h.tpl": "h", "templates/.hidden": "x",
        "README.md": "r", "crds/c.yaml": "kind: CRD", "files/x.txt": "x",
    })
    c = load(str(tmp_path))
    assert [t.name for t in c.templates] == ["templates/_h.tpl", "templates/a.yaml", "templates/b.yaml"]
    assert [f.name for f in c.files] == ["README.md", "crds/c.yaml", "files/x.txt"]
    assert c.values == {"a": 1.0} and type(c.values["a"]) is float
    assert c.schema == b"{}"
    assert [f.name for f in c.crds()] == ["crds/c.yaml"]
    assert c.crd_objects()[0].filename == "demo/crds/c.yaml"


def test_bom_is_stripped(tmp_path) -> None:
    write_chart(str(tmp_path), {"Chart.yaml": "\ufeff" + CHART_YAML, "values.yaml": "\ufeffa: b\n",
                                "templates/x.yaml": "\ufeffkind: X"})
    c = load(str(tmp_path))
    assert c.name() == "demo" and c.values == {"a": "b"} and c.templates[0].data == b"kind: X"


def test_helmignore(tmp_path) -> None:
    write_chart(str(tmp_path), {"Chart.yaml": CHART_YAML, ".helmignore": "*.bak\nsecret/\n",
                                "templates/x.yaml.bak": "", "templates/x.yaml": "", "secret/key": "k"})
    c = load(str(tmp_path))
    assert [t.name for t in c.templates] == ["templates/x.yaml"]
    assert [f.name for f in c.files] == [".helmignore"]


def test_v1_requirements(tmp_path) -> None:
    write_chart(str(tmp_path), {
        "Chart.yaml": "apiVersion: v1\nname: old\nversion: 1.0.0\n",
        "requirements.yaml": "dependencies:\n- name: sub\n  version: 0.1.0\n  repository: https://x\n",
        "requirements.lock": "dependencies:\n- name: sub\n  version: 0.1.0\ndigest: abc\n",
    })
    c = load(str(tmp_path))
    assert [d.name for d in c.metadata.dependencies] == ["sub"]
    assert c.lock is not None and c.lock.digest == "abc"
    assert [f.name for f in c.files] == ["requirements.lock", "requirements.yaml"]


def test_missing_api_version_means_v1(tmp_path) -> None:
    write_chart(str(tmp_path), {"Chart.yaml": "name: x\nversion: 1.0.0\n"})
    assert load(str(tmp_path)).metadata.api_version == "v1"


def test_subcharts_as_directories_and_archives(tmp_path) -> None:
    write_chart(str(tmp_path), {"Chart.yaml": CHART_YAML, "charts/one/Chart.yaml": "apiVersion: v2\nname: one\nversion: 1.0.0\n",
                                "charts/_skip/Chart.yaml": "broken", "charts/.hidden/Chart.yaml": "broken"})
    (tmp_path / "charts" / "two-1.0.0.tgz").write_bytes(
        make_tgz({"two/Chart.yaml": b"apiVersion: v2\nname: two\nversion: 1.0.0\n", "two/templates/t.yaml": b"t"}))
    c = load(str(tmp_path))
    assert sorted(d.name() for d in c.dependencies()) == ["one", "two"]
    two = next(d for d in c.dependencies() if d.name() == "two")
    assert two.chart_full_path() == "demo/charts/two" and two.parent is c


def test_archive_round_trip(tmp_path) -> None:
    data = make_tgz({"demo/Chart.yaml": CHART_YAML.encode(), "demo/templates/x.yaml": b"\xef\xbb\xbfx"})
    path = tmp_path / "demo-0.1.0.tgz"
    path.write_bytes(data)
    for c in (load(str(path)), load_archive(data), load(data)):
        assert c.name() == "demo" and c.templates[0].data == b"x"


@pytest.mark.parametrize(("entries", "message"), [
    ({"demo/../../etc/passwd": b"x", "demo/Chart.yaml": b""}, "chart illegally references parent directory"),
    ({"Chart.yaml": CHART_YAML.encode()}, 'chart illegally contains content outside the base directory: "Chart.yaml"'),
    ({"demo/C:/x": b"x"}, "chart contains illegally named files"),
    ({}, "no files in chart archive"),
])
def test_archive_safety(entries: dict[str, bytes], message: str) -> None:
    with pytest.raises(ChartError) as err:
        load_archive(make_tgz(entries))
    assert str(err.value) == f"unable to load chart archive: {message}"


def test_not_an_archive(tmp_path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: b\n")
    with pytest.raises(ChartError) as err:
        load(str(path))
    assert str(err.value) == f"file '{path}' seems to be a YAML file, but expected a gzipped archive"


def test_invalid_chart_yaml_and_values(tmp_path) -> None:
    write_chart(str(tmp_path), {"Chart.yaml": CHART_YAML, "values.yaml": "- a\n"})
    with pytest.raises(ChartError) as err:
        load(str(tmp_path))
    assert str(err.value) == ("cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: "
                              "while decoding JSON: json: cannot unmarshal array into Go value of type "
                              "map[string]interface {}")


def test_multi_document_values_merge(tmp_path) -> None:
    write_chart(str(tmp_path), {"Chart.yaml": CHART_YAML, "values.yaml": "a: {p: 1, q: 2, y: 5}\n---\na: {q: 3}\nb: 1\n"})
    # YAML 1.1: the key y is the boolean true
    assert load(str(tmp_path)).values == {"a": {"p": 1, "q": 3, "true": 5}, "b": 1}


def test_irregular_file_is_refused(tmp_path) -> None:
    write_chart(str(tmp_path), {"Chart.yaml": CHART_YAML})
    os.symlink("/dev/null", tmp_path / "null")
    with pytest.raises(ChartError) as err:
        load(str(tmp_path))
    assert str(err.value) == f"cannot load irregular file {tmp_path}/null as it has file mode type bits set"


def test_symlinked_directory_is_followed(tmp_path) -> None:
    write_chart(str(tmp_path / "real"), {"x.yaml": "x"})
    write_chart(str(tmp_path / "chart"), {"Chart.yaml": CHART_YAML})
    os.symlink(tmp_path / "real", tmp_path / "chart" / "templates")
    assert [t.name for t in load(str(tmp_path / "chart")).templates] == ["templates/x.yaml"]


# --- the corpus, compared with what Helm's loader gives ---------------------------------------

corpus = pytest.mark.skipif(not PRESENT, reason=ABSENT_REASON)


def _corpus_charts() -> list[str]:
    base = os.path.join(CORPUS, "charts")
    return sorted(os.listdir(base)) if os.path.isdir(base) else []


def _load_errors() -> dict[str, str]:
    out = {}
    base = os.path.join(CORPUS, "error_cases")
    for case in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        err = json.load(open(os.path.join(base, case, "error.json")))
        if err["stage"] == "load":
            chart_dir = json.load(open(os.path.join(base, case, "case.json")))["chart_dir"]
            out[os.path.basename(chart_dir)] = err["message"]
    return out


def _describe(c) -> dict:
    return {
        "metadata": c.metadata.to_dict(),
        "templates": [(t.name, t.data.decode("utf-8", "replace")) for t in c.templates],
        "files": sorted(f.name for f in c.files),
        "deps": sorted((_describe(d) for d in c.dependencies()), key=lambda d: d["metadata"]["name"]),
    }


def _describe_helm(h) -> dict:
    return {
        "metadata": h.metadata,
        "templates": [(t["name"], t["data"]) for t in h.templates],
        "files": sorted(f["name"] for f in h.files),
    }


@corpus
@pytest.mark.parametrize("name", _corpus_charts())
def test_corpus_chart_loads_like_helm(name: str) -> None:
    import helm_python as hp

    path = os.path.join(CORPUS, "charts", name)
    expected_error = _load_errors().get(name)
    if expected_error is not None:
        with pytest.raises(ChartError) as err:
            load(path)
        assert str(err.value) == expected_error
        return
    ours = load(path)
    theirs = hp.Chart.load(path)
    try:
        mine = _describe(ours)
        assert {k: mine[k] for k in ("metadata", "templates", "files")} == _describe_helm(theirs)
        assert sorted(d["metadata"]["name"] for d in mine["deps"]) == sorted(d["name"] for d in theirs.dependencies)
        assert json.loads(json.dumps(ours.values)) == (theirs.values or {})
    finally:
        theirs.close()
