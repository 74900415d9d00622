"""The sandbox policy: what a Wasm plugin asks for, what the user allows, what it is given.

This is the one module every runtime asks. Nothing is granted that is not both requested in
the plugin's ``runtimeConfig`` and left in place by the user's configuration:

* Helm's own keys (``memory.*``, ``timeout``, ``allowedHosts``, ``fileSystem.createTempDir``,
  ``config``, ``hostFunctions``) mean what they mean in Helm 4, so a plugin written for Helm
  gets the same grants (Helm calls them "manifest" settings).
* Pilothouse's keys, which Helm ignores (its ``runtimeConfig`` decoding is lenient):
  ``fuel`` (instructions per call), ``maxOutputBytes``, ``fileSystem.mounts`` (host paths mapped
  read-only or read-write), ``env`` (environment variable names). These reach beyond what Helm
  gives, so they are granted only after the user approved them (``pilot plugin install`` asks
  and records the approval; a plugin whose requests change loses them until approved again).
* The user narrows any plugin in ``$HELM_CONFIG_HOME/pilothouse/plugins.yaml``::

      defaults: {maxPages: 2048, timeout: 60000}
      plugins:
        NAME:
          approved: <digest of the requests, written by `pilot plugin install`>
          narrow: {allowedHosts: [...], timeout: 500, maxPages: 64, env: [...],
                   mounts: {/guest: ro}, hostFunctions: [...], maxHttpResponseBytes: 1024}

A default memory cap applies when a plugin requests none. A plugin that was not approved (for
example one copied into ``HELM_PLUGINS`` by hand) runs with the safe defaults for every limit:
memory, output, HTTP response and var sizes are capped at the defaults whatever it requests, and
none of the Pilothouse extensions are granted. Mount host paths are resolved (symbolic links
followed) when they are requested, so approval is bound to the real directory: if the path later
resolves elsewhere, the mount is refused until approved again.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
from typing import Any

from pilothouse.errors import PluginError
from pilothouse.plugin import grants

PAGE = 65536
DEFAULT_MAX_PAGES = 4096  # 256 MiB: enough for a Go plugin, small enough to stop a memory bomb
DEFAULT_MAX_OUTPUT = 64 << 20
DEFAULT_MAX_VAR_BYTES = 0  # as in Helm: vars are off unless requested
# what a plugin gets at most without the user's approval (user `defaults:` may change them)
DEFAULT_MAX_HTTP_RESPONSE = 64 << 20
DEFAULT_VAR_CAP = 16 << 20
# host functions Pilothouse offers under the module "pilothouse:host/v1"
HOST_FUNCTIONS = ("log", "getenv", *grants.FUNCTIONS)
# Helm's settings a plugin of each type receives through WASI env (credentials excluded)
_CONTEXT_ENV_TYPES = ("cli/v1", "getter/v1")


class Mount:
    """A host directory visible to the plugin at ``guest``."""

    __slots__ = ("host", "guest", "writable")

    def __init__(self, host: str, guest: str, writable: bool = False) -> None:
        self.host = host
        self.guest = guest
        self.writable = writable

    def as_dict(self) -> dict[str, Any]:
        return {"host": self.host, "guest": self.guest, "writable": self.writable}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mount) and self.as_dict() == other.as_dict()

    def __repr__(self) -> str:
        return f"Mount({self.host!r}, {self.guest!r}, {self.writable!r})"


class Capabilities:
    """A set of capabilities: either what a plugin requests or what it is granted.

    A plain class, not a dataclass, to keep a one-shot `pilot` run's imports cheap.
    """

    FIELDS = ("max_pages", "max_http_response_bytes", "max_var_bytes", "timeout_ms", "fuel", "max_output_bytes",
              "allowed_hosts", "create_temp_dir", "mounts", "env", "host_functions", "config", "host_api")
    __slots__ = FIELDS

    def __init__(self, max_pages: int = 0, max_http_response_bytes: int = 0, max_var_bytes: int = 0,
                 timeout_ms: int = 0, fuel: int = 0, max_output_bytes: int = 0,
                 allowed_hosts: list[str] | None = None, create_temp_dir: bool = False,
                 mounts: list[Mount] | None = None, env: list[str] | None = None,
                 host_functions: list[str] | None = None, config: dict[str, str] | None = None,
                 host_api: dict[str, Any] | None = None) -> None:
        self.max_pages = max_pages  # 0 = none requested
        self.max_http_response_bytes = max_http_response_bytes
        self.max_var_bytes = max_var_bytes
        self.timeout_ms = timeout_ms  # 0 = no deadline
        self.fuel = fuel  # 0 = no fuel limit
        self.max_output_bytes = max_output_bytes  # 0 = the default
        self.allowed_hosts: list[str] = list(allowed_hosts or [])
        self.create_temp_dir = create_temp_dir
        self.mounts: list[Mount] = list(mounts or [])
        self.env: list[str] = list(env or [])
        self.host_functions: list[str] = list(host_functions or [])
        self.config: dict[str, str] = dict(config or {})
        # the host API v1 grant (`grants`): a JSON-able dict, empty when none is requested
        self.host_api: dict[str, Any] = json.loads(json.dumps(host_api)) if host_api else {}

    def copy(self) -> Capabilities:
        c = Capabilities(**{f: getattr(self, f) for f in self.FIELDS})
        c.mounts = [Mount(m.host, m.guest, m.writable) for m in self.mounts]
        c.host_api = json.loads(json.dumps(self.host_api))
        return c

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Capabilities) and repr(self) == repr(other)

    def __repr__(self) -> str:
        return "Capabilities(" + ", ".join(f"{f}={getattr(self, f)!r}" for f in self.FIELDS) + ")"

    def extensions(self) -> dict[str, Any]:
        """The requests which need the user's approval: Pilothouse's own keys, and any limit above
        what an unapproved plugin gets (keys present only then, so older approvals stay valid)."""
        ext: dict[str, Any] = {"fuel": self.fuel, "maxOutputBytes": self.max_output_bytes,
                               "mounts": [m.as_dict() for m in self.mounts], "env": sorted(self.env)}
        if self.host_api:
            # only when present, so approvals given before the host API existed stay valid
            ext["hostAPI"] = self.host_api
        above = {key: val for key, val, cap in self._limits() if val > cap}
        if above:
            ext["limitsAboveDefaults"] = above
        return ext

    def _limits(self) -> list[tuple[str, int, int]]:
        return [("maxPages", self.max_pages, DEFAULT_MAX_PAGES),
                ("maxHttpResponseBytes", self.max_http_response_bytes, DEFAULT_MAX_HTTP_RESPONSE),
                ("maxVarBytes", self.max_var_bytes, DEFAULT_VAR_CAP)]

    def needs_approval(self) -> bool:
        """Does anything requested go beyond what an unapproved plugin gets?"""
        ext = self.extensions()
        return bool(ext["mounts"] or ext["env"] or ext["fuel"] or ext["maxOutputBytes"]
                    or ext.get("limitsAboveDefaults") or ext.get("hostAPI"))

    def digest(self) -> str:
        """A stable digest of the requests that need approval."""
        blob = json.dumps(self.extensions(), sort_keys=True).encode()
        return "sha256:" + hashlib.sha256(blob).hexdigest()

    def describe(self) -> list[str]:
        """One human line per capability, for install prompts and `plugin inspect`.

        Plugin-supplied strings are escaped (see `pilothouse.plugin.safetext`)."""
        from pilothouse.plugin.safetext import escape as e

        lines = [f"memory: {self.max_pages} pages ({self.max_pages * PAGE // 1024} KiB)"
                 if self.max_pages else f"memory: default cap ({DEFAULT_MAX_PAGES} pages)"]
        lines.append(f"timeout: {self.timeout_ms} ms" if self.timeout_ms else "timeout: none")
        if self.fuel:
            lines.append(f"fuel: {self.fuel} instructions per call")
        lines.append(f"output: up to {self.max_output_bytes or DEFAULT_MAX_OUTPUT} bytes")
        lines.append("http: " + (", ".join(e(h) for h in self.allowed_hosts) if self.allowed_hosts else "none")
                     + (f" (responses up to {self.max_http_response_bytes} bytes)" if self.allowed_hosts else ""))
        if self.max_var_bytes:
            lines.append(f"vars: up to {self.max_var_bytes} bytes")
        lines.append("temp dir: /tmp (read-write, per call)" if self.create_temp_dir else "temp dir: none")
        for m in self.mounts:
            lines.append(f"file: {e(m.host)} -> {e(m.guest)} ({'read-write' if m.writable else 'read-only'})")
        if self.env:
            lines.append("env: " + ", ".join(e(v) for v in self.env))
        if self.host_functions:
            lines.append("host functions: " + ", ".join(e(f) for f in self.host_functions))
        lines.extend(grants.describe(self.host_api))
        return lines


_U32, _I64, _U64 = (1 << 32) - 1, (1 << 63) - 1, (1 << 64) - 1


def _int(val: Any, what: str, source: str, maximum: int = _I64) -> int:
    if val is None:
        return 0
    if isinstance(val, bool) or not isinstance(val, int) or val < 0:
        raise PluginError(f"{source}: runtimeConfig {what} must be a non-negative integer")
    if val > maximum:
        # the Go types of Helm's fields (uint32 pages, int64 bytes, uint64 ms) cannot hold it either
        raise PluginError(f"{source}: runtimeConfig {what} is out of range (at most {maximum})")
    return val


def _strlist(val: Any, what: str, source: str) -> list[str]:
    if val is None:
        return []
    if not isinstance(val, list) or any(not isinstance(x, str) for x in val):
        raise PluginError(f"{source}: runtimeConfig {what} must be a list of strings")
    return list(val)


def requested(rc: dict[str, Any], source: str = "plugin.yaml", plugin_dir: str = "") -> Capabilities:
    """The capabilities an ``extism/v1`` plugin's runtimeConfig requests."""
    mem = rc.get("memory") or {}
    fs = rc.get("fileSystem") or {}
    if not isinstance(mem, dict) or not isinstance(fs, dict):
        raise PluginError(f"{source}: runtimeConfig memory and fileSystem must be mappings")
    config = rc.get("config") or {}
    if not isinstance(config, dict):
        raise PluginError(f"{source}: runtimeConfig config must be a mapping of strings")
    mounts = []
    for m in fs.get("mounts") or []:
        if not isinstance(m, dict) or not m.get("host") or not m.get("guest"):
            raise PluginError(f"{source}: each fileSystem.mounts entry needs host and guest")
        mode = str(m.get("mode") or "ro")
        if mode not in ("ro", "rw"):
            raise PluginError(f"{source}: fileSystem.mounts mode must be ro or rw")
        host = os.path.expanduser(os.path.expandvars(str(m["host"])))
        if plugin_dir and not os.path.isabs(host):
            host = os.path.join(plugin_dir, host)
        # what is shown, approved and opened is the real directory, never a link to it
        host = os.path.realpath(host)
        mounts.append(Mount(host=host, guest=str(m["guest"]), writable=mode == "rw"))
    return Capabilities(
        max_pages=_int(mem.get("maxPages"), "memory.maxPages", source, _U32),
        max_http_response_bytes=_int(mem.get("maxHttpResponseBytes"), "memory.maxHttpResponseBytes", source),
        max_var_bytes=_int(mem.get("maxVarBytes"), "memory.maxVarBytes", source),
        timeout_ms=_int(rc.get("timeout"), "timeout", source, _U64),
        fuel=_int(rc.get("fuel"), "fuel", source),
        max_output_bytes=_int(rc.get("maxOutputBytes"), "maxOutputBytes", source),
        allowed_hosts=_strlist(rc.get("allowedHosts"), "allowedHosts", source),
        create_temp_dir=bool(fs.get("createTempDir")),
        mounts=mounts,
        env=_strlist(rc.get("env"), "env", source),
        host_functions=_strlist(rc.get("hostFunctions"), "hostFunctions", source),
        config={str(k): str(v) for k, v in config.items()},
        host_api=grants.parse(rc, source),
    )


