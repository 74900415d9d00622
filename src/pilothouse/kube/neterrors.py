"""Network failures worded as Go's net/http words them, so that `pilot` prints what `helm` prints:
``Get "https://127.0.0.1:1/version": dial tcp 127.0.0.1:1: connect: connection refused``
instead of Python's ``[Errno 111] Connection refused``."""

from __future__ import annotations

import errno
import ipaddress
import socket
import ssl
from typing import Any
from urllib.parse import urlsplit

_CONNECT_ERRNO = {
    errno.ECONNREFUSED: "connection refused",
    errno.ENETUNREACH: "network is unreachable",
    errno.EHOSTUNREACH: "no route to host",
    errno.ETIMEDOUT: "connection timed out",
    errno.EACCES: "permission denied",
}


def _causes(err: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    seen: set[int] = set()
    todo: list[BaseException | None] = [err]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen or len(out) > 20:
            continue
        seen.add(id(e))
        out.append(e)
        todo.extend([e.__cause__, e.__context__])
        todo.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
    return out


def _nameserver() -> str:
    try:
        with open("/etc/resolv.conf", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "nameserver":
                    host = parts[1]
                    return f"[{host}]:53" if ":" in host else f"{host}:53"
    except OSError:
        pass
    return "127.0.0.1:53"


def _dial_address(host: str, port: int) -> str:
    """The address Go's dialer reports: the first resolved IP with the port."""
    try:
        ip = str(ipaddress.ip_address(host))
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            ip = str(infos[0][4][0]) if infos else host
        except OSError:
            ip = host
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _answers_http(host: str, port: int) -> bool:
    """Whether the server answers a TLS hello with an HTTP status line: Go's transport looks at the
    first five bytes of the answer to tell "server gave HTTP response" from a non-TLS server."""
    hello = b"\x16\x03\x01\x00\x2f\x01\x00\x00\x2b\x03\x03" + b"\x00" * 32 + b"\x00\x00\x02\x00\x2f\x01\x00\r\n\r\n"
    try:
        with socket.create_connection((host, port), timeout=3) as sock:
            sock.sendall(hello)
            head = b""
            while len(head) < 5:
                chunk = sock.recv(5 - len(head))
                if not chunk:
                    break
                head += chunk
    except OSError:
        return False
    return head == b"HTTP/"


def _port_text(netloc: str) -> str:
    """The digits after the host's last colon (none for a bracketed IPv6 host without a port)."""
    hostport = netloc.rpartition("@")[2]
    head, sep, tail = hostport.rpartition(":")
    if not sep or "]" in tail or (head.count(":") and not head.startswith("[")):
        return ""
    return tail


def go_cause(url: str, err: BaseException) -> str:
    """What Go's transport says about ``err`` on the way to ``url`` (the text after the URL)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    digits = _port_text(parts.netloc)
    if digits.isdigit() and int(digits) > 0xFFFF:
        # url.Parse takes any digits; Go's dialer is the one that refuses the number
        return f"dial tcp: address {digits}: invalid port"
    port = (int(digits) if digits.isdigit() else 0) or (443 if parts.scheme == "https" else 80)
    hostport = parts.netloc.rpartition("@")[2]
    if not hostport.startswith("[") and hostport.count(":") > 1:
        # Go splits the port off at the last colon and looks the rest up as a name, which fails at once
        return f"dial tcp: lookup {hostport.rpartition(':')[0]}: no such host"
    causes = _causes(err)
    for e in causes:
        if isinstance(e, socket.gaierror):
            return f"dial tcp: lookup {host} on {_nameserver()}: no such host"
    for e in causes:
        if isinstance(e, ssl.SSLError):
            reason = getattr(e, "reason", "") or ""
            if reason in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG"):
                if _answers_http(host, port):
                    return "http: server gave HTTP response to HTTPS client"
                return "tls: first record does not look like a TLS handshake"
            if isinstance(e, ssl.SSLCertVerificationError):
                return "tls: failed to verify certificate: x509: certificate signed by unknown authority"
            return f"remote error: tls: {reason.lower().replace('_', ' ')}" if reason else str(e)
    for e in causes:
        if isinstance(e, OSError) and e.errno in _CONNECT_ERRNO:
            return f"dial tcp {_dial_address(host, port)}: connect: {_CONNECT_ERRNO[e.errno]}"
    for e in causes:
        name = type(e).__name__
        if "Timeout" in name:
            return f"dial tcp {_dial_address(host, port)}: i/o timeout"
        if isinstance(e, ConnectionResetError) or e.__class__.__name__ == "RemoteProtocolError":
            return "EOF"
    return str(err)


def go_url_error(method: str, url: str, err: BaseException) -> str:
    """Go's *url.Error text: ``Get "URL": cause``."""
    return f'{method[:1].upper()}{method[1:].lower()} "{url}": {go_cause(url, err)}'


def describe(err: Any, method: str, url: str) -> str:
    """`go_url_error` for an httpx error (whose request may carry the exact URL with its query)."""
    request = getattr(err, "_request", None)
    if request is not None:
        url = str(request.url)
    return go_url_error(method, url, err)
