"""http_request: hostile requests refused before any I/O, every redirect hop checked against the
grant, responses bounded in size and time. A local server plays the granted host."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from attack_kit import make, module, still_works

from pilothouse.errors import PluginError
from pilothouse.plugin import wasm

FETCH = module('''(func (export "run") (result i32) (local $r i64)
  (local.set $r (call $http_request (call $input_offset) (i64.const 0)))
  (if (i64.ne (local.get $r) (i64.const 0))
    (then (call $output_set (local.get $r) (call $length (local.get $r)))))
  (i32.const 0))''')


class _Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args):  # quiet
        pass

    def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = self.path
        _Handler.hits[path] = _Handler.hits.get(path, 0) + 1
        port = self.server.server_address[1]
        if path == "/ok":
            self._send(200, b"hello")
        elif path == "/secret":
            self._send(200, b"SECRET")
        elif path == "/to-ungranted":
            self._send(302, b"", {"Location": f"http://localhost:{port}/secret"})
        elif path == "/to-file":
            self._send(302, b"", {"Location": "file:///etc/passwd"})
        elif path == "/to-userinfo":
            self._send(302, b"", {"Location": f"http://user:pw@127.0.0.1:{port}/secret"})
        elif path == "/to-backslash":
            self._send(302, b"", {"Location": f"http://127.0.0.1:{port}\\@localhost/secret"})
        elif path == "/loop":
            self._send(302, b"", {"Location": "/loop"})
        elif path == "/to-ok":
            self._send(301, b"", {"Location": "/ok"})
        elif path == "/to-echo-elsewhere":
            self._send(307, b"", {"Location": f"http://localhost:{port}/echo"})
        elif path == "/echo":
            self._send(200, json.dumps({k.lower(): v for k, v in self.headers.items()}).encode())
        elif path == "/missing":
            self._send(404, b"nf")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self._drip(b"x")
        elif path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self._drip(b"X-A: b\r\n")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"y" * 65536
            try:
                for _ in range(10_000):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                return
        else:
            self._send(400, b"?")

    def _drip(self, piece: bytes) -> None:
        try:
            for _ in range(100_000):
                self.wfile.write(piece)
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            return


@pytest.fixture
def server():
    _Handler.hits = {}
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _fetcher(helm_home, hosts="[127.0.0.1]", limit=1 << 20, extra=""):
    return make(helm_home, FETCH, f"allowedHosts: {hosts}\nmemory:\n  maxHttpResponseBytes: {limit}\n{extra}")


def _get(p, url: str, **more) -> bytes:
    return wasm.call_raw(p, json.dumps({"url": url, **more}).encode()).output


def test_a_granted_host_answers(helm_home, server):
    assert _get(_fetcher(helm_home), server + "/ok") == b"hello"


def test_a_granted_redirect_is_followed(helm_home, server):
    assert _get(_fetcher(helm_home), server + "/to-ok") == b"hello"


@pytest.mark.parametrize("path,expect", [
    ("/to-ungranted", "is not allowed"),
    ("/to-file", "only http and https"),
    ("/to-userinfo", "user information"),
    ("/to-backslash", "backslash"),
])
def test_every_redirect_hop_passes_the_grant(helm_home, server, path, expect):
    p = _fetcher(helm_home)
    with pytest.raises(PluginError, match=f'plugin "{p.name}": .*{expect}'):
        _get(p, server + path)
    assert _Handler.hits.get("/secret", 0) == 0  # the ungranted target was never asked
    still_works(helm_home)


def test_a_redirect_loop_ends(helm_home, server):
    p = _fetcher(helm_home)
    with pytest.raises(PluginError, match="more than 10 redirects"):
        _get(p, server + "/loop")
    assert _Handler.hits["/loop"] == 11


def test_credentials_do_not_follow_a_redirect_to_another_host(helm_home, server):
    p = _fetcher(helm_home, hosts="[127.0.0.1, localhost]")
    out = json.loads(_get(p, server + "/to-echo-elsewhere", headers={"Authorization": "Bearer t", "X-Keep": "1"}))
    assert "authorization" not in out and out["x-keep"] == "1"


def test_an_error_status_is_the_plugin_to_handle(helm_home, server):
    assert _get(_fetcher(helm_home), server + "/missing") == b"nf"


def test_a_dripping_body_meets_the_deadline(helm_home, server):
    p = _fetcher(helm_home, extra="timeout: 1000\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}": HTTP request to .* timed out'):
        _get(p, server + "/drip")


def test_dripping_headers_meet_the_deadline(helm_home, server):
    p = _fetcher(helm_home, extra="timeout: 1000\n")
    with pytest.raises(PluginError, match="timed out"):
        _get(p, server + "/drip-headers")


def test_a_huge_body_is_cut_at_the_cap(helm_home, server):
    p = _fetcher(helm_home, limit=100_000)
    with pytest.raises(PluginError, match="exceeds the limit of 100000 bytes"):
        _get(p, server + "/huge")
    still_works(helm_home)


BAD_REQUESTS = [
    ("not JSON", b"GET /", "not JSON"),
    ("a JSON array", b'["http://127.0.0.1/"]', "must be a JSON object, not list"),
    ("a JSON string", b'"http://127.0.0.1/"', "must be a JSON object, not str"),
    ("deep nesting", b"[" * 200_000, "not JSON (or is nested too deeply)"),
    ("no url", b"{}", 'no "url"'),
    ("url not a string", b'{"url": 5}', 'no "url"'),
    ("method with CRLF", b'{"url": "http://127.0.0.1/ok", "method": "GET /x HTTP/1.1\\r\\nX: y"}', '"method"'),
    ("method not a string", b'{"url": "http://127.0.0.1/ok", "method": []}', '"method"'),
    ("headers a list", b'{"url": "http://127.0.0.1/ok", "headers": [["a", "b"]]}', '"headers" must be a map'),
    ("header value a number", b'{"url": "http://127.0.0.1/ok", "headers": {"a": 1}}', "must be a string"),
    ("header value with CRLF", b'{"url": "http://127.0.0.1/ok", "headers": {"a": "b\\r\\nX-Evil: 1"}}',
     "line break"),
    ("header name with a colon", b'{"url": "http://127.0.0.1/ok", "headers": {"a:b": "c"}}', "header name"),
    ("header name with a space", b'{"url": "http://127.0.0.1/ok", "headers": {"a b": "c"}}', "header name"),
    ("Host header", b'{"url": "http://127.0.0.1/ok", "headers": {"Host": "evil"}}', "set by the host"),
    ("too many headers", json.dumps({"url": "http://127.0.0.1/", "headers": {f"h{i}": "v" for i in range(200)}})
     .encode(), "more than 100 headers"),
    ("file URL", b'{"url": "file:///etc/passwd"}', "only http and https"),
    ("ftp URL", b'{"url": "ftp://127.0.0.1/"}', "only http and https"),
    ("gopher URL", b'{"url": "gopher://127.0.0.1:70/"}', "only http and https"),
    ("no scheme", b'{"url": "//127.0.0.1/"}', "only http and https"),
    ("backslash", b'{"url": "http://127.0.0.1\\\\@evil.test/"}', "backslash"),
    ("userinfo", b'{"url": "http://evil.test@127.0.0.1/"}', "user information"),
    ("percent-encoded host", b'{"url": "http://127.0.0.%31/"}', "percent-encoded"),
    ("non-numeric port", b'{"url": "http://127.0.0.1:80a/"}', "port must be a number"),
    ("port zero", b'{"url": "http://127.0.0.1:0/"}', "port must be a number"),
    ("port too big", b'{"url": "http://127.0.0.1:99999/"}', "port must be a number"),
    ("signed port", b'{"url": "http://127.0.0.1:+80/"}', "port must be a number"),
    ("control character", b'{"url": "http://127.0.0.1/\\u0000x"}', "control"),
    ("CRLF in the path", b'{"url": "http://127.0.0.1/a\\r\\nHost: evil"}', "control"),
    ("space in the path", b'{"url": "http://127.0.0.1/a b"}', "space"),
    ("non-ASCII host", '{"url": "http://127.0.0.\u0661/"}'.encode(), "non-ASCII"),
    ("octal IPv4", b'{"url": "http://0177.0.0.1/"}', "bad IPv4"),
    ("hex IPv4", b'{"url": "http://0x7f.0.0.1/"}', "bad IPv4"),
    ("decimal IPv4", b'{"url": "http://2130706433/"}', "bad IPv4"),
    ("short IPv4", b'{"url": "http://127.1/"}', "bad IPv4"),
    ("empty host", b'{"url": "http:///x"}', "bad host"),
    ("bad IPv6", b'{"url": "http://[::1/"}', "bad IPv6"),
    ("huge URL", json.dumps({"url": "http://127.0.0.1/" + "a" * 10000}).encode(), "longer than 8192"),
    ("ungranted host", b'{"url": "http://evil.test/"}', "is not allowed"),
]


@pytest.mark.parametrize("what,req,expect", BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS])
def test_hostile_requests_are_refused_before_any_io(helm_home, server, what, req, expect):
    p = _fetcher(helm_home)
    req = req.replace(b"http://127.0.0.1/", server.encode() + b"/").replace(b"http://127.0.0.1:", b"http://127.0.0.1:")
    with pytest.raises(PluginError) as err:
        wasm.call_raw(p, req)
    assert f'plugin "{p.name}"' in str(err.value) and expect in str(err.value), str(err.value)
    assert _Handler.hits == {}


def test_a_request_bigger_than_the_limit(helm_home, server):
    p = _fetcher(helm_home)
    with pytest.raises(PluginError, match=f'plugin "{p.name}": http_request: 20000[0-9]+ bytes, more than the limit of 1048576'):
        wasm.call_raw(p, json.dumps({"url": server + "/ok", "pad": "p" * 2_000_000}).encode())


# ---- kept-alive connections ---------------------------------------------------------------------

class _KeepAliveHandler(BaseHTTPRequestHandler):
    """An HTTP/1.1 server that keeps connections open; it records which connection served what."""

    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, int]] = []  # (Host header, path, client port)

    def log_message(self, *args):  # quiet
        pass

    def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        _KeepAliveHandler.seen.append((self.headers.get("Host", ""), self.path, self.client_address[1]))
        port = self.server.server_address[1]
        if self.path == "/ok":
            self._send(200, b"hello")
        elif self.path == "/bye":  # answers, then closes the connection without saying so
            self._send(200, b"bye")
            self.close_connection = True
        elif self.path == "/to-localhost":
            self._send(307, b"", {"Location": f"http://localhost:{port}/echo"})
        elif self.path == "/echo":
            self._send(200, json.dumps({k.lower(): v for k, v in self.headers.items()}).encode())
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100_000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                return
        else:
            self._send(400, b"?")


@pytest.fixture
def keepalive():
    _KeepAliveHandler.seen = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _KeepAliveHandler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def test_a_second_request_reuses_the_connection(helm_home, keepalive):
    p = _fetcher(helm_home)
    for _ in range(3):
        assert _get(p, f"http://127.0.0.1:{keepalive}/ok") == b"hello"
    ports = {port for _, _, port in _KeepAliveHandler.seen}
    assert len(_KeepAliveHandler.seen) == 3 and len(ports) == 1


def test_a_redirect_to_another_host_never_uses_the_first_hosts_connection(helm_home, keepalive):
    # one server under two names: the connection opened to 127.0.0.1 is not used for localhost
    p = _fetcher(helm_home, hosts="[127.0.0.1, localhost]")
    assert _get(p, f"http://127.0.0.1:{keepalive}/ok") == b"hello"
    out = json.loads(_get(p, f"http://127.0.0.1:{keepalive}/to-localhost", headers={"Authorization": "Bearer t"}))
    assert "authorization" not in out and out["host"] == f"localhost:{keepalive}"
    by_host: dict[str, set[int]] = {}
    for host, _, port in _KeepAliveHandler.seen:
        by_host.setdefault(host.split(":")[0], set()).add(port)
    assert by_host["localhost"].isdisjoint(by_host["127.0.0.1"])
    # and the other way: a later request to localhost does not travel over 127.0.0.1's connection
    _get(p, f"http://localhost:{keepalive}/echo")
    assert _KeepAliveHandler.seen[-1][2] not in by_host["127.0.0.1"]


def test_the_deadline_applies_on_a_kept_connection(helm_home, keepalive):
    p = _fetcher(helm_home, extra="timeout: 1000\n")
    assert _get(p, f"http://127.0.0.1:{keepalive}/ok") == b"hello"
    with pytest.raises(PluginError, match=f'plugin "{p.name}": HTTP request to .* timed out'):
        _get(p, f"http://127.0.0.1:{keepalive}/drip")
    assert _KeepAliveHandler.seen[0][2] == _KeepAliveHandler.seen[1][2]  # the drip came over the kept one
    assert _get(p, f"http://127.0.0.1:{keepalive}/ok") == b"hello"  # a timed-out connection is not kept


def test_a_connection_the_server_closed_is_replaced(helm_home, keepalive):
    p = _fetcher(helm_home)
    assert _get(p, f"http://127.0.0.1:{keepalive}/bye") == b"bye"
    assert _get(p, f"http://127.0.0.1:{keepalive}/ok") == b"hello"
    assert _KeepAliveHandler.seen[0][2] != _KeepAliveHandler.seen[1][2]
