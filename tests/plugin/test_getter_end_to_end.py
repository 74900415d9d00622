"""A Wasm getter plugin serves charts for its own URL scheme to `pilot pull` and `pilot template`."""

from __future__ import annotations

from pathlib import Path

from pilothouse.plugin import policy, wasm
from pilothouse.plugin.loader import load_dir

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plugins" / "demo-getter"


def test_pull_and_template_through_a_wasm_getter(helm_home, c_getter_wasm, pilot, tmp_path):
    d = helm_home.add("demo-getter", (EXAMPLE / "plugin.yaml").read_text(), {"plugin.wasm": c_getter_wasm})
    (d / "charts").mkdir()
    src = tmp_path / "src" / "viagetter"
    (src / "templates").mkdir(parents=True)
    (src / "Chart.yaml").write_text("apiVersion: v2\nname: viagetter\nversion: 0.3.0\n")
    (src / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n")
    assert pilot("package", str(src), "-d", str(d / "charts")).returncode == 0
    policy.approve("demo-getter", wasm.policy.requested(load_dir(str(d)).metadata.runtime_config, "p", str(d)))
    url = "demo://anything/charts/viagetter-0.3.0.tgz"

    dest = tmp_path / "out"
    dest.mkdir()  # as Helm, pull writes into an existing directory
    res = pilot("pull", url, "-d", str(dest))
    assert res.returncode == 0, res.stderr
    assert (dest / "viagetter-0.3.0.tgz").read_bytes() == (d / "charts" / "viagetter-0.3.0.tgz").read_bytes()

    res = pilot("template", "rel", url)
    assert res.returncode == 0, res.stderr
    assert res.stdout == ("---\n# Source: viagetter/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\n"
                          "metadata:\n  name: rel-cm\n")

    res = pilot("pull", "demo://anything/charts/missing-1.0.0.tgz", "-d", str(dest))
    assert res.returncode == 1
    assert "demo getter: demo://anything/charts/missing-1.0.0.tgz not found" in res.stderr
    assert "Traceback" not in res.stderr


def test_repo_add_through_a_wasm_getter_keeps_the_scheme(helm_home, c_getter_wasm, pilot, tmp_path):
    d = helm_home.add("demo-getter", (EXAMPLE / "plugin.yaml").read_text(), {"plugin.wasm": c_getter_wasm})
    (d / "charts").mkdir()
    src = tmp_path / "src" / "viagetter"
    (src / "templates").mkdir(parents=True)
    (src / "Chart.yaml").write_text("apiVersion: v2\nname: viagetter\nversion: 0.3.0\n")
    (src / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n")
    assert pilot("package", str(src), "-d", str(d / "charts")).returncode == 0
    assert pilot("repo", "index", str(d / "charts"), "--url", "demo://anything/charts").returncode == 0
    policy.approve("demo-getter", wasm.policy.requested(load_dir(str(d)).metadata.runtime_config, "p", str(d)))

    res = pilot("repo", "add", "viademo", "demo://anything/charts")
    assert (res.returncode, res.stdout, res.stderr) == (0, '"viademo" has been added to your repositories\n', "")
    res = pilot("repo", "list")
    assert res.stdout.splitlines()[1].split() == ["viademo", "demo://anything/charts"]
    res = pilot("template", "rel", "viademo/viagetter")
    assert res.returncode == 0, res.stderr
    assert res.stdout == ("---\n# Source: viagetter/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\n"
                          "metadata:\n  name: rel-cm\n")
