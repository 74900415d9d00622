"""The same plugin.wasm gives the same answer in Pilothouse and in a second engine (`extism`)."""

from __future__ import annotations

import json

import extism
import pytest

from pilothouse.plugin.policy import Capabilities, Mount
from pilothouse.plugin.runtimes import extism as ours

MANIFESTS = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    x: y\n---\nkind: Secret\nmetadata:\n  name: b\n"


@extism.host_fn(name="log", namespace="pilothouse:host/v1", signature=([extism.ValType.I64], []))
def _pilot_log(current_plugin, inputs, outputs, *user_data):
    """Another host must supply Pilothouse's host functions for a plugin that imports them."""


def _theirs(path, data: bytes, *, config=None, allowed_paths=None, entry="helm_plugin_main") -> bytes:
    manifest = {"wasm": [{"path": str(path)}], "config": config or {}, "allowed_paths": allowed_paths or {}}
    with extism.Plugin(manifest, wasi=True, functions=[_pilot_log]) as plugin:
        return bytes(plugin.call(entry, data))


def _ours(path, data: bytes, *, config=None, mounts=(), tmp=False, entry="helm_plugin_main") -> bytes:
    caps = Capabilities(max_pages=4096, config=config or {}, mounts=list(mounts), create_temp_dir=tmp)
    return ours.invoke("p", str(path), caps, "test/v1", data, entry=entry, reuse=False).output


@pytest.mark.parametrize("fixture", ["go_labels_wasm", "c_labels_wasm"])
def test_postrenderers_agree(fixture, request):
    path = request.getfixturevalue(fixture)
    msg = json.dumps({"manifests": MANIFESTS, "extraArgs": []}).encode()
    cfg = {"label_key": "team", "label_value": "web"}
    mine, theirs = _ours(path, msg, config=cfg), _theirs(path, msg, config=cfg)
    assert json.loads(mine) == json.loads(theirs)
    assert "team: web" in json.loads(mine)["manifests"]


def test_go_labels_with_args_agree(go_labels_wasm):
    msg = json.dumps({"manifests": MANIFESTS, "extraArgs": ["a=1", "b=two"]}).encode()
    assert _ours(go_labels_wasm, msg) == _theirs(go_labels_wasm, msg)


def test_c_getter_agrees(c_getter_wasm, tmp_path):
    (tmp_path / "index.yaml").write_bytes(b"apiVersion: v1\nentries: {}\n")
    msg = json.dumps({"href": "demo://h/index.yaml", "protocol": "demo", "options": {}}).encode()
    mine = _ours(c_getter_wasm, msg, mounts=[Mount(str(tmp_path), "/charts")])
    theirs = _theirs(c_getter_wasm, msg, allowed_paths={str(tmp_path): "/charts"})
    assert mine == theirs
    assert json.loads(mine) == {"data": "YXBpVmVyc2lvbjogdjEKZW50cmllczoge30K"}


def test_go_greeter_agrees(go_greeter_wasm, tmp_path):
    msg = b'{"Name":"Phippy"}'
    mine = _ours(go_greeter_wasm, msg, tmp=True)
    theirs = _theirs(go_greeter_wasm, msg, allowed_paths={str(tmp_path): "/tmp"})
    assert json.loads(mine) == json.loads(theirs) == {"Greeting": "Hello, Phippy! (6)"}


def test_zig_cli_agrees(zig_hello_wasm):
    msg = b'{"extraArgs":["x"]}'
    assert _ours(zig_hello_wasm, msg) == _theirs(zig_hello_wasm, msg) == b"{}"
