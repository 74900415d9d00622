"""Attacks on the compiled-module cache: foreign, stale, corrupted artifacts and unbounded growth.

A cached artifact is native code: it must only ever run as the module it was compiled from.
Every tampered artifact is discarded and the module compiled again; none crashes the process.
Tampering runs in a child process, so a crash would show as its exit status, not kill the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pilothouse.plugin import cache

WAT_A = '(module (func (export "from_a") (result i32) i32.const 1))'
WAT_B = '(module (func (export "from_b") (result i32) i32.const 2))'


def _wasm(tmp_path: Path, name: str, wat: str) -> Path:
    import wasmtime

    path = tmp_path / f"{name}.wasm"
    path.write_bytes(bytes(wasmtime.wat2wasm(wat)))
    return path


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("PILOTHOUSE_WASM_CACHE", str(d))
    return d


LOAD = """
import json, sys
from pilothouse.plugin import cache
from pilothouse.plugin.runtimes import extism
path = sys.argv[1]
from pilothouse.plugin.runtimes import wasmtime_ffi as wt
mod = extism.load_module(path)
# which code really runs: instantiate the loaded module and look its exports up
store = wt.Store(extism.engine((True, True)))
inst = wt.Linker(extism.engine((True, True))).instantiate(store, mod)
print(json.dumps(sorted(n for n in ("from_a", "from_b", "from_c") if inst.func(store.ctx, n) is not None)))
store.close()
"""


def _exports_in_child(wasm: Path, cache_dir: Path) -> list[str]:
    env = {**os.environ, "PILOTHOUSE_WASM_CACHE": str(cache_dir), "PYTHONPATH": os.pathsep.join(sys.path)}
    res = subprocess.run([sys.executable, "-c", LOAD, str(wasm)], env=env, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, f"the host process died ({res.returncode}): {res.stderr[-2000:]}"
    return json.loads(res.stdout)


def _artifact(cache_dir: Path, wasm: Path) -> Path:
    sha = cache.file_sha256(str(wasm))
    (art,) = cache_dir.glob(f"{sha}-*.cwasm")
    return art


def _prime(tmp_path: Path, cache_dir: Path) -> tuple[Path, Path, Path, Path]:
    a, b = _wasm(tmp_path, "a", WAT_A), _wasm(tmp_path, "b", WAT_B)
    assert _exports_in_child(a, cache_dir) == ["from_a"]
    assert _exports_in_child(b, cache_dir) == ["from_b"]
    return a, b, _artifact(cache_dir, a), _artifact(cache_dir, b)


def test_an_artifact_copied_over_anothers_never_runs_as_it(tmp_path, cache_dir):
    a, b, art_a, art_b = _prime(tmp_path, cache_dir)
    art_b.write_bytes(art_a.read_bytes())  # same inode, new content
    assert _exports_in_child(b, cache_dir) == ["from_b"]
    assert _artifact(cache_dir, b).read_bytes() != art_a.read_bytes()


def test_an_artifact_copied_with_its_sum_is_still_refused(tmp_path, cache_dir):
    a, b, art_a, art_b = _prime(tmp_path, cache_dir)
    art_b.write_bytes(art_a.read_bytes())
    Path(str(art_b) + ".sum").write_bytes(Path(str(art_a) + ".sum").read_bytes())
    assert _exports_in_child(b, cache_dir) == ["from_b"]


def test_an_artifact_renamed_over_anothers_is_refused(tmp_path, cache_dir):
    a, b, art_a, art_b = _prime(tmp_path, cache_dir)
    os.replace(art_a, art_b)
    assert _exports_in_child(b, cache_dir) == ["from_b"]


def test_an_artifact_replaced_by_a_link_to_anothers_is_refused(tmp_path, cache_dir):
    a, b, art_a, art_b = _prime(tmp_path, cache_dir)
    art_b.unlink()
    art_b.symlink_to(art_a)
    assert _exports_in_child(b, cache_dir) == ["from_b"]
    assert _exports_in_child(a, cache_dir) == ["from_a"]


def test_an_in_place_rewrite_keeping_size_inode_and_mtime_is_refused(tmp_path, cache_dir):
    a, b, art_a, art_b = _prime(tmp_path, cache_dir)
    st = art_b.stat()
    data = bytearray(art_b.read_bytes())
    data[len(data) // 2] ^= 0xFF
    with open(art_b, "r+b") as fh:
        fh.write(data)
    os.utime(art_b, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (art_b.stat().st_size, art_b.stat().st_ino, art_b.stat().st_mtime_ns) == (
        st.st_size, st.st_ino, st.st_mtime_ns)
    assert _exports_in_child(b, cache_dir) == ["from_b"]


@pytest.mark.parametrize("damage", ["random", "truncated", "zeros", "empty", "elf-header", "sum-garbage",
                                    "sum-missing", "sum-huge", "sum-other-engine"])
def test_a_corrupted_artifact_never_kills_the_process(tmp_path, cache_dir, damage):
    a, b, art_a, art_b = _prime(tmp_path, cache_dir)
    data = art_b.read_bytes()
    sum_path = Path(str(art_b) + ".sum")
    if damage == "random":
        art_b.write_bytes(os.urandom(len(data)))
    elif damage == "truncated":
        art_b.write_bytes(data[: len(data) // 3])
    elif damage == "zeros":
        art_b.write_bytes(bytes(len(data)))
    elif damage == "empty":
        art_b.write_bytes(b"")
    elif damage == "elf-header":
        art_b.write_bytes(data[:64] + os.urandom(len(data) - 64))
    elif damage == "sum-garbage":
        sum_path.write_bytes(b"\xff" * 100)
    elif damage == "sum-missing":
        sum_path.unlink()
    elif damage == "sum-huge":
        sum_path.write_bytes(b"[" * (10 << 20))
    else:
        rec = json.loads(sum_path.read_text())
        rec["engine"] = "another-engine"
        sum_path.write_text(json.dumps(rec))
    assert _exports_in_child(b, cache_dir) == ["from_b"]


def test_a_module_rewritten_in_place_keeping_size_inode_and_mtime_is_recompiled(tmp_path, cache_dir):
    a = _wasm(tmp_path, "a", WAT_A)
    assert _exports_in_child(a, cache_dir) == ["from_a"]
    import wasmtime

    new = bytes(wasmtime.wat2wasm(WAT_A.replace("from_a", "from_c")))
    st = a.stat()
    assert len(new) == st.st_size
    with open(a, "r+b") as fh:
        fh.write(new)
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert _exports_in_child(a, cache_dir) == ["from_c"]


def test_the_cache_is_bounded_and_evicts_the_least_recently_used(tmp_path, cache_dir, monkeypatch):
    from pilothouse.plugin.runtimes import extism

    wasms = [_wasm(tmp_path, f"m{i}", WAT_A.replace("from_a", f"f{i}")) for i in range(6)]
    # the kernel is kept in memory once compiled: forget it so that its artifact lands in this cache too
    monkeypatch.setattr(extism, "_kernels", {})
    extism.precompile(str(wasms[0]))
    one = sum(p.stat().st_size for p in cache_dir.glob("*.cwasm"))  # the kernel's and one module's
    monkeypatch.setenv("PILOTHOUSE_WASM_CACHE_MAX_BYTES", str(one + one // 2))
    for w in wasms[1:]:
        extism.precompile(str(w))
        # the first module is in use all along: it is the one kept
        assert cache.verified_artifact(cache.file_sha256(str(wasms[0])), extism.engine_tag()) is not None
    total = sum(p.stat().st_size for p in cache_dir.glob("*.cwasm"))
    assert total <= one + one // 2
    assert cache.verified_artifact(cache.file_sha256(str(wasms[0])), extism.engine_tag()) is not None
    assert cache.verified_artifact(cache.file_sha256(str(wasms[1])), extism.engine_tag()) is None


def test_the_hash_index_is_bounded(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "_MAX_INDEX_FILES", 10)
    for i in range(40):
        f = tmp_path / f"f{i}"
        f.write_bytes(b"%d" % i)
        cache.file_sha256(str(f))
    assert len(list((cache_dir / "index").iterdir())) <= 10


def test_a_stat_index_entry_is_not_trusted_after_an_in_place_rewrite(tmp_path, cache_dir):
    f = tmp_path / "m.wasm"
    f.write_bytes(b"one")
    first = cache.file_sha256(str(f))
    st = f.stat()
    with open(f, "r+b") as fh:
        fh.write(b"two")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.file_sha256(str(f)) != first
