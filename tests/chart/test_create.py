"""`pilot create`: the starter renders exactly as the chart `helm create` writes."""

from __future__ import annotations

import os

import pytest
from chart_helmref import helm_render

from pilothouse.chart.create import create, create_from
from pilothouse.chart.loader import load
from pilothouse.errors import ChartError

VALUE_SETS = [
    {},
    {"ingress": {"enabled": True, "className": "nginx", "tls": [{"secretName": "s", "hosts": ["a.example"]}]},
     "autoscaling": {"enabled": True, "targetMemoryUtilizationPercentage": 70}, "httpRoute": {"enabled": True}},
    {"service": {"type": "NodePort"}, "podAnnotations": {"a": "b"}, "serviceAccount": {"create": False},
     "resources": {"limits": {"cpu": "1"}}, "volumes": [{"name": "v", "emptyDir": {}}]},
    {"service": {"type": "LoadBalancer"}, "ingress": {"enabled": True}, "fullnameOverride": "short"},
    {"httpRoute": {"enabled": True, "hostnames": []}, "nameOverride": "other", "image": {"tag": "2.0"}},
]


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[str, str]:
    import helm_python as hp

    root = tmp_path_factory.mktemp("create")
    os.makedirs(root / "helm")
    hp.Chart.create("mychart", str(root / "helm"))
    ours = create("mychart", str(root))
    return str(root / "helm" / "mychart"), ours


@pytest.mark.parametrize("values", VALUE_SETS)
def test_starter_renders_like_helms(both: tuple[str, str], values: dict) -> None:
    theirs, ours = both
    assert helm_render(ours, values) == helm_render(theirs, values)


def test_layout(both: tuple[str, str]) -> None:
    theirs, ours = both

    def listing(root: str) -> list[str]:
        return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)

    assert listing(ours) == listing(theirs)
    assert os.path.isdir(os.path.join(ours, "charts"))
    chart = load(ours)
    assert (chart.name(), chart.metadata.version, chart.metadata.app_version) == ("mychart", "0.1.0", "1.16.0")


@pytest.mark.parametrize(("name", "message"), [
    ("", "chart name must be between 1 and 250 characters"),
    ("a" * 251, "chart name must be between 1 and 250 characters"),
    ("bad name", 'chart name must match the regular expression "^[a-zA-Z0-9._-]+$"'),
])
def test_bad_names(tmp_path, name: str, message: str) -> None:
    with pytest.raises(ChartError) as err:
        create(name, str(tmp_path))
    assert str(err.value) == message


def test_create_from_starter(tmp_path) -> None:
    starter = create("starter", str(tmp_path))
    with open(os.path.join(starter, "templates", "extra.yaml"), "w") as fh:
        fh.write("name: <CHARTNAME>\n")
    out = create_from("fresh", str(tmp_path / "out"), starter)
    chart = load(out)
    assert chart.name() == "fresh"
    extra = next(t for t in chart.templates if t.name == "templates/extra.yaml")
    assert extra.data == b"name: fresh\n"
