"""Attacks on approval: a plugin that grants itself more than the user approved, or lies in the prompt.

An unapproved plugin gets the safe defaults for every limit; without a terminal and without
``--yes`` nothing beyond the defaults is granted; what the user reads (the prompt, `plugin
inspect`, `plugin list`, errors) shows plugin-supplied strings escaped and mounts as the real
host directories they will open.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from pilothouse.errors import PluginError
from pilothouse.plugin import policy
from pilothouse.plugin.safetext import escape, escape_message

HUGE = 1 << 40
MINI_WAT = '(module (func (export "helm_plugin_main") (result i32) i32.const 0))'

# sequences a terminal acts on: clear screen, set title (OSC), CSI as one C1 byte, bidi override
# (reorders what follows), zero-width joiner, a line break that fakes a new prompt line
EVIL = ["\x1b[2J\x1b[H", "\x1b]0;owned\x07", "\x9b31m", "\u202egnp.exe", "a\u200db", "x\r\nGranted: nothing",
        "\u2066isolate\u2069", "\ufeffbom", "\x7fdel", "nb\u00a0sp"]


@pytest.fixture
def mini_wasm(tmp_path_factory) -> Path:
    import wasmtime

    path = tmp_path_factory.mktemp("wasm") / "plugin.wasm"
    path.write_bytes(bytes(wasmtime.wat2wasm(MINI_WAT)))
    return path


def _plugin_src(root: Path, wasm: Path, runtime_config: str, name: str = "greedy", source_url: str = "") -> Path:
    src = root / name
    src.mkdir(parents=True)
    rc = textwrap.indent(textwrap.dedent(runtime_config).strip(), "  ")
    text = f"apiVersion: v1\nname: {name}\ntype: test/v1\nruntime: extism/v1\nversion: 0.1.0\n"
    if source_url:
        text += f"sourceURL: {source_url}\n"
    if rc:
        text += f"runtimeConfig:\n{rc}\n"
    (src / "plugin.yaml").write_text(text)
    (src / "plugin.wasm").write_bytes(wasm.read_bytes())
    return src


def _no_raw_controls(text: str) -> None:
    for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u200d", "\u2066", "\ufeff", "\x7f", "\r", "\u00a0"):
        assert bad not in text, repr(bad)


# ---- unapproved plugins get the defaults -------------------------------------------------------

GREEDY = f"""\
maxOutputBytes: {HUGE}
fuel: 1000
memory: {{maxPages: 65536, maxHttpResponseBytes: {HUGE}, maxVarBytes: {HUGE}}}
env: [HOME, AWS_SECRET_ACCESS_KEY]
fileSystem:
  mounts: [{{host: /, guest: /host, mode: rw}}]
