"""`pilot report RELEASE`: a CLI plugin (Go) that reads a release and the live state of its
resources through the host API, with the grant the user approved."""

from __future__ import annotations

import shutil

import pytest
from hostapi_helpers import CHART, EXAMPLES, tool, writes


@pytest.fixture
def report(helm_home, report_wasm, kenv, pilot):
    d = helm_home.plugins / "report"
    d.mkdir()
    shutil.copyfile(EXAMPLES / "report-go" / "plugin.yaml", d / "plugin.yaml")
    shutil.copyfile(report_wasm, d / "plugin.wasm")
    return d


def test_report_lists_the_resources_with_live_status(report, pilot, kenv, srv):
    assert pilot("plugin", "approve", "report", env=kenv).returncode == 0
    assert pilot("install", "site", str(CHART), env=kenv).returncode == 0
    before = len(writes(srv))
    res = pilot("report", "site", env=kenv)
    assert res.returncode == 0, res.stderr
    lines = [ln.split() for ln in res.stdout.splitlines()]
    assert res.stdout.startswith("RELEASE site (namespace default, revision 1, deployed, chart web-1.2.3)\n")
    assert lines[1] == ["KIND", "NAMESPACE", "NAME", "STATUS"]
    assert ["Deployment", "default", "site-web", "0/1", "ready"] in lines
    assert any(ln[:3] == ["Service", "default", "site-web"] and ln[3] == "ClusterIP" for ln in lines)
    assert ["Secret", "default", "site-auth", "(not", "read:", "the", "report", "does", "not", "ask", "for",
            "Secrets)"] in lines
    assert len(writes(srv)) == before


def test_report_shows_missing_resources(report, pilot, kenv):
    assert pilot("plugin", "approve", "report", env=kenv).returncode == 0
    assert pilot("install", "site", str(CHART), env=kenv).returncode == 0
    assert tool("kubectl", "delete", "service", "site-web", env=kenv).returncode == 0
    res = pilot("report", "site", env=kenv)
    assert ["Service", "default", "site-web", "missing"] in [ln.split() for ln in res.stdout.splitlines()]


def test_report_without_approval_is_stopped_with_the_missing_grant(report, pilot, kenv):
    assert pilot("install", "site", str(CHART), env=kenv).returncode == 0
    res = pilot("report", "site", env=kenv)
    assert res.returncode != 0
    assert 'plugin "report" may not call release_get: no grant to read releases in namespace "default"' in res.stderr
    assert "Traceback" not in res.stderr


def test_report_of_a_namespace_the_user_narrowed_away(report, pilot, kenv):
    assert pilot("plugin", "approve", "report", env=kenv).returncode == 0
    from pilothouse.plugin import policy

    doc = policy.load_user_config()
    doc["plugins"]["report"]["narrow"] = {"hostAPI": {"releases": {"namespaces": ["web"]}}}
    policy.save_user_config(doc)
    assert pilot("install", "site", str(CHART), env=kenv).returncode == 0
    res = pilot("report", "site", env=kenv)
    assert res.returncode != 0 and 'no grant to read releases in namespace "default"' in res.stderr


def test_install_shows_every_rule_in_plain_words_and_asks(tmp_path, report_wasm, kenv, pilot):
    src = tmp_path / "report"
    shutil.copytree(EXAMPLES / "report-go", src)
    shutil.copyfile(report_wasm, src / "plugin.wasm")
    refused = pilot("plugin", "install", str(src), env=kenv, input="")
    assert refused.returncode != 0 and "pass --yes to accept" in refused.stderr
    res = pilot("plugin", "install", str(src), "--yes", env=kenv)
    assert res.returncode == 0, res.stderr
    assert "  kubernetes: get every kind except Secrets (API groups core, apps, batch, networking.k8s.io, policy, " \
           "autoscaling) in every namespace" in res.stdout
    assert "  releases: read releases (manifest, values, notes, hooks) in every namespace" in res.stdout
    assert pilot("install", "site", str(CHART), env=kenv).returncode == 0
    assert pilot("report", "site", env=kenv).returncode == 0


def test_report_reads_the_cluster_the_flags_name(report, pilot, kenv, srv, tmp_path):
    assert pilot("plugin", "approve", "report", env=kenv).returncode == 0
    assert pilot("install", "site", str(CHART), env=kenv).returncode == 0
    env = {**kenv, "KUBECONFIG": str(tmp_path / "elsewhere")}
    res = pilot("report", "site", "--kubeconfig", srv.kubeconfig_path, env=env)
    assert res.returncode == 0, res.stderr
    assert ["Deployment", "default", "site-web", "0/1", "ready"] in [ln.split() for ln in res.stdout.splitlines()]
