"""extism/v1 plugins on the wasmtime host: Helm 4's contract, plugins built from source."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pilothouse.errors import PluginError
from pilothouse.plugin import wasm
from pilothouse.plugin.getter import find_getter
from pilothouse.plugin.loader import load_dir
from pilothouse.plugin.postrender import run_postrenderer

MANIFESTS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels:
    tier: web
data:
  k: v
---
apiVersion: v1
kind: Service
metadata:
  name: b
"""


def _greeter(helm_home, wasm_path, runtime_config="fileSystem:\n  createTempDir: true\n", name="greeter"):
    return load_dir(str(helm_home.add_wasm(name, wasm_path, runtime_config=runtime_config)))


def test_helm_test_fixture_greets_and_writes_to_its_temp_dir(helm_home, go_greeter_wasm):
    plugin = _greeter(helm_home, go_greeter_wasm)
    assert wasm.call(plugin, {"Name": "Phippy"}).json == {"Greeting": "Hello, Phippy! (6)"}


def test_without_a_temp_dir_grant_the_plugin_cannot_write(helm_home, go_greeter_wasm):
    plugin = _greeter(helm_home, go_greeter_wasm, runtime_config="memory:\n  maxPages: 1024\n")
    with pytest.raises(PluginError, match="failed to write temp file"):
        wasm.call(plugin, {"Name": "Phippy"})


def test_entry_func_name_error_and_config(helm_home, go_greeter_wasm):
    p = _greeter(helm_home, go_greeter_wasm, "entryFuncName: fail\n")
    with pytest.raises(PluginError, match="^plugin error: boom$"):
        wasm.call(p, {})
    p = _greeter(helm_home, go_greeter_wasm, "entryFuncName: config\nconfig:\n  greeting: ahoy\n", name="cfg")
    assert wasm.call(p, {}).json == {"greeting": "ahoy"}
    p = _greeter(helm_home, go_greeter_wasm, "entryFuncName: nope\n", name="nope")
    with pytest.raises(PluginError, match="unknown function: nope"):
        wasm.call(p, {})


def test_vars_need_a_grant_and_live_as_long_as_the_instance(helm_home, go_greeter_wasm):
    p = _greeter(helm_home, go_greeter_wasm, "entryFuncName: count\nmemory:\n  maxVarBytes: 64\n")
    assert [wasm.call(p, {}).json["n"] for _ in range(3)] == [1, 2, 3]
    p = _greeter(helm_home, go_greeter_wasm, "entryFuncName: count\n", name="novars")
    with pytest.raises(PluginError, match="vars are disabled"):
        wasm.call(p, {})


def test_logs_are_shown_at_the_right_level(helm_home, go_greeter_wasm, capsys):
    p = _greeter(helm_home, go_greeter_wasm, "entryFuncName: logs\n")
    wasm.call(p, {})
    err = capsys.readouterr().err
    assert 'level=INFO plugin=greeter msg="info from go"' in err
    assert 'level=WARN plugin=greeter msg="warn from go"' in err
    assert "debug from go" not in err
    wasm.call(p, {}, debug=True)
    assert 'level=DEBUG plugin=greeter msg="debug from go"' in capsys.readouterr().err


def test_structured_log_host_function_needs_its_capability(helm_home, go_greeter_wasm, capsys):
    p = _greeter(helm_home, go_greeter_wasm, "entryFuncName: structured\nhostFunctions: [log]\n")
    wasm.call(p, {})
    assert 'level=WARN plugin=greeter msg="disk almost full" free=3 volume=data' in capsys.readouterr().err
    p = _greeter(helm_home, go_greeter_wasm, "entryFuncName: structured\n", name="nolog")
    with pytest.raises(PluginError, match='plugin "nolog" may not call host function "log"'):
        wasm.call(p, {})


def test_wasi_env_has_helm_context_but_no_credentials(helm_home, go_greeter_wasm):
    p = load_dir(str(helm_home.add_wasm("envy", go_greeter_wasm, ptype="cli/v1", runtime_config="entryFuncName: env\n")))
    out = wasm.call(p, {"extraArgs": []}, context_env={"HELM_NAMESPACE": "kube-system", "HELM_KUBETOKEN": "tok",
                                                       "SECRET_TOKEN": "s"}).json
    assert out == {"HELM_NAMESPACE": "kube-system", "HELM_KUBETOKEN": "", "SECRET_TOKEN": "", "HELM_PLUGIN_DIR": ""}


def test_unknown_host_function_is_an_error_as_in_helm(helm_home, go_greeter_wasm):
    p = _greeter(helm_home, go_greeter_wasm, "hostFunctions: [kube_delete]\n")
    with pytest.raises(PluginError, match='plugin requested host function "kube_delete" not found'):
        wasm.call(p, {"Name": "x"})


def test_go_panic_is_a_clear_error(helm_home, go_greeter_wasm):
    p = _greeter(helm_home, go_greeter_wasm, "entryFuncName: panics\n")
    with pytest.raises(PluginError, match='plugin "greeter" (exited with error|crashed)'):
        wasm.call(p, {})
    # the host goes on, with a fresh instance
    p = _greeter(helm_home, go_greeter_wasm, name="again")
    assert wasm.call(p, {"Name": "ok"}).json == {"Greeting": "Hello, ok! (2)"}


def test_too_few_pages_for_a_go_plugin(helm_home, go_greeter_wasm):
    p = _greeter(helm_home, go_greeter_wasm, "memory:\n  maxPages: 1\n")
    with pytest.raises(PluginError, match="cannot instantiate"):
        wasm.call(p, {"Name": "x"})


