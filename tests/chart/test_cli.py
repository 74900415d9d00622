"""The chart commands: show, dependency list, lint, and the value flags."""

from __future__ import annotations

import os

import pytest
from chart_helmref import write_chart

from corpus_cases import ABSENT_REASON, CORPUS, PRESENT
from pilothouse.cli.main import main

corpus = pytest.mark.skipif(not PRESENT, reason=ABSENT_REASON)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@corpus
@pytest.mark.parametrize("kind", ["chart", "values", "readme", "crds", "all"])
@pytest.mark.parametrize("chart", ["helmtest-frobnitz", "helm-create-scaffold", "cert-manager", "helmtest-only-crds"])
def test_show_matches_helm(capsys, kind: str, chart: str) -> None:
    import helm_python as hp

    path = os.path.join(CORPUS, "charts", chart)
    code, out, _ = run(capsys, "show", kind, path)
    assert code == 0
    assert out == hp.show(path, output_format=kind)


def test_dependency_list_table(capsys, tmp_path) -> None:
    # Helm's own expected output for its reqtest chart (pkg/cmd/testdata/output/dependency-list.txt)
    write_chart(str(tmp_path), {
        "Chart.yaml": "apiVersion: v1\nname: reqtest\nversion: 0.1.0\ndependencies:\n"
                      "  - {name: reqsubchart, version: 0.1.0, repository: 'https://example.com/charts'}\n"
                      "  - {name: reqsubchart2, version: 0.2.0, repository: 'https://example.com/charts'}\n"
                      "  - {name: reqsubchart3, version: '>=0.1.0', repository: 'https://example.com/charts'}\n",
        "charts/reqsubchart/Chart.yaml": "apiVersion: v1\nname: reqsubchart\nversion: 0.1.0\n",
        "charts/reqsubchart2/Chart.yaml": "apiVersion: v1\nname: reqsubchart2\nversion: 0.2.0\n",
    })
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = b"apiVersion: v1\nname: reqsubchart3\nversion: 0.2.0\n"
        info = tarfile.TarInfo("reqsubchart3/Chart.yaml")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    (tmp_path / "charts" / "reqsubchart3-0.2.0.tgz").write_bytes(buf.getvalue())
    code, out, _ = run(capsys, "dependency", "list", str(tmp_path))
    assert code == 0
    assert out == (
        "NAME        \tVERSION\tREPOSITORY                \tSTATUS  \n"
        "reqsubchart \t0.1.0  \thttps://example.com/charts\tunpacked\n"
        "reqsubchart2\t0.2.0  \thttps://example.com/charts\tunpacked\n"
        "reqsubchart3\t>=0.1.0\thttps://example.com/charts\tok      \n"
        "\n"
    )


def test_dependency_update_without_dependencies_is_silent(capsys, tmp_path) -> None:
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: nodeps\nversion: 0.1.0\n")
    code, out, err = run(capsys, "dependency", "update", str(tmp_path))
    assert (code, out, err) == (0, "", "")


@corpus
@pytest.mark.parametrize("chart", ["helm-create-scaffold", "helmtest-invalid-yaml", "helmtest-frobnitz",
                                   "helmtest-reqtest", "helmtest-lib-chart", "helmtest-schema-negative"])
def test_lint_messages_match_helm(chart: str) -> None:
    import helm_python as hp

    from pilothouse.chart.lint import lint_chart
    from pilothouse.cli.cmd_lint import make_renderer

    path = os.path.join(CORPUS, "charts", chart)
    ours = lint_chart(path, {}, render=make_renderer(None, False))
    theirs = hp.lint(path)
    assert [(m.severity, m.path, m.err) for m in ours.messages] == [
        (m["severity"], m["path"], m["error"]) for m in theirs["messages"]]


def test_lint_output_and_exit_code(capsys, tmp_path) -> None:
    import helm_python as hp

    write_chart(str(tmp_path), {"Chart.yaml": "apiVersion: v2\nname: x\nversion: '1'\n", "values.yaml": "",
                                "templates/a.yaml": "kind: ConfigMap\nmetadata:\n  name: Bad_Name\n"})
    code, out, err = run(capsys, "lint", str(tmp_path))
    assert code == 0
    assert out.startswith(f"==> Linting {tmp_path}\n[INFO] Chart.yaml: icon is recommended\n")
    assert "[WARNING] Chart.yaml: version '1' is not a valid SemVerV2\n" in out
    assert '[WARNING] templates/a.yaml: object name does not conform to Kubernetes naming requirements: "Bad_Name"' in out
    assert out.endswith("1 chart(s) linted, 0 chart(s) failed\n")
    expected = "".join(f"[{['UNKNOWN', 'INFO', 'WARNING', 'ERROR'][m['severity']]}] {m['path']}: {m['error']}\n"
                       for m in hp.lint(str(tmp_path))["messages"])
    assert out == f"==> Linting {tmp_path}\n{expected}\n1 chart(s) linted, 0 chart(s) failed\n"
    code, out, err = run(capsys, "lint", "--strict", str(tmp_path))
    assert code == 1 and err == "Error: 1 chart(s) linted, 1 chart(s) failed\n"


def test_value_flags_order_and_sources(tmp_path) -> None:
    import argparse

    from pilothouse.cli.values_flags import add_values_flags, values_from_args

    (tmp_path / "a.yaml").write_text("x: 1\nlist: [1, 2]\nm: {k: file}\n---\nyy: 2\n")
    (tmp_path / "b.yaml").write_text("x: 3\n")
    (tmp_path / "content.txt").write_text("hello")
    parser = argparse.ArgumentParser()
    add_values_flags(parser)
    args = parser.parse_args([
        "--set-literal", "lit=a,b", "--set", "x=5,list[1]=9", f"--set-file=f={tmp_path / 'content.txt'}",
        "--set-string", "s=007", "--set-json", 'j={"n":1}', "-f", f"{tmp_path / 'a.yaml'},{tmp_path / 'b.yaml'}",
    ])
    vals = values_from_args(args)
    assert vals == {"x": 5, "yy": 2, "list": [1, 9], "m": {"k": "file"}, "j": {"n": 1}, "s": "007",
                    "f": "hello", "lit": "a,b"}
    assert type(vals["j"]["n"]) is float and type(vals["yy"]) is float


def test_value_errors_name_the_flag(tmp_path) -> None:
    from pilothouse.chart.options import ValueOptions
    from pilothouse.errors import ValuesError

    (tmp_path / "bad.yaml").write_text("a: [\n")
    with pytest.raises(ValuesError) as err:
        ValueOptions(values=["a.b"]).merge_values()
    assert str(err.value) == 'failed parsing --set data: key "b" has no value'
    with pytest.raises(ValuesError) as err:
        ValueOptions(json_values=["{bad"]).merge_values()
    assert str(err.value) == "failed parsing --set-json data JSON: {bad"
    with pytest.raises(ValuesError) as err:
        ValueOptions(value_files=[str(tmp_path / "bad.yaml")]).merge_values()
    assert str(err.value).startswith(f"failed to parse {tmp_path / 'bad.yaml'}: cannot unmarshal yaml document: ")
    with pytest.raises(ValuesError) as err:
        ValueOptions(value_files=[str(tmp_path / "none.yaml")]).merge_values()
    assert str(err.value) == f"open {tmp_path / 'none.yaml'}: no such file or directory"
