"""Sprig's urlParse and urlJoin, with Go's net/url parsing, escaping and error texts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.funcs.gounicode import from_bytes, to_bytes
from pilothouse.gotemplate.gotypes import FuncError, gofunc

# net/url encoding modes
_PATH, _PATH_SEGMENT, _HOST, _ZONE, _USER_PASSWORD, _QUERY_COMPONENT, _FRAGMENT = range(7)


class URLError(ValueError):
    """A URL net/url rejects; str() is the inner error text."""


def _should_escape(c: int, mode: int) -> bool:
    ch = chr(c)
    if ch.isascii() and ch.isalnum():
        return False
    if mode in (_HOST, _ZONE) and ch in "!$&'()*+,;=:[]<>\"":
        return False
    if ch in "-_.~":
        return False
    if ch in "$&+,/:;=?@":
        if mode == _PATH:
            return ch == "?"
        if mode == _PATH_SEGMENT:
            return ch in "/;,?"
        if mode == _USER_PASSWORD:
            return ch in "@/?:"
        if mode == _QUERY_COMPONENT:
            return True
        if mode == _FRAGMENT:
            return False
    if mode == _FRAGMENT and ch in "!()*":
        return False
    return True


def escape(s: str, mode: int) -> str:
    """net/url's escape."""
    out = []
    for c in to_bytes(s):
        if _should_escape(c, mode):
            if c == 0x20 and mode == _QUERY_COMPONENT:
                out.append("+")
            else:
                out.append(f"%{c:02X}")
        else:
            out.append(chr(c))
    return "".join(out)


def _ishex(c: str) -> bool:
    return c in "0123456789abcdefABCDEF"


def unescape(s: str, mode: int) -> str:
    """net/url's unescape; raises URLError with Go's message."""
    raw = to_bytes(s)
    i = 0
    n = len(raw)
    out = bytearray()
    while i < n:
        c = raw[i]
        if c == 0x25:  # '%'
            frag = raw[i:i + 3]
            if i + 2 >= n or not _ishex(chr(raw[i + 1])) or not _ishex(chr(raw[i + 2])):
                frag_s = from_bytes(frag)
                from pilothouse.gotemplate.gofmt import quote

                raise URLError("invalid URL escape " + quote(frag_s))
            if mode == _HOST and int(chr(raw[i + 1]), 16) < 8 and frag != b"%25":
                from pilothouse.gotemplate.gofmt import quote

                raise URLError("invalid URL escape " + quote(from_bytes(frag)))
            out.append(int(from_bytes(frag[1:]), 16))
            i += 3
            continue
        if mode in (_HOST, _ZONE) and c < 0x80 and _should_escape(c, mode):
            from pilothouse.gotemplate.gofmt import quote

            raise URLError("invalid character " + quote(chr(c)) + " in host name")
        out.append(c)
        i += 1
    return from_bytes(bytes(out))


class URL:
    """The fields of Go's url.URL that Sprig reads or writes."""

    def __init__(
        self,
        scheme: str = "",
        opaque: str = "",
        host: str = "",
        path: str = "",
        raw_query: str = "",
        fragment: str = "",
    ) -> None:
        self.scheme = scheme
        self.opaque = opaque
        self.user: tuple[str, str | None] | None = None
        self.host = host
        self.path = path
        self.raw_query = raw_query
        self.fragment = fragment
        self.force_query = False
        self.omit_host = False

    def hostname(self) -> str:
        """url.URL.Hostname: host without port and IPv6 brackets."""
        host = self.host
        colon = host.rfind(":")
        if colon != -1 and _valid_optional_port(host[colon:]):
            host = host[:colon]
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        return host

    def userinfo(self) -> str:
        """url.Userinfo.String."""
        if self.user is None:
            return ""
        name, password = self.user
        s = escape(name, _USER_PASSWORD)
        if password is not None:
            s += ":" + escape(password, _USER_PASSWORD)
        return s

    def string(self) -> str:
        """url.URL.String."""
        buf = []
        if self.scheme:
            buf.append(self.scheme + ":")
        if self.opaque:
            buf.append(self.opaque)
        else:
            if self.scheme or self.host or self.user is not None:
                if not (self.omit_host and self.host == "" and self.user is None):
                    if self.host or self.path or self.user is not None:
                        buf.append("//")
                    if self.user is not None:
                        buf.append(self.userinfo() + "@")
                    if self.host:
                        buf.append(escape(self.host, _HOST))
            path = "*" if self.path == "*" else escape(self.path, _PATH)
            if path and path[0] != "/" and self.host:
                buf.append("/")
            if not buf and ":" in path.partition("/")[0]:
                buf.append("./")
            buf.append(path)
        if self.force_query or self.raw_query:
            buf.append("?" + self.raw_query)
        if self.fragment:
            buf.append("#" + escape(self.fragment, _FRAGMENT))
        return "".join(buf)


def _valid_optional_port(port: str) -> bool:
    if port == "":
        return True
    if port[0] != ":":
        return False
    return all("0" <= c <= "9" for c in port[1:])


def _get_scheme(raw: str) -> tuple[str, str]:
    for i, c in enumerate(raw):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and (c.isdigit() or c in "+-."):
            if i == 0:
                return "", raw
            continue
        if c == ":":
            if i == 0:
                raise URLError("missing protocol scheme")
            return raw[:i], raw[i + 1:]
        return "", raw
    return "", raw


