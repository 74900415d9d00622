"""Each command accepts the flags `helm` has for it (names compared on the two `--help` outputs), and
the chart download's credential and TLS flags reach the HTTP repository."""

from __future__ import annotations

import base64
import http.server
import threading
from pathlib import Path

import pytest
from tests.cli.helmdiff_cli import HELM, PILOT, flag_lines, isolated_env, run

# flags only Pilothouse has (its own features), per command
PILOT_ONLY = {"--policy", "--policy-mode", "--fail-grace", "--logs", "--progress", "--sequence-annotations",
              "--plan", "--drift", "--resolve"}

# the oracle binary is Helm 4.1; Helm 4.2 marks these deprecated on template ("no effect for 'helm
# template'"), which hides them from its help as Pilothouse does
HIDDEN_IN_42 = {"template": {"--hide-notes", "--render-subchart-notes"}}
# (template's --hide-secret was compared with Helm 4.2: it has none, see test_flag_usage_vs_helm.py)
KNOWN_EXTRA: dict[str, set[str]] = {}

COMMANDS = ["install", "upgrade", "template", "dependency update", "dependency build", "list", "status",
            "rollback", "pull", "push", "show all", "lint", "package", "history", "search repo", "verify",
            "repo add", "registry login", "create"]


def local_flags(help_text: str) -> set[str]:
    """The long flag names of a help's "Flags:" section (global flags left out)."""
    return {f"--{name}" for name in flag_lines(help_text)}


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_helms_flags(command: str, tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    helm = run(HELM, [*command.split(), "--help"], env, tmp_path)
    pilot = run(PILOT, [*command.split(), "--help"], env, tmp_path)
    assert helm.rc == pilot.rc == 0, pilot.err
    want = local_flags(helm.out) - HIDDEN_IN_42.get(command, set())
    have = local_flags(pilot.out) - PILOT_ONLY - KNOWN_EXTRA.get(command, set())
    assert want, helm.out
    assert sorted(want - have) == [], "flags helm has and pilot lacks"
    assert sorted(have - want) == [], "flags pilot has and helm lacks"


@pytest.mark.parametrize("command,flag", [("list", "--all"), ("upgrade", "--generate-name"),
                                          ("install", "--kube-version")])
def test_flags_helm_4_dropped_are_unknown(command: str, flag: str, tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    helm = run(HELM, [command, flag], env, tmp_path)
    pilot = run(PILOT, [command, flag], env, tmp_path)
    assert helm.rc == pilot.rc == 1
    assert pilot.err == helm.err.replace("helm", "pilot") == f"Error: unknown flag: {flag}\n"


# --- credentials reach a repository that wants them --------------------------------------

USER, PASSWORD = "u", "p4ss"


class _AuthRepo(http.server.SimpleHTTPRequestHandler):
    """Serves a directory, only to requests with the right basic-auth header; logs what it saw."""

    seen: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server hook's name)
        auth = self.headers.get("Authorization", "")
        self.seen.append((self.path, auth))
        good = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if auth != good:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="charts"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


@pytest.fixture
def auth_repo(tmp_path: Path):
    env = isolated_env(tmp_path / "home")
    repo = tmp_path / "repo"
    repo.mkdir()
    assert run(PILOT, ["create", "mychart"], env, tmp_path).rc == 0
    assert run(PILOT, ["package", str(tmp_path / "mychart"), "-d", str(repo)], env, tmp_path).rc == 0

    handler = type("H", (_AuthRepo,), {"seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             lambda *a: handler(*a, directory=str(repo)))
    url = f"http://127.0.0.1:{server.server_address[1]}"
    assert run(PILOT, ["repo", "index", str(repo), "--url", url], env, tmp_path).rc == 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, env, handler.seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("command", [["template", "rel"], ["install", "rel", "--dry-run=client"]])
def test_username_and_password_reach_the_repository(command: list[str], auth_repo, tmp_path: Path) -> None:
    url, env, seen = auth_repo
    res = run(PILOT, [*command, "mychart", "--repo", url, "--username", USER, "--password", PASSWORD],
              env, tmp_path)
    assert res.rc == 0, res.err
    assert "name: rel-mychart" in res.out
    paths = [p for p, _ in seen]
    assert "/index.yaml" in paths and "/mychart-0.1.0.tgz" in paths
    assert all(a for _, a in seen)


def test_without_credentials_the_repository_refuses(auth_repo, tmp_path: Path) -> None:
    url, env, _ = auth_repo
    pilot = run(PILOT, ["template", "rel", "mychart", "--repo", url], env, tmp_path)
    helm = run(HELM, ["template", "rel", "mychart", "--repo", url], env, tmp_path)
    assert pilot.rc == helm.rc == 1
    assert "401" in pilot.err and "401" in helm.err
    assert "Traceback" not in pilot.err


def test_helm_agrees_credentials_work(auth_repo, tmp_path: Path) -> None:
    url, env, _ = auth_repo
    args = ["template", "rel", "mychart", "--repo", url, "--username", USER, "--password", PASSWORD]
    helm = run(HELM, args, env, tmp_path)
    pilot = run(PILOT, args, env, tmp_path)
    assert helm.rc == pilot.rc == 0, (helm.err, pilot.err)
    # the oracle is Helm 4.1, which trims each document's trailing newline; Helm 4.2 keeps it
    assert [d.strip() for d in pilot.out.split("---\n")] == [d.strip() for d in helm.out.split("---\n")]


# --- the TLS flags reach the same HTTP client ---------------------------------------------


def _tls_files(tmp: Path) -> None:
    """A test CA and a server certificate it signed for 127.0.0.1 (as an IP address)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    day = datetime.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "charts-ca")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now - day).not_valid_after(now + day)
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "charts")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now - day).not_valid_after(now + day)
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (tmp / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp / "tls.pem").write_bytes(cert.public_bytes(pem))
    (tmp / "tls.key").write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))


@pytest.fixture
def tls_repo(tmp_path: Path):
    import ssl

    env = isolated_env(tmp_path / "home")
    repo = tmp_path / "repo"
    repo.mkdir()
    _tls_files(tmp_path)
    assert run(PILOT, ["create", "mychart"], env, tmp_path).rc == 0
    assert run(PILOT, ["package", str(tmp_path / "mychart"), "-d", str(repo)], env, tmp_path).rc == 0
    handler = type("H", (_AuthRepo,), {"seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(repo)))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(tmp_path / "tls.pem"), str(tmp_path / "tls.key"))
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    url = f"https://127.0.0.1:{server.server_address[1]}"
    assert run(PILOT, ["repo", "index", str(repo), "--url", url], env, tmp_path).rc == 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, env
    finally:
        server.shutdown()
        server.server_close()


def test_ca_file_and_insecure_skip_tls_verify_reach_the_repository(tls_repo, tmp_path: Path) -> None:
    url, env = tls_repo
    base = ["template", "rel", "mychart", "--repo", url, "--username", USER, "--password", PASSWORD]
    untrusted_pilot = run(PILOT, base, env, tmp_path)
    untrusted_helm = run(HELM, base, env, tmp_path)
    assert untrusted_pilot.rc == untrusted_helm.rc == 1
    assert "certificate" in untrusted_pilot.err and "Traceback" not in untrusted_pilot.err
    for extra in (["--ca-file", str(tmp_path / "ca.pem")], ["--insecure-skip-tls-verify"]):
        helm = run(HELM, [*base, *extra], env, tmp_path)
        pilot = run(PILOT, [*base, *extra], env, tmp_path)
        assert helm.rc == pilot.rc == 0, (extra, helm.err, pilot.err)
        assert "name: rel-mychart" in pilot.out


@pytest.mark.parametrize("value", ["bad", "x,y", "a=1,b=2,c"])
def test_template_labels_errors_as_helm(value: str, tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    assert run(PILOT, ["create", "c"], env, tmp_path).rc == 0
    helm = run(HELM, ["template", "r", "c", "--labels", value], env, tmp_path)
    pilot = run(PILOT, ["template", "r", "c", "--labels", value], env, tmp_path)
    assert pilot.rc == helm.rc == 1
    assert pilot.err == helm.err.replace("helm", "pilot")
