"""`pilot` release commands end to end: output formats, exit codes, and an upgrade killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from lifecycle_helpers import CHART, configmap


@pytest.fixture
def pilot(srv, pilot_in_process):
    return pilot_in_process(srv)


def test_install_list_status_history_get(pilot):
    rc, out, _ = pilot("install", "web", CHART, "--set", "color=red", "--description", "first one")
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == "NAME: web" and lines[1].startswith("LAST DEPLOYED: ")
    assert lines[2:] == ["NAMESPACE: default", "STATUS: deployed", "REVISION: 1", "DESCRIPTION: first one",
                         "TEST SUITE: None"]
    rc, out, _ = pilot("upgrade", "web", CHART, "--set", "color=blue")
    assert out.startswith('Release "web" has been upgraded. Happy Helming!\nNAME: web\n')
    rc, out, _ = pilot("list")
    header, row = out.splitlines()
    assert header.split("\t")[0].rstrip() == "NAME" and [c.strip() for c in header.split("\t")] == [
        "NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"]
    cells = [c.strip() for c in row.split("\t")]
    assert cells[:3] == ["web", "default", "2"] and cells[4:] == ["deployed", "app-0.1.0", "1.0"]
    assert cells[3].endswith(" +0000 UTC")
    rc, out, _ = pilot("list", "-o", "json")
    (item,) = json.loads(out)
    assert list(item) == ["name", "namespace", "revision", "updated", "status", "chart", "app_version"]
    assert (item["revision"], item["status"]) == ("2", "deployed")
    rc, out, _ = pilot("list", "-q")
    assert out == "web\n"
    rc, out, _ = pilot("history", "web", "-o", "json")
    assert [(h["revision"], h["status"], h["description"]) for h in json.loads(out)] == [
        (1, "superseded", "first one"), (2, "deployed", "Upgrade complete")]
    rc, out, _ = pilot("get", "values", "web")
    assert out == "USER-SUPPLIED VALUES:\ncolor: blue\n"
    rc, out, _ = pilot("get", "values", "web", "--revision", "1", "-o", "json")
    assert out == '{"color":"red"}\n'
    rc, out, _ = pilot("get", "manifest", "web")
    assert out.startswith("---\n# Source: app/templates/config.yaml\n")
    rc, out, _ = pilot("status", "web", "-o", "json")
    rel = json.loads(out)
    # `helm status` drops the chart from what it prints (rel.Chart = nil before printing)
    assert list(rel)[:3] == ["name", "info", "config"] and "chart" not in rel and rel["version"] == 2 and rel["apply_method"] == "ssa"
    rc, out, _ = pilot("rollback", "web", "1")
    assert out == "Rollback was a success! Happy Helming!\n"
    rc, out, _ = pilot("uninstall", "web")
    assert out == 'release "web" uninstalled\n'


def test_errors_are_helms(pilot):
    rc, _, err = pilot("upgrade", "nope", CHART)
    assert (rc, err) == (1, 'Error: UPGRADE FAILED: "nope" has no deployed releases\n')
    rc, _, err = pilot("status", "nope")
    assert (rc, err) == (1, "Error: release: not found\n")
    rc, _, err = pilot("rollback", "nope")
    assert rc == 1 and err == "Error: release: not found\n"
    pilot("install", "web", CHART)
    rc, _, err = pilot("install", "web", CHART)
    # helm logs the failed check (slog, on stderr) before its error
    assert err == ('level=ERROR msg="release name check failed" error="cannot reuse a name that is still in use"\n'
                   "Error: INSTALLATION FAILED: release name check failed: cannot reuse a name that is still in use\n")
    rc, _, err = pilot("rollback", "web", "7")
    assert err == "Error: release has no 7 version\n"


def test_upgrade_install_and_keep_history(pilot, srv):
    rc, out, _ = pilot("upgrade", "--install", "api", CHART)
    assert out.startswith('Release "api" does not exist. Installing it now.\nNAME: api\n')
    pilot("uninstall", "api", "--keep-history")
    rc, out, _ = pilot("list", "--uninstalled", "-q")
    assert out == "api\n"
    # upgrade --install re-installs a release uninstalled with --keep-history
    rc, out, _ = pilot("upgrade", "--install", "api", CHART, "--set", "color=back")
    assert rc == 0 and "REVISION: 2" in out
    assert configmap(srv, "api-config")["data"]["color"] == "back"


def test_killed_upgrade_leaves_a_repairable_history(pilot, srv):
    pilot("install", "web", CHART, "--set", "color=one")
    env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path)
    # the pre-upgrade hook Job never completes, so the upgrade is mid-way when it is killed
    proc = subprocess.Popen([sys.executable, "-m", "pilothouse", "upgrade", "web", CHART, "--set",
                             "color=two,hookJob=true"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not srv.store.objects("Job", "default"):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    rc, out, _ = pilot("history", "web")
    assert rc == 0
    rows = [[c.strip() for c in line.split("\t")] for line in out.splitlines()[1:]]
    assert [(r[0], r[2], r[5]) for r in rows] == [("1", "deployed", "Install complete"),
                                                  ("2", "pending-upgrade", "Preparing upgrade")]
    rc, _, err = pilot("upgrade", "web", CHART)
    assert err == "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n"
    rc, out, _ = pilot("rollback", "web")
    assert (rc, out) == (0, "Rollback was a success! Happy Helming!\n")
    rc, out, _ = pilot("status", "web")
    assert "STATUS: deployed\nREVISION: 3\nDESCRIPTION: Rollback to 1\n" in out
    assert configmap(srv, "web-config")["data"]["color"] == "one"
    rc, out, _ = pilot("upgrade", "web", CHART, "--set", "color=three")
    assert rc == 0 and "REVISION: 4" in out
