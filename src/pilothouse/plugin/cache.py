"""Compiled Wasm modules, cached on disk by content hash.

Compiling a multi-megabyte Go plugin takes seconds; loading its precompiled form takes well under
a millisecond. A compiled artifact is stored as ``<sha256>-<engine tag>.cwasm`` under the cache
directory, where the engine tag covers the wasmtime version and the engine settings, so
upgrading wasmtime invalidates it. Hashing a large module on every start would cost more than
loading it, so a small index remembers each file's hash by path, size, mtime, inode and ctime
(a rewrite in place that keeps size, mtime and inode still changes the ctime, which no user
can set). ``pilot plugin install`` precompiles, so the first call after install is already warm.

Deserializing a compiled artifact runs native code as it is, so an artifact is only ever loaded
after it was checked against ``<artifact>.sum``, written with it: the digest of the module it was
compiled from (an artifact copied over another's is refused) and the digest of the artifact
itself (one rewritten in place, or corrupted, is refused). Re-hashing a large artifact on every
start would cost more than loading it, so the check trusts the digest while the artifact's
size, mtime, inode and ctime are those recorded when it was last verified. A refused artifact
is deleted and the module compiled again. The cache is bounded (`max_cache_bytes`): the least
recently used artifacts are evicted when a new one is stored.
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


DEFAULT_MAX_CACHE_BYTES = 1 << 30
_MAX_INDEX_FILES = 4096  # per-file entries of the hash and YAML indexes
_SUM_VERSION = 1


def max_cache_bytes() -> int:
    """The compiled-module cache's size bound (override with PILOTHOUSE_WASM_CACHE_MAX_BYTES)."""
    try:
        val = int(os.environ.get("PILOTHOUSE_WASM_CACHE_MAX_BYTES", ""))
    except ValueError:
        return DEFAULT_MAX_CACHE_BYTES
    return val if val > 0 else DEFAULT_MAX_CACHE_BYTES


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def file_sha256(path: str) -> str:
    """The sha256 of a file, remembered in the cache index while the file is unchanged."""
    st = os.stat(path)
    index = os.path.join(cache_dir(), "index", hashlib.sha1(os.path.abspath(path).encode()).hexdigest() + ".json")
    try:
        with open(index, encoding="utf-8") as fh:
            entry = json.load(fh)
        if entry.get("stat") == _stat_key(st):
            return str(entry["sha256"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        pass
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    _atomic_write(index, json.dumps({"stat": _stat_key(st), "sha256": digest}).encode(), bounded=True)
    return digest


def _atomic_write(path: str, data: bytes, *, bounded: bool = False) -> None:
    import threading

    try:
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        if bounded and not os.path.exists(path):
            _trim_folder(folder, _MAX_INDEX_FILES - 1)
        tmp = f"{path}.{os.getpid()}-{threading.get_ident()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _trim_folder(folder: str, keep: int) -> None:
    """Delete the least recently written files of an index folder beyond ``keep``."""
    try:
        with os.scandir(folder) as it:
            entries = [e for e in it if e.is_file(follow_symlinks=False)]
        if len(entries) <= keep:
            return
        entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns)
        for e in entries[: len(entries) - keep]:
            os.unlink(e.path)
    except OSError:
        pass


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
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
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
    _atomic_write(index, json.dumps({"stat": _stat_key(st), "data": data}).encode(), bounded=True)
    return data


def artifact_path(sha: str, engine_tag: str) -> str:
    """The file holding one module's compiled form."""
    return os.path.join(cache_dir(), f"{sha}-{engine_tag}.cwasm")


def _sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _discard(*paths: str) -> None:
    for p in paths:
        try:
            os.unlink(p)
        except OSError:
            pass


def verified_artifact(sha: str, engine_tag: str) -> str | None:
    """The path of the compiled form of module ``sha``, when it is there and proven to be it.

    A missing, foreign, stale or corrupted artifact is deleted and None returned.
    """
    art = artifact_path(sha, engine_tag)
    sum_path = art + ".sum"
    try:
        st = os.stat(art)
    except OSError:
        _discard(sum_path)
        return None
    try:
        with open(sum_path, "rb") as fh:
            rec = json.loads(fh.read(4096))
        if not isinstance(rec, dict) or rec.get("version") != _SUM_VERSION:
            raise ValueError("unknown format")
        if rec.get("wasm") != sha or rec.get("engine") != engine_tag:
            raise ValueError("artifact of another module")
        if rec.get("stat") != _stat_key(st):
            # changed since it was verified (or copied): prove it again by its content
            if _sha256_file(art) != rec.get("artifact"):
                raise ValueError("artifact content does not match its digest")
            rec["stat"] = _stat_key(os.stat(art))
            _atomic_write(sum_path, json.dumps(rec).encode())
    except (OSError, ValueError, TypeError, RecursionError):
        _discard(art, sum_path)
        return None
    try:
        os.utime(sum_path)  # last use, for eviction
    except OSError:
        pass
    return art


def store_artifact(sha: str, engine_tag: str, data: bytes) -> None:
    """Store the compiled form of module ``sha`` with its digests, then keep the cache in bounds."""
    art = artifact_path(sha, engine_tag)
    _atomic_write(art, data)
    try:
        st = os.stat(art)
    except OSError:
        return
    rec = {"version": _SUM_VERSION, "wasm": sha, "engine": engine_tag,
           "artifact": hashlib.sha256(data).hexdigest(), "stat": _stat_key(st)}
    _atomic_write(art + ".sum", json.dumps(rec).encode())
    evict(keep=art)


def evict(limit: int | None = None, keep: str = "") -> None:
    """Delete the least recently used artifacts until the cache holds at most ``limit`` bytes."""
    limit = max_cache_bytes() if limit is None else limit
    folder = cache_dir()
    items = []
    total = 0
    try:
        with os.scandir(folder) as it:
            for e in it:
                if not e.name.endswith(".cwasm") or not e.is_file(follow_symlinks=False):
                    continue
                size = e.stat(follow_symlinks=False).st_size
                try:
                    used = os.stat(e.path + ".sum").st_mtime_ns
                except OSError:
                    used = 0
                items.append((used, e.path, size))
                total += size
    except OSError:
        return
    items.sort()
    for _used, path, size in items:
        if total <= limit:
            break
        if path == keep:
            continue
        _discard(path, path + ".sum")
        total -= size


def load_or_compile(engine: Any, engine_tag: str, sha: str, read_wasm: Callable[[], bytes]) -> Any:
    """A compiled module: deserialized from the cache if there and verified, else compiled and stored.

    ``read_wasm`` is called only when the module has to be compiled.
    """
    from pilothouse.plugin.runtimes import wasmtime_ffi as wt

    art = verified_artifact(sha, engine_tag)
    if art is not None:
        try:
            return wt.Module.deserialize_file(engine, art)
        except wt.WasmError:
            _discard(art, art + ".sum")  # from another wasmtime build: compile again
    module = wt.Module.compile(engine, read_wasm())
    store_artifact(sha, engine_tag, module.serialize())
    return module
