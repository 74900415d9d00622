"""`values/v1` end to end: the vault provider (Go) resolves ref+vault:// values at render time
from a local Vault-style server, with only the host and credential it was granted; the release
keeps the references."""

from __future__ import annotations

import base64
import json
import shutil

import pytest
from hostapi_helpers import CHART, EXAMPLES, tool

REF = "ref+vault://secret/data/app#password"


@pytest.fixture
def provider(helm_home, vault_wasm, vault, kenv, pilot, monkeypatch):
    d = helm_home.plugins / "vault"
    d.mkdir()
    shutil.copyfile(EXAMPLES / "values-vault-go" / "plugin.yaml", d / "plugin.yaml")
    shutil.copyfile(vault_wasm, d / "plugin.wasm")
    assert pilot("plugin", "approve", "vault", env=kenv).returncode == 0
    monkeypatch.setenv("VAULT_TOKEN", vault.token)
    kenv["VAULT_TOKEN"] = vault.token
    res = pilot("plugin", "configure", "vault", "--secret", "token=env:VAULT_TOKEN", "--config",
                f"address={vault.url}", env=kenv)
    assert res.returncode == 0, res.stderr
    from pilothouse.plugin import policy

    doc = policy.load_user_config()
    doc["plugins"]["vault"]["narrow"] = {"allowedHosts": ["127.0.0.1"]}
    policy.save_user_config(doc)
    return d


def _secret_value(text: str) -> str:
    for line in text.splitlines():
        if line.strip().startswith("password:"):
            return json.loads(line.split(":", 1)[1].strip())
    raise AssertionError(text)


def test_template_resolves_references(provider, pilot, kenv, vault):
    res = pilot("template", "r", str(CHART), "--set", f"password={REF}", env=kenv)
    assert res.returncode == 0, res.stderr
    assert _secret_value(res.stdout) == "pa55word"
    assert vault.seen == [("/v1/secret/data/app", "s.hunter2")]


def test_release_keeps_references_and_get_values_resolves_on_request(provider, pilot, kenv, vault):
    res = pilot("install", "r", str(CHART), "--set", f"password={REF}", env=kenv)
    assert res.returncode == 0, res.stderr
    assert json.loads(pilot("get", "values", "r", "-o", "json", env=kenv).stdout) == {"password": REF}
    assert json.loads(pilot("get", "values", "r", "-o", "json", "--resolve", env=kenv).stdout) == \
        {"password": "pa55word"}
    # what the cluster got: the resolved value, in the Secret the chart renders
    kubectl = tool("kubectl", "get", "secret", "r-auth", "-o", "json", env=kenv)
    assert kubectl.returncode == 0, kubectl.stderr
    assert base64.b64decode(json.loads(kubectl.stdout)["data"]["password"]).decode() == "pa55word"
    # Helm reads the same release record and sees the references
    helm = tool("helm", "get", "values", "r", "-o", "json", env=kenv)
    assert helm.returncode == 0, helm.stderr
    assert json.loads(helm.stdout) == {"password": REF}


def test_reuse_values_resolves_the_references_again(provider, pilot, kenv, vault):
    assert pilot("install", "r", str(CHART), "--set", f"password={REF}", env=kenv).returncode == 0
    vault.secrets["secret/app"]["password"] = "rotated"
    res = pilot("upgrade", "r", str(CHART), "--reuse-values", env=kenv)
    assert res.returncode == 0, res.stderr
    assert "rotated" in pilot("get", "manifest", "r", env=kenv).stdout
    assert json.loads(pilot("get", "values", "r", "-o", "json", env=kenv).stdout) == {"password": REF}


def test_a_host_not_granted_is_refused(provider, pilot, kenv, vault):
    port = vault.url.rsplit(":", 1)[1]
    assert pilot("plugin", "configure", "vault", "--config", f"address=http://localhost:{port}",
                 env=kenv).returncode == 0
    res = pilot("template", "r", str(CHART), "--set", f"password={REF}", env=kenv)
    assert res.returncode == 1
    assert "values plugin \"vault\" failed to resolve vault references" in res.stderr
    assert f"HTTP request to 'http://localhost:{port}/v1/secret/data/app' is not allowed" in res.stderr
    assert "Traceback" not in res.stderr
    assert vault.seen == []


def test_missing_credential_and_unknown_key_are_clear_errors(provider, pilot, kenv, vault):
    res = pilot("template", "r", str(CHART), "--set", "password=ref+vault://secret/data/app#nokey", env=kenv)
    assert res.returncode == 1 and 'secret/data/app has no key "nokey"' in res.stderr, res.stderr
    assert pilot("plugin", "configure", "vault", "--unset-secret", "token", env=kenv).returncode == 0
    res = pilot("template", "r", str(CHART), "--set", f"password={REF}", env=kenv)
    assert res.returncode == 1 and "no Vault token" in res.stderr and "pilot plugin configure vault" in res.stderr


def test_a_scheme_without_provider_renders_literally_as_in_helm(helm_home, pilot):
    res = pilot("template", "r", str(CHART), "--set", "password=ref+sops://x#y", env=helm_home.env())
    assert res.returncode == 0 and _secret_value(res.stdout) == "ref+sops://x#y"


def test_helm_reuse_values_renders_the_references_literally(provider, pilot, kenv, vault):
    """What docs/plugins.md says of Helm: it reuses the stored references but cannot resolve them."""
    assert pilot("install", "r", str(CHART), "--set", f"password={REF}", env=kenv).returncode == 0
    up = tool("helm", "upgrade", "r", str(CHART), "--reuse-values", env=kenv)
    assert up.returncode == 0, up.stderr
    manifest = tool("helm", "get", "manifest", "r", env=kenv).stdout
    assert _secret_value(manifest) == REF
    # and pilot, upgrading again with --reuse-values, resolves them once more
    assert pilot("upgrade", "r", str(CHART), "--reuse-values", env=kenv).returncode == 0
    assert _secret_value(pilot("get", "manifest", "r", env=kenv).stdout) == "pa55word"
