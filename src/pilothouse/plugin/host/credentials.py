"""Host function ``credential_get``: a named credential the user mapped to the plugin.

The user maps names to sources in their plugin settings (``pilot plugin configure NAME --secret
token=env:VAULT_TOKEN`` or ``token=file:PATH``); the value is read here, in the host, at call
time. The plugin asks for the name only: it never sees the environment or the file system.
"""

from __future__ import annotations

import os
import re
from typing import Any

from pilothouse.plugin import grants
from pilothouse.plugin.host import Call, HostDenied, HostFailure

_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MAX_SECRET = 64 << 10


_memo: dict[str, tuple[tuple[int, int, int], dict[str, Any]]] = {}


def _settings() -> dict[str, Any]:
    """The user's plugin settings, read again only when the file changes (one stat per call)."""
    from pilothouse.plugin import policy

    path = os.path.join(os.environ.get("HELM_CONFIG_HOME") or "", "pilothouse", "plugins.yaml") \
        if os.environ.get("HELM_CONFIG_HOME") else policy.config_path()
    try:
        st = os.stat(path)
    except OSError:
        return {}
    key = (st.st_size, st.st_mtime_ns, st.st_ino)
    hit = _memo.get(path)
    if hit is None or hit[0] != key:
        hit = _memo[path] = (key, policy.load_user_config())
    return hit[1]


def source_of(plugin: str, name: str, user: dict[str, Any] | None = None) -> str | None:
    """The source (``env:VAR`` or ``file:PATH``) the user mapped to credential ``name`` of ``plugin``."""
    user = _settings() if user is None else user
    entry = (user.get("plugins") or {}).get(plugin) or {}
    secrets = entry.get("secrets") or {}
    src = secrets.get(name) if isinstance(secrets, dict) else None
    return src if isinstance(src, str) else None


def read_source(src: str) -> str:
    """The value behind ``env:VAR`` or ``file:PATH``; raises ValueError when unusable."""
    kind, _, ref = src.partition(":")
    if kind == "env":
        if ref not in os.environ:
            raise ValueError(f"environment variable {ref} is not set")
        return os.environ[ref]
    if kind == "file":
        with open(os.path.expanduser(ref), "rb") as fh:
            data = fh.read(MAX_SECRET + 1)
        if len(data) > MAX_SECRET:
            raise ValueError(f"file {ref} is larger than {MAX_SECRET} bytes")
        return data.decode("utf-8").rstrip("\n")
    raise ValueError(f"unknown credential source {src!r} (use env:VAR or file:PATH)")


def credential_get(c: Call, req: dict[str, Any]) -> Any:
    """``{name}`` → ``{name, value}``."""
    name = c.string(req, "name", limit=64)
    if not _NAME.match(name):
        raise HostDenied(f'plugin "{c.plugin}": credential_get: invalid name {name!r}')
    if not grants.credential_allowed(c.grant, name):
        raise c.deny(f'credential "{name}" is not granted (runtimeConfig.credentials)')
    user = c.memo.get("settings")
    if user is None:
        user = c.memo["settings"] = _settings()  # once per guest call
    src = source_of(c.plugin, name, user)
    if src is None:
        raise HostFailure(404, "NotConfigured", f'credential "{name}" is not configured: run `pilot plugin configure '
                                                f'{c.plugin} --secret {name}=env:VAR` (or file:PATH)')
    try:
        return {"name": name, "value": read_source(src)}
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise HostFailure(404, "NotConfigured", f'credential "{name}": {err}') from None
