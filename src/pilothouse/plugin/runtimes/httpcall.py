"""The ``http_request`` host function's HTTP: every hop checked, every byte and second bounded.

The plugin's request is hostile input: a JSON object of bounded size (and so of bounded
depth), a URL that `policy.http_target` takes apart strictly and checks against the grant
before any I/O, headers that are a map of strings without line breaks. Redirects are followed
here, one hop at a time, each hop's URL checked against the grant like the first (a granted
host cannot hand the plugin an ungranted one). The response is read in pieces and refused as
soon as it passes ``maxHttpResponseBytes``; the whole exchange, every hop included, has one
deadline (the call's, or `DEFAULT_TIMEOUT_S`), enforced by shutting the socket down when it
passes (one watchdog thread for the process), so a server that drips bytes cannot hold the plugin
past it.

Connections are kept alive in a `Pool` that belongs to one plugin instance: bounded
(`MAX_POOLED`), keyed by scheme, host name and port exactly as the grant checked them, so a hop
to another host (a redirect included) never travels over a connection opened to the first. A
kept connection is used again only for a request that passed every check a new one does, and
only after its previous response was read to its end; a redirect's connection is never kept.
"""

from __future__ import annotations

import heapq
import json
import re
import socket
import threading
import time
from typing import Any

from pilothouse.errors import PluginError
from pilothouse.plugin import policy

MAX_REQUEST_BYTES = 1 << 20
MAX_REDIRECTS = 10
MAX_HEADERS = 100
MAX_HEADER_BYTES = 64 << 10
DEFAULT_TIMEOUT_S = 120.0
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 1 << 16
MAX_POOLED = 4  # kept-alive connections per plugin instance
_IDEMPOTENT = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")


class _Watch:
    """One exchange's deadline: its socket is shut down when ``end`` passes."""

    __slots__ = ("end", "sock", "expired", "live")

    def __init__(self, end: float) -> None:
        self.end, self.sock, self.expired, self.live = end, None, False, True

    def expire(self) -> None:
        # whatever the socket is waiting for, it stops now
        self.expired = True
        sock = self.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Watchdog:
    """Deadlines of every exchange in flight, kept by one daemon thread (a thread per request
    cost more than a local request itself)."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.heap: list[tuple[float, int, _Watch]] = []
        self.seq = 0
        self.live = 0
        self.thread: threading.Thread | None = None

    def arm(self, end: float) -> _Watch:
        w = _Watch(end)
        with self.cond:
            self.seq += 1
            self.live += 1
            heapq.heappush(self.heap, (end, self.seq, w))
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="pilothouse-http-deadline", daemon=True)
                self.thread.start()
            elif self.heap[0][2] is w:
                self.cond.notify()
        return w

    def disarm(self, w: _Watch) -> None:
        with self.cond:
            if w.live:
                w.live = False
                self.live -= 1
            # finished exchanges are dropped lazily; the heap never holds many more than live ones
            if len(self.heap) > 64 and len(self.heap) > 4 * self.live:
                self.heap = [e for e in self.heap if e[2].live]
                heapq.heapify(self.heap)

    def _run(self) -> None:
        while True:
            with self.cond:
                while self.heap and not self.heap[0][2].live:
                    heapq.heappop(self.heap)
                if not self.heap:
                    self.cond.wait()
                    continue
                end, _, w = self.heap[0]
                left = end - time.monotonic()
                if left > 0:
                    self.cond.wait(left)
                    continue
                heapq.heappop(self.heap)
                w.live = False
                self.live -= 1
            w.expire()


_watchdog = _Watchdog()


class Pool:
    """Kept-alive connections of one plugin instance, by (scheme, host, port) as granted."""

    def __init__(self, size: int = MAX_POOLED) -> None:
        self.size = size
        self.conns: dict[tuple[str, str, int], Any] = {}

    def take(self, key: tuple[str, str, int]) -> Any:
        return self.conns.pop(key, None)

    def give(self, key: tuple[str, str, int], conn: Any) -> None:
        old = self.conns.pop(key, None)
        if old is not None:
            old.close()
        while len(self.conns) >= self.size:
            oldest = next(iter(self.conns))
            self.conns.pop(oldest).close()
        self.conns[key] = conn

    def close(self) -> None:
        """Close every kept connection."""
        while self.conns:
            _, conn = self.conns.popitem()
            conn.close()


class Response:
    """What the plugin gets back: status, lower-cased headers, body."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body