def check_runtime_config(rc: dict[str, Any], source: str) -> None:
    """Validate the shapes of an extism/v1 runtimeConfig (unknown keys are allowed, as in Helm)."""
    requested(rc, source)
    entry = rc.get("entryFuncName")
    if entry is not None and not isinstance(entry, str):
        raise PluginError(f"{source}: runtimeConfig entryFuncName must be a string")


# ---- the user's configuration ----------------------------------------------------------------

def config_path() -> str:
    """Where the user's plugin policy lives."""
    from pilothouse.plugin.env import config_home

    return os.path.join(config_home(), "pilothouse", "plugins.yaml")


_user_memo: dict[str, tuple[tuple[int, int, int], dict[str, Any]]] = {}


def load_user_config() -> dict[str, Any]:
    """The user's policy file, or an empty one (read again only when the file changes)."""
    path = config_path()
    try:
        st = os.stat(path)
    except OSError:
        return {}
    key = (st.st_size, st.st_mtime_ns, st.st_ino)
    hit = _user_memo.get(path)
    if hit is not None and hit[0] == key:
        return json.loads(json.dumps(hit[1]))
    from pilothouse.plugin.cache import parsed_yaml

    try:
        doc = parsed_yaml(path, st) or {}
    except Exception as err:  # noqa: BLE001 - OSError or the YAML parser's error, both reported the same way
        raise PluginError(f"cannot read plugin policy {path}: {err}") from None
    if not isinstance(doc, dict):
        raise PluginError(f"cannot read plugin policy {path}: not a mapping")
    _user_memo[path] = (key, doc)
    return json.loads(json.dumps(doc))


