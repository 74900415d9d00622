"""plugin.yaml: Helm 4.2's validation and legacy conversion (cases from helm4-plugins.md §9)."""

from __future__ import annotations

import pytest

from pilothouse.errors import PluginError
from pilothouse.plugin.loader import find_plugins, load_all, load_dir
from pilothouse.plugin.metadata import parse

V1_CLI = """\
apiVersion: v1
name: hello
type: cli/v1
runtime: subprocess
version: 1.2.3
config:
  usage: "hello [flags]"
  shortHelp: says hello
runtimeConfig:
  platformCommand:
    - command: echo
"""


def test_legacy_cli_is_converted_to_cli_v1():
    md = parse(b'name: args\nversion: 0.1.0\nusage: "echo\\targs"\ndescription: "long text"\n'
               b'command: "$HELM_PLUGIN_DIR/args.sh a b"\n')
    assert (md.type, md.runtime, md.api_version) == ("cli/v1", "subprocess", "legacy")
    assert md.config == {"usage": "", "shortHelp": "echo args", "longHelp": "long text", "ignoreFlags": False}
    assert md.runtime_config["platformCommand"] == [{"os": "", "arch": "", "command": "$HELM_PLUGIN_DIR/args.sh a b",
                                                     "args": []}]


def test_legacy_downloader_becomes_getter_only():
    md = parse(b"name: s3\nversion: 1.0.0\ncommand: bin/s3\ndownloaders:\n"
               b"- command: bin/dl\n  protocols: [s3]\n- command: bin/dl2\n  protocols: [s3a, s3n]\n")
    assert md.type == "getter/v1"
    assert md.config == {"protocols": ["s3", "s3a", "s3n"]}
    assert [pc["protocols"] for pc in md.runtime_config["protocolCommands"]] == [["s3"], ["s3a", "s3n"]]


@pytest.mark.parametrize("text", [
    b"name: x\ncommand: a\nplatformCommand:\n- command: b\n",
    b"name: x\nhooks: {install: a}\nplatformHooks:\n  install:\n  - command: b\n",
    b"name: x\nhooks: {install: a}\nhooks: {install: b}\n",
    b"name: x\ndownloaders:\n- command: a\n  protocols: []\n",
    b"name: x\nversion: v1.0.0\n",
    b"name: 'a b'\n",
])
def test_invalid_legacy_files_are_rejected(text):
    with pytest.raises(PluginError):
        parse(text)


def test_v1_is_strict_at_top_level_and_in_config_lenient_in_runtime_config():
    parse(V1_CLI.encode())
    parse((V1_CLI + "  somethingNew: 1\n").encode())  # unknown runtimeConfig key: accepted
    with pytest.raises(PluginError, match="description"):
        parse((V1_CLI + "description: nope\n").encode())
    with pytest.raises(PluginError, match="unknown field"):
        parse(V1_CLI.replace("  shortHelp: says hello", "  shortHelp: x\n  colour: red").encode())


@pytest.mark.parametrize("version", ["v1.0.0", "1.0", "", "1.0.0.0", "01.0.0"])
def test_v1_version_must_be_strict_semver(version):
    text = V1_CLI.replace("version: 1.2.3", f"version: '{version}'" if version else "")
    with pytest.raises(PluginError, match="version"):
        parse(text.encode())


def test_v1_accepts_prerelease_and_build_versions():
    assert parse(V1_CLI.replace("1.2.3", "1.2.3-rc.1+build.5").encode()).version == "1.2.3-rc.1+build.5"


@pytest.mark.parametrize("patch,message", [
    (("apiVersion: v1", "apiVersion: v2"), 'invalid plugin apiVersion: "v2"'),
    (("type: cli/v1", "type: render/v1"), 'unknown plugin type "render/v1"'),
    (("runtime: subprocess", "runtime: docker"), "unsupported plugin runtime type"),
    (("name: hello", "name: 'he llo'"), "invalid plugin name"),
])
def test_v1_field_errors(patch, message):
    with pytest.raises(PluginError, match=message):
        parse(V1_CLI.replace(*patch).encode())


def test_getter_needs_protocols_and_postrenderer_takes_no_config():
    base = "apiVersion: v1\nname: g\nversion: 0.1.0\nruntime: subprocess\n"
    with pytest.raises(PluginError, match="protocol"):
        parse((base + "type: getter/v1\nconfig: {protocols: []}\n").encode())
    with pytest.raises(PluginError):
        parse((base + "type: postrenderer/v1\nconfig: {foo: bar}\n").encode())


def test_broken_plugin_is_skipped_with_a_warning(helm_home, capsys):
    helm_home.add("good", V1_CLI)
    helm_home.add("broken", "apiVersion: v1\nname: broken\n")
    names = [p.name for p in find_plugins()]
    assert names == ["hello"]
    assert "failed to load plugin (ignoring)" in capsys.readouterr().err


def test_duplicate_names_make_the_directory_unusable(helm_home, capsys):
    helm_home.add("one", V1_CLI)
    helm_home.add("two", V1_CLI)
    with pytest.raises(PluginError, match='two plugins claim the name "hello"'):
        load_all(str(helm_home.plugins))
    assert find_plugins() == []
    assert "two plugins claim the name" in capsys.readouterr().err


def test_plugin_list_spans_the_helm_plugins_path_list(helm_home, monkeypatch, tmp_path):
    other = tmp_path / "more"
    other.mkdir()
    helm_home.add("hello", V1_CLI)
    helm_home.add("x", V1_CLI.replace("name: hello", "name: other"), where=other)
    monkeypatch.setenv("HELM_PLUGINS", f"{helm_home.plugins}:{other}")
    assert sorted(p.name for p in find_plugins()) == ["hello", "other"]


def test_extism_plugin_without_plugin_wasm_is_not_loaded(helm_home):
    d = helm_home.add("w", "apiVersion: v1\nname: w\ntype: cli/v1\nruntime: extism/v1\nversion: 0.1.0\n")
    with pytest.raises(PluginError, match="plugin.wasm"):
        load_dir(str(d))
