"""The host API v1 (``pilothouse:host/v1``): functions a sandboxed plugin calls to read the
cluster, releases, charts and its credentials.

Every function takes one JSON request and returns one JSON answer, each through an Extism
memory handle: ``(i64 request) -> i64 answer``. The answer is ``{"result": ...}`` or, for a
failure the plugin may handle (not found, the API server's own 403), ``{"error": {"code",
"reason", "message"}}``. A call the plugin's grant does not allow is not an answer: it stops the
plugin with an error naming the plugin, the function and the missing grant.

`call` is what the runtime links for each function; the functions themselves live in one
module per family (`kube`, `releases`, `charts`, `credentials`), imported on first use.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from pilothouse.errors import PluginError

VERSION = "v1"
MAX_REQUEST = 1 << 20  # 1 MiB: every request of v1 is far smaller
_FAMILIES = {"kube_get": "kube", "kube_list": "kube", "kube_discovery": "kube", "kube_openapi": "kube",
             "release_list": "releases", "release_history": "releases", "release_get": "releases",
             "chart_file": "charts", "chart_render": "charts", "credential_get": "credentials"}


_impls: dict[str, Any] = {}
# built once: json.dumps with arguments builds an encoder on every call
_ENCODE = json.JSONEncoder(separators=(",", ":"), default=str).encode
_DECODE = json.JSONDecoder().decode


class HostDenied(PluginError):
    """A call the plugin's grant does not allow: the plugin is stopped with this message."""


class HostFailure(Exception):
    """A failure the plugin receives as an ``error`` answer (it keeps running)."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.code, self.reason, self.message = code, reason, message


def names() -> tuple[str, ...]:
    """The functions of the host API v1 (besides ``log`` and ``getenv``, which the runtime owns)."""
    return tuple(_FAMILIES)


def denied(plugin: str, fn: str, missing: str) -> HostDenied:
    """The error that stops a plugin: who, which function, what grant is missing."""
    return HostDenied(f'plugin "{plugin}" may not call {fn}: {missing}')


def call(plugin: str, caps: Any, fn: str, raw: bytes, memo: dict[str, Any] | None = None) -> bytes:
    """Run host function ``fn`` for ``plugin`` (granted ``caps``) on the JSON request ``raw``.

    ``memo`` holds what the functions may keep for the rest of one guest call (the runtime
    empties it when a call starts): the user's settings are read once per call, not per request.
    """
    if fn not in (caps.host_functions or ()):
        raise denied(plugin, fn, "the function is not granted (add it to runtimeConfig.hostFunctions)")
    if len(raw) > MAX_REQUEST:
        raise denied(plugin, fn, f"request of {len(raw)} bytes exceeds the limit of {MAX_REQUEST}")
    try:
        req = _DECODE(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, ValueError) as err:
        raise HostDenied(f'plugin "{plugin}": {fn} needs a JSON object as its request: {err}') from None
    if not isinstance(req, dict):
        raise HostDenied(f'plugin "{plugin}": {fn} needs a JSON object as its request')
    impl = _impls.get(fn)
    if impl is None:
        impl = _impls[fn] = getattr(importlib.import_module(f"pilothouse.plugin.host.{_FAMILIES[fn]}"), fn)
    try:
        result = impl(Call(plugin, caps, fn, memo), req)
    except HostFailure as f:
        return _ENCODE({"error": {"code": f.code, "reason": f.reason, "message": f.message}}).encode()
    except PluginError:
        raise
    except Exception as err:  # noqa: BLE001 - a fault of the host is reported, never a traceback
        raise PluginError(f'plugin "{plugin}": host function {fn} failed: {type(err).__name__}: {err}') from None
    return _ENCODE({"result": result}).encode()


class Call:
    """Who is calling and with what grant; helpers for checks and errors."""

    __slots__ = ("plugin", "caps", "fn", "memo")

    def __init__(self, plugin: str, caps: Any, fn: str, memo: dict[str, Any] | None = None) -> None:
        self.plugin, self.caps, self.fn = plugin, caps, fn
        self.memo = memo if memo is not None else {}

    @property
    def grant(self) -> dict[str, Any]:
        return self.caps.host_api or {}

    def deny(self, missing: str) -> HostDenied:
        return denied(self.plugin, self.fn, missing)

    def string(self, req: dict[str, Any], key: str, *, required: bool = True, limit: int = 1024) -> str:
        """A string field of the request, bounded; a wrong type stops the plugin."""
        val = req.get(key)
        if val is None or val == "":
            if required:
                raise HostDenied(f'plugin "{self.plugin}": {self.fn} needs "{key}"')
            return ""
        if not isinstance(val, str):
            raise HostDenied(f'plugin "{self.plugin}": {self.fn}: "{key}" must be a string')
        if len(val) > limit or "\x00" in val:
            raise HostDenied(f'plugin "{self.plugin}": {self.fn}: "{key}" is invalid (too long or a NUL byte)')
        return val