def save_user_config(doc: dict[str, Any]) -> None:
    """Write the user's policy file atomically."""
    import yaml

    path = config_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        yaml.safe_dump(doc, fh, sort_keys=True)
    os.replace(tmp, path)


def approve(name: str, caps: Capabilities) -> None:
    """Record that the user approved these requests of plugin ``name`` (mounts by real path)."""
    doc = load_user_config()
    plugins = doc.setdefault("plugins", {})
    entry = plugins.setdefault(name, {}) or {}
    entry["approved"] = caps.digest()
    if caps.mounts:
        entry["approvedMounts"] = {m.guest: m.host for m in caps.mounts}
    else:
        entry.pop("approvedMounts", None)
    plugins[name] = entry
    save_user_config(doc)


def forget(name: str) -> None:
    """Drop the approval of an uninstalled plugin (its narrowing is kept)."""
    doc = load_user_config()
    entry = (doc.get("plugins") or {}).get(name)
    if entry and ("approved" in entry or "approvedMounts" in entry):
        entry.pop("approved", None)
        entry.pop("approvedMounts", None)
        save_user_config(doc)


def _narrow_num(req: int, limit: Any) -> int:
    """The smaller of two limits where 0 means "unlimited"."""
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        return req
    return limit if req == 0 else min(req, limit)


