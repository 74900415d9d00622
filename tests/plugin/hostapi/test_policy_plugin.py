"""`policy/v1` end to end through `pilot`: the baseline plugin (C) gates template, install,
upgrade and rollback; a denied operation sends no write request to the API server."""

from __future__ import annotations

import shutil

import pytest
from hostapi_helpers import CHART, EXAMPLES, writes

BAD = ["--set", "image=nginx,privileged=true,limits=false,hostPath=true"]
SRC = "web/templates/deployment.yaml"
CONTAINER = "spec.template.spec.containers[0]"


@pytest.fixture
def baseline(helm_home, baseline_wasm):
    d = helm_home.plugins / "baseline"
    d.mkdir()
    shutil.copyfile(EXAMPLES / "policy-baseline-c" / "plugin.yaml", d / "plugin.yaml")
    shutil.copyfile(baseline_wasm, d / "plugin.wasm")
    return d


def test_template_denied_prints_one_line_per_violation_and_exits_1(baseline, pilot, helm_home):
    res = pilot("template", "r", str(CHART), "--policy", "baseline", *BAD, env=helm_home.env())
    assert res.returncode == 1
    assert res.stdout == ""
    lines = res.stderr.splitlines()
    assert f"{SRC}: {CONTAINER}.securityContext.privileged: error: container runs privileged " \
           "(Deployment/r-web, policy baseline)" in lines
    assert f"{SRC}: {CONTAINER}.resources.limits: error: container has no cpu and memory limits " \
           "(Deployment/r-web, policy baseline)" in lines
    assert f"{SRC}: {CONTAINER}.image: error: image has no fixed tag: nginx (Deployment/r-web, policy baseline)" \
        in lines
    assert f"{SRC}: spec.template.spec.volumes[0].hostPath: error: volume mounts a host path " \
           "(Deployment/r-web, policy baseline)" in lines
    assert lines[-1] == 'Error: policy "baseline" denied the template: 4 violations'
    assert "Traceback" not in res.stderr


def test_template_allowed_prints_the_manifests(baseline, pilot, helm_home):
    res = pilot("template", "r", str(CHART), "--policy", "baseline", env=helm_home.env())
    plain = pilot("template", "r", str(CHART), env=helm_home.env())
    assert res.returncode == 0, res.stderr
    assert res.stdout == plain.stdout
    assert res.stderr == ""


@pytest.mark.parametrize("image,bad", [("nginx:latest", True), ("registry:5000/nginx", True),
                                       ("registry:5000/nginx:1.2", False), ("nginx@sha256:" + "a" * 64, False)])
def test_latest_tag_rule(baseline, pilot, helm_home, image, bad):
    res = pilot("template", "r", str(CHART), "--policy", "baseline", "--set", f"image={image}", env=helm_home.env())
    assert (res.returncode == 1) == bad, res.stderr


def test_audit_mode_reports_and_goes_on(baseline, pilot, helm_home):
    res = pilot("template", "r", str(CHART), "--policy", "baseline", "--policy-mode", "audit", *BAD,
                env=helm_home.env())
    assert res.returncode == 0
    assert "kind: Deployment" in res.stdout
    assert res.stderr.count("(Deployment/r-web, policy baseline)") == 4
    assert "WARNING: policy \"baseline\" denied the template: 4 violations (audit mode: continuing)" in res.stderr


def test_rules_are_configurable(baseline, pilot, helm_home):
    assert pilot("plugin", "configure", "baseline", "--config", "disable=host-path,privileged",
                 "--config", "warn=latest-tag", env=helm_home.env()).returncode == 0
    res = pilot("template", "r", str(CHART), "--policy", "baseline", *BAD, env=helm_home.env())
    assert res.returncode == 1
    assert "hostPath" not in res.stderr and "privileged" not in res.stderr
    assert f"{CONTAINER}.image: warning: image has no fixed tag" in res.stderr
    assert res.stderr.splitlines()[-1] == 'Error: policy "baseline" denied the template: 2 violations'
    # with the limits back only a warning is left: allowed
    res = pilot("template", "r", str(CHART), "--policy", "baseline", "--set", "image=nginx", env=helm_home.env())
    assert res.returncode == 0 and "warning: image has no fixed tag" in res.stderr


def test_always_on_policy_from_the_settings(baseline, pilot, helm_home):
    assert pilot("plugin", "configure", "baseline", "--always", env=helm_home.env()).returncode == 0
    assert pilot("template", "r", str(CHART), *BAD, env=helm_home.env()).returncode == 1
    assert pilot("plugin", "configure", "baseline", "--no-always", env=helm_home.env()).returncode == 0
    assert pilot("template", "r", str(CHART), *BAD, env=helm_home.env()).returncode == 0


def test_unknown_policy_is_a_clear_error(helm_home, pilot):
    res = pilot("template", "r", str(CHART), "--policy", "nope", env=helm_home.env())
    assert res.returncode == 1 and "plugin: {Name:nope Type:policy/v1} not found" in res.stderr


def test_denied_install_sends_no_write_request(baseline, pilot, kenv, srv):
    res = pilot("install", "r", str(CHART), "--policy", "baseline", *BAD, env=kenv)
    assert res.returncode == 1
    assert 'Error: INSTALLATION FAILED: policy "baseline" denied the install: 4 violations' in res.stderr
    assert srv.requests, "the fake API server saw the discovery requests"
    assert writes(srv) == []
    assert pilot("list", env=kenv).stdout.count("\n") == 1


def test_allowed_install_then_denied_upgrade_and_rollback(baseline, pilot, kenv, srv):
    assert pilot("install", "r", str(CHART), "--policy", "baseline", env=kenv).returncode == 0
    before = len(writes(srv))
    res = pilot("upgrade", "r", str(CHART), "--policy", "baseline", *BAD, env=kenv)
    assert res.returncode == 1 and 'denied the upgrade' in res.stderr
    assert len(writes(srv)) == before
    # revision 2 is unsafe; a rollback to it is checked too
    assert pilot("upgrade", "r", str(CHART), *BAD, env=kenv).returncode == 0
    assert pilot("upgrade", "r", str(CHART), env=kenv).returncode == 0
    before = len(writes(srv))
    res = pilot("rollback", "r", "2", "--policy", "baseline", env=kenv)
    assert res.returncode == 1 and 'policy "baseline" denied the rollback: 4 violations' in res.stderr
    assert len(writes(srv)) == before
    assert pilot("rollback", "r", "1", "--policy", "baseline", env=kenv).returncode == 0
