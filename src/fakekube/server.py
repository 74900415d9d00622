"""The HTTP side: a threaded server on 127.0.0.1 in front of `Api`, and the kubeconfig that
points clients at it.

Each request gets a thread (watches hold theirs until they end). Watch responses are sent with
chunked transfer encoding, one JSON event per line, as the real server does.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from fakekube import limits
from fakekube.api import Api, Request, Response
from fakekube.store import Store


def _discard(stream: Any, length: int) -> None:
    """Read and drop a refused body, so the client gets to read the answer."""
    while length > 0:
        chunk = stream.read(min(length, 1 << 16))
        if not chunk:
            return
        length -= len(chunk)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out in separate writes: with Nagle on, each small answer waits for the
    # client's delayed ACK (~40 ms per request on keep-alive connections)
    disable_nagle_algorithm = True
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if self.server.log is not None:
            self.server.log(self.address_string() + " " + (format % args))

    def _serve(self) -> None:
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        too_large = length > limits.MAX_REQUEST_BODY_BYTES
        if too_large:
            _discard(self.rfile, length)
        body = self.rfile.read(length) if length and not too_large else b""
        req = Request(self.command, path, query, dict(self.headers.items()), body)
        if self.server.trace is not None:
            self.server.trace.append((self.command, self.path, self.headers.get("Accept", ""), self.headers.get("Content-Type", "")))
        if too_large:
            err = limits.request_too_large()
            resp = Response(err.code, err.status())
        else:
            resp = self.server.api.handle(req)
        if resp.stream is not None:
            self._stream(resp)
            return
        if isinstance(resp.body, (dict, list)):
            data = json.dumps(resp.body, separators=(",", ":")).encode()
        elif isinstance(resp.body, str):
            data = resp.body.encode()
        elif resp.body is None:
            data = b""
        else:
            data = resp.body
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache, private")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _stream(self, resp: Response) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache, private")
        self.end_headers()
        assert resp.stream is not None
        try:
            for event in resp.stream:
                if not event:
                    # A heartbeat: an empty write fails once the client has gone away.
                    self.wfile.flush()
                    continue
                line = json.dumps(event, separators=(",", ":")).encode() + b"\n"
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            close = getattr(resp.stream, "close", None)
            if close:
                close()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    api: Api
    log: Any = None
    trace: list | None = None
    # clients such as Helm open dozens of connections at once; the default backlog of 5 resets some
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        # a client that closes a watch or a keep-alive connection is no server error
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def kubeconfig(url: str, namespace: str = "default") -> str:
    """A kubeconfig (YAML) whose current context talks to `url` without credentials."""
    import yaml

    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "fakekube", "cluster": {"server": url}}],
        "users": [{"name": "fakekube", "user": {"token": "fakekube"}}],
        "contexts": [{"name": "fakekube", "context": {"cluster": "fakekube", "user": "fakekube", "namespace": namespace}}],
        "current-context": "fakekube",
        "preferences": {},
    }
    return yaml.safe_dump(doc, sort_keys=False)


class Server:
    """A running fake API server.

    Attributes:
        store: the objects, for assertions and test hooks (`make_ready`, `make_failed`, `set_status`).
        url: `http://127.0.0.1:PORT`.
        kubeconfig_path: a kubeconfig file pointing at `url` (when one was written).
        requests: (method, path, Accept, Content-Type) of every request, when tracing is on.
    """

    def __init__(
        self,
        port: int = 0,
        *,
        auto_ready: bool = False,
        kubeconfig_path: str | os.PathLike[str] | None = None,
        trace: bool = False,
        log: Any = None,
        simulate: float | None = None,
    ) -> None:
        self.store = Store(auto_ready=auto_ready)
        self._http = _HTTPServer(("127.0.0.1", port), _Handler)
        host, real_port = self._http.server_address[:2]
        self.port = int(real_port)
        self.url = f"http://127.0.0.1:{self.port}"
        self.api = Api(self.store, f"127.0.0.1:{self.port}")
        self._http.api = self.api
        # simulated controllers: `simulate` seconds between ticks (0: only when stepped)
        self.simulate = simulate
        if simulate is not None:
            from fakekube.controllers import Controllers

            self.api.controllers = Controllers(self.store)
        self._http.log = log
        self.requests: list[tuple[str, str, str, str]] = []
        self._http.trace = self.requests if trace else None
        self._thread: threading.Thread | None = None
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        if kubeconfig_path is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="fakekube-")
            kubeconfig_path = Path(self._tmpdir.name) / "kubeconfig"
        self.kubeconfig_path = str(kubeconfig_path)
        Path(self.kubeconfig_path).write_text(kubeconfig(self.url))

    @property
    def kubeconfig(self) -> str:
        """The kubeconfig text."""
        return kubeconfig(self.url)

    def start(self) -> Server:
        """Serve in a background thread."""
        # A short poll interval keeps `stop` quick; tests start and stop many servers.
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, name="fakekube", daemon=True
        )
        self._thread.start()
        if self.api.controllers is not None and self.simulate:
            self.api.controllers.run(self.simulate)
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until `stop` is called from another."""
        self._http.serve_forever(poll_interval=0.05)

    def stop(self) -> None:
        """End watches, stop serving and remove the temporary kubeconfig."""
        self.api.stopping.set()
        if self.api.controllers is not None:
            self.api.controllers.stop()
        self.store.close()
        self._http.shutdown()
        self._http.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._tmpdir is not None:
            self._tmpdir.cleanup()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def serve(
    port: int = 0,
    *,
    auto_ready: bool = False,
    kubeconfig_path: str | os.PathLike[str] | None = None,
    trace: bool = False,
    simulate: float | None = None,
) -> Iterator[Server]:
    """Run a fake API server for the duration of a `with` block.

    >>> with serve() as srv:
    ...     srv.url, srv.kubeconfig_path, srv.store
    """
    srv = Server(port, auto_ready=auto_ready, kubeconfig_path=kubeconfig_path, trace=trace, simulate=simulate).start()
    try:
        yield srv
    finally:
        srv.stop()