def grant(name: str, req: Capabilities, user: dict[str, Any] | None = None) -> Capabilities:
    """What plugin ``name`` is given: its requests, narrowed by the user, approvals applied."""
    user = load_user_config() if user is None else user
    defaults = user.get("defaults") or {}
    entry = (user.get("plugins") or {}).get(name) or {}
    narrow = entry.get("narrow") or {}
    approved = entry.get("approved") == req.digest()

    g = req.copy()
    if not approved:
        _check_moved_mounts(name, req, entry)
        # an unapproved plugin gets the safe defaults for every limit, whatever it asks for
        g.mounts, g.env, g.fuel, g.host_api = [], [], 0, {}
        g.max_pages = min(g.max_pages or DEFAULT_MAX_PAGES, _cap(defaults, "maxPages", DEFAULT_MAX_PAGES))
        g.max_output_bytes = min(g.max_output_bytes or DEFAULT_MAX_OUTPUT,
                                 _cap(defaults, "maxOutputBytes", DEFAULT_MAX_OUTPUT))
        g.max_http_response_bytes = min(g.max_http_response_bytes,
                                        _cap(defaults, "maxHttpResponseBytes", DEFAULT_MAX_HTTP_RESPONSE))
        g.max_var_bytes = min(g.max_var_bytes, _cap(defaults, "maxVarBytes", DEFAULT_VAR_CAP))
    g.host_api = grants.narrow(g.host_api, narrow.get("hostAPI"))
    g.max_pages = _narrow_num(g.max_pages or int(defaults.get("maxPages") or DEFAULT_MAX_PAGES),
                              narrow.get("maxPages"))
    g.timeout_ms = _narrow_num(_narrow_num(g.timeout_ms, defaults.get("timeout")), narrow.get("timeout"))
    g.fuel = _narrow_num(g.fuel, narrow.get("fuel"))
    g.max_output_bytes = _narrow_num(g.max_output_bytes or DEFAULT_MAX_OUTPUT, narrow.get("maxOutputBytes"))
    g.max_http_response_bytes = _narrow_num(g.max_http_response_bytes, narrow.get("maxHttpResponseBytes"))
    g.max_var_bytes = _narrow_num(g.max_var_bytes, narrow.get("maxVarBytes"))
    if isinstance(narrow.get("allowedHosts"), list):
        # a host (or narrower pattern) the request's patterns cover: "*" narrowed to one server
        g.allowed_hosts = [h for h in dict.fromkeys(narrow["allowedHosts"]) if isinstance(h, str) and any(
            h == p or fnmatch.fnmatchcase(h, p) for p in g.allowed_hosts)]
    for key, attr in (("env", "env"), ("hostFunctions", "host_functions")):
        if key in narrow:
            keep = set(narrow.get(key) or [])
            setattr(g, attr, [x for x in getattr(g, attr) if x in keep])
    if "mounts" in narrow:
        modes = narrow.get("mounts") or {}
        kept = []
        for m in g.mounts:
            mode = modes.get(m.guest)
            if mode in ("ro", "rw"):
                kept.append(Mount(m.host, m.guest, m.writable and mode == "rw"))
        g.mounts = kept
    if narrow.get("createTempDir") is False:
        g.create_temp_dir = False
    user_config = entry.get("config")
    if isinstance(user_config, dict):
        # the user's settings for the plugin (`pilot plugin configure --config`): data, not a grant
        g.config.update({str(k): str(v) for k, v in user_config.items()})
    return g


