"""Servers and keys the repository tests share: one docker-registry (OCI) and one static HTTP
server per session, a throw-away GnuPG key pair, and an isolated Helm environment per test."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float = 10.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1.0).status_code in (200, 401):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


def _start_registry(root: Path, htpasswd: Path | None = None) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("docker-registry")
    if binary is None:
        raise RuntimeError("docker-registry is not installed (see scripts/debian-packages.txt)")
    port = _free_port()
    auth = ""
    if htpasswd is not None:
        auth = f"auth:\n  htpasswd:\n    realm: pilot-test\n    path: {htpasswd}\n"
    config = root / "config.yml"
    config.write_text(
        "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {root / 'data'}\n  delete:\n    enabled: true\n"
        f"http:\n  addr: 127.0.0.1:{port}\n{auth}"
    )
    proc = subprocess.Popen([binary, "serve", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    host = f"127.0.0.1:{port}"
    _wait_http(f"http://{host}/v2/")
    return proc, host


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``host:port`` of an anonymous docker-registry on 127.0.0.1."""
    proc, host = _start_registry(tmp_path_factory.mktemp("registry"))
    yield host
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def auth_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """(host, user, password) of a docker-registry requiring htpasswd (bcrypt) logins."""
    import bcrypt

    root = tmp_path_factory.mktemp("auth-registry")
    user, password = "pilot", "s3cret-pw"
    htpasswd = root / "htpasswd"
    htpasswd.write_text(f"{user}:{bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=5)).decode()}\n")
    proc, host = _start_registry(root, htpasswd)
    yield host, user, password
    proc.terminate()
    proc.wait(10)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="session")
def http_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL, served directory) of a static HTTP server; tests put their repositories in subfolders."""
    root = tmp_path_factory.mktemp("http-repo")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def helm_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every Helm directory inside the test's temp dir, so nothing touches the user's setup."""
    home = tmp_path / "helmhome"
    for var, sub in (("HELM_CONFIG_HOME", "config"), ("HELM_CACHE_HOME", "cache"), ("HELM_DATA_HOME", "data")):
        monkeypatch.setenv(var, str(home / sub))
    for var in ("HELM_REPOSITORY_CONFIG", "HELM_REPOSITORY_CACHE", "HELM_REGISTRY_CONFIG", "HELM_CONTENT_CACHE",
                "HELM_PLUGINS", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(home / "docker"))
    return home


def _gpg(home: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(["gpg", "--homedir", str(home), "--batch", "--pinentry-mode", "loopback", *args],
                          input=stdin, capture_output=True, check=True).stdout


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Keyrings of two fresh RSA keys: ``secret``/``public`` (no passphrase), ``pw_secret`` (passphrase
    ``hunter2``), ``other_public`` (a key that signed nothing), with their user ids."""
    root = tmp_path_factory.mktemp("gpg")
    home = root / "home"
    home.mkdir(mode=0o700)
    out: dict[str, str] = {}
    for uid, pw, tag in (("Pilot Signer <signer@example.test>", "", "plain"),
                         ("Locked Signer <locked@example.test>", "hunter2", "locked"),
                         ("Other Person <other@example.test>", "", "other")):
        _gpg(home, "--passphrase", pw, "--quick-gen-key", uid, "rsa2048", "sign", "never")
        (root / f"{tag}.secret").write_bytes(_gpg(home, "--passphrase", pw, "--export-secret-keys", uid))
        (root / f"{tag}.pub").write_bytes(_gpg(home, "--export", uid))
        out[f"{tag}_uid"] = uid
    out.update(secret=str(root / "plain.secret"), public=str(root / "plain.pub"),
               pw_secret=str(root / "locked.secret"), other_public=str(root / "other.pub"))
    yield out
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], check=False)
