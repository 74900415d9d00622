"""Parsed files kept between runs, keyed by the digest of their bytes.

A command that reads the same kubeconfig on every run need not parse its YAML every time: the
parsed document is stored as JSON next to the compiled templates (``$PILOTHOUSE_CACHE_DIR/parsed``
or else ``$XDG_CACHE_HOME/pilothouse/parsed``, ``~/.cache`` by default; ``PILOTHOUSE_CACHE_DIR=``
turns caching off) and found again by the SHA-256 of the file's content (never by its
modification time), so any change to the file is a miss. Only documents that survive a JSON
round trip unchanged are stored; entries are bounded in size and number, written atomically,
and only entries owned by the current user are read (a kubeconfig says where credentials go).
A damaged, foreign or unreadable entry is a miss; failing to use the cache never fails a command.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

# bump when the parsers whose results are stored change what they return
_FORMAT = b"pilothouse-parsed-1\0"
MAX_ENTRIES = 64
MAX_ENTRY_BYTES = 1 << 20


def _dir(kind: str) -> str | None:
    # the same root as the template compile cache (gotemplate.cache), without importing it
    env = os.environ.get("PILOTHOUSE_CACHE_DIR")
    if env is not None:
        return os.path.join(env, "parsed", kind) if env else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = xdg if xdg and os.path.isabs(xdg) else os.path.join(os.environ.get("HOME") or os.path.expanduser("~"),
                                                                 ".cache")
    return os.path.join(base, "pilothouse", "parsed", kind) if os.path.isabs(base) else None


def cached_parse(kind: str, data: bytes, parse: Callable[[bytes], Any]) -> Any:
    """``parse(data)``, or the result stored for these very bytes by an earlier run."""
    directory = _dir(kind)
    if directory is None or len(data) > MAX_ENTRY_BYTES:
        return parse(data)
    try:
        from _sha256 import sha256  # the builtin module: importing hashlib loads OpenSSL's
    except ImportError:
        from hashlib import sha256
    key = sha256(_FORMAT + kind.encode() + b"\0" + data).hexdigest()
    path = os.path.join(directory, key + ".json")
    try:
        with open(path, "rb") as fh:
            if not hasattr(os, "getuid") or os.fstat(fh.fileno()).st_uid == os.getuid():
                stored = fh.read(MAX_ENTRY_BYTES + 1)
                if len(stored) <= MAX_ENTRY_BYTES:
                    return json.loads(stored)
    except (OSError, ValueError):
        pass
    doc = parse(data)
    try:
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        if json.loads(text) == doc and _same_types(doc, json.loads(text)):
            _store(directory, path, text.encode("utf-8"))
    except (OSError, ValueError, TypeError, RecursionError):
        pass
    return doc


def _same_types(a: Any, b: Any, depth: int = 0) -> bool:
    # 1 == 1.0 == True in Python: a document must come back with the very same types
    if type(a) is not type(b) or depth > 200:
        return False
    if isinstance(a, dict):
        return all(type(k) is str and _same_types(v, b[k], depth + 1) for k, v in a.items())
    if isinstance(a, list):
        return all(_same_types(x, y, depth + 1) for x, y in zip(a, b))
    return True


def _store(directory: str, path: str, blob: bytes) -> None:
    if len(blob) > MAX_ENTRY_BYTES:
        return
    os.makedirs(directory, mode=0o700, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(blob)
    os.replace(tmp, path)
    entries = [e for e in os.scandir(directory) if e.name.endswith(".json")]
    if len(entries) > MAX_ENTRIES:
        entries.sort(key=lambda e: e.stat().st_mtime)
        for old in entries[: len(entries) - MAX_ENTRIES]:
            try:
                os.unlink(old.path)
            except OSError:
                pass
