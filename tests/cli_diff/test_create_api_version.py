"""``create --chart-api-version``: new in Helm 4.2 (pkg/cmd/create.go), so helm 4.1.4 answers "unknown
flag" to it and the expected outputs here are Helm 4.2's, from that file: "Creating NAME" first, then
v2 (the default, or an empty value) creates the same chart as without the flag, v3 needs the
HELM_EXPERIMENTAL_CHART_V3 gate (pkg/gates/gates.go words the error), any other value is refused."""

from __future__ import annotations

import pytest

GATE_ERROR = ("Error: this feature has been marked as experimental and is not enabled by default. "
              "Please set HELM_EXPERIMENTAL_CHART_V3=1 in your environment to use this feature\n")


@pytest.mark.parametrize("flag", ["--chart-api-version=v2", "--chart-api-version=", "--chart-api-version v2"])
def test_v2_creates_the_chart_helm_creates_without_the_flag(diff, flag):
    h = diff.run("helm", ["create", "newchart"], "a")
    p = diff.run("pilot", ["create", *flag.split(" "), "newchart"], "b")
    assert p.triple() == h.triple() == ("Creating newchart\n", "", 0)
    a, b = (diff.sides[s].work / "newchart" for s in "ab")
    assert sorted(str(x.relative_to(b)) for x in b.rglob("*")) == sorted(str(x.relative_to(a)) for x in a.rglob("*"))
    # the chart renders as helm's does (Chart.yaml says apiVersion: v2)
    assert diff.run("helm", ["template", "r", "newchart"], "b").triple() == \
        diff.run("helm", ["template", "r", "newchart"], "a").triple()


@pytest.mark.parametrize("version", ["v1", "v4", "V2", "2"])
def test_other_versions_are_refused_after_the_creating_line(diff, version):
    p = diff.run("pilot", ["create", f"--chart-api-version={version}", "newchart"], "b")
    assert p.triple() == ("Creating newchart\n", f"Error: unsupported chart API version: {version} (supported: v2, v3)\n", 1)
    assert not (diff.sides["b"].work / "newchart").exists()


def test_v3_with_the_gate_writes_a_v3_chart_yaml(diff):
    gate = {"HELM_EXPERIMENTAL_CHART_V3": "1"}
    h = diff.run("helm", ["create", "newchart"], "a")
    p = diff.run("pilot", ["create", "--chart-api-version=v3", "newchart"], "b", env=gate)
    assert p.triple() == h.triple() == ("Creating newchart\n", "", 0)
    a, b = (diff.sides[s].work / "newchart" for s in "ab")
    # the v3 scaffold has the v2 scaffold's files (internal/chart/v3/util/create.go)
    assert sorted(str(x.relative_to(b)) for x in b.rglob("*")) == sorted(str(x.relative_to(a)) for x in a.rglob("*"))
    assert (b / "Chart.yaml").read_text().startswith("apiVersion: v3\nname: newchart\n")


def test_v3_needs_the_feature_gate(diff):
    p = diff.run("pilot", ["create", "--chart-api-version=v3", "newchart"], "b")
    assert p.triple() == ("Creating newchart\n", GATE_ERROR, 1)
    assert not (diff.sides["b"].work / "newchart").exists()


def test_the_flag_is_hidden_from_help_without_the_gate(diff):
    p = diff.run("pilot", ["create", "--help"], "b")
    assert p.rc == 0 and "--starter" in p.out and "chart-api-version" not in p.out
