"""The ``http_request`` host function's HTTP: every hop checked, every byte and second bounded.

The plugin's request is hostile input: a JSON object of bounded size (and so of bounded
depth), a URL that `policy.http_target` takes apart strictly and checks against the grant
before any I/O, headers that are a map of strings without line breaks. Redirects are followed
here, one hop at a time, each hop's URL checked against the grant like the first (a granted
host cannot hand the plugin an ungranted one). The response is read in pieces and refused as
soon as it passes ``maxHttpResponseBytes``; the whole exchange, every hop included, has one
deadline (the call's, or `DEFAULT_TIMEOUT_S`), enforced by closing the socket when it passes, so
a server that drips bytes cannot hold the plugin past it.
"""

from __future__ import annotations

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
            deadline: float | None) -> Response:
    """Perform a plugin's ``http_request``; PluginError (naming the plugin) for anything refused."""
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
        status, resp_headers, data, location = _exchange(name, url, target, method, headers, body, limit, end)
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
              body: bytes | None, limit: int, end: float) -> tuple[int, dict[str, str], bytes, str | None]:
    import http.client

    shown = url[:200]
    left = end - time.monotonic()
    if left <= 0:
        raise PluginError(f'plugin "{name}": HTTP request to \'{shown}\' timed out')
    if target.scheme == "https":
        conn: Any = http.client.HTTPSConnection(target.host, target.port, timeout=left)
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=left)
    expired = threading.Event()
    opened: list[Any] = []  # the socket (http.client forgets it once a response owns it)

    def expire() -> None:
        # the one deadline: whatever the socket is waiting for, it stops now
        expired.set()
        for sock in opened:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(left, expire)
    timer.daemon = True
    timer.start()
    try:
        try:
            conn.connect()
            opened.append(conn.sock)
            if expired.is_set():
                expire()
            conn.request(method, target.target, body=body, headers=headers)
            resp = conn.getresponse()
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
                    expire()
                    raise OSError("deadline")
            if expired.is_set():
                raise OSError("deadline")
            return status, hdrs, b"".join(chunks), None
        except (http.client.HTTPException, OSError, ValueError) as err:
            if expired.is_set():
                raise PluginError(f'plugin "{name}": HTTP request to \'{shown}\' timed out') from None
            raise PluginError(f'plugin "{name}": HTTP request to \'{shown}\' failed: '
                              f"{getattr(err, 'reason', None) or err or type(err).__name__}") from None
    finally:
        timer.cancel()
        conn.close()
