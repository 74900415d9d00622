"""Lint's deprecated-API rule, compared with what Helm's own lint reports for the same chart."""

from __future__ import annotations

import pytest
from chart_helmref import write_chart

from pilothouse.chart.deprecations import deprecation_warning

CHART = "apiVersion: v2\nname: deprecated\nversion: 1.0.0\n"

# (apiVersion, kind) pairs: removed, deprecated-only, GA, a List kind, a type outside the Kubernetes scheme.
DOCS = {
    "pdb": ("policy/v1beta1", "PodDisruptionBudget"),
    "ingress": ("extensions/v1beta1", "Ingress"),
    "netingress": ("networking.k8s.io/v1beta1", "Ingress"),
    "deploy": ("apps/v1beta2", "Deployment"),
    "cronjob": ("batch/v1beta1", "CronJob"),
    "hpa": ("autoscaling/v2beta2", "HorizontalPodAutoscaler"),
    "ga": ("apps/v1", "Deployment"),
    "svc": ("v1", "Service"),
    "crd": ("example.com/v1alpha1", "Widget"),
    "psp": ("policy/v1beta1", "PodSecurityPolicy"),
    "flow": ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"),
}


def _template(api: str, kind: str) -> str:
    spec = "spec:\n  selector:\n    matchLabels:\n      app: x\n" if kind == "Deployment" else ""
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: x\n{spec}"


def _our_lint(path: str, kube_version: str | None) -> list[tuple[int, str, str]]:
    from pilothouse.chart.lint import lint_chart
    from pilothouse.cli.cmd_lint import make_renderer

    result = lint_chart(path, {}, render=make_renderer(kube_version, False), kube_version=kube_version)
    return [(m.severity, m.path, m.err) for m in result.messages]


def _helm_lint(path: str, kube_version: str | None) -> list[tuple[int, str, str]]:
    import helm_python as h

    out = h.lint(path, kube_version=kube_version)
    return [(m["severity"], m["path"], m["error"]) for m in out["messages"]]


@pytest.fixture(scope="module")
def chart_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    files = {"Chart.yaml": CHART, "values.yaml": ""}
    for name, (api, kind) in DOCS.items():
        files[f"templates/{name}.yaml"] = _template(api, kind)
    return write_chart(str(tmp_path_factory.mktemp("dep")), files)


@pytest.mark.parametrize("kube_version", [None, "1.16.0", "1.21.0", "v1.22.3", "1.25.0", "1.29.0"])
def test_lint_messages_match_helm(chart_dir: str, kube_version: str | None) -> None:
    assert sorted(_our_lint(chart_dir, kube_version)) == sorted(_helm_lint(chart_dir, kube_version))


def test_helm_golden_message() -> None:
    # Helm's pkg/cmd/testdata/output/lint-chart-with-deprecated-api.txt (kube-version 1.22.0).
    assert deprecation_warning("policy/v1beta1", "PodDisruptionBudget", (1, 22)) == (
        "policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 "
        "PodDisruptionBudget")
    assert deprecation_warning("policy/v1beta1", "PodDisruptionBudget", (1, 20)) is None


def test_cli_strict_fails_on_deprecation(tmp_path, capsys) -> None:
    from pilothouse.cli.main import main

    path = write_chart(str(tmp_path / "c"), {"Chart.yaml": CHART, "templates/pdb.yaml": _template(*DOCS["pdb"])})
    rc = main(["lint", "--kube-version", "1.22.0", "--strict", path])
    out = capsys.readouterr()
    assert rc != 0
    assert ("[WARNING] templates/pdb.yaml: policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, "
            "unavailable in v1.25+; use policy/v1 PodDisruptionBudget") in out.out + out.err
