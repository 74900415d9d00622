"""`pilot plugin install oci://…`: plugins pushed to a real docker-registry in Helm 4.2's plugin
artifact layout (artifactType application/vnd.helm.plugin.v1+json, titled tar layers)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PLUGIN_YAML = """\
apiVersion: v1
name: {name}
type: cli/v1
runtime: subprocess
version: {version}
config:
  usage: "{name}"
runtimeConfig:
  platformCommand:
    - command: "${{HELM_PLUGIN_DIR}}/run.sh"
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``host:port`` of an anonymous docker-registry on 127.0.0.1."""
    import httpx

    binary = shutil.which("docker-registry")
    assert binary, "docker-registry is not installed (see scripts/debian-packages.txt)"
    root = tmp_path_factory.mktemp("plugin-registry")
    port = _free_port()
    (root / "config.yml").write_text(
        "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {root / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n")
    proc = subprocess.Popen([binary, "serve", str(root / "config.yml")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    host = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            if httpx.get(f"http://{host}/v2/", timeout=1.0).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "registry did not come up"
        time.sleep(0.05)
    yield host
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def gpg_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from gpgkeys import make_signing_key

    key = make_signing_key(tmp_path_factory.mktemp("gnupg"), "OCI Signer <oci@example.com>")
    return key.public, key.secret


def _package(tmp_path: Path, pilot, name: str = "ocihello", version: str = "0.3.0",
             sign_with: Path | None = None) -> Path:
    src = tmp_path / "src" / name
    src.mkdir(parents=True)
    (src / "plugin.yaml").write_text(PLUGIN_YAML.format(name=name, version=version))
    (src / "run.sh").write_text("#!/bin/sh\necho oci plugin $HELM_PLUGIN_NAME says $*\n")
    (src / "run.sh").chmod(0o755)
    sign = ["--key", "oci@example.com", "--keyring", str(sign_with)] if sign_with else ["--sign=false"]
    res = pilot("plugin", "package", str(src), "-d", str(tmp_path), *sign)
    assert res.returncode == 0, res.stderr
    return tmp_path / f"{name}-{version}.tgz"


def _push(host: str, archive: Path, ref: str, *, with_prov: bool = False) -> str:
    from pilothouse.plugin import oci
    from pilothouse.registry.client import RegistryClient

    prov = Path(str(archive) + ".prov").read_bytes() if with_prov else None
    client = RegistryClient(plain_http=True)
    try:
        return oci.push(client, archive.read_bytes(), f"oci://{host}/{ref}", prov=prov)
    finally:
        client.close()


def test_pushed_artifact_has_helms_plugin_layout(tmp_path, helm_home, pilot, registry):
    import httpx

    archive = _package(tmp_path, pilot)
    digest = _push(registry, archive, "plugins/ocihello:0.3.0")
    resp = httpx.get(f"http://{registry}/v2/plugins/ocihello/manifests/0.3.0",
                     headers={"Accept": "application/vnd.oci.image.manifest.v1+json"})
    manifest = json.loads(resp.content)
    assert resp.headers["docker-content-digest"] == digest
    assert manifest["artifactType"] == "application/vnd.helm.plugin.v1+json"
    assert manifest["config"]["mediaType"] == "application/vnd.oci.empty.v1+json"
    assert [(layer["mediaType"], layer["annotations"]) for layer in manifest["layers"]] == [
        ("application/vnd.oci.image.layer.v1.tar", {"org.opencontainers.image.title": "ocihello-0.3.0.tgz"})]


def test_install_unsigned_from_oci_then_run(tmp_path, helm_home, pilot, registry):
    archive = _package(tmp_path, pilot, name="ocirun")
    _push(registry, archive, "team/ocirun:0.3.0")
    ref = f"oci://{registry}/team/ocirun:0.3.0"
    res = pilot("plugin", "install", ref, "--plain-http")
    assert res.returncode == 1
    assert "plugin verification failed: no provenance file (.prov) found" in res.stderr
    assert not (helm_home.plugins / "ocirun").exists()
    res = pilot("plugin", "install", ref, "--plain-http", "--verify=false")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "WARNING: Skipping plugin signature verification"
    assert lines[1] == f"Pulled plugin: {registry}/team/ocirun:0.3.0"
    assert lines[2].startswith("Digest: sha256:")
    assert lines[-1] == "Installed plugin: ocirun"
    assert (helm_home.plugins / "ocirun" / "run.sh").exists()
    assert (helm_home.plugins / "ocirun-0.3.0.tgz").read_bytes() == archive.read_bytes()
    assert pilot("ocirun", "hi").stdout == "oci plugin ocirun says hi\n"
    assert "unsigned" in pilot("plugin", "list").stdout


def test_install_signed_from_oci_verifies_the_signature(tmp_path, helm_home, pilot, registry, gpg_keys):
    pub, sec = gpg_keys
    archive = _package(tmp_path, pilot, name="ocisigned", version="1.0.0", sign_with=sec)
    _push(registry, archive, "plugins/ocisigned:1.0.0", with_prov=True)
    res = pilot("plugin", "install", f"oci://{registry}/plugins/ocisigned:1.0.0", "--plain-http",
                "--keyring", str(pub))
    assert res.returncode == 0, res.stderr
    assert "Provenance: ocisigned-1.0.0.tgz.prov" in res.stdout
    assert "Verifying plugin signature..." in res.stdout
    assert "Signed by: OCI Signer <oci@example.com>" in res.stdout
    assert (helm_home.plugins / "ocisigned-1.0.0.tgz.prov").exists()
    assert "signed" in pilot("plugin", "list").stdout.splitlines()[1].split()
    assert pilot("ocisigned", "x").stdout == "oci plugin ocisigned says x\n"


def test_oci_errors(tmp_path, helm_home, pilot, registry):
    # a chart artifact is not a plugin
    from pilothouse.registry.client import RegistryClient

    chart = tmp_path / "chart"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: notaplugin\nversion: 0.1.0\n")
    res = pilot("package", str(chart), "-d", str(tmp_path))
    assert res.returncode == 0, res.stderr
    client = RegistryClient(plain_http=True)
    client.push((tmp_path / "notaplugin-0.1.0.tgz").read_bytes(), f"oci://{registry}/charts/notaplugin:0.1.0")
    client.close()
    res = pilot("plugin", "install", f"oci://{registry}/charts/notaplugin:0.1.0", "--plain-http", "--verify=false")
    assert res.returncode == 1
    assert ("expected config media type application/vnd.helm.plugin.v1+json for legacy compatibility, "
            "got application/vnd.cncf.helm.config.v1+json") in res.stderr
    # the repository's last element must be the layer's plugin name
    archive = _package(tmp_path, pilot, name="realname")
    _push(registry, archive, "plugins/othername:0.3.0")
    res = pilot("plugin", "install", f"oci://{registry}/plugins/othername:0.3.0", "--plain-http", "--verify=false")
    assert res.returncode == 1
    assert "required layer matching pattern othername-VERSION.tgz not found in manifest" in res.stderr
    res = pilot("plugin", "install", f"oci://{registry}/plugins/missing:1.0.0", "--plain-http", "--verify=false")
    assert res.returncode == 1 and "failed to pull plugin from" in res.stderr