# ---- the three types, end to end ---------------------------------------------------------

def test_go_postrenderer_adds_labels(helm_home, go_labels_wasm):
    example = Path(__file__).resolve().parents[2] / "examples" / "plugins" / "labels-postrenderer" / "plugin.yaml"
    helm_home.add("labels", example.read_text(), {"plugin.wasm": go_labels_wasm})
    out = run_postrenderer("labels", ["team=payments"], MANIFESTS)
    assert out == MANIFESTS.replace("  labels:\n    tier: web", "  labels:\n    team: payments\n    tier: web") \
        .replace("  name: b\n", "  labels:\n    team: payments\n  name: b\n").replace(
        "metadata:\n  labels:\n    team: payments\n  name: b", "metadata:\n  labels:\n    team: payments\n  name: b")
    # labels from runtimeConfig.config when no args are given
    assert "app.kubernetes.io/managed-by: pilothouse" in run_postrenderer("labels", [], MANIFESTS)


def test_c_postrenderer_and_a_bad_argument(helm_home, c_labels_wasm, go_labels_wasm):
    helm_home.add_wasm("clabels", c_labels_wasm, ptype="postrenderer/v1",
                       runtime_config="config:\n  label_key: team\n  label_value: web\n")
    out = run_postrenderer("clabels", [], MANIFESTS)
    assert out.count("    team: web\n") == 2
    helm_home.add_wasm("golabels", go_labels_wasm, ptype="postrenderer/v1")
    with pytest.raises(PluginError, match='failed to invoke post-renderer plugin "golabels": plugin error: '
                                          "post-renderer argument must be KEY=VALUE"):
        run_postrenderer("golabels", ["oops"], MANIFESTS)


def test_c_getter_serves_its_scheme_from_a_granted_directory(helm_home, c_getter_wasm, tmp_path):
    example = Path(__file__).resolve().parents[2] / "examples" / "plugins" / "demo-getter"
    d = helm_home.add("demo-getter", (example / "plugin.yaml").read_text(), {"plugin.wasm": c_getter_wasm})
    (d / "charts").mkdir()
    chart = bytes(range(256)) * 10
    (d / "charts" / "demo-1.0.0.tgz").write_bytes(chart)
    from pilothouse.plugin import policy
    from pilothouse.plugin.loader import load_dir as load

    policy.approve("demo-getter", wasm.policy.requested(load(str(d)).metadata.runtime_config, "p", str(d)))
    fetch = find_getter("demo")
    assert fetch("demo://anything/charts/demo-1.0.0.tgz") == chart
    with pytest.raises(PluginError, match="demo getter: demo://x/missing.tgz not found"):
        fetch("demo://x/missing.tgz")


def test_getter_mount_needs_approval(helm_home, c_getter_wasm):
    example = Path(__file__).resolve().parents[2] / "examples" / "plugins" / "demo-getter"
    d = helm_home.add("demo-getter", (example / "plugin.yaml").read_text(), {"plugin.wasm": c_getter_wasm})
    (d / "charts").mkdir()
    (d / "charts" / "index.yaml").write_text("entries: {}\n")
    with pytest.raises(PluginError, match="not found"):
        find_getter("demo")("demo://h/index.yaml")


def test_zig_cli_plugin_runs_through_pilot(helm_home, zig_hello_wasm, pilot):
    example = Path(__file__).resolve().parents[2] / "examples" / "plugins" / "hello-cli-zig" / "plugin.yaml"
    helm_home.add("hello", example.read_text(), {"plugin.wasm": zig_hello_wasm})
    res = pilot("hello", "-n", "kube-system", "a", "--b", "c")
    assert res.returncode == 0, res.stderr
    assert res.stdout == 'Hello from Zig! namespace=kube-system\nargs: ["a","--b","c"]\n'
    assert "panicked" not in res.stderr


def test_wasm_plugin_answering_a_json_string_for_cli_is_accepted(helm_home, hostile_wat_wasm):
    p = load_dir(str(helm_home.add_wasm("bad", hostile_wat_wasm, ptype="cli/v1",
                                        runtime_config="entryFuncName: invalid_output\n")))
    with pytest.raises(PluginError, match="not JSON"):
        wasm.call(p, {"extraArgs": []})


def test_copying_a_plugin_keeps_working(helm_home, go_greeter_wasm, tmp_path):
    # the compile cache is keyed by content: a copy elsewhere reuses it
    p = _greeter(helm_home, go_greeter_wasm)
    copy = tmp_path / "copy"
    shutil.copytree(p.dir, copy)
    assert wasm.call(load_dir(str(copy)), {"Name": "c"}).json == {"Greeting": "Hello, c! (1)"}
    assert json.loads(json.dumps({"ok": 1}))


def test_pilot_template_with_a_wasm_post_renderer(helm_home, go_labels_wasm, pilot):
    example = Path(__file__).resolve().parents[2] / "examples" / "plugins" / "labels-postrenderer" / "plugin.yaml"
    helm_home.add("labels", example.read_text(), {"plugin.wasm": go_labels_wasm})
    chart = Path(__file__).resolve().parents[2] / "examples" / "charts" / "hello"
    plain = pilot("template", "demo", str(chart))
    res = pilot("template", "demo", str(chart), "--post-renderer", "labels", "--post-renderer-args", "team=web")
    assert res.returncode == 0, res.stderr
    assert "team: web" in res.stdout and "team: web" not in plain.stdout
    assert res.stdout.count("kind:") == plain.stdout.count("kind:")
