"""`pilot plugin install|list|uninstall|update|package|verify|inspect`, as a user runs them."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from pathlib import Path

import pytest

CLI_YAML = """\
apiVersion: v1
name: {name}
type: cli/v1
runtime: subprocess
version: {version}
sourceURL: https://example.com/{name}
config:
  usage: "{name}"
runtimeConfig:
  platformCommand:
    - command: "${{HELM_PLUGIN_DIR}}/run.sh"
  platformHooks:
    install:
      - command: "sh"
        args: ["-c", "echo installed-hook $HELM_PLUGIN_NAME"]
"""


def _src(tmp_path: Path, name="hello", version="0.1.0") -> Path:
    d = tmp_path / "src" / name
    d.mkdir(parents=True)
    (d / "plugin.yaml").write_text(CLI_YAML.format(name=name, version=version))
    (d / "run.sh").write_text("#!/bin/sh\necho hello from $HELM_PLUGIN_NAME $*\n")
    (d / "run.sh").chmod(0o755)
    return d


def test_install_from_a_directory_is_a_development_link(tmp_path, helm_home, pilot):
    src = _src(tmp_path)
    res = pilot("plugin", "install", str(src))
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["Installing plugin from local directory (development mode)",
                                       "installed-hook hello", "Installed plugin: hello"]
    assert (helm_home.plugins / "hello").is_symlink()
    lst = pilot("plugin", "list")
    lines = lst.stdout.splitlines()
    assert lines[0].split() == ["NAME", "VERSION", "TYPE", "APIVERSION", "PROVENANCE", "SOURCE"]
    assert lines[1].split() == ["hello", "0.1.0", "cli/v1", "v1", "local", "dev", "https://example.com/hello"]
    assert "\t" in lines[1]
    assert pilot("hello", "x").stdout == "hello from hello x\n"
    again = pilot("plugin", "install", str(src))
    assert again.returncode == 1 and "plugin already exists" in again.stderr


def test_package_then_install_the_archive(tmp_path, helm_home, pilot):
    src = _src(tmp_path, version="1.2.3")
    res = pilot("plugin", "package", "--sign=false", str(src), "-d", str(tmp_path))
    assert res.returncode == 0, res.stderr
    archive = tmp_path / "hello-1.2.3.tgz"
    # helm warns first that the archive is not signed (pkg/cmd/plugin_package.go)
    assert res.stdout == ("WARNING: Skipping plugin signing. This is not recommended for plugins intended for "
                          f"distribution.\nSuccessfully packaged plugin and saved it to: {archive}\n")
    with tarfile.open(archive) as tf:
        assert sorted(tf.getnames()) == ["hello/plugin.yaml", "hello/run.sh"]
    res = pilot("plugin", "install", str(archive))
    assert res.returncode == 1
    assert "plugin verification failed: no provenance file (.prov) found" in res.stderr
    res = pilot("plugin", "install", "--verify=false", str(archive))
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0] == "WARNING: Skipping plugin signature verification"
    assert (helm_home.plugins / "hello" / "run.sh").exists()
    assert (helm_home.plugins / "hello-1.2.3.tgz").exists()
    assert "unsigned" in pilot("plugin", "list").stdout
    res = pilot("plugin", "uninstall", "hello")
    assert res.stdout.strip() == "Uninstalled plugin: hello"
    assert not (helm_home.plugins / "hello").exists() and not (helm_home.plugins / "hello-1.2.3.tgz").exists()
    res = pilot("plugin", "uninstall", "hello")
    assert res.returncode == 1 and "plugin: hello not found" in res.stderr


@pytest.fixture(scope="module")
def gpg_keys(tmp_path_factory):
    from gpgkeys import make_signing_key

    key = make_signing_key(tmp_path_factory.mktemp("gnupg"), "Plugin Signer <signer@example.com>")
    return key.public, key.secret, key.fingerprint


def test_signed_round_trip_and_tampering(tmp_path, helm_home, pilot, gpg_keys):
    pub, sec, fingerprint = gpg_keys
    src = _src(tmp_path, version="2.0.0")
    res = pilot("plugin", "package", str(src), "-d", str(tmp_path), "--key", "signer@example.com",
                "--keyring", str(sec))
    assert res.returncode == 0, res.stderr
    archive = tmp_path / "hello-2.0.0.tgz"
    prov = Path(str(archive) + ".prov")
    text = prov.read_text()
    assert text.startswith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n")
    assert "\n...\nfiles:\n  hello-2.0.0.tgz: sha256:" in text
    res = pilot("plugin", "verify", str(archive), "--keyring", str(pub))
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "Signed by: Plugin Signer <signer@example.com>"
    assert lines[1] == f"Using Key With Fingerprint: {fingerprint}"
    assert lines[2].startswith("Plugin Hash Verified: sha256:")
    res = pilot("plugin", "install", str(archive), "--keyring", str(pub))
    assert res.returncode == 0, res.stderr
    assert "Verifying plugin signature..." in res.stdout
    assert "signed" in pilot("plugin", "list").stdout.split("\n")[1]
    # one byte changed: the hash no longer matches
    data = bytearray(archive.read_bytes())
    data[-5] ^= 0xFF
    archive.write_bytes(bytes(data))
    res = pilot("plugin", "verify", str(archive), "--keyring", str(pub))
    assert res.returncode == 1 and "sha256 sum does not match" in res.stderr
    (helm_home.plugins / "hello-2.0.0.tgz").write_bytes(bytes(data))
    assert "mismatched provenance" in pilot("plugin", "list").stdout
    # a keyring without the signer's key
    other = tmp_path / "empty.gpg"
    other.write_bytes(b"")
    res = pilot("plugin", "verify", str(tmp_path / "x.tgz"), "--keyring", str(other))
    assert res.returncode == 1


def test_verify_refuses_directories(tmp_path, helm_home, pilot):
    res = pilot("plugin", "verify", str(_src(tmp_path)))
    assert "directory verification not supported - only plugin tarballs can be verified" in res.stderr


def _tgz(entries: list[tarfile.TarInfo], data: bytes = b"x") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for info in entries:
            tf.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return buf.getvalue()


@pytest.mark.parametrize("bad", ["../evil/plugin.yaml", "/abs/plugin.yaml", "a:b/plugin.yaml", "symlink"])
def test_hostile_archives_are_rejected(tmp_path, helm_home, pilot, bad):
    if bad == "symlink":
        info = tarfile.TarInfo("evil/link")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
    else:
        info = tarfile.TarInfo(bad)
        info.size = 1
    archive = tmp_path / "evil-1.0.0.tgz"
    archive.write_bytes(_tgz([info]))
    res = pilot("plugin", "install", "--verify=false", str(archive))
    assert res.returncode == 1
    assert "illegal file path" in res.stderr or "unknown type" in res.stderr
    assert not (tmp_path / "evil").exists() and not Path("/abs").exists()


def test_git_install_with_version_constraint_and_update(tmp_path, helm_home, pilot):
    repo = _src(tmp_path, name="gitplug", version="1.0.0")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q"], cwd=repo, check=True)
    subprocess.run(git + ["add", "."], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-qm", "v1"], cwd=repo, check=True)
    subprocess.run(git + ["tag", "v1.0.0"], cwd=repo, check=True)
    (repo / "plugin.yaml").write_text(CLI_YAML.format(name="gitplug", version="1.1.0"))
    subprocess.run(git + ["commit", "-qam", "v1.1"], cwd=repo, check=True)
    subprocess.run(git + ["tag", "v1.1.0"], cwd=repo, check=True)
    (repo / "plugin.yaml").write_text(CLI_YAML.format(name="gitplug", version="2.0.0"))
    subprocess.run(git + ["commit", "-qam", "v2"], cwd=repo, check=True)
    subprocess.run(git + ["tag", "v2.0.0"], cwd=repo, check=True)
    url = f"file://{repo}"
    res = pilot("plugin", "install", url)
    assert res.returncode == 1
    assert "plugin source does not support verification. Use --verify=false to skip verification" in res.stderr
    res = pilot("plugin", "install", url, "--verify=false", "--version", ">=1.0.0, <2.0.0")
    assert res.returncode == 0, res.stderr
    assert "gitplug\t1.1.0" in pilot("plugin", "list").stdout.replace(" ", "")
    res = pilot("plugin", "update", "gitplug")
    assert res.returncode == 1  # a detached tag cannot be pulled
    src2 = _src(tmp_path / "other", name="local2")
    pilot("plugin", "install", str(src2))
    res = pilot("plugin", "update", "local2")
    assert res.returncode == 1 and "cannot get information about plugin source" in res.stderr


def test_wasm_install_shows_capabilities_and_asks(tmp_path, helm_home, pilot, c_getter_wasm):
    src = tmp_path / "demo-getter"
    src.mkdir()
    example = Path(__file__).resolve().parents[2] / "examples" / "plugins" / "demo-getter" / "plugin.yaml"
    (src / "plugin.yaml").write_text(example.read_text())
    (src / "plugin.wasm").write_bytes(c_getter_wasm.read_bytes())
    (src / "charts").mkdir()
    res = pilot("plugin", "install", str(src))
    assert res.returncode == 1
    assert "Plugin \"demo-getter\" runs in the Wasm sandbox and requests:" in res.stdout
    # a development install links the directory: the grant shows where the files really are
    assert f"file: {os.path.realpath(src)}/charts -> /charts (read-only)" in res.stdout
    assert "pass --yes to accept" in res.stderr
    assert not (helm_home.plugins / "demo-getter").exists()
    res = pilot("plugin", "install", str(src), "--yes")
    assert res.returncode == 0, res.stderr
    inspect = pilot("plugin", "inspect", "demo-getter").stdout
    assert "Approval:    approved" in inspect
    assert "Granted:" in inspect and "/charts (read-only)" in inspect.split("Granted:")[1]
    # precompiled at install: the compiled module is in the cache
    assert list(Path(os.environ["PILOTHOUSE_WASM_CACHE"]).glob("*.cwasm"))


def test_install_from_an_http_url_with_its_signature(tmp_path, helm_home, pilot, gpg_keys):
    import functools
    import threading
    from http.server import HTTPServer, SimpleHTTPRequestHandler

    pub, sec, _ = gpg_keys
    src = _src(tmp_path, name="webplug", version="3.1.4")
    served = tmp_path / "www"
    res = pilot("plugin", "package", str(src), "-d", str(served), "--key", "signer@example.com", "--keyring", str(sec))
    assert res.returncode == 0, res.stderr

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    srv = HTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(served)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}/webplug-3.1.4.tgz"
        res = pilot("plugin", "install", url, "--keyring", str(pub))
        assert res.returncode == 0, res.stderr
        assert res.stdout.splitlines()[-1] == "Installed plugin: webplug"
        assert "Plugin Hash Verified: sha256:" in res.stdout
        assert pilot("webplug", "hi").stdout == "hello from webplug hi\n"
        assert "signed" in pilot("plugin", "list").stdout
    finally:
        srv.shutdown()


def test_update_pulls_a_git_install(tmp_path, helm_home, pilot):
    repo = _src(tmp_path, name="upd", version="1.0.0")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q"], cwd=repo, check=True)
    subprocess.run(git + ["add", "."], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-qm", "v1"], cwd=repo, check=True)
    assert pilot("plugin", "install", f"file://{repo}", "--verify=false").returncode == 0
    (repo / "plugin.yaml").write_text(CLI_YAML.format(name="upd", version="1.0.1"))
    subprocess.run(git + ["commit", "-qam", "v1.0.1"], cwd=repo, check=True)
    res = pilot("plugin", "update", "upd")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "Updated plugin: upd"
    assert "1.0.1" in pilot("plugin", "list").stdout