def _cap(defaults: dict[str, Any], key: str, fallback: int) -> int:
    val = defaults.get(key)
    return val if isinstance(val, int) and not isinstance(val, bool) and val > 0 else fallback


def _check_moved_mounts(name: str, req: Capabilities, entry: dict[str, Any]) -> None:
    """Refuse a plugin whose approved mount now resolves to another host directory."""
    before = entry.get("approvedMounts")
    if not isinstance(before, dict):
        return
    from pilothouse.plugin.safetext import escape

    for m in req.mounts:
        old = before.get(m.guest)
        if isinstance(old, str) and old != m.host:
            raise PluginError(
                f'plugin "{escape(name)}": the host directory of mount {escape(m.guest)} was approved as '
                f"{escape(old)} but now resolves to {escape(m.host)}; review it and run "
                f"`pilot plugin approve {escape(name)}` to grant it again")


def would_grant(name: str, req: Capabilities, user: dict[str, Any] | None = None) -> Capabilities:
    """What plugin ``name`` would be given if the user approved its requests now."""
    user = json.loads(json.dumps(load_user_config() if user is None else user))
    entry = user.setdefault("plugins", {}).setdefault(name, {}) or {}
    entry["approved"] = req.digest()
    entry.pop("approvedMounts", None)
    user["plugins"][name] = entry
    return grant(name, req, user)


