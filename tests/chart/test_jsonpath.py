"""`show values --jsonpath`: vectors from client-go's util/jsonpath tests and kubectl's output rules."""

from __future__ import annotations

import pytest

from pilothouse.chart.jsonpath import JSONPathError, execute

DATA = {
    "kind": "List",
    "items": [
        {"name": "a", "port": 80, "labels": {"app": "x"}},
        {"name": "b", "port": 443},
    ],
    "image": {"repository": "nginx", "tag": "1.2"},
    "replicas": 1000000,
    "flag": True,
    "empty": None,
}


@pytest.mark.parametrize(("template", "expected"), [
    ("{.kind}", "List"),
    ("hello {.kind}", "hello List"),
    ("{.image.repository}", "nginx"),
    ("{.image}", '{"repository":"nginx","tag":"1.2"}'),
    ("{.items[0].name}", "a"),
    ("{.items[-1].name}", "b"),
    ("{.items[*].port}", "80 443"),
    ("{.items[0:1].name}", "a"),
    ("{.replicas}", "1e+06"),
    ("{.flag}", "true"),
    ("{.empty}", "null"),
    ("{..app}", "x"),
    ("{range .items[*]}[{.name}]{end}", "[a][b]"),
    ('{range .items[*]}{.name}{"\\n"}{end}', "a\nb\n"),
    ("{.items[?(@.port==443)].name}", "b"),
    ('{.items[?(@.name=="a")].port}', "80"),
    ("{.items[?(@.labels)].name}", "a"),
])
def test_vectors(template: str, expected: str) -> None:
    assert execute(template, DATA) == expected


@pytest.mark.parametrize("template", ["{.missing}", "{.items[5]}", "{.kind[0]}"])
def test_errors(template: str) -> None:
    with pytest.raises(JSONPathError):
        execute(template, DATA)


def test_cli_missing_key_prints_nothing(tmp_path, capsys) -> None:
    from chart_helmref import write_chart

    from pilothouse.cli.main import main

    path = write_chart(str(tmp_path / "c"), {"Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                                              "values.yaml": "image:\n  repository: nginx\n"})
    assert main(["show", "values", path, "--jsonpath", "{.image.repository}"]) == 0
    assert capsys.readouterr().out == "nginx"
    assert main(["show", "values", path, "--jsonpath", "{.nope}"]) == 0
    assert capsys.readouterr().out == ""
