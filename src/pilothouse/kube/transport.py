"""HTTP to the API server on the standard library: keep-alive connections, TLS, gzip.

The kube client needs little of an HTTP library (one request, one whole answer, JSON), and
importing httpx costs about 50 ms of CPU more than `http.client` in every process that talks to
a cluster. `open_transport` returns this transport, or an httpx client when proxy variables are
set in the environment (httpx honours them, as client-go does).

The answer object offers what the kube client reads: ``status_code``, ``content``, ``text``,
``reason_phrase``, ``headers``, ``json()``.
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import threading
from base64 import b64encode
from typing import Any
from urllib.parse import urlencode, urlsplit

_PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
# Whole answers are read into memory: refuse absurd ones from a hostile server.
MAX_BODY = 1 << 30


class TransportError(Exception):
    """The request could not be made or its answer not read."""


class Answer:
    """One HTTP answer, read whole."""

    def __init__(self, status: int, reason: str, headers: dict[str, str], content: bytes) -> None:
        self.status_code = status
        self.reason_phrase = reason
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


def _param(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


class Transport:
    """Requests to one server over a small pool of keep-alive connections (thread-safe)."""

    def __init__(self, base_url: str, *, headers: dict[str, str], verify: Any, auth: tuple[str, str] | None,
                 timeout: float, max_connections: int = 16, server_name: str | None = None) -> None:
        url = urlsplit(base_url)
        # --kube-tls-server-name: sent as SNI and checked against the certificate, as client-go does
        self._server_name = server_name or None
        self._https = url.scheme == "https"
        self._host = url.hostname or "localhost"
        self._port = url.port
        self._prefix = url.path.rstrip("/")
        self.headers = dict(headers)
        self.headers.setdefault("Accept-Encoding", "gzip")
        if auth is not None:
            self.headers["Authorization"] = "Basic " + b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        self._timeout = timeout
        self._context: ssl.SSLContext | None = None
        if self._https:
            if isinstance(verify, ssl.SSLContext):
                self._context = verify
            elif verify:
                self._context = _default_context()
            else:
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                self._context = ctx
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._max = max_connections

    def _connect(self) -> http.client.HTTPConnection:
        if self._https:
            if self._server_name:
                return _NamedHTTPSConnection(self._host, self._port, timeout=self._timeout, context=self._context,
                                             server_name=self._server_name)
            return http.client.HTTPSConnection(self._host, self._port, timeout=self._timeout, context=self._context)
        return http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)

    def _take(self) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        return self._connect(), False

    def _give_back(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if len(self._idle) < self._max:
                self._idle.append(conn)
                return
        conn.close()

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                content: bytes | str | None = None, headers: dict[str, str] | None = None) -> Answer:
        """Send one request and read its whole answer."""
        target = self._prefix + path
        if params:
            pairs = []
            for k, v in params.items():
                for one in (v if isinstance(v, (list, tuple)) else [v]):
                    pairs.append((k, _param(one)))
            target += "?" + urlencode(pairs)
        hdrs = dict(self.headers)
        if headers:
            hdrs.update(headers)
        body = content.encode("utf-8") if isinstance(content, str) else content
        for attempt in (1, 2):
            conn, reused = self._take()
            try:
                _send(conn, method, target, body, hdrs)
                resp = conn.getresponse()
                data = resp.read(MAX_BODY + 1)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as err:
                conn.close()
                # a kept-alive connection the server closed meanwhile: once more on a new one
                if reused and attempt == 1:
                    continue
                raise TransportError(str(err) or type(err).__name__) from None
            except (OSError, http.client.HTTPException) as err:
                conn.close()
                raise TransportError(str(err) or type(err).__name__) from None
            if len(data) > MAX_BODY:
                conn.close()
                raise TransportError("answer too large")
            answer_headers = {k.lower(): v for k, v in resp.getheaders()}
            if answer_headers.get("content-encoding", "").lower() == "gzip":
                try:
                    data = _gunzip(data)
                except (OSError, EOFError, ValueError) as err:
                    conn.close()
                    raise TransportError(f"bad gzip answer: {err}") from None
            if resp.will_close:
                conn.close()
            else:
                self._give_back(conn)
            return Answer(resp.status, resp.reason, answer_headers, data)
        raise TransportError("unreachable")  # pragma: no cover - the loop returns or raises

    def open_stream(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                    read_timeout: float | None = None) -> StreamAnswer:
        """Send a request on a connection of its own and return the answer unread, for a watch."""
        target = self._prefix + path
        if params:
            target += "?" + urlencode([(k, _param(v)) for k, v in params.items()])
        conn = self._connect()
        try:
            _send(conn, method, target, None, dict(self.headers))
            resp = conn.getresponse()
            if read_timeout is not None and conn.sock is not None:
                conn.sock.settimeout(read_timeout)
        except (OSError, http.client.HTTPException) as err:
            conn.close()
            raise TransportError(str(err) or type(err).__name__) from None
        return StreamAnswer(conn, resp)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class _NamedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection whose TLS server name is not the host it dials."""

    def __init__(self, *args: Any, server_name: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._server_name = server_name

    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self._server_name)  # type: ignore[attr-defined]


