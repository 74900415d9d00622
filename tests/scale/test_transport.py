"""The kube client's standard-library transport: keep-alive, gzip answers, errors, proxies."""

from __future__ import annotations

import gzip
import json
import os
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pilothouse.kube.transport import Transport, TransportError, open_transport


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, str]] = []

    def log_message(self, *args):  # noqa: D102 - quiet
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).seen.append((self.command, self.path, self.headers.get("Accept-Encoding", "")))
        data = json.dumps({"path": self.path, "body": body.decode(), "auth": self.headers.get("Authorization")}).encode()
        if self.path.startswith("/gz"):
            data = gzip.compress(data)
        self.send_response(404 if self.path.startswith("/missing") else 200)
        if self.path.startswith("/gz"):
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        if self.path.startswith("/close"):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _answer


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    _Handler.seen = []
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _transport(url, **kw):
    return Transport(url, headers={"Accept": "application/json"}, verify=False, auth=kw.get("auth"), timeout=10)


def test_requests_params_body_and_gzip(server):
    tr = _transport(server)
    ans = tr.request("GET", "/gz/a", params={"labelSelector": "owner=helm,name in (a,b)", "limit": 5, "watch": False})
    assert ans.status_code == 200
    assert ans.json()["path"] == "/gz/a?labelSelector=owner%3Dhelm%2Cname+in+%28a%2Cb%29&limit=5&watch=false"
    assert _Handler.seen[-1][2] == "gzip"
    assert tr.request("POST", "/p", content='{"a": "é"}').json()["body"] == '{"a": "é"}'
    assert tr.request("GET", "/missing").status_code == 404
    tr.close()


def test_connection_closed_by_server_is_replaced(server):
    tr = _transport(server)
    for path in ("/close/1", "/x", "/close/2", "/y"):
        assert tr.request("GET", path).json()["path"] == path


def test_basic_auth(server):
    tr = _transport(server, auth=("u", "p"))
    assert tr.request("GET", "/").json()["auth"] == "Basic dTpw"


def test_unreachable_server_is_a_transport_error():
    tr = _transport("http://127.0.0.1:9")
    with pytest.raises(TransportError):
        tr.request("GET", "/")


def test_kube_client_reports_unreachable_cluster():
    from pilothouse.kube.client import KubeClient
    from pilothouse.kube.config import load_config
    from pilothouse.kube.errors import KubeError

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "kubeconfig")
        with open(path, "w") as fh:
            fh.write("apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'http://127.0.0.1:9'}}]\n"
                     "users: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n"
                     "current-context: x\n")
        client = KubeClient(load_config(path, None, None))
        with pytest.raises(KubeError, match='kubernetes cluster unreachable: Get "http://127.0.0.1:9/version": dial tcp 127.0.0.1:9: connect: '
                                           "connection refused"):
            client.request("GET", "/version")


def test_proxy_environment_keeps_httpx(monkeypatch):
    import httpx

    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    client = open_transport("https://example.invalid", headers={}, verify=False, auth=None, timeout=1)
    assert isinstance(client, httpx.Client)
    client.close()
