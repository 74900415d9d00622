"""`--dry-run` values and the deprecated-chart warning of install, upgrade, rollback and template: pilot
against helm (Helm's cmdGetDryRunFlagStrategy warns about a bare or boolean --dry-run; runInstall and
upgrade warn about a chart marked deprecated)."""

from __future__ import annotations

import shlex

import pytest
from difftools import replaced

W = "charts/web"
D = "charts/old"  # written by the tests: a chart whose Chart.yaml says deprecated: true

_OLD_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: old\nversion: 1.0.0\ndeprecated: true\n",
    # no newline at the end: 4.1.4 and 4.2 then print the manifest alike (4.2 keeps a document's last newline)
    "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-old",
}
_OLD_LIBRARY = {
    "Chart.yaml": "apiVersion: v2\nname: oldlib\nversion: 1.0.0\ndeprecated: true\ntype: library\n",
    "templates/_h.tpl": '{{ define "x" }}x{{ end }}\n',
}
_OLD_MISSING_DEP = {
    "Chart.yaml": "apiVersion: v2\nname: olddep\nversion: 1.0.0\ndeprecated: true\n"
                  "dependencies:\n- name: gone\n  version: 1.0.0\n  repository: file://../gone\n",
    "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-dep\n",
}


@pytest.fixture
def charts(diff):
    for side in diff.sides.values():
        for name, files in (("old", _OLD_CHART), ("oldlib", _OLD_LIBRARY), ("olddep", _OLD_MISSING_DEP)):
            for rel, text in files.items():
                path = side.work / "charts" / name / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    return diff


# (setup run on both sides with helm, the command compared)
LINES = [
    ("", f"install r1 {W} --dry-run"),
    ("", f"install --dry-run r1 {W}"),
    ("", f"install r1 {W} --dry-run=true"),
    ("", f"install r1 {W} --dry-run=T"),
    ("", f"install r1 {W} --dry-run=0"),
    ("", f"install r1 {W} --dry-run=bogus"),
    ("", f"install r1 {W} --dry-run=Client"),
    ("", f"install r1 {W} --dry-run=client"),
    ("", f"install r1 {W} --dry-run=none"),
    (f"install r1 {W}", f"upgrade r1 {W} --dry-run"),
    (f"install r1 {W}", f"upgrade r1 {W} --dry-run=1"),
    (f"install r1 {W}", f"upgrade r1 {W} --dry-run=what"),
    ("", f"upgrade r1 {W} --install --dry-run"),
    (f"install r1 {W}\nupgrade r1 {W} --set replicas=2", "rollback r1 1 --dry-run"),
    (f"install r1 {W}\nupgrade r1 {W} --set replicas=2", "rollback r1 1 --dry-run=true"),
    (f"install r1 {W}", "rollback r1 1 --dry-run=x"),
    ("", f"template r1 {W} --dry-run"),
    ("", f"template r1 {W} --dry-run=true"),
    ("", f"template r1 {W} --dry-run=false"),
    ("", f"template r1 {W} --dry-run=none"),
    ("", f"template r1 {W} --dry-run=bogus"),
    # the deprecated chart
    ("", f"template r1 {D}"),
    ("", f"install r1 {D}"),
    ("", f"install r1 {D} --dry-run"),
    ("", f"install r1 {D} --dry-run=client -o json"),
    (f"install r1 {D}", f"upgrade r1 {D}"),
    (f"install r1 {D}", f"upgrade r1 {D} --dry-run=client"),
    ("", f"upgrade r1 {D} --install"),
    ("", "install r1 charts/oldlib"),
    ("", "template r1 charts/oldlib"),
    ("", "install r1 charts/olddep"),
    (f"install r1 {D}", "upgrade r1 charts/olddep"),
]

# Helm 4.2 quotes the command with single quotes (pkg/cmd/install.go runInstall, pkg/cmd/upgrade.go RunE)
_QUOTES = replaced("err", "`pilot dependency build`", "'pilot dependency build'")
V42 = {"install r1 charts/olddep": _QUOTES, "upgrade r1 charts/olddep": _QUOTES}


@pytest.mark.parametrize(("setup", "line"), LINES)
def test_dry_run_and_deprecation_as_helm(charts, setup, line):
    for step in filter(None, setup.splitlines()):
        charts.setup(shlex.split(step))
    charts.check(shlex.split(line), v42=V42.get(line))