def _parse(name: str, raw: bytes) -> tuple[str, str, dict[str, str]]:
    def refuse(why: str) -> PluginError:
        return PluginError(f'plugin "{name}": http_request refused: {why}')

    try:
        req = json.loads(raw or b"{}")
    except (ValueError, RecursionError):
        raise refuse("the request is not JSON (or is nested too deeply)") from None
    if not isinstance(req, dict):
        raise refuse(f"the request must be a JSON object, not {type(req).__name__}")
    url = req.get("url")
    if not isinstance(url, str) or not url:
        raise refuse('the request has no "url" string')
    method = req.get("method") if req.get("method") is not None else "GET"
    if not isinstance(method, str) or not _TOKEN.fullmatch(method):
        raise refuse('"method" must be an HTTP method name')
    headers = req.get("headers") if req.get("headers") is not None else {}
    if not isinstance(headers, dict):
        raise refuse('"headers" must be a map of strings to strings')
    if len(headers) > MAX_HEADERS:
        raise refuse(f"more than {MAX_HEADERS} headers")
    out: dict[str, str] = {}
    for k, v in headers.items():
        if not isinstance(v, str):
            raise refuse(f'header "{k[:100]}" must be a string')
        if not _TOKEN.fullmatch(k):
            raise refuse(f"header name {k[:100]!r} is not a valid HTTP header name")
        if _BAD_VALUE.search(v):
            raise refuse(f'header "{k}" contains a line break or control character')
        if k.lower() in ("host", "content-length", "transfer-encoding", "connection"):
            raise refuse(f'header "{k}" is set by the host')
        out[k] = v
    if sum(len(k) + len(v) for k, v in out.items()) > MAX_HEADER_BYTES:
        raise refuse(f"the headers are longer than {MAX_HEADER_BYTES} bytes")
    return url, method.upper(), out


def request(name: str, caps: policy.Capabilities, raw: bytes, body: bytes | None,
            deadline: float | None, pool: Pool | None = None) -> Response:
    """Perform a plugin's ``http_request``; PluginError (naming the plugin) for anything refused.

    With ``pool``, connections are kept alive in it between requests (see `Pool`).
    """
    from pilothouse.plugin.runtimes.wasmtime_ffi import check_signals

    check_signals()  # a Ctrl-C that arrived on the way in stops the plugin before it waits
    url, method, headers = _parse(name, raw)
    why = policy.http_refusal(caps, method, headers)
    if why:
        raise PluginError(f'plugin "{name}": http_request refused: {why}')
    limit = caps.max_http_response_bytes
    end = time.monotonic() + DEFAULT_TIMEOUT_S
    if deadline is not None:
        end = min(end, deadline)
    first_host = None
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            target = policy.http_target(caps, url)
        except PluginError as err:
            raise PluginError(f'plugin "{name}": {err}') from None
        if first_host is None:
            first_host = target.host
        elif target.host != first_host:
            # credentials meant for one host are not handed to the next
            headers = {k: v for k, v in headers.items() if k.lower() not in ("authorization", "cookie")}
        status, resp_headers, data, location = _exchange(name, url, target, method, headers, body, limit, end,
                                                         pool)
        if status in _REDIRECTS and location is not None:
            from urllib.parse import urljoin

            url = urljoin(url, location)
            if status == 303 or (status in (301, 302) and method not in ("GET", "HEAD")):
                method, body = "GET", None
            continue
        return Response(status, resp_headers, data)
    raise PluginError(f'plugin "{name}": HTTP request to \'{url[:200]}\' refused: more than {MAX_REDIRECTS} '
                      "redirects")


