"""OCI: charts pushed by Pilothouse are pulled by Helm and the other way round, against a real registry."""

from __future__ import annotations

import json
from pathlib import Path

import helm_python as helm
import httpx
import pytest
from repotools import make_chart, pilot


def _package(tmp_path: Path, name: str, version: str) -> Path:
    pilot("package", str(make_chart(tmp_path / f"src-{name}-{version}", name, version)), "-d", str(tmp_path))
    return tmp_path / f"{name}-{version}.tgz"


def test_pilot_push_helm_pull_renders_identically(tmp_path: Path, registry: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    tgz = _package(tmp_path, "roundone", "0.3.0")
    capsys.readouterr()
    assert pilot("push", str(tgz), f"oci://{registry}/charts", "--plain-http") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Pushed: {registry}/charts/roundone:0.3.0\nDigest: sha256:")
    dest = tmp_path / "helm-pulled"
    dest.mkdir()
    client = helm.RegistryClient(plain_http=True)
    assert client.tags(f"oci://{registry}/charts/roundone") == ["0.3.0"]
    helm.pull(f"oci://{registry}/charts/roundone", client=client, version="0.3.0", destination=str(dest),
              plain_http=True)
    pulled = dest / "roundone-0.3.0.tgz"
    assert pulled.read_bytes() == tgz.read_bytes()
    assert helm.Chart.load(str(pulled)).render() == helm.Chart.load(str(tmp_path / "src-roundone-0.3.0" /
                                                                          "roundone")).render()


def test_manifest_has_helms_media_types_and_annotations(tmp_path: Path, registry: str) -> None:
    tgz = _package(tmp_path, "annotated", "1.0.0")
    pilot("push", str(tgz), f"oci://{registry}/charts", "--plain-http")
    manifest = httpx.get(f"http://{registry}/v2/charts/annotated/manifests/1.0.0",
                         headers={"Accept": "application/vnd.oci.image.manifest.v1+json"}).json()
    assert manifest["schemaVersion"] == 2
    assert manifest["config"]["mediaType"] == "application/vnd.cncf.helm.config.v1+json"
    assert [layer["mediaType"] for layer in manifest["layers"]] == ["application/vnd.cncf.helm.chart.content.v1.tar+gzip"]
    ann = manifest["annotations"]
    assert ann["org.opencontainers.image.title"] == "annotated"
    assert ann["org.opencontainers.image.version"] == "1.0.0"
    assert ann["org.opencontainers.image.description"] == "The annotated chart"
    config = httpx.get(f"http://{registry}/v2/charts/annotated/blobs/{manifest['config']['digest']}").content
    assert json.loads(config) == {"name": "annotated", "version": "1.0.0", "description": "The annotated chart",
                                  "keywords": ["testing", "annotated"], "apiVersion": "v2", "appVersion": "1.0"}


def test_helm_push_pilot_pull_untar_and_template(tmp_path: Path, registry: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    chart = make_chart(tmp_path / "src", "fromhelm", "2.0.0")
    tgz = helm.package(str(chart), destination=str(tmp_path))
    helm.push(tgz, f"oci://{registry}/helm", client=helm.RegistryClient(plain_http=True), plain_http=True)
    dest = tmp_path / "out"
    assert pilot("pull", f"oci://{registry}/helm/fromhelm", "--version", "2.0.0", "--plain-http", "--untar",
                 "-d", str(dest)) == 0
    assert (dest / "fromhelm" / "templates" / "cm.yaml").exists()
    capsys.readouterr()
    assert pilot("template", "rel", f"oci://{registry}/helm/fromhelm", "--version", "2.0.0", "--plain-http") == 0
    ours = capsys.readouterr().out
    assert "name: rel-fromhelm" in ours
    helm_text = helm.Chart.load(tgz).render(name="rel")["fromhelm/templates/cm.yaml"]
    # Helm 4.2's registry client reports the pull on stdout, before the manifests
    pulled, digest, rest = ours.split("\n", 2)
    assert pulled == f"Pulled: {registry}/helm/fromhelm:2.0.0" and digest.startswith("Digest: sha256:")
    assert rest == "---\n# Source: fromhelm/templates/cm.yaml\n" + helm_text


def test_version_constraints_and_digests(tmp_path: Path, registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    for v in ("1.0.0", "1.2.0", "2.0.0", "1.3.0-rc.1"):
        pilot("push", str(_package(tmp_path, "multi", v)), f"oci://{registry}/c", "--plain-http")
    capsys.readouterr()
    dest = tmp_path / "d"
    dest.mkdir()  # as Helm, pull writes into an existing directory
    assert pilot("pull", f"oci://{registry}/c/multi", "--version", "^1", "--plain-http", "-d", str(dest)) == 0
    assert (dest / "multi-1.2.0.tgz").exists()
    assert pilot("pull", f"oci://{registry}/c/multi", "--plain-http", "-d", str(dest)) == 0
    assert (dest / "multi-2.0.0.tgz").exists()
    out = capsys.readouterr().out
    digest = out.split("Digest: ")[-1].strip()
    (tmp_path / "e").mkdir()
    assert pilot("pull", f"oci://{registry}/c/multi@{digest}", "--plain-http", "-d", str(tmp_path / "e")) == 0
    assert (tmp_path / "e" / "multi-2.0.0.tgz").read_bytes() == (dest / "multi-2.0.0.tgz").read_bytes()
    assert pilot("pull", f"oci://{registry}/c/multi", "--version", "~9", "--plain-http", "-d", str(dest)) != 0
    assert "could not locate a version matching provided version string ~9" in capsys.readouterr().err


def test_plus_in_version_becomes_underscore_tag(tmp_path: Path, registry: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    tgz = _package(tmp_path, "plus", "1.0.0+build.7")
    assert pilot("push", str(tgz), f"oci://{registry}/p", "--plain-http") == 0
    assert "plus:1.0.0_build.7 contains an underscore." in capsys.readouterr().out
    assert helm.RegistryClient(plain_http=True).tags(f"oci://{registry}/p/plus") == ["1.0.0+build.7"]
    (tmp_path / "x").mkdir()
    assert pilot("pull", f"oci://{registry}/p/plus", "--version", "1.0.0+build.7", "--plain-http",
                 "-d", str(tmp_path / "x")) == 0
    assert (tmp_path / "x" / "plus-1.0.0+build.7.tgz").exists()


def test_signed_chart_travels_with_its_provenance(tmp_path: Path, registry: str, keys: dict[str, str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    pilot("package", str(make_chart(tmp_path / "src", "signedoci", "0.1.0")), "-d", str(tmp_path), "--sign",
          "--key", "signer@example.test", "--keyring", keys["secret"])
    assert pilot("push", str(tmp_path / "signedoci-0.1.0.tgz"), f"oci://{registry}/s", "--plain-http") == 0
    capsys.readouterr()
    dest = tmp_path / "v"
    dest.mkdir()
    assert pilot("pull", f"oci://{registry}/s/signedoci", "--version", "0.1.0", "--verify", "--keyring",
                 keys["public"], "--plain-http", "-d", str(dest)) == 0
    assert f"Signed by: {keys['plain_uid']}" in capsys.readouterr().out
    assert pilot("pull", f"oci://{registry}/s/signedoci", "--version", "0.1.0", "--verify", "--keyring",
                 keys["other_public"], "--plain-http", "-d", str(tmp_path / "w")) != 0


def test_login_logout_with_helms_credential_file(tmp_path: Path, auth_registry: tuple[str, str, str],
                                                 helm_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    host, user, password = auth_registry
    tgz = _package(tmp_path, "private", "0.1.0")
    assert pilot("push", str(tgz), f"oci://{host}/priv", "--plain-http") != 0
    assert "401" in capsys.readouterr().err
    assert pilot("registry", "login", host, "-u", user, "-p", "wrong", "--plain-http") != 0
    capsys.readouterr()
    assert pilot("registry", "login", host, "-u", user, "-p", password, "--plain-http") == 0
    assert capsys.readouterr().out == "Login Succeeded\n"
    cred_file = helm_env / "config" / "registry" / "config.json"
    assert host in json.loads(cred_file.read_text())["auths"]
    assert pilot("push", str(tgz), f"oci://{host}/priv", "--plain-http") == 0
    # Helm reads the login we stored
    helm_client = helm.RegistryClient(plain_http=True, credentials_file=str(cred_file))
    assert helm_client.tags(f"oci://{host}/priv/private") == ["0.1.0"]
    assert pilot("registry", "logout", host) == 0
    assert capsys.readouterr().out.endswith(f"Removing login credentials for {host}\n")
    assert pilot("pull", f"oci://{host}/priv/private", "--version", "0.1.0", "--plain-http",
                 "-d", str(tmp_path / "z")) != 0


def test_push_refuses_directories_and_non_oci(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert pilot("push", str(tmp_path), "oci://127.0.0.1:1/x") != 0
    assert "cannot push directory" in capsys.readouterr().err
    assert pilot("push", str(tmp_path / "missing.tgz"), "oci://127.0.0.1:1/x") != 0
    assert "no such file" in capsys.readouterr().err
