"""Fuzzing the host interface: random kernel call sequences against a real instance, and random
valid-but-odd modules. Whatever happens, the host answers or raises PluginError, stays within
the plugin's budgets, and goes on working. Example counts are small so this runs in seconds."""

from __future__ import annotations

import struct

import pytest
from attack_kit import make, module, still_works, within_budget
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilothouse.errors import PluginError
from pilothouse.plugin import wasm

OPS = ["(drop (call $alloc (local.get $a)))", "(call $free (local.get $a))",
       "(drop (call $length (local.get $a)))", "(drop (call $load_u8 (local.get $a)))",
       "(drop (call $load_u64 (local.get $a)))", "(call $store_u8 (local.get $a) (i32.wrap_i64 (local.get $b)))",
       "(call $store_u64 (local.get $a) (local.get $b))", "(call $output_set (local.get $a) (local.get $b))",
       "(call $error_set (local.get $a))", "(drop (call $config_get (local.get $a)))",
       "(drop (call $var_get (local.get $a)))", "(call $var_set (local.get $a) (local.get $b))",
       "(call $log_info (local.get $a))", "(drop (call $http_request (local.get $a) (local.get $b)))",
       "(call $reset)", "(drop (call $input_load_u64 (local.get $a)))", "(drop (call $http_headers))",
       "(drop (memory.grow (i32.wrap_i64 (local.get $a))))"]

INTERPRETER = module('''(func (export "run") (result i32)
  (local $i i64) (local $n i64) (local $op i32) (local $a i64) (local $b i64)
  (local.set $n (call $input_length))
  (block $done (loop $l
    (br_if $done (i64.gt_u (i64.add (local.get $i) (i64.const 17)) (local.get $n)))
    (local.set $op (i32.wrap_i64 (i64.and (call $input_load_u64 (local.get $i)) (i64.const 0xff))))
    (local.set $a (call $input_load_u64 (i64.add (local.get $i) (i64.const 1))))
    (local.set $b (call $input_load_u64 (i64.add (local.get $i) (i64.const 9))))
    (local.set $i (i64.add (local.get $i) (i64.const 17)))
''' + "\n".join(f"    (if (i32.eq (local.get $op) (i32.const {k})) (then {op}))" for k, op in enumerate(OPS)) + '''
    (br $l)))
  (i32.const 0))''')

EDGES = [0, 1, 8, 16, 64, 79, 80, 81, 88, 96, 4095, 65535, 65536, 65537, 1 << 20, (1 << 31) - 1, 1 << 31,
         (1 << 32) - 1, 1 << 32, (1 << 63) - 1, -(1 << 63), -1, -8, -16, -80]
VALUE = st.one_of(st.sampled_from(EDGES), st.integers(-(1 << 63), (1 << 63) - 1), st.integers(0, 200_000))
CALL = st.tuples(st.integers(0, len(OPS) - 1), VALUE, VALUE)


def _encode(calls: list[tuple[int, int, int]]) -> bytes:
    # each record is 17 bytes, read with 8-byte loads: pad so the last load stays in the block
    return b"".join(struct.pack("<Bqq", op, a, b) for op, a, b in calls) + b"\0" * 8


@pytest.fixture
def interpreter(helm_home):
    return make(helm_home, INTERPRETER, "memory:\n  maxPages: 64\n  maxVarBytes: 4096\n"
                                        "  maxHttpResponseBytes: 10\ntimeout: 2000\nallowedHosts: [127.0.0.1]\n"
                                        "config:\n  k: v\n", name="fuzzed")


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(calls=st.lists(CALL, min_size=1, max_size=25))
def test_random_kernel_call_sequences(interpreter, helm_home, calls):
    try:
        wasm.call_raw(interpreter, _encode(calls))
    except PluginError as err:
        assert "fuzzed" in str(err) or str(err).startswith("plugin error:"), str(err)
    within_budget("fuzzed")