def _parse_host(host: str) -> str:
    if host.startswith("["):
        i = host.rfind("]")
        if i < 0:
            raise URLError("missing ']' in host")
        colon_port = host[i + 1:]
        if not _valid_optional_port(colon_port):
            from pilothouse.gotemplate.gofmt import quote

            raise URLError(f"invalid port {quote(colon_port)} after host")
        zone = host[:i].find("%25")
        if zone >= 0:
            host1 = unescape(host[:zone], _HOST)
            host2 = unescape(host[zone:i], _ZONE)
            host3 = unescape(host[i:], _HOST)
            return host1 + host2 + host3
    else:
        i = host.rfind(":")
        if i != -1:
            colon_port = host[i:]
            if not _valid_optional_port(colon_port):
                from pilothouse.gotemplate.gofmt import quote

                raise URLError(f"invalid port {quote(colon_port)} after host")
    return unescape(host, _HOST)


def _valid_userinfo(s: str) -> bool:
    for c in s:
        if c.isascii() and c.isalnum():
            continue
        if c in "-._:~!$&'()*+,;=%@":
            continue
        return False
    return True


def _parse_authority(authority: str) -> tuple[tuple[str, str | None] | None, str]:
    i = authority.rfind("@")
    host = _parse_host(authority if i < 0 else authority[i + 1:])
    if i < 0:
        return None, host
    userinfo = authority[:i]
    if not _valid_userinfo(userinfo):
        raise URLError("net/url: invalid userinfo")
    if ":" not in userinfo:
        return (unescape(userinfo, _USER_PASSWORD), None), host
    name, _, password = userinfo.partition(":")
    return (unescape(name, _USER_PASSWORD), unescape(password, _USER_PASSWORD)), host


def _parse(raw: str) -> URL:
    if any(ord(c) < 0x20 or c == "\x7f" for c in raw):
        raise URLError("net/url: invalid control character in URL")
    url = URL()
    if raw == "*":
        url.path = "*"
        return url
    scheme, rest = _get_scheme(raw)
    url.scheme = scheme.lower()
    if rest.endswith("?") and rest.count("?") == 1:
        url.force_query = True
        rest = rest[:-1]
    else:
        rest, _, url.raw_query = rest.partition("?")
    if not rest.startswith("/"):
        if url.scheme:
            url.opaque = rest
            return url
        if ":" in rest.partition("/")[0]:
            raise URLError("first path segment in URL cannot contain colon")
    if (url.scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, rest = rest[2:], ""
        i = authority.find("/")
        if i >= 0:
            authority, rest = authority[:i], authority[i:]
        url.user, url.host = _parse_authority(authority)
    elif url.scheme and rest.startswith("/"):
        url.omit_host = True
    url.path = unescape(rest, _PATH)
    return url


def parse(raw: str) -> URL:
    """url.Parse; raises URLError with Go's full `parse "...": ...` text."""
    from pilothouse.gotemplate.gofmt import quote

    u, _, frag = raw.partition("#")
    try:
        url = _parse(u)
    except URLError as e:
        raise URLError(f"parse {quote(u)}: {e}") from None
    if frag:
        try:
            url.fragment = unescape(frag, _FRAGMENT)
        except URLError as e:
            raise URLError(f"parse {quote(raw)}: {e}") from None
    return url


@gofunc("string")
def url_parse(v: str) -> dict:
    """urlParse: a dict of scheme, host, hostname, path, query, opaque, fragment, userinfo."""
    try:
        u = parse(v)
    except URLError as e:
        raise FuncError(f"unable to parse url: {e}") from None
    return {
        "scheme": u.scheme,
        "host": u.host,
        "hostname": u.hostname(),
        "path": u.path,
        "query": u.raw_query,
        "opaque": u.opaque,
        "fragment": u.fragment,
        "userinfo": u.userinfo(),
    }


def _get_str(d: dict, key: str) -> str:
    if key not in d:
        return ""
    v = d[key]
    if v is None:
        raise FuncError("runtime error: invalid memory address or nil pointer dereference")
    if not isinstance(v, str):
        from pilothouse.gotemplate.gofmt import kind_name

        raise FuncError(f"unable to parse {key} key, must be of type string, but {kind_name(v)} found")
    return v


@gofunc("map[string]interface {}")
def url_join(d: dict) -> str:
    """urlJoin: the URL string built from urlParse's keys."""
    d = d or {}
    u = URL(
        scheme=_get_str(d, "scheme"),
        host=_get_str(d, "host"),
        path=_get_str(d, "path"),
        raw_query=_get_str(d, "query"),
        opaque=_get_str(d, "opaque"),
        fragment=_get_str(d, "fragment"),
    )
    userinfo = _get_str(d, "userinfo")
    if userinfo:
        try:
            u.user = parse(f"proto://{userinfo}@host").user
        except URLError as e:
            raise FuncError(f"unable to parse userinfo in dict: {e}") from None
    return u.string()


FUNCS: dict[str, Callable[..., Any]] = {
    "urlParse": url_parse,
    "urlJoin": url_join,
}
