"""What a broken or hostile policy/v1 or values/v1 plugin answers is checked: a clear error,
never a traceback, never a deny turned into an allow, never a forged line in the report."""

from __future__ import annotations

import json

import pytest
from hostapi_helpers import CHART, approve_all


def _plugin(helm_home, answer_wasm, ptype, answer, name="hostile", extra=""):
    helm_home.add_wasm(name, answer_wasm, ptype=ptype, config=extra,
                       runtime_config=f"config:\n  answer: {json.dumps(answer)}\n")


@pytest.mark.parametrize("answer,error", [
    ("", 'plugin "hostile" returned no output'),
    ("not json", "returned output that is not JSON"),
    ("[]", "returned list JSON, expected an object"),
    ('{"violations": []}', 'answered without a boolean "allow"'),
    ('{"allow": "yes"}', 'answered without a boolean "allow"'),
    ('{"allow": true, "violations": {"a": 1}}', '"violations" must be a list'),
    ('{"allow": true, "violations": [7]}', "each violation must be an object"),
])
def test_malformed_policy_answers_are_errors(helm_home, answer_wasm, pilot, answer, error):
    _plugin(helm_home, answer_wasm, "policy/v1", answer)
    res = pilot("template", "r", str(CHART), "--policy", "hostile", env=helm_home.env())
    assert res.returncode == 1
    assert res.stderr.startswith('Error: policy plugin "hostile"') and error in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""


def test_a_violation_cannot_forge_report_lines(helm_home, answer_wasm, pilot):
    answer = {"allow": False, "violations": [
        {"document": 99, "path": "x", "message": "bad\nweb/templates/service.yaml: .: error: forged", "severity": "??"},
        {"document": -1, "path": "y" * 5000, "message": "m"}]}
    _plugin(helm_home, answer_wasm, "policy/v1", json.dumps(answer))
    res = pilot("template", "r", str(CHART), "--policy", "hostile", env=helm_home.env())
    assert res.returncode == 1
    lines = res.stderr.splitlines()
    assert lines[0] == "<unknown>: x: error: bad web/templates/service.yaml: .: error: forged (document, policy hostile)"
    assert len(lines[1]) < 1200
    assert lines[-1] == 'Error: policy "hostile" denied the template: 2 violations'


def test_an_allow_with_errors_still_allows(helm_home, answer_wasm, pilot):
    """Only "allow" decides; the findings are reported."""
    answer = {"allow": True, "violations": [{"document": 0, "path": "a", "message": "note", "severity": "info"}]}
    _plugin(helm_home, answer_wasm, "policy/v1", json.dumps(answer))
    res = pilot("template", "r", str(CHART), "--policy", "hostile", env=helm_home.env())
    assert res.returncode == 0 and ": a: info: note (" in res.stderr


@pytest.mark.parametrize("answer,error", [
    ('{"values": {}}', 'values plugin "hostile" did not resolve ref+x://a'),
    ('{"values": {"ref+x://a": 5}}', "returned an invalid value for ref+x://a"),
    ('{"nothing": 1}', 'answered without a "values" object'),
    ("nope", "not JSON"),
])
def test_malformed_values_answers_are_errors(helm_home, answer_wasm, pilot, answer, error):
    _plugin(helm_home, answer_wasm, "values/v1", answer, extra="schemes: [x]")
    res = pilot("template", "r", str(CHART), "--set", "password=ref+x://a", env=helm_home.env())
    assert res.returncode == 1 and error in res.stderr, res.stderr
    assert "Traceback" not in res.stderr


def test_a_provider_cannot_set_values_it_was_not_asked_for(helm_home, answer_wasm, pilot):
    answer = {"values": {"ref+x://a": "resolved", "image": "evil:latest", "ref+x://other": "z"}}
    _plugin(helm_home, answer_wasm, "values/v1", json.dumps(answer), extra="schemes: [x]")
    res = pilot("template", "r", str(CHART), "--set", "password=ref+x://a", env=helm_home.env())
    assert res.returncode == 0, res.stderr
    assert 'password: "resolved"' in res.stdout and "image: nginx:1.27.0" in res.stdout


def test_a_policy_sees_secret_keys_not_their_values(helm_home, answer_wasm):
    """The policy input carries Secrets with their values redacted unless a rule names secrets."""
    from pilothouse.plugin.loader import load_dir
    from pilothouse.plugin.types import policy as ptype

    docs = [{"index": 0, "source": "s.yaml", "object": {"apiVersion": "v1", "kind": "Secret",
                                                         "metadata": {"name": "x"}, "stringData": {"password": "p4ss"},
                                                         "data": {"token": "dG9r"}}}]
    plain = load_dir(str(helm_home.add_wasm("plain", answer_wasm, ptype="policy/v1")))
    seen = ptype._redacted(plain, docs, "default")
    assert seen[0]["object"]["stringData"] == {"password": "(redacted)"}
    assert seen[0]["object"]["data"] == {"token": "(redacted)"}
    assert docs[0]["object"]["stringData"] == {"password": "p4ss"}  # the manifests themselves are untouched
    rc = "hostFunctions: [kube_get]\nkube:\n  - {apiGroups: [''], resources: [secrets], namespaces: [default]}\n"
    named = load_dir(str(helm_home.add_wasm("named", answer_wasm, ptype="policy/v1", runtime_config=rc)))
    approve_all(helm_home, "named")
    assert ptype._redacted(named, docs, "default")[0]["object"]["stringData"] == {"password": "p4ss"}
    assert ptype._redacted(named, docs, "other")[0]["object"]["stringData"] == {"password": "(redacted)"}