def temp_dir_quota(user: dict[str, Any] | None = None, name: str = "") -> Any:
    """The quota of a temp dir grant: the defaults, or the user's ``defaults``/``narrow``
    ``tempDirMaxBytes`` and ``tempDirMaxFiles`` (the smaller wins). Returns a `quota.TempQuota`."""
    from pilothouse.plugin.quota import DEFAULT_TEMP_DIR_MAX_BYTES, DEFAULT_TEMP_DIR_MAX_FILES, TempQuota

    user = load_user_config() if user is None else user
    defaults = user.get("defaults") or {}
    narrow = (((user.get("plugins") or {}).get(name) or {}).get("narrow") or {}) if name else {}
    max_bytes = _narrow_num(_cap(defaults, "tempDirMaxBytes", DEFAULT_TEMP_DIR_MAX_BYTES), narrow.get("tempDirMaxBytes"))
    max_files = _narrow_num(_cap(defaults, "tempDirMaxFiles", DEFAULT_TEMP_DIR_MAX_FILES), narrow.get("tempDirMaxFiles"))
    return TempQuota(max_bytes, max_files)


def approval_state(name: str, req: Capabilities, user: dict[str, Any] | None = None) -> str:
    """``approved``, ``not approved`` or ``changed since approval`` (extensions only)."""
    user = load_user_config() if user is None else user
    entry = (user.get("plugins") or {}).get(name) or {}
    if not req.needs_approval():
        return "nothing to approve"
    if entry.get("approved") == req.digest():
        return "approved"
    return "changed since approval" if entry.get("approved") else "not approved"


# ---- questions the runtimes ask at call time -----------------------------------------------

class HttpTarget:
    """A URL a plugin may fetch, taken apart strictly (see `http_target`)."""

    __slots__ = ("scheme", "host", "port", "target")

    def __init__(self, scheme: str, host: str, port: int, target: str) -> None:
        self.scheme, self.host, self.port, self.target = scheme, host, port, target


_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


