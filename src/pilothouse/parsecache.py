"""Parsed files kept between runs, keyed by the digest of their bytes.

A command that reads the same kubeconfig on every run need not parse its YAML every time: the
parsed document is stored as JSON under ``$HELM_CACHE_HOME/pilothouse/parsed/`` and found again
by the SHA-256 of the file's content (never by its modification time), so any change to the file
is a miss. Only documents that survive a JSON round trip unchanged are stored; entries are
bounded in size and number, written atomically, and a damaged or unreadable entry is a miss.
Failing to use the cache never fails a command.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from typing import Any

# bump when the parsers whose results are stored change what they return
_FORMAT = b"pilothouse-parsed-1\0"
MAX_ENTRIES = 64
MAX_ENTRY_BYTES = 1 << 20


def _dir(kind: str) -> str:
    from pilothouse.plugin.env import cache_home

    return os.path.join(cache_home(), "pilothouse", "parsed", kind)


def cached_parse(kind: str, data: bytes, parse: Callable[[bytes], Any]) -> Any:
    """``parse(data)``, or the result stored for these very bytes by an earlier run."""
    if len(data) > MAX_ENTRY_BYTES or os.environ.get("PILOTHOUSE_NO_PARSE_CACHE"):
        return parse(data)
    key = hashlib.sha256(_FORMAT + kind.encode() + b"\0" + data).hexdigest()
    try:
        directory = _dir(kind)
        path = os.path.join(directory, key + ".json")
        with open(path, "rb") as fh:
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
