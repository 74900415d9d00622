"""The attack suite: hostile plugins, each stopped with a clear error while the host goes on."""

from __future__ import annotations

import json
import os

import pytest

from pilothouse.errors import PluginError
from pilothouse.plugin import policy, wasm
from pilothouse.plugin.loader import load_dir
from pilothouse.plugin.postrender import run_postrenderer


@pytest.fixture
def granted_dirs(tmp_path):
    data = tmp_path / "data"
    out = tmp_path / "out"
    data.mkdir()
    out.mkdir()
    (data / "ok.txt").write_text("granted content")
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    os.symlink(tmp_path / "secret.txt", data / "link-to-secret")
    return data, out


def _files_plugin(helm_home, wasm_path, entry, data, out, approve=True, extra=""):
    rc = (f"entryFuncName: {entry}\nmemory:\n  maxPages: 256\ntimeout: 5000\n"
          f"fileSystem:\n  mounts:\n    - {{host: {data}, guest: /data, mode: ro}}\n"
          f"    - {{host: {out}, guest: /out, mode: rw}}\n{extra}")
    p = load_dir(str(helm_home.add_wasm(f"files-{entry.replace('_', '-')}", wasm_path, runtime_config=rc)))
    if approve:
        policy.approve(p.name, wasm.granted.__globals__["policy"].requested(p.metadata.runtime_config, "x", p.dir))
    return p


def _result(plugin):
    return wasm.call(plugin, {}).json


def _still_works(helm_home, hostile_wat_wasm):
    """After an attack, a well-behaved call in the same process still succeeds."""
    p = load_dir(str(helm_home.add_wasm("fine", hostile_wat_wasm, ptype="postrenderer/v1",
                                        runtime_config="entryFuncName: empty_manifests\n")))
    assert wasm.call(p, {"manifests": "x"}).json == {"manifests": ""}


@pytest.mark.parametrize("entry", ["read_absolute", "read_dotdot", "read_symlink"])
def test_reading_outside_the_grant_is_blocked(helm_home, hostile_files_wasm, granted_dirs, entry):
    data, out = granted_dirs
    res = _result(_files_plugin(helm_home, hostile_files_wasm, entry, data, out))
    assert res["result"] == "blocked", res
    assert "SECRET" not in json.dumps(res) and "root:" not in json.dumps(res)


def test_the_grant_itself_is_readable_and_writable_where_allowed(helm_home, hostile_files_wasm, granted_dirs):
    data, out = granted_dirs
    assert _result(_files_plugin(helm_home, hostile_files_wasm, "read_granted", data, out)) == \
        {"result": "read", "detail": "granted content"}
    assert _result(_files_plugin(helm_home, hostile_files_wasm, "write_granted", data, out))["result"] == "written"
    assert (out / "new.txt").read_text() == "pwned"


def test_writing_to_a_read_only_grant_is_blocked(helm_home, hostile_files_wasm, granted_dirs):
    data, out = granted_dirs
    assert _result(_files_plugin(helm_home, hostile_files_wasm, "write_readonly", data, out))["result"] == "blocked"
    assert not (data / "new.txt").exists()


def test_unapproved_mounts_are_not_granted(helm_home, hostile_files_wasm, granted_dirs):
    data, out = granted_dirs
    p = _files_plugin(helm_home, hostile_files_wasm, "read_granted", data, out, approve=False)
    assert _result(p)["result"] == "blocked"


def test_user_can_narrow_a_read_write_grant_to_read_only(helm_home, hostile_files_wasm, granted_dirs):
    data, out = granted_dirs
    p = _files_plugin(helm_home, hostile_files_wasm, "write_granted", data, out)
    doc = policy.load_user_config()
    doc["plugins"][p.name]["narrow"] = {"mounts": {"/data": "ro", "/out": "ro"}}
    policy.save_user_config(doc)
    assert _result(p)["result"] == "blocked"


def test_env_var_not_granted(helm_home, hostile_files_wasm, granted_dirs, monkeypatch):
    data, out = granted_dirs
    monkeypatch.setenv("SECRET_TOKEN", "hunter2")
    assert _result(_files_plugin(helm_home, hostile_files_wasm, "env_wasi", data, out)) == \
        {"result": "blocked", "detail": "unset"}
    p = _files_plugin(helm_home, hostile_files_wasm, "env_host", data, out, extra="hostFunctions: [getenv]\n")
    with pytest.raises(PluginError, match='may not read environment variable "SECRET_TOKEN"'):
        _result(p)
    p = _files_plugin(helm_home, hostile_files_wasm, "env_host", data, out, extra="hostFunctions: [getenv]\n"
                      "env: [SECRET_TOKEN]\n")
    assert _result(p) == {"result": "read", "detail": "hunter2"}


def test_host_function_not_requested(helm_home, hostile_files_wasm, granted_dirs, monkeypatch):
    data, out = granted_dirs
    p = _files_plugin(helm_home, hostile_files_wasm, "env_host", data, out, extra="env: [SECRET_TOKEN]\n")
    with pytest.raises(PluginError, match='may not call host function "getenv"'):
        _result(p)


