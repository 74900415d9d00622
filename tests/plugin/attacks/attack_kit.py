"""Shared pieces of the attack suite: hostile modules from WAT, isolated runs, the checks every
attack makes (a clear error naming the plugin, the host unharmed, memory within the budget)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import wasmtime

from pilothouse.plugin import wasm
from pilothouse.plugin.loader import Plugin, load_dir
from pilothouse.plugin.policy import PAGE
from pilothouse.plugin.runtimes import extism

ROOT = Path(__file__).resolve().parents[3]

# every kernel function a plugin may import, under the names the attacks use
KERNEL = """
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "free" (func $free (param i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "load_u8" (func $load_u8 (param i64) (result i32)))
  (import "extism:host/env" "load_u64" (func $load_u64 (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_offset" (func $input_offset (result i64)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "error_set" (func $error_set (param i64)))
  (import "extism:host/env" "reset" (func $reset))
  (import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))
  (import "extism:host/env" "var_get" (func $var_get (param i64) (result i64)))
  (import "extism:host/env" "var_set" (func $var_set (param i64 i64)))
  (import "extism:host/env" "http_request" (func $http_request (param i64 i64) (result i64)))
  (import "extism:host/env" "http_status_code" (func $http_status_code (result i32)))
  (import "extism:host/env" "http_headers" (func $http_headers (result i64)))
  (import "extism:host/env" "log_info" (func $log_info (param i64)))
  (import "extism:host/env" "log_trace" (func $log_trace (param i64)))
  (import "extism:host/env" "get_log_level" (func $get_log_level (result i32)))
"""

# helpers inside the module: $text(ptr, len) copies plugin memory to a kernel block
HELPERS = """
  (func $text (param $p i32) (param $n i32) (result i64)
    (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $n))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                      (i32.load8_u (i32.add (local.get $p) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $h))
  ;; the call's input, echoed as its output
  (func $echo_input (call $output_set (call $input_offset) (call $input_length)))
"""


def module(body: str, *, kernel: bool = True, memory: str = '(memory (export "memory") 1)', extra: str = "") -> str:
    """A WAT module: the kernel imports, ``extra`` imports, a memory, the helpers, ``body``."""
    return "(module\n" + (KERNEL if kernel else "") + extra + "\n" + memory + "\n" + \
        (HELPERS if kernel else "") + body + "\n)"


def build(wat: str) -> bytes:
    return bytes(wasmtime.wat2wasm(wat))


def make(helm_home, wat: str | bytes, rc: str = "", *, name: str | None = None, ptype: str = "test/v1",
         entry: str = "run") -> Plugin:
    """A plugin from WAT (or raw module bytes), laid into the test's HELM_PLUGINS."""
    data = wat if isinstance(wat, bytes) else build(wat)
    name = name or "atk-" + hashlib.sha256(data + rc.encode()).hexdigest()[:10]
    rc = f"entryFuncName: {entry}\n" + textwrap.dedent(rc)
    tmp = Path(helm_home.root) / f"{name}.wasm"
    tmp.write_bytes(data)
    return load_dir(str(helm_home.add_wasm(name, tmp, ptype=ptype, runtime_config=rc)))


FINE = module('(func (export "run") (result i32) (call $echo_input) (i32.const 0))')


def still_works(helm_home) -> None:
    """After an attack, a well-behaved plugin still runs in this process."""
    p = make(helm_home, FINE, name="still-fine")
    assert wasm.call_raw(p, b'{"ok":1}').output == b'{"ok":1}'


def within_budget(name: str) -> None:
    """Every pooled instance of plugin ``name``: all its memories together within its grant."""
    for inst in list(extism._instances.values()):
        if inst.name != name:
            continue
        ctx = inst.store.ctx
        used = inst.kmem.size(ctx) + (inst.gmem.size(ctx) if inst.gmem is not None else 0)
        assert used <= inst.caps.max_pages * PAGE, (used, inst.caps.max_pages)


_CHILD = """
import json, sys
from pilothouse.errors import PilothouseError
from pilothouse.plugin import wasm
from pilothouse.plugin.loader import load_dir
try:
    res = wasm.call_raw(load_dir(sys.argv[1]), sys.argv[2].encode())
    print("OUTPUT", res.output[:200])
except PilothouseError as err:
    print("Error:", err, file=sys.stderr)
    sys.exit(1)
"""


def isolated(plugin: Plugin, message: bytes = b"{}", guard: float = 120) -> subprocess.CompletedProcess[str]:
    """Run one call in a child process (an attack that could crash or hang the host runs there;
    ``guard`` is only an outer bound against a hang, the plugin's own limits must stop it)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-c", _CHILD, plugin.dir, message.decode()], env=env,
                          capture_output=True, text=True, timeout=guard)


def clean_failure(res: subprocess.CompletedProcess[str], *needles: str) -> None:
    """The child stopped with exit 1, one clear error line, no traceback, no signal."""
    assert res.returncode == 1, (res.returncode, res.stderr[-2000:])
    assert "Traceback" not in res.stderr and "panicked" not in res.stderr, res.stderr[-2000:]
    for n in needles:
        assert n in res.stderr, (n, res.stderr[-2000:])