def test_the_interpreter_itself_works(interpreter, helm_home):
    # the input is the kernel's first block (handle 80): output_set on it echoes the first record
    out = wasm.call_raw(interpreter, _encode([(7, 80, 17)])).output
    assert out == struct.pack("<Bqq", 7, 80, 17)
    still_works(helm_home)


# ---- random valid-but-odd modules -------------------------------------------------------

MEMORIES = ["", '(memory (export "memory") 0)', '(memory (export "memory") 1 1)', '(memory (export "memory") 3 100)',
            '(memory (export "memory") 70)', "(memory 1) (memory 1)", "(memory i64 1)", '(memory (export "m2") 1)']
TABLE_KINDS = ["funcref", "externref"]
GLOBAL_TYPES = ["i32", "i64", "f32", "f64", "v128"]
ZERO = {"i32": "(i32.const 0)", "i64": "(i64.const 0)", "f32": "(f32.const 0)", "f64": "(f64.const 0)",
        "v128": "(v128.const i64x2 0 0)"}
STARTS = ["", "(start $s) (func $s)", "(start $s) (func $s (loop $l (br $l)))", "(start $s) (func $s unreachable)",
          "(start $s) (func $s (drop (memory.grow (i32.const 1000))))", "(start $s) (func $s (call $s))"]
ENTRIES = ['(func (export "run") (result i32) (i32.const 0))', '(func (export "run"))',
           '(func (export "run") (result i32) (i32.const 7))', '(func (export "run") (param i32) (result i32) '
           "(local.get 0))", '(func (export "run") (result i64) (i64.const 0))',
           '(func (export "run") (result v128) (v128.const i64x2 0 0))',
           '(func (export "run") (param externref) (result i32) (i32.const 0))',
           '(func (export "run") (result i32) (loop $l (br $l)) (i32.const 0))',
           '(func (export "run") (result i32) unreachable)']
IMPORTS = ["", '(import "extism:host/env" "alloc" (func (param i64) (result i64)))',
           '(import "extism:host/env" "alloc" (func (param i32) (result i64)))',
           '(import "wasi_snapshot_preview1" "poll_oneoff" (func (param i32 i32 i32 i32) (result i32)))',
           '(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))',
           '(import "extism:host/user" "x" (func (param i64)))', '(import "elsewhere" "x" (func))',
           '(import "extism:host/env" "memory" (memory 1))']


@st.composite
def odd_module(draw) -> str:
    parts = [draw(st.sampled_from(IMPORTS))]
    parts.append(draw(st.sampled_from(MEMORIES)))
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(TABLE_KINDS))
        parts.append(f"(table {draw(st.sampled_from([0, 1, 1000, 100_000, 10_000_000]))} {kind})")
    for i in range(draw(st.integers(0, 30))):
        t = draw(st.sampled_from(GLOBAL_TYPES))
        mut = draw(st.booleans())
        parts.append(f"(global $g{i} {'(mut ' + t + ')' if mut else t} {ZERO[t]})")
        if draw(st.booleans()) and t != "v128":
            parts.append(f'(export "g{i}" (global $g{i}))')
    parts.append(draw(st.sampled_from(STARTS)))
    parts.append(draw(st.sampled_from(ENTRIES)))
    if draw(st.booleans()):
        parts.append('(func (export "_initialize"))')
    return "(module " + " ".join(p for p in parts if p) + ")"


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(wat=odd_module())
def test_random_odd_modules(helm_home, wat):
    import wasmtime

    try:
        data = bytes(wasmtime.wat2wasm(wat))
    except wasmtime.WasmtimeError:
        return  # not a module at all (e.g. an import after a definition): nothing to run
    p = make(helm_home, data, "memory:\n  maxPages: 64\ntimeout: 300\n")
    try:
        wasm.call_raw(p, b"{}")
    except PluginError as err:
        assert p.name in str(err) or "invalid wasm module" in str(err) or str(err).startswith("plugin "), str(err)
    within_budget(p.name)