"""


def _req(text: str) -> policy.Capabilities:
    import yaml

    return policy.requested(yaml.safe_load(text))


def test_an_unapproved_plugin_gets_the_defaults_for_every_limit():
    g = policy.grant("greedy", _req(GREEDY), {})
    assert g.max_output_bytes == policy.DEFAULT_MAX_OUTPUT
    assert g.max_pages == policy.DEFAULT_MAX_PAGES
    assert g.max_http_response_bytes == policy.DEFAULT_MAX_HTTP_RESPONSE
    assert g.max_var_bytes == policy.DEFAULT_VAR_CAP
    assert g.mounts == [] and g.env == [] and g.fuel == 0


def test_an_approval_of_other_requests_does_not_carry_over():
    req = _req(GREEDY)
    old = _req("maxOutputBytes: 1024\n")
    user = {"plugins": {"greedy": {"approved": old.digest()}}}
    assert policy.grant("greedy", req, user).max_output_bytes == policy.DEFAULT_MAX_OUTPUT


def test_the_users_defaults_cap_an_unapproved_plugin():
    user = {"defaults": {"maxOutputBytes": 4096, "maxPages": 16}}
    g = policy.grant("greedy", _req(GREEDY), user)
    assert (g.max_output_bytes, g.max_pages) == (4096, 16)


def test_smaller_requests_are_kept_without_approval():
    g = policy.grant("modest", _req("maxOutputBytes: 100\nmemory: {maxPages: 8, maxHttpResponseBytes: 10}\n"), {})
    assert (g.max_output_bytes, g.max_pages, g.max_http_response_bytes) == (100, 8, 10)


def test_limits_above_the_defaults_need_approval_and_are_granted_once_approved():
    req = _req(GREEDY)
    assert req.needs_approval()
    assert _req("memory: {maxPages: 65536}\n").needs_approval()
    assert _req(f"memory: {{maxHttpResponseBytes: {HUGE}}}\n").needs_approval()
    assert not _req("memory: {maxPages: 64}\nallowedHosts: [example.com]\n").needs_approval()
    g = policy.grant("greedy", req, {"plugins": {"greedy": {"approved": req.digest()}}})
    assert g.max_output_bytes == HUGE and g.max_pages == 65536 and g.fuel == 1000


def test_a_dropped_in_plugin_shows_defaults_in_inspect(helm_home, pilot, mini_wasm):
    helm_home.add_wasm("greedy", mini_wasm, runtime_config=GREEDY)
    res = pilot("plugin", "inspect", "greedy")
    assert res.returncode == 0, res.stderr
    granted = res.stdout.split("Granted:")[1]
    assert f"output: up to {policy.DEFAULT_MAX_OUTPUT} bytes" in granted
    assert "file:" not in granted and "env:" not in granted and "fuel" not in granted
    assert "Approval:    not approved" in res.stdout


# ---- install without a terminal ------------------------------------------------------------------

@pytest.mark.parametrize("rc", ["maxOutputBytes: 1073741824", "fuel: 5000", "memory: {maxPages: 65536}",
                                f"memory: {{maxVarBytes: {HUGE}}}", "env: [HOME]",
                                "allowedHosts: ['*']", "fileSystem: {createTempDir: true}"])
def test_install_without_a_terminal_or_yes_grants_nothing(tmp_path, helm_home, pilot, mini_wasm, rc):
    src = _plugin_src(tmp_path, mini_wasm, rc)
    res = pilot("plugin", "install", str(src), input="y\n")  # stdin is a pipe, not a terminal
    assert res.returncode == 1
    assert res.stderr.startswith("Error: the plugin requests capabilities beyond the defaults and there is "
                                 "no terminal to ask"), res.stderr
    assert "pass --yes" in res.stderr
    assert not (helm_home.plugins / "greedy").exists()
    assert policy.load_user_config().get("plugins", {}).get("greedy", {}).get("approved") is None


def test_install_with_yes_grants_what_is_shown(tmp_path, helm_home, pilot, mini_wasm):
    src = _plugin_src(tmp_path, mini_wasm, "maxOutputBytes: 1073741824\nfuel: 5000\n")
    res = pilot("plugin", "install", str(src), "--yes")
    assert res.returncode == 0, res.stderr
    assert "If approved, it will be granted" in res.stdout
    assert "output: up to 1073741824 bytes" in res.stdout.split("will be granted")[1]
    assert "Approval:    approved" in pilot("plugin", "inspect", "greedy").stdout


def test_the_prompt_shows_the_users_narrowing(tmp_path, helm_home, pilot, mini_wasm):
    policy.save_user_config({"plugins": {"greedy": {"narrow": {"maxOutputBytes": 2048}}}})
    src = _plugin_src(tmp_path, mini_wasm, "maxOutputBytes: 1073741824\n")
    res = pilot("plugin", "install", str(src), "--yes")
    assert res.returncode == 0, res.stderr
    assert "output: up to 2048 bytes" in res.stdout.split("will be granted")[1]


def test_install_with_nothing_beyond_defaults_needs_no_terminal(tmp_path, helm_home, pilot, mini_wasm):
    src = _plugin_src(tmp_path, mini_wasm, "memory: {maxPages: 32}\ntimeout: 500\n")
    res = pilot("plugin", "install", str(src))
    assert res.returncode == 0, res.stderr


def test_a_declined_prompt_installs_nothing(tmp_path, helm_home, mini_wasm):
    from pilothouse.plugin.install import InstallOptions, install

    src = _plugin_src(tmp_path, mini_wasm, "maxOutputBytes: 1073741824\n")
    shown: list[str] = []
    with pytest.raises(PluginError, match="installation cancelled"):
        install(str(src), InstallOptions(ask=lambda prompt: shown.append(prompt) is not None), out=shown.append)
    assert not (helm_home.plugins / "greedy").exists()
    assert any("Grant these capabilities" in s for s in shown)


# ---- what the user reads ----------------------------------------------------------------------

@pytest.mark.parametrize("evil", EVIL)
def test_escape_spells_out_everything_a_terminal_would_act_on(evil):
    shown = escape(evil)
    _no_raw_controls(shown)
    assert "\\" in shown


def test_escape_keeps_ordinary_text_and_unicode():
    assert escape("example.com") == "example.com"
    assert escape("données/ĉ.yaml") == "données/ĉ.yaml"
    assert escape_message("line one\n\tline two") == "line one\n\tline two"
    assert escape_message("a\x1b[2Jb\nc") == "a\\x1b[2Jb\nc"


def test_the_install_prompt_escapes_every_plugin_string(tmp_path, helm_home, mini_wasm):
    from pilothouse.plugin.install import InstallOptions, install

    hosts = ", ".join(f'"{e}"' for e in ["\\x1b]0;owned\\x07", "\\u202eevil.com", "ok\\r\\nGranted: nothing"])
    rc = f"""\
    allowedHosts: [{hosts}]
    env: ["\\x1b[2J", "\\u200dHOME"]
    hostFunctions: ["\\x9b1m"]
    fileSystem:
      mounts: [{{host: "data", guest: "/g\\u202e\\x1b[8m", mode: ro}}]
    """
    src = _plugin_src(tmp_path, mini_wasm, rc)
    (src / "data").mkdir()
    shown: list[str] = []
    install(str(src), InstallOptions(ask=lambda prompt: shown.append(prompt) is None), out=shown.append)
    text = "\n".join(shown)
    _no_raw_controls(text)
    assert "\\u202eevil.com" in text and "\\x1b]0;owned\\x07" in text


def test_list_and_inspect_escape_the_metadata(helm_home, pilot, mini_wasm):
    helm_home.add("evil", "apiVersion: v1\nname: evil\ntype: test/v1\nruntime: extism/v1\nversion: 0.1.0\n"
                  'sourceURL: "https://x/\\x1b]8;;https://evil\\x07click\\x1b]8;;\\x07\\u202e"\n'
                  "runtimeConfig:\n  allowedHosts: [\"\\x1b[2J\"]\n", {"plugin.wasm": mini_wasm})
    for args in (("plugin", "list"), ("plugin", "inspect", "evil")):
        res = pilot(*args)
        assert res.returncode == 0, res.stderr
        _no_raw_controls(res.stdout + res.stderr)
        assert "\\x1b]8;;https://evil" in res.stdout


def test_errors_quoting_hostile_names_are_escaped(helm_home, pilot):
    res = pilot("plugin", "inspect", "\x1b]0;owned\x07\u202e")
    assert res.returncode == 1
    assert res.stderr.startswith("Error: plugin: ")
    _no_raw_controls(res.stderr)


def test_a_broken_plugin_yaml_warning_is_escaped(helm_home, pilot):
    helm_home.add("broken", "apiVersion: v1\nname: \"\\x1b[2Jbroken\"\ntype: cli/v1\nruntime: subprocess\n")
    res = pilot("plugin", "list")
    assert res.returncode == 0
    _no_raw_controls(res.stderr)
    assert "failed to load plugin" in res.stderr


@pytest.mark.parametrize("name", ["gréedy", "grееdy", "greedy\u200b", "greedy\n", "../greedy", "a" * 0 + " x"])
def test_confusable_and_hidden_names_are_refused(helm_home, pilot, name):
    import json

    helm_home.add("conf", f"apiVersion: v1\nname: {json.dumps(name)}\ntype: cli/v1\nruntime: subprocess\n"
                  "version: 0.1.0\n")
    res = pilot("plugin", "list")
    assert "conf/plugin.yaml" in res.stderr and "invalid plugin name" in res.stderr
    _no_raw_controls(res.stderr)


# ---- mounts are granted as the directory they really are ------------------------------------

def test_a_symlinked_mount_is_shown_and_granted_as_its_real_directory(tmp_path, helm_home, pilot, mini_wasm):
    secret = tmp_path / "secret-home"
    secret.mkdir()
    src = _plugin_src(tmp_path / "src", mini_wasm, "fileSystem:\n  mounts: [{host: charts, guest: /charts}]\n")
    (src / "charts").symlink_to(secret)  # looks like a directory of the plugin, is the user's home
    res = pilot("plugin", "install", str(src), "--yes")
    assert res.returncode == 0, res.stderr
    assert f"file: {os.path.realpath(secret)} -> /charts (read-only)" in res.stdout
    inspect = pilot("plugin", "inspect", "greedy").stdout.split("Granted:")[1]
    assert f"file: {os.path.realpath(secret)} -> /charts" in inspect


def test_a_mount_that_later_resolves_elsewhere_is_refused(tmp_path, helm_home, pilot, mini_wasm):
    approved, other = tmp_path / "approved", tmp_path / "other"
    approved.mkdir()
    other.mkdir()
    src = _plugin_src(tmp_path / "src", mini_wasm, "fileSystem:\n  mounts: [{host: charts, guest: /charts}]\n")
    (src / "charts").symlink_to(approved)
    assert pilot("plugin", "install", str(src), "--yes").returncode == 0
    (src / "charts").unlink()
    (src / "charts").symlink_to(other)
    res = pilot("plugin", "inspect", "greedy")
    assert res.returncode == 1
    assert "now resolves to" in res.stderr and str(other) in res.stderr and "pilot plugin approve greedy" in res.stderr
    # approving again binds the grant to the new directory
    assert pilot("plugin", "approve", "greedy").returncode == 0
    assert f"file: {other} -> /charts" in pilot("plugin", "inspect", "greedy").stdout.split("Granted:")[1]


def test_a_relative_mount_cannot_climb_out_unseen(tmp_path, helm_home, pilot, mini_wasm):
    src = _plugin_src(tmp_path / "src", mini_wasm, "fileSystem:\n  mounts: [{host: ../../.., guest: /up}]\n")
    res = pilot("plugin", "install", str(src), "--yes")
    assert res.returncode == 0, res.stderr
    assert f"file: {os.path.realpath(src / '../../..')} -> /up" in res.stdout


def test_a_version_with_a_trailing_newline_is_refused(helm_home, pilot):
    helm_home.add("nl", 'apiVersion: v1\nname: nl\ntype: cli/v1\nruntime: subprocess\nversion: "0.1.0\\n"\n')
    res = pilot("plugin", "list")
    assert "invalid plugin version" in res.stderr