def _wat(helm_home, wat, entry, rc="", ptype="test/v1"):
    return load_dir(str(helm_home.add_wasm(f"w-{entry.replace('_', '-')}", wat, ptype=ptype,
                                           runtime_config=f"entryFuncName: {entry}\n{rc}")))


def test_http_to_a_host_not_allowed(helm_home, hostile_wat_wasm):
    p = _wat(helm_home, hostile_wat_wasm, "http_forbidden", "allowedHosts: [example.org]\n")
    with pytest.raises(PluginError, match="HTTP request to 'http://forbidden.invalid/steal' is not allowed"):
        wasm.call(p, {})
    _still_works(helm_home, hostile_wat_wasm)


def test_infinite_loop_is_stopped_by_timeout_and_by_fuel(helm_home, hostile_wat_wasm):
    p = _wat(helm_home, hostile_wat_wasm, "loop", "timeout: 100\n")
    with pytest.raises(PluginError, match='plugin "w-loop" timed out after 100 ms'):
        wasm.call(p, {})
    p = _wat(helm_home, hostile_wat_wasm, "loop", "fuel: 1000000\n")
    policy.approve(p.name, policy.requested(p.metadata.runtime_config))
    with pytest.raises(PluginError, match="ran out of fuel"):
        wasm.call(p, {})
    _still_works(helm_home, hostile_wat_wasm)


def test_user_config_can_impose_a_timeout(helm_home, hostile_wat_wasm):
    p = _wat(helm_home, hostile_wat_wasm, "loop")
    policy.save_user_config({"defaults": {"timeout": 50}})
    with pytest.raises(PluginError, match="timed out after 50 ms"):
        wasm.call(p, {})


def test_memory_bomb_hits_the_cap(helm_home, hostile_wat_wasm):
    p = _wat(helm_home, hostile_wat_wasm, "membomb", "memory:\n  maxPages: 64\n")
    with pytest.raises(PluginError, match="memory limit of 64 pages reached"):
        wasm.call(p, {})
    # with nothing requested, the default cap applies
    p = _wat(helm_home, hostile_wat_wasm, "membomb", "timeout: 5000\n")
    with pytest.raises(PluginError, match=f"memory limit of {policy.DEFAULT_MAX_PAGES} pages reached"):
        wasm.call(p, {})
    _still_works(helm_home, hostile_wat_wasm)


def test_huge_output_is_refused(helm_home, hostile_wat_wasm, hostile_files_wasm, tmp_path):
    p = _wat(helm_home, hostile_wat_wasm, "huge_output")
    with pytest.raises(PluginError, match="more than the limit"):
        wasm.call(p, {})
    d = tmp_path / "d"
    d.mkdir()
    p = _files_plugin(helm_home, hostile_files_wasm, "stdout_flood", d, d, extra="maxOutputBytes: 100000\n")
    # stdout is captured (and capped) when it is shown, with --debug; otherwise it is discarded
    with pytest.raises(PluginError, match="wrote more than the limit of 100000 bytes"):
        wasm.call(p, {}, debug=True)
    assert wasm.call(p, {}).json == {"result": "done", "detail": ""}
    _still_works(helm_home, hostile_wat_wasm)


def test_deep_recursion(helm_home, hostile_wat_wasm, hostile_files_wasm, tmp_path):
    p = _wat(helm_home, hostile_wat_wasm, "recurse")
    with pytest.raises(PluginError, match="call stack exhausted"):
        wasm.call(p, {})
    d = tmp_path / "d"
    d.mkdir()
    p = _files_plugin(helm_home, hostile_files_wasm, "recurse", d, d)
    with pytest.raises(PluginError, match=r"crashed|call stack exhausted"):
        wasm.call(p, {})
    _still_works(helm_home, hostile_wat_wasm)


def test_trap(helm_home, hostile_wat_wasm):
    p = _wat(helm_home, hostile_wat_wasm, "trap")
    with pytest.raises(PluginError, match='plugin "w-trap" crashed: .*unreachable'):
        wasm.call(p, {})


def test_invalid_output(helm_home, hostile_wat_wasm):
    _wat(helm_home, hostile_wat_wasm, "invalid_output", ptype="postrenderer/v1")
    with pytest.raises(PluginError, match="not JSON"):
        run_postrenderer("w-invalid-output", [], "a: b\n")
    _wat(helm_home, hostile_wat_wasm, "empty_manifests", ptype="postrenderer/v1")
    with pytest.raises(PluginError, match='post-renderer "w-empty-manifests" produced empty output'):
        run_postrenderer("w-empty-manifests", [], "a: b\n")


def test_non_zero_result_without_error_text(helm_home, hostile_wat_wasm):
    p = _wat(helm_home, hostile_wat_wasm, "exit_code")
    with pytest.raises(PluginError, match=r'plugin "w-exit-code" exited with error \(code 7\)') as err:
        wasm.call(p, {})
    assert err.value.exit_code == 7


def test_vars_flood_is_refused(helm_home, hostile_wat_wasm):
    p = _wat(helm_home, hostile_wat_wasm, "vars", "memory:\n  maxVarBytes: 4\n")
    with pytest.raises(PluginError, match="vars exceed the limit of 4 bytes"):
        wasm.call(p, {})
