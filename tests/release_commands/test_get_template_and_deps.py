"""`pilot get all --template` sees Helm's Go structs; `install/upgrade --dependency-update` fetch what is missing."""

from __future__ import annotations

import os
import shutil

import pytest
from commands_helpers import CHARTS

SUITE = os.path.join(CHARTS, "suite")


@pytest.mark.parametrize(("template", "expected"), [
    ("{{.Release.Name}}", "web"),
    ("{{.Release.Chart.Metadata.Name}}-{{.Release.Chart.Metadata.Version}}/{{.Release.Chart.Metadata.AppVersion}}",
     "suite-1.2.3/4.5"),
    ("{{.Release.Info.Status}} {{.Release.Version}} {{.Release.Namespace}} {{.Release.ApplyMethod}}",
     "deployed 1 default ssa"),
    ("{{.Release.Info.Deleted}} {{.Release.Info.Deleted.IsZero}} {{.Release.Info.LastDeployed.IsZero}}",
     "0001-01-01 00:00:00 +0000 UTC true false"),
    ('{{range .Release.Hooks}}{{if eq .Kind "ConfigMap"}}{{.Name}}={{.Weight}}{{.Events}}{{.Path}}{{end}}{{end}}',
     "web-post=0[post-install]suite/templates/tests.yaml"),
    ("{{.Release.Config}} {{.Release.Chart.Values.replicas}} {{len .Release.Chart.Templates}}",
     "map[replicas:3] 1 3"),
    ('{{range .Release.Hooks}}{{if eq .Name "web-post" "web-t-a"}}{{.LastRun.Phase}}.{{end}}{{end}}',
     "Succeeded.."),
])
def test_template_sees_go_field_names(pilot, template, expected):
    pilot("install", "web", SUITE, "--set", "replicas=3")
    rc, out, _ = pilot("get", "all", "web", "--template", template)
    assert (rc, out) == (0, expected)


def test_template_errors_are_text_templates(pilot):
    pilot("install", "web", SUITE)
    # the JSON names are not fields, and Helm parses with no Sprig functions
    rc, _, err = pilot("get", "all", "web", "--template", "{{.Release.name}}")
    assert rc == 1
    assert err == ('Error: template: _:1:10: executing "_" at <.Release.name>: can\'t evaluate field name in type '
                   "interface {}\n")
    rc, _, err = pilot("get", "all", "web", "--template", "{{upper .Release.Name}}")
    assert (rc, err) == (1, 'Error: template: _:1: function "upper" not defined\n')


@pytest.fixture
def parent(tmp_path):
    for name in ("parent", "sub"):
        shutil.copytree(os.path.join(CHARTS, name), tmp_path / name)
    return tmp_path / "parent"


def test_install_without_dependency_update_refuses(pilot, parent):
    rc, _, err = pilot("install", "web", str(parent))
    assert rc == 1
    assert err == ("Error: INSTALLATION FAILED: an error occurred while checking for chart dependencies. You may need "
                   "to run 'pilot dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in "
                   "charts/ directory: sub\n")


def test_install_and_upgrade_with_dependency_update(pilot, parent):
    rc, out, _ = pilot("install", "web", str(parent), "--dependency-update")
    assert rc == 0
    assert (parent / "charts" / "sub-0.2.0.tgz").is_file() and (parent / "Chart.lock").is_file()
    _, manifest, _ = pilot("get", "manifest", "web")
    assert "name: web-sub" in manifest and "name: web-parent" in manifest
    # present dependencies are left alone: the manager does not run again
    lock = (parent / "Chart.lock").read_text()
    shutil.rmtree(parent / "charts")
    rc, _, err = pilot("upgrade", "web", str(parent))
    assert rc == 1 and "missing in charts/ directory: sub" in err
    rc, out, _ = pilot("upgrade", "web", str(parent), "--dependency-update")
    assert rc == 0 and "has been upgraded" in out
    assert (parent / "charts" / "sub-0.2.0.tgz").is_file()
    assert (parent / "Chart.lock").read_text().split("generated:")[0] == lock.split("generated:")[0]


def test_template_with_dependency_update(parent, capsys):
    from pilothouse.cli.main import main

    assert main(["template", "web", str(parent)]) == 1
    assert "missing in charts/ directory: sub" in capsys.readouterr().err
    assert main(["template", "web", str(parent), "--dependency-update"]) == 0
    out = capsys.readouterr().out
    assert "name: web-sub" in out and "name: web-parent" in out
    assert (parent / "charts" / "sub-0.2.0.tgz").is_file()
