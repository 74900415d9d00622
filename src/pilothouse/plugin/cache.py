"""Compiled Wasm modules, cached on disk by content hash.

Compiling a multi-megabyte Go plugin takes seconds; loading its precompiled form takes well under
a millisecond. A compiled artifact is stored as ``<sha256>-<engine tag>.cwasm`` under the cache
directory, where the engine tag covers the wasmtime version and the engine settings, so
upgrading wasmtime invalidates it. Hashing a large module on every start would cost more than
loading it, so a small index remembers each file's hash by path, size, mtime and inode.
``pilot plugin install`` precompiles, so the first call after install is already warm.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from typing import Any

MAX_YAML_BYTES = 4 << 20  # the user's plugin policy file


def cache_dir() -> str:
    """Where compiled modules live (override with PILOTHOUSE_WASM_CACHE)."""
    env = os.environ.get("PILOTHOUSE_WASM_CACHE")
    if env:
        return env
    from pilothouse.plugin.env import cache_home

    return os.path.join(cache_home(), "pilothouse", "wasm")


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def file_sha256(path: str) -> str:
    """The sha256 of a file, remembered in the cache index while the file is unchanged."""
    st = os.stat(path)
    index = os.path.join(cache_dir(), "index", hashlib.sha1(os.path.abspath(path).encode()).hexdigest() + ".json")
    try:
        with open(index, encoding="utf-8") as fh:
            entry = json.load(fh)
        if entry.get("stat") == _stat_key(st):
            return str(entry["sha256"])
    except (OSError, ValueError, KeyError):
        pass
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    _atomic_write(index, json.dumps({"stat": _stat_key(st), "sha256": digest}).encode())
    return digest


def _atomic_write(path: str, data: bytes) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def parsed_yaml(path: str, st: os.stat_result) -> Any:
    """A YAML file's data, kept as JSON in the cache while the file is unchanged.

    Loading a YAML parser costs more than a whole one-shot plugin call, so a one-shot `pilot`
    reads the JSON copy instead. Raises the parser's error for a broken file.
    """
    index = os.path.join(cache_dir(), "yaml", hashlib.sha1(os.path.abspath(path).encode()).hexdigest() + ".json")
    try:
        with open(index, encoding="utf-8") as fh:
            entry = json.load(fh)
        if entry.get("stat") == _stat_key(st):
            return entry["data"]
    except (OSError, ValueError, KeyError):
        pass
    import yaml

    from pilothouse.plugin.yamlguard import YAMLBombError, check

    with open(path, "rb") as fh:
        raw = fh.read(MAX_YAML_BYTES + 1)
    if len(raw) > MAX_YAML_BYTES:
        raise ValueError(f"the file is larger than {MAX_YAML_BYTES} bytes")
    try:
        check(raw)
    except YAMLBombError as err:
        raise ValueError(f"yaml: {err}") from None
    data = yaml.safe_load(raw)
    _atomic_write(index, json.dumps({"stat": _stat_key(st), "data": data}).encode())
    return data


def artifact_path(sha: str, engine_tag: str) -> str:
    """The file holding one module's compiled form."""
    return os.path.join(cache_dir(), f"{sha}-{engine_tag}.cwasm")


def load_or_compile(engine: Any, engine_tag: str, sha: str, read_wasm: Callable[[], bytes]) -> Any:
    """A compiled module: deserialized from the cache if there, else compiled and stored.

    ``read_wasm`` is called only when the module has to be compiled.
    """
    from pilothouse.plugin.runtimes import wasmtime_ffi as wt

    art = artifact_path(sha, engine_tag)
    if os.path.exists(art):
        try:
            return wt.Module.deserialize_file(engine, art)
        except wt.WasmError:
            pass  # stale or foreign artifact: compile again
    module = wt.Module.compile(engine, read_wasm())
    _atomic_write(art, module.serialize())
    return module
