"""`pilot template`: Helm's output layout and flags, checked against the real Helm.

Helm's answer for the whole text comes from the real Helm SDK (test-only): the release manifest of
a client-side dry-run install, and the hooks of a real install into the fake API server (their
paths, texts and kind order). `helm template` prints ``TrimSpace(manifest) + "\\n"`` and then
``---\\n# Source: <path>\\n<hook>\\n`` for each hook.
"""

from __future__ import annotations

import os

import pytest

from pilothouse.cli.main import main

HERE = os.path.dirname(os.path.abspath(__file__))
CHART = os.path.join(HERE, "..", "data", "charts", "showcase")
helm = pytest.importorskip("helm_python", reason="helm-python-sdk (test-only reference) is not installed")


def pilot(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture(scope="module")
def helm_release():
    import fakekube

    with fakekube.serve(auto_ready=True) as srv:
        cfg = helm.Config(kubeconfig_path=srv.kubeconfig_path, namespace="ns", storage_driver="secret")
        try:
            cfg.install(CHART, "rel", {}, namespace="ns", create_namespace=True)
            record = cfg.get_all("rel")
        finally:
            cfg.close()
    dry = helm.Config(storage_driver="memory", namespace="ns")
    try:
        manifest = dry.install(CHART, "rel", {}, dry_run="client", namespace="ns")["manifest"]
    finally:
        dry.close()
    return manifest, record["hooks"]


def test_full_output_matches_helm(capsys, helm_release):
    manifest, hooks = helm_release
    expected = manifest.strip() + "\n" + "".join(f"---\n# Source: {h['path']}\n{h['manifest']}\n" for h in hooks)
    rc, out, err = pilot(capsys, "template", "rel", CHART, "-n", "ns")
    assert (rc, err) == (0, "")
    assert out == expected


def test_skip_tests_and_no_hooks(capsys, helm_release):
    manifest, hooks = helm_release
    rc, out, _ = pilot(capsys, "template", "rel", CHART, "-n", "ns", "--skip-tests")
    assert rc == 0
    assert out == manifest.strip() + "\n" + "".join(
        f"---\n# Source: {h['path']}\n{h['manifest']}\n" for h in hooks if "test" not in h["events"])
    rc, out, _ = pilot(capsys, "template", "rel", CHART, "-n", "ns", "--no-hooks")
    assert out == manifest.strip() + "\n"


def test_show_only_selects_documents_in_order(capsys):
    rc, out, _ = pilot(capsys, "template", "rel", CHART, "-s", "templates/config.yaml", "-s", "charts/sub/templates/*")
    assert rc == 0
    sources = [line for line in out.splitlines() if line.startswith("# Source:")]
    assert sources == ["# Source: showcase/templates/config.yaml"] * 2 + ["# Source: showcase/charts/sub/templates/service.yaml"]
    assert out.startswith("---\n# Source: showcase/templates/config.yaml\napiVersion: v1\nkind: Secret\n")


def test_show_only_unknown_template_is_an_error(capsys):
    rc, out, err = pilot(capsys, "template", "rel", CHART, "-s", "templates/nope.yaml")
    assert rc == 1 and out == ""
    assert err == "Error: could not find template templates/nope.yaml in chart\n"


def test_include_crds_puts_raw_crds_first(capsys):
    rc, out, _ = pilot(capsys, "template", "rel", CHART, "--include-crds")
    crd = open(os.path.join(CHART, "crds", "widgets.yaml")).read()
    assert rc == 0
    assert out.startswith("---\n# Source: showcase/crds/widgets.yaml\n" + crd + "\n---\n# Source: ")


def test_kube_version_api_versions_and_is_upgrade(capsys):
    rc, out, _ = pilot(capsys, "template", "rel", CHART, "--kube-version", "1.29", "--api-versions", "example.com/v1",
                       "--is-upgrade")
    assert rc == 0
    assert 'kube: "v1.29"' in out
    assert 'upgrade: "true"' in out
    assert "kind: Widget" in out
    rc, out, err = pilot(capsys, "template", "rel", CHART, "--kube-version", "1.19")
    assert rc == 1
    assert err == "Error: chart requires kubeVersion: >=1.20.0-0 which is incompatible with Kubernetes v1.19\n"


def test_set_flags_reach_templates(capsys):
    rc, out, _ = pilot(capsys, "template", "rel", CHART, "--set", "replicas=3,sub.greeting=cli",
                       "--set-string", "message=007")
    assert rc == 0
    assert "replicas: 3" in out and "greeting: cli" in out and 'message: "007"' in out


def test_release_name_rules(capsys):
    rc, out, _ = pilot(capsys, "template", CHART)
    assert rc == 0 and "name: release-name-showcase" in out
    rc, out, _ = pilot(capsys, "template", CHART, "--name-template", "{{ printf \"%s-%d\" \"gen\" 7 }}")
    assert rc == 0 and "name: gen-7-showcase" in out
    rc, _, err = pilot(capsys, "template", "a", CHART, "--generate-name")
    assert rc == 1 and err == "Error: cannot set --generate-name and also specify a name\n"


def test_output_dir_writes_files(capsys, tmp_path):
    rc, out, _ = pilot(capsys, "template", "rel", CHART, "--output-dir", str(tmp_path))
    assert rc == 0
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.yaml"))
    assert "showcase/templates/config.yaml" in written
    assert "showcase/charts/sub/templates/service.yaml" in written
    text = (tmp_path / "showcase/templates/config.yaml").read_text()
    assert text.count("---\n# Source: showcase/templates/config.yaml\n") == 2
    assert f"wrote {tmp_path}/showcase/templates/config.yaml" in out


def test_template_error_names_file_line_and_column(capsys, tmp_path):
    chart = tmp_path / "bad"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: bad\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text("a: 1\nb: {{ .Values.x.y }}\n")
    rc, out, err = pilot(capsys, "template", "rel", str(chart))
    assert (rc, out) == (1, "")
    assert err == ('Error: bad/templates/cm.yaml:2:13\n  executing "bad/templates/cm.yaml" at <.Values.x.y>:\n'
                   '    nil pointer evaluating interface {}.y\n')


def test_invalid_yaml_points_to_debug(capsys, tmp_path):
    chart = tmp_path / "bad"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: bad\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text("a: b\n  c: d\n")
    rc, out, err = pilot(capsys, "template", "rel", str(chart))
    assert (rc, out) == (1, "")
    assert err.startswith("Error: YAML parse error on bad/templates/cm.yaml: error converting YAML to JSON: yaml: line 2:")
    assert err.endswith("\n\nUse --debug flag to render out invalid YAML\n")
