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

A default memory cap applies when a plugin requests none.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
from typing import Any

from pilothouse.errors import PluginError

PAGE = 65536
DEFAULT_MAX_PAGES = 4096  # 256 MiB: enough for a Go plugin, small enough to stop a memory bomb
DEFAULT_MAX_OUTPUT = 64 << 20
DEFAULT_MAX_VAR_BYTES = 0  # as in Helm: vars are off unless requested
# host functions Pilothouse offers under the module "pilothouse:host/v1"
HOST_FUNCTIONS = ("log", "getenv")
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
              "allowed_hosts", "create_temp_dir", "mounts", "env", "host_functions", "config")
    __slots__ = FIELDS

    def __init__(self, max_pages: int = 0, max_http_response_bytes: int = 0, max_var_bytes: int = 0,
                 timeout_ms: int = 0, fuel: int = 0, max_output_bytes: int = 0,
                 allowed_hosts: list[str] | None = None, create_temp_dir: bool = False,
                 mounts: list[Mount] | None = None, env: list[str] | None = None,
                 host_functions: list[str] | None = None, config: dict[str, str] | None = None) -> None:
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

    def copy(self) -> Capabilities:
        c = Capabilities(**{f: getattr(self, f) for f in self.FIELDS})
        c.mounts = [Mount(m.host, m.guest, m.writable) for m in self.mounts]
        return c

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Capabilities) and repr(self) == repr(other)

    def __repr__(self) -> str:
        return "Capabilities(" + ", ".join(f"{f}={getattr(self, f)!r}" for f in self.FIELDS) + ")"

    def extensions(self) -> dict[str, Any]:
        """The Pilothouse-only requests, which need the user's approval."""
        return {"fuel": self.fuel, "maxOutputBytes": self.max_output_bytes,
                "mounts": [m.as_dict() for m in self.mounts], "env": sorted(self.env)}

    def digest(self) -> str:
        """A stable digest of the requests that need approval."""
        blob = json.dumps(self.extensions(), sort_keys=True).encode()
        return "sha256:" + hashlib.sha256(blob).hexdigest()

    def describe(self) -> list[str]:
        """One human line per capability, for install prompts and `plugin inspect`."""
        lines = [f"memory: {self.max_pages} pages ({self.max_pages * PAGE // 1024} KiB)"
                 if self.max_pages else f"memory: default cap ({DEFAULT_MAX_PAGES} pages)"]
        lines.append(f"timeout: {self.timeout_ms} ms" if self.timeout_ms else "timeout: none")
        if self.fuel:
            lines.append(f"fuel: {self.fuel} instructions per call")
        lines.append(f"output: up to {self.max_output_bytes or DEFAULT_MAX_OUTPUT} bytes")
        lines.append("http: " + (", ".join(self.allowed_hosts) if self.allowed_hosts else "none")
                     + (f" (responses up to {self.max_http_response_bytes} bytes)" if self.allowed_hosts else ""))
        if self.max_var_bytes:
            lines.append(f"vars: up to {self.max_var_bytes} bytes")
        lines.append("temp dir: /tmp (read-write, per call)" if self.create_temp_dir else "temp dir: none")
        for m in self.mounts:
            lines.append(f"file: {m.host} -> {m.guest} ({'read-write' if m.writable else 'read-only'})")
        if self.env:
            lines.append("env: " + ", ".join(self.env))
        if self.host_functions:
            lines.append("host functions: " + ", ".join(self.host_functions))
        return lines


def _int(val: Any, what: str, source: str) -> int:
    if val is None:
        return 0
    if isinstance(val, bool) or not isinstance(val, int) or val < 0:
        raise PluginError(f"{source}: runtimeConfig {what} must be a non-negative integer")
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
        mounts.append(Mount(host=host, guest=str(m["guest"]), writable=mode == "rw"))
    return Capabilities(
        max_pages=_int(mem.get("maxPages"), "memory.maxPages", source),
        max_http_response_bytes=_int(mem.get("maxHttpResponseBytes"), "memory.maxHttpResponseBytes", source),
        max_var_bytes=_int(mem.get("maxVarBytes"), "memory.maxVarBytes", source),
        timeout_ms=_int(rc.get("timeout"), "timeout", source),
        fuel=_int(rc.get("fuel"), "fuel", source),
        max_output_bytes=_int(rc.get("maxOutputBytes"), "maxOutputBytes", source),
        allowed_hosts=_strlist(rc.get("allowedHosts"), "allowedHosts", source),
        create_temp_dir=bool(fs.get("createTempDir")),
        mounts=mounts,
        env=_strlist(rc.get("env"), "env", source),
        host_functions=_strlist(rc.get("hostFunctions"), "hostFunctions", source),
        config={str(k): str(v) for k, v in config.items()},
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
    """Record that the user approved these requests of plugin ``name``."""
    doc = load_user_config()
    plugins = doc.setdefault("plugins", {})
    entry = plugins.setdefault(name, {}) or {}
    entry["approved"] = caps.digest()
    plugins[name] = entry
    save_user_config(doc)


def forget(name: str) -> None:
    """Drop the approval of an uninstalled plugin (its narrowing is kept)."""
    doc = load_user_config()
    entry = (doc.get("plugins") or {}).get(name)
    if entry and "approved" in entry:
        del entry["approved"]
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
        g.mounts, g.env, g.fuel = [], [], 0
    g.max_pages = _narrow_num(g.max_pages or int(defaults.get("maxPages") or DEFAULT_MAX_PAGES),
                              narrow.get("maxPages"))
    g.timeout_ms = _narrow_num(_narrow_num(g.timeout_ms, defaults.get("timeout")), narrow.get("timeout"))
    g.fuel = _narrow_num(g.fuel, narrow.get("fuel"))
    g.max_output_bytes = _narrow_num(g.max_output_bytes or DEFAULT_MAX_OUTPUT, narrow.get("maxOutputBytes"))
    g.max_http_response_bytes = _narrow_num(g.max_http_response_bytes, narrow.get("maxHttpResponseBytes"))
    g.max_var_bytes = _narrow_num(g.max_var_bytes, narrow.get("maxVarBytes"))
    for key, attr in (("allowedHosts", "allowed_hosts"), ("env", "env"), ("hostFunctions", "host_functions")):
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
    return g


def approval_state(name: str, req: Capabilities, user: dict[str, Any] | None = None) -> str:
    """``approved``, ``not approved`` or ``changed since approval`` (extensions only)."""
    user = load_user_config() if user is None else user
    entry = (user.get("plugins") or {}).get(name) or {}
    if not req.extensions()["mounts"] and not req.env and not req.fuel and not req.max_output_bytes:
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