def http_target(caps: Capabilities, url: Any) -> HttpTarget:
    """The URL a plugin asked for (every redirect hop too), if its grant allows it.

    Refused before any I/O, with the reason: anything but http and https; anything a URL parser
    could read two ways (backslashes, control characters, spaces, user info, percent-encoded or
    non-ASCII host names, ports that are not plain numbers); hosts not in ``allowedHosts``.
    """
    if not isinstance(url, str) or not url:
        raise PluginError("the request has no URL")
    shown = url[:200].encode("unicode_escape").decode()
    if len(url) > 8192:
        raise PluginError(f"URL '{shown}...' is longer than 8192 characters")
    if any(c <= " " or c in "\\\x7f" or not c.isascii() for c in url):
        raise PluginError(f"URL '{shown}' contains a space, backslash, control or non-ASCII character")
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in ("http", "https"):
        raise PluginError(f"URL '{shown}': only http and https URLs are allowed")
    end = min([i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0] or [len(rest)])
    authority, target = rest[:end], rest[end:]
    if "#" in target:
        target = target[:target.index("#")]
    if "@" in authority:
        raise PluginError(f"URL '{shown}': user information in URLs is not allowed")
    if "%" in authority:
        raise PluginError(f"URL '{shown}': percent-encoded host names are not allowed")
    host, port = authority, ""
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            raise PluginError(f"URL '{shown}': bad IPv6 address")
        host, after = authority[1:close], authority[close + 1:]
        import ipaddress

        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise PluginError(f"URL '{shown}': bad IPv6 address") from None
        if after and not after.startswith(":"):
            raise PluginError(f"URL '{shown}': bad host")
        port = after[1:] if after else ""
        colon = bool(after)
    else:
        host, colon_sep, port = authority.partition(":")
        colon = bool(colon_sep)
        labels = host.split(".")
        if not host or not all(_HOST_LABEL.fullmatch(label) for label in labels):
            raise PluginError(f"URL '{shown}': bad host name")
        if labels[-1].isdigit() and not (_IPV4.fullmatch(host) and all(str(int(x)) == x and int(x) < 256 for x in labels)):
            raise PluginError(f"URL '{shown}': bad IPv4 address")
    if colon and (not port.isdigit() or not port.isascii() or len(port) > 5 or not 0 < int(port) < 65536):
        raise PluginError(f"URL '{shown}': the port must be a number from 1 to 65535")
    host = host.lower()
    if not host_allowed(caps, f"{scheme}://{host}/" if ":" not in host else f"{scheme}://[{host}]/"):
        raise PluginError(f"HTTP request to '{shown}' is not allowed")
    return HttpTarget(scheme, host, int(port) if port else (443 if scheme == "https" else 80), target or "/")


def host_allowed(caps: Capabilities, url: str) -> bool:
    """May the plugin reach this URL? Exact host name or glob, as Extism matches ``allowed_hosts``."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if not host:
        return False
    return any(p == host or fnmatch.fnmatchcase(host, p) for p in caps.allowed_hosts)


def http_refusal(caps: Capabilities, method: str, headers: dict[str, str]) -> str | None:
    """Why an ``http_request`` with this method and these headers is refused, or None.

    The ``http`` grant of the host API lists methods and request headers; without it a plugin
    may GET and HEAD with harmless headers only (Accept, Content-Type, User-Agent).
    """
    if not grants.http_method_allowed(caps.host_api, method):
        return f'method {method.upper()} is not granted (runtimeConfig http.methods)'
    for name in headers:
        if not grants.http_header_allowed(caps.host_api, name):
            return f'header "{name}" is not granted (runtimeConfig http.headers)'
    return None


def wasi_env(caps: Capabilities, ptype: str, context: dict[str, str]) -> dict[str, str]:
    """The environment a Wasm plugin sees: Helm's context for CLI and getter plugins (without
    credentials), plus the variables it was granted by name."""
    from pilothouse.plugin.env import SECRET_VARS

    out: dict[str, str] = {}
    if ptype in _CONTEXT_ENV_TYPES:
        out = {k: v for k, v in context.items()
               if (k.startswith("HELM_") or k == "KUBECONFIG") and k not in SECRET_VARS}
    for name in caps.env:
        if name in context:
            out[name] = context[name]
        elif name in os.environ:
            out[name] = os.environ[name]
    return out


def env_granted(caps: Capabilities, ptype: str, name: str, context: dict[str, str]) -> str | None:
    """The value of one variable for the ``getenv`` host function, or None when not granted."""
    return wasi_env(caps, ptype, context).get(name)


def host_function_granted(caps: Capabilities, name: str) -> bool:
    """Was this Pilothouse host function requested (and not narrowed away)?"""
    return name in caps.host_functions


def log_level(debug: bool) -> int:
    """The Extism log level reported to plugins: 0 trace .. 4 error (info and above by default)."""
    env = os.environ.get("PILOT_PLUGIN_LOG", "").lower()
    names = {"trace": 0, "debug": 1, "info": 2, "warn": 3, "error": 4, "off": 2147483647}
    if env in names:
        return names[env]
    return 1 if debug else 2
