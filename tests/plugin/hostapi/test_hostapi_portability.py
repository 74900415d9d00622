"""The shipped policy and values plugins run unchanged from one .wasm in a second engine (the
`extism` package), which is given the host functions they import."""

from __future__ import annotations

import json

import extism

from pilothouse.plugin import policy
from pilothouse.plugin.policy import Capabilities
from pilothouse.plugin.runtimes import extism as ours

DOCS = [{"index": i, "source": "c/templates/d.yaml", "object": {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": f"d{i}"},
    "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "nginx" if i % 2 else "nginx:1.2",
                                                   "securityContext": {"privileged": i % 3 == 0}}],
                                   "volumes": [{"name": "h", "hostPath": {"path": "/"}}] if i == 4 else []}}}}}
    for i in range(6)]


def test_baseline_policy_agrees(baseline_wasm):
    msg = json.dumps({"apiVersion": "policy/v1", "release": {"name": "r"}, "documents": DOCS,
                      "config": {"warn": "resource-limits"}}).encode()
    mine = ours.invoke("baseline", str(baseline_wasm), Capabilities(max_pages=512), "policy/v1", msg,
                       reuse=False).output
    with extism.Plugin({"wasm": [{"path": str(baseline_wasm)}]}, wasi=False) as plugin:
        theirs = bytes(plugin.call("helm_plugin_main", msg))
    assert json.loads(mine) == json.loads(theirs)
    answer = json.loads(mine)
    assert answer["allow"] is False
    rules = sorted((v["document"], v["rule"], v["severity"]) for v in answer["violations"])
    assert (0, "privileged", "error") in rules and (4, "host-path", "error") in rules
    assert (1, "latest-tag", "error") in rules and (2, "resource-limits", "warning") in rules


def test_vault_provider_agrees(vault_wasm, vault, helm_home, monkeypatch):
    refs = ["ref+vault://secret/data/app#password", "ref+vault://secret/data/bulk7#v"]
    msg = json.dumps({"apiVersion": "values/v1", "scheme": "vault", "references": refs}).encode()

    @extism.host_fn(name="credential_get", namespace="pilothouse:host/v1",
                    signature=([extism.ValType.I64], [extism.ValType.I64]))
    def credential_get(current_plugin, inputs, outputs, *user_data):
        req = json.loads(current_plugin.input_bytes(inputs[0]))
        assert req == {"name": "token"}
        current_plugin.return_bytes(outputs[0], json.dumps({"result": {"name": "token", "value": vault.token}})
                                    .encode())

    manifest = {"wasm": [{"path": str(vault_wasm)}], "config": {"address": vault.url}, "allowed_hosts": ["127.0.0.1"]}
    with extism.Plugin(manifest, wasi=True, functions=[credential_get]) as plugin:
        theirs = bytes(plugin.call("helm_plugin_main", msg))

    doc = policy.load_user_config()
    doc.setdefault("plugins", {})["vault"] = {"secrets": {"token": "env:PORTABILITY_TOKEN"}}
    policy.save_user_config(doc)
    monkeypatch.setenv("PORTABILITY_TOKEN", vault.token)
    caps = Capabilities(max_pages=1024, allowed_hosts=["127.0.0.1"], max_http_response_bytes=1 << 20,
                        host_functions=["credential_get"], config={"address": vault.url},
                        host_api={"credentials": ["token"]})
    mine = ours.invoke("vault", str(vault_wasm), caps, "values/v1", msg, reuse=False).output
    assert json.loads(mine) == json.loads(theirs) == {"values": {refs[0]: "pa55word", refs[1]: "value-7"}}