class StreamAnswer:
    """An answer read line by line (a watch); `close` from another thread ends it."""

    # one watch event is one line: a hostile server must not make a line unbounded
    MAX_LINE = 64 << 20

    def __init__(self, conn: http.client.HTTPConnection, resp: http.client.HTTPResponse) -> None:
        self._conn = conn
        self._resp = resp
        self.status_code = resp.status
        self.reason_phrase = resp.reason
        self.headers = {k.lower(): v for k, v in resp.getheaders()}
        self.content = b""

    def read(self) -> bytes:
        self.content = self._resp.read(MAX_BODY)
        return self.content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)

    def iter_lines(self) -> Any:
        """The answer's lines as text, until the server ends it or `close` is called."""
        while True:
            try:
                line = self._resp.readline(self.MAX_LINE + 1)
            except (OSError, ValueError, AttributeError, http.client.HTTPException):
                return  # closed under us, or the connection dropped: the watch ends
            if not line:
                return
            if len(line) > self.MAX_LINE:
                raise TransportError("watch event too large")
            yield line.decode("utf-8", errors="replace")

    def close(self) -> None:
        try:
            sock = self._conn.sock
            if sock is not None:
                import socket

                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._conn.close()

    def __enter__(self) -> StreamAnswer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _send(conn: http.client.HTTPConnection, method: str, target: str, body: bytes | None,
          headers: dict[str, Any]) -> None:
    """Send a request; a header whose value is a list goes out as one line per value."""
    if not any(isinstance(v, list) for v in headers.values()):
        conn.request(method, target, body=body, headers=headers)
        return
    conn.putrequest(method, target, skip_accept_encoding=True)
    for name, value in headers.items():
        for one in value if isinstance(value, list) else [value]:
            conn.putheader(name, one)
    if body is not None or method.upper() in ("POST", "PUT", "PATCH"):
        conn.putheader("Content-Length", str(len(body or b"")))
    conn.endheaders(body)


def set_multi_header(transport: Any, name: str, values: list[str]) -> None:
    """Add header ``name`` once per value (client-go sends Impersonate-Group so), on either transport."""
    if isinstance(transport, Transport):
        transport.headers[name] = list(values)
        return
    import httpx

    transport.headers = httpx.Headers([*transport.headers.multi_items(), *((name, v) for v in values)])


def _gunzip(data: bytes) -> bytes:
    import zlib

    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, MAX_BODY + 1)
    if len(out) > MAX_BODY:
        raise ValueError("answer too large")
    return out


def _default_context() -> ssl.SSLContext:
    """The CA set httpx would use (certifi's bundle when installed, else the system's)."""
    try:
        import certifi
    except ImportError:
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


def open_transport(base_url: str, *, headers: dict[str, str], verify: Any, auth: tuple[str, str] | None,
                   timeout: float, max_connections: int = 16, server_name: str | None = None) -> Any:
    """A transport for ``base_url``: the stdlib one, or httpx when the environment names a proxy."""
    if any(os.environ.get(v) for v in _PROXY_VARS):
        import httpx

        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        return httpx.Client(base_url=base_url, headers=headers, verify=verify, auth=auth, timeout=timeout,
                            limits=limits)
    return Transport(base_url, headers=headers, verify=verify, auth=auth, timeout=timeout,
                     max_connections=max_connections, server_name=server_name)


def is_transport_error(err: BaseException) -> bool:
    """True for a failure to talk to the server (either transport)."""
    if isinstance(err, TransportError):
        return True
    httpx = __import__("sys").modules.get("httpx")
    return httpx is not None and isinstance(err, httpx.HTTPError)


__all__ = ["Answer", "Transport", "TransportError", "is_transport_error", "open_transport", "set_multi_header"]
