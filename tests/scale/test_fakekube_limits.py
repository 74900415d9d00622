"""The fake API server refuses what a real one refuses: oversized Secrets/ConfigMaps, bodies, names, labels.

Expected texts are the real server's (Kubernetes 1.34 apimachinery wording).
"""

from __future__ import annotations

import base64
import json

import httpx
from scale_helpers import big_chart, env_for, helm

TOO_LONG = "Too long: may not be more than 1048576 bytes"


def _post(srv, path: str, body: bytes, ctype: str = "application/json") -> httpx.Response:
    return httpx.post(srv.url + path, content=body, headers={"Content-Type": ctype}, timeout=60)


def _secret(name: str, size: int) -> bytes:
    value = base64.b64encode(b"x" * size).decode()
    return json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name},
                       "data": {"k": value}}).encode()


def test_secret_over_one_mib_is_invalid(srv):
    resp = _post(srv, "/api/v1/namespaces/default/secrets", _secret("x", 1024 * 1024 + 1))
    assert resp.status_code == 422
    status = resp.json()
    assert status["kind"] == "Status" and status["reason"] == "Invalid" and status["code"] == 422
    assert status["message"] == f'Secret "x" is invalid: data: {TOO_LONG}'
    assert status["details"] == {"name": "x", "kind": "Secret",
                                 "causes": [{"reason": "FieldValueTooLong", "message": TOO_LONG, "field": "data"}]}
    assert srv.store.objects("Secret", "default") == []


def test_secret_of_exactly_one_mib_is_stored(srv):
    assert _post(srv, "/api/v1/namespaces/default/secrets", _secret("x", 1024 * 1024)).status_code == 201


def test_configmap_over_one_mib_is_invalid(srv):
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                       "data": {"a": "y" * (600 * 1024)}, "binaryData": {"b": base64.b64encode(b"z" * 500 * 1024).decode()}})
    resp = _post(srv, "/api/v1/namespaces/default/configmaps", body.encode())
    assert resp.status_code == 422
    assert resp.json()["message"] == f'ConfigMap "c" is invalid: []: {TOO_LONG}'


def test_update_that_grows_a_secret_past_the_limit_is_invalid(srv):
    assert _post(srv, "/api/v1/namespaces/default/secrets", _secret("x", 10)).status_code == 201
    resp = httpx.put(srv.url + "/api/v1/namespaces/default/secrets/x", content=_secret("x", 2 * 1024 * 1024),
                     headers={"Content-Type": "application/json"}, timeout=60)
    assert resp.status_code == 422 and TOO_LONG in resp.json()["message"]


def test_body_over_three_mib_is_refused_with_413(srv):
    resp = _post(srv, "/api/v1/namespaces/default/configmaps", b" " * (3 * 1024 * 1024 + 1))
    assert resp.status_code == 413
    assert resp.json() == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                           "message": "Request entity too large: limit is 3145728",
                           "reason": "RequestEntityTooLarge", "code": 413}
    # the connection stays usable and nothing was stored
    assert httpx.get(srv.url + "/api/v1/namespaces/default/configmaps", timeout=10).json()["items"] == []


def test_name_over_253_characters_is_invalid(srv):
    name = "a" * 254
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})
    resp = _post(srv, "/api/v1/namespaces/default/configmaps", body.encode())
    assert resp.status_code == 422
    assert resp.json()["message"] == (
        f'ConfigMap "{name}" is invalid: metadata.name: Invalid value: "{name}": must be no more than 253 characters')


def test_label_value_over_63_characters_is_invalid(srv):
    value = "v" * 64
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"k": value}}})
    resp = _post(srv, "/api/v1/namespaces/default/configmaps", body.encode())
    assert resp.status_code == 422
    assert resp.json()["message"] == (
        f'ConfigMap "c" is invalid: metadata.labels: Invalid value: "{value}": must be no more than 63 characters')


def test_label_key_name_part_over_63_characters_is_invalid(srv):
    key = "example.com/" + "k" * 64
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {key: "v"}}})
    resp = _post(srv, "/api/v1/namespaces/default/configmaps", body.encode())
    assert resp.status_code == 422
    assert resp.json()["message"] == (
        f'ConfigMap "c" is invalid: metadata.labels: Invalid value: "{key}": name part must be no more than 63 characters')


def test_real_helm_cannot_store_a_release_record_over_one_mib(srv, tmp_path):
    chart = big_chart(tmp_path, payload=1_100_000)
    env = env_for(tmp_path / "home", srv.kubeconfig_path)
    out = helm(env, "install", "big", str(chart), "-n", "default")
    assert out.returncode != 0
    assert (f'create: failed to create: Secret "sh.helm.release.v1.big.v1" is invalid: data: {TOO_LONG}'
            in out.stderr)
    assert srv.store.objects("Secret", "default") == []
    # ...and the same chart with a small payload installs
    small = big_chart(tmp_path / "s", payload=1000)
    assert helm(env, "install", "small", str(small), "-n", "default").returncode == 0


def test_real_helm_configmap_driver_hits_the_same_limit(srv, tmp_path):
    chart = big_chart(tmp_path, payload=1_100_000)
    env = env_for(tmp_path / "home", srv.kubeconfig_path, HELM_DRIVER="configmap")
    out = helm(env, "install", "big", str(chart), "-n", "default")
    assert out.returncode != 0
    assert f'ConfigMap "sh.helm.release.v1.big.v1" is invalid: []: {TOO_LONG}' in out.stderr