def _exchange(name: str, url: str, target: policy.HttpTarget, method: str, headers: dict[str, str],
              body: bytes | None, limit: int, end: float,
              pool: Pool | None = None) -> tuple[int, dict[str, str], bytes, str | None]:
    import http.client

    key = (target.scheme, target.host, target.port)
    conn = pool.take(key) if pool is not None else None
    if conn is not None:
        try:
            return _exchange_on(name, url, target, method, headers, body, limit, end, conn, pool, key)
        except _Stale:
            pass  # the server closed the kept connection before this request: once more, on a new one
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(target.host, target.port, timeout=max(0.001, end - time.monotonic()))
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=max(0.001, end - time.monotonic()))
    return _exchange_on(name, url, target, method, headers, body, limit, end, conn, pool, None)


class _Stale(Exception):
    """A kept connection the server had closed: nothing was answered on it."""

    def __init__(self, error: PluginError) -> None:
        super().__init__(str(error))
        self.error = error


def _exchange_on(name: str, url: str, target: policy.HttpTarget, method: str, headers: dict[str, str],
                 body: bytes | None, limit: int, end: float, conn: Any, pool: Pool | None,
                 reused: tuple[str, str, int] | None) -> tuple[int, dict[str, str], bytes, str | None]:
    import http.client

    shown = url[:200]
    left = end - time.monotonic()
    if left <= 0:
        conn.close()
        raise PluginError(f'plugin "{name}": HTTP request to \'{shown}\' timed out')
    watch = _watchdog.arm(end)
    keep = False
    answered = False
    try:
        try:
            if conn.sock is None:
                conn.connect()
            else:
                conn.sock.settimeout(left)
            watch.sock = conn.sock
            if watch.expired:
                watch.expire()
            conn.request(method, target.target, body=body, headers=headers)
            resp = conn.getresponse()
            answered = True
            status = int(resp.status)
            hdrs: dict[str, str] = {}
            for k, v in resp.getheaders():
                k = k.lower()
                hdrs[k] = f"{hdrs[k]}, {v}" if k in hdrs else v
            location = resp.getheader("location") if status in _REDIRECTS else None
            if location is not None:
                return status, hdrs, b"", location
            chunks, size = [], 0
            while True:
                piece = resp.read1(_CHUNK)
                if not piece:
                    break
                size += len(piece)
                if size > limit:
                    raise PluginError(f'plugin "{name}": HTTP response from \'{shown}\' exceeds the limit of {limit} '
                                      "bytes (memory.maxHttpResponseBytes)")
                chunks.append(piece)
                if time.monotonic() >= end:
                    watch.expire()
                    raise OSError("deadline")
            if watch.expired:
                raise OSError("deadline")
            if resp.length == 0:
                resp.close()  # read1 stops at the announced length without marking the response done
            # read to its end, and the server did not say it closes: the connection can serve again
            keep = pool is not None and resp.isclosed() and not resp.will_close and conn.sock is not None
            return status, hdrs, b"".join(chunks), None
        except (http.client.HTTPException, OSError, ValueError) as err:
            if watch.expired:
                raise PluginError(f'plugin "{name}": HTTP request to \'{shown}\' timed out') from None
            failure = PluginError(f'plugin "{name}": HTTP request to \'{shown}\' failed: '
                                  f"{getattr(err, 'reason', None) or err or type(err).__name__}")
            if reused is not None and not answered and method in _IDEMPOTENT and isinstance(
                    err, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                          ConnectionAbortedError)):
                raise _Stale(failure) from None
            raise failure from None
    finally:
        _watchdog.disarm(watch)
        if keep and not watch.expired and pool is not None:
            pool.give((target.scheme, target.host, target.port), conn)
        else:
            conn.close()
