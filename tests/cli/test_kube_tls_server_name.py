"""--kube-tls-server-name reaches the TLS handshake: an API server on 127.0.0.1 whose certificate
names only "kube.test" is refused without the flag and accepted with it, by `pilot` as by the
real `helm`, and --kube-insecure-skip-tls-verify accepts it too."""

from __future__ import annotations

import datetime
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from helmdiff_cli import HELM, PILOT, isolated_env, run


def _certs(tmp):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-ca")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube.test")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("kube.test")]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (tmp / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp / "tls.pem").write_bytes(cert.public_bytes(pem))
    (tmp / "tls.key").write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))


class _Api(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/version"):
            body = {"major": "1", "minor": "35", "gitVersion": "v1.35.0"}
        else:
            body = {"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": []}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def tls_api(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tls")
    _certs(tmp)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tmp / "tls.pem", tmp / "tls.key")
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kubeconfig = tmp / "kubeconfig"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\n"
        f"clusters:\n- name: k\n  cluster:\n    server: https://127.0.0.1:{server.server_address[1]}\n"
        f"    certificate-authority: {tmp / 'ca.pem'}\nusers:\n- name: u\n  user: {{}}\n")
    yield kubeconfig
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("args", "ok"), [
    (["--kube-tls-server-name", "kube.test"], True),
    (["--kube-tls-server-name=other.test"], False),
    (["--kube-insecure-skip-tls-verify"], True),
    ([], False),
])
def test_server_name_decides_like_helm(tls_api, tmp_path, args, ok):
    env = isolated_env(tmp_path, {"KUBECONFIG": str(tls_api)})
    helm = run(HELM, ["list", *args], env, tmp_path)
    pilot = run(PILOT, ["list", *args], env, tmp_path)
    assert (helm.rc == 0) is ok, helm.err
    assert (pilot.rc, pilot.out) == (helm.rc, helm.out), pilot.err


def test_variable_does_what_the_flag_does(tls_api, tmp_path):
    env = isolated_env(tmp_path, {"KUBECONFIG": str(tls_api), "HELM_KUBETLS_SERVER_NAME": "kube.test"})
    assert run(PILOT, ["list"], env, tmp_path).rc == 0
