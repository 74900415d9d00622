"""Extism ABI abuse: kernel calls with hostile numbers, modules that misuse the ABI's shape.

Each attack ends in a PluginError naming the plugin and what was refused; the host goes on.
"""

from __future__ import annotations

import pytest
from attack_kit import build, clean_failure, isolated, make, module, still_works, within_budget

from pilothouse.errors import PluginError
from pilothouse.plugin import wasm

I64_MAX = (1 << 63) - 1

# output_set(offset, length) with offsets and lengths nobody should pass
OUTPUT_SET = [
    ("negative offset", "(i64.const -16)", "(i64.const 8)", "output_set refused"),
    ("huge offset", "(i64.const 0x10000000000)", "(i64.const 8)", "output_set refused"),
    ("offset that wraps", "(i64.const -8)", "(i64.const 16)", "output_set refused"),
    ("negative length", "(i64.const 100)", "(i64.const -1)", "output_set refused: negative length"),
    ("max length", "(i64.const 100)", f"(i64.const {I64_MAX})", "more than the limit"),
    ("length past memory", "(i64.const 100)", "(i64.const 1048576)", "outside the kernel's memory"),
    ("offset in the kernel header", "(i64.const 0)", "(i64.const 8)", "output_set refused"),
    ("offset at the end", "(i64.const 65535)", "(i64.const 2)", "outside the kernel's memory"),
]


@pytest.mark.parametrize("what,off,n,expect", OUTPUT_SET, ids=[c[0] for c in OUTPUT_SET])
def test_output_set_with_hostile_numbers(helm_home, what, off, n, expect):
    p = make(helm_home, module(f'(func (export "run") (result i32) (call $output_set {off} {n}) (i32.const 0))'))
    with pytest.raises(PluginError, match=f'plugin "{p.name}".*{expect}|{expect}') as err:
        wasm.call_raw(p, b"")
    assert p.name in str(err.value)
    still_works(helm_home)


ERROR_SET = [
    ("garbage handle", "(i64.const 123456789)", "invalid handle"),
    ("negative handle", "(i64.const -1)", "invalid handle"),
    ("handle inside the header", "(i64.const 8)", "invalid handle"),
    ("handle past the end", "(i64.const 0x7fffffffffffffff)", "invalid handle"),
]


@pytest.mark.parametrize("what,h,expect", ERROR_SET, ids=[c[0] for c in ERROR_SET])
def test_error_set_with_hostile_handles(helm_home, what, h, expect):
    p = make(helm_home, module(f'(func (export "run") (result i32) (call $error_set {h}) (i32.const 1))'))
    with pytest.raises(PluginError, match=f'plugin "{p.name}": error_set was given an {expect}'):
        wasm.call_raw(p, b"")
    still_works(helm_home)


@pytest.mark.parametrize("claim", ["0x7fffffffffffffff", "0x100000", "-5"])
def test_a_block_whose_length_was_forged(helm_home, claim):
    # the plugin allocates a block, rewrites its header to claim more, then hands it over
    body = f'''(func (export "run") (result i32) (local $h i64)
      (local.set $h (call $alloc (i64.const 8)))
      (call $store_u64 (i64.sub (local.get $h) (i64.const 8)) (i64.const {claim}))
      (call $error_set (local.get $h)) (i32.const 1))'''
    p = make(helm_home, module(body))
    with pytest.raises(PluginError, match=f'plugin "{p.name}": error_set') as err:
        wasm.call_raw(p, b"")
    assert "invalid handle" in str(err.value) or "past the end of memory" in str(err.value)
    still_works(helm_home)


HOST_CALLS = [
    ("config_get", "(drop (call $config_get (i64.const 0xdeadbeef)))", "config_get was given an invalid handle"),
    ("var_get", "(drop (call $var_get (i64.const -100)))", "var_get was given an invalid handle"),
    ("log_info", "(call $log_info (i64.const 0x123456789))", "log was given an invalid handle"),
    ("http_request", "(drop (call $http_request (i64.const 77777) (i64.const 0)))",
     "http_request was given an invalid handle"),
    ("http_request body", "(drop (call $http_request (call $text (i32.const 0) (i32.const 2)) (i64.const -1)))",
     "invalid handle"),
]


@pytest.mark.parametrize("fn,call,expect", HOST_CALLS, ids=[c[0] for c in HOST_CALLS])
def test_host_functions_validate_handles_first(helm_home, fn, call, expect):
    body = f'(data (i32.const 0) "{{}}") (func (export "run") (result i32) {call} (i32.const 0))'
    p = make(helm_home, module(body), "memory:\n  maxVarBytes: 64\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}"') as err:
        wasm.call_raw(p, b"")
    assert expect in str(err.value)
    still_works(helm_home)


def test_kernel_calls_with_absurd_numbers_are_harmless(helm_home):
    # alloc of -1, 2^32 and 2^62 bytes gives nothing; free and length of garbage do nothing
    body = '''(func (export "run") (result i32)
      (if (i64.ne (call $alloc (i64.const -1)) (i64.const 0)) (then unreachable))
      (if (i64.ne (call $alloc (i64.const 0x100000000)) (i64.const 0)) (then unreachable))
      (if (i64.ne (call $alloc (i64.const 0x4000000000000000)) (i64.const 0)) (then unreachable))
      (call $free (i64.const -1)) (call $free (i64.const 0x7fffffffffffffff)) (call $free (i64.const 81))
      (if (i64.ne (call $length (i64.const -5)) (i64.const 0)) (then unreachable))
      (if (i64.ne (call $length (i64.const 0xffffffffff)) (i64.const 0)) (then unreachable))
      (call $echo_input) (i32.const 0))'''
    p = make(helm_home, module(body))
    assert wasm.call_raw(p, b"still here").output == b"still here"
    within_budget(p.name)


@pytest.mark.parametrize("call", ["(drop (call $load_u64 (i64.const 0xfffffff8)))",
                                  "(call $store_u8 (i64.const 0x7ffffffff) (i32.const 1))",
                                  "(drop (call $input_load_u64 (i64.const 0x7fffffffffffffff)))",
                                  "(drop (call $load_u8 (i64.const -1)))"])
def test_kernel_loads_and_stores_out_of_bounds_trap_cleanly(helm_home, call):
    p = make(helm_home, module(f'(func (export "run") (result i32) {call} (i32.const 0))'))
    with pytest.raises(PluginError, match=f'plugin "{p.name}" crashed: wasm trap: out of bounds memory access'):
        wasm.call_raw(p, b"")
    still_works(helm_home)


def test_kernel_alloc_until_exhausted_stays_within_the_budget(helm_home):
    body = '''(func (export "run") (result i32)
      (loop $l (br_if $l (i64.ne (call $alloc (i64.const 1048576)) (i64.const 0))))
      (call $echo_input) (i32.const 0))'''
    p = make(helm_home, module(body), "memory:\n  maxPages: 64\n")
    assert wasm.call_raw(p, b"x").output == b"x"
    within_budget(p.name)


def test_reset_mid_call_then_stale_output(helm_home):
    body = '''(func (export "run") (result i32) (local $h i64)
      (local.set $h (call $input_offset)) (call $reset)
      (call $output_set (local.get $h) (i64.const 4)) (i32.const 0))'''
    p = make(helm_home, module(body))
    # whatever the bytes are, they are the call's own memory, and the call is answered
    assert len(wasm.call_raw(p, b"abcd").output) == 4


def test_error_text_cannot_drive_the_terminal(helm_home):
    body = r'''(data (i32.const 0) "\1b]0;owned\07\1b[2Jgone")
      (func (export "run") (result i32) (call $error_set (call $text (i32.const 0) (i32.const 19))) (i32.const 1))'''
    p = make(helm_home, module(body))
    with pytest.raises(PluginError) as err:
        wasm.call_raw(p, b"")
    assert "\x1b" not in str(err.value) and "\x07" not in str(err.value)
    assert "\\x1b[2Jgone" in str(err.value)


# ---- the module's shape, refused before linking -----------------------------------------

SHAPES = [
    ("v128 param in an export", '(func (export "run") (param v128) (result i32) (i32.const 0))', "v128"),
    ("v128 result in an export", '(func (export "run") (result v128) (v128.const i64x2 0 0))', "v128"),
    ("v128 in an unused export", '(func (export "other") (param v128)) (func (export "run") (result i32) '
                                 "(i32.const 0))", "v128"),
    ("externref param in the entry", '(func (export "run") (param externref) (result i32) (i32.const 0))',
     "externref"),
    ("funcref result", '(func (export "run") (result funcref) (ref.null func))', "funcref"),
    ("v128 in an import", '(import "extism:host/user" "f" (func (param v128))) '
                          '(func (export "run") (result i32) (i32.const 0))', "only i32 and i64"),
    ("externref in an import", '(import "extism:host/user" "g" (func (param externref))) '
                               '(func (export "run") (result i32) (i32.const 0))', "only i32 and i64"),
    ("f64 in a user import", '(import "extism:host/user" "h" (func (param f64))) '
                             '(func (export "run") (result i32) (i32.const 0))', "only i32 and i64"),
    ("kernel import with the wrong signature", '(import "extism:host/env" "alloc" (func (param i32) (result i32))) '
                                                '(func (export "run") (result i32) (i32.const 0))',
     "the ABI's signature is"),
    ("the host's own kernel function", '(import "extism:host/env" "pilothouse_limit" (func (param i64))) '
                                       '(func (export "run") (result i32) (i32.const 0))', "has no function"),
    ("an unknown module", '(import "env" "system" (func (param i32))) '
                          '(func (export "run") (result i32) (i32.const 0))', 'unknown import module "env"'),
    ("the kernel's memory", '(import "extism:host/env" "memory" (memory 1)) '
                            '(func (export "run") (result i32) (i32.const 0))', "may import functions only"),
    ("a global from outside", '(import "extism:host/env" "top" (global i64)) '
                              '(func (export "run") (result i32) (i32.const 0))', "may import functions only"),
    ("a table from outside", '(import "wasi_snapshot_preview1" "t" (table 1 funcref)) '
                             '(func (export "run") (result i32) (i32.const 0))', "may import functions only"),
    ("an unknown host function", '(import "pilothouse:host/v1" "exec" (func (param i64))) '
                                 '(func (export "run") (result i32) (i32.const 0))', "has no function"),
    ("two results", '(import "extism:host/user" "two" (func (result i32 i32))) '
                    '(func (export "run") (result i32) (i32.const 0))', "at most one result"),
]


@pytest.mark.parametrize("what,body,expect", SHAPES, ids=[c[0] for c in SHAPES])
def test_modules_outside_the_abi_are_refused_before_linking(helm_home, what, body, expect):
    # in a child process: before this check, some of these aborted the whole process
    p = make(helm_home, module(body, kernel=False, memory=""))
    res = isolated(p)
    clean_failure(res, "invalid wasm module", expect)


@pytest.mark.parametrize("sig", ["(param i64) (result i32)", "(result i64)", "(param i32 i32)"])
def test_entry_with_another_signature(helm_home, sig):
    p = make(helm_home, module(f'(func (export "run") {sig} unreachable)'))
    with pytest.raises(PluginError, match=f'plugin "{p.name}": exported function "run" must take no parameters'):
        wasm.call_raw(p, b"")


@pytest.mark.parametrize("blob,expect", [
    (b"", "bad magic"), (b"\0asm", "bad magic"), (b"\0asm\x0d\0\x01\0", "not a core WebAssembly module"),
    (b"\0asm\x01\0\0\0\x01\xff\xff\xff\xff\x0f", "runs past the end"),
    (b"\0asm\x01\0\0\0\x02\x05\xff\xff\xff\xff\x0f", "too many imports"),
    (b"\0asm\x01\0\0\0\x01\x04\x01\x5f\x00\x00", "garbage-collected"),
])
def test_broken_or_foreign_binaries(helm_home, blob, expect):
    p = make(helm_home, blob)
    with pytest.raises(PluginError, match=expect):
        wasm.call_raw(p, b"")


def test_simd_inside_a_function_is_fine(helm_home):
    # v128 is refused only where it would cross the ABI
    body = '''(func (export "run") (result i32) (local $v v128)
      (local.set $v (v128.const i32x4 1 2 3 4)) (call $echo_input)
      (i32x4.extract_lane 0 (local.get $v)) (i32.const 1) (i32.sub))'''
    p = make(helm_home, module(body))
    assert wasm.call_raw(p, b"simd").output == b"simd"


def test_a_user_host_function_that_does_not_exist(helm_home):
    body = '''(import "extism:host/user" "launch" (func $launch (param i64) (result i64)))'''
    p = make(helm_home, module('(func (export "run") (result i32) (drop (call $launch (i64.const 1))) (i32.const 0))',
                               extra=body))
    with pytest.raises(PluginError, match='host function "launch" not found'):
        wasm.call_raw(p, b"")


def test_many_bad_calls_in_a_row_leave_the_host_whole(helm_home):
    p = make(helm_home, module('(func (export "run") (result i32) (call $error_set (i64.const 99999)) (i32.const 1))'))
    for _ in range(50):
        with pytest.raises(PluginError):
            wasm.call_raw(p, b"")
    still_works(helm_home)


def test_module_bytes_are_built_by_the_kit():
    assert build("(module)")[:4] == b"\0asm"


@pytest.mark.parametrize("payload", [b"[" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000])
def test_deeply_nested_json_output_is_a_clear_error(helm_home, payload):
    # the plugin answers with whatever it was given: JSON nested far past any decoder's depth
    p = make(helm_home, module('(func (export "run") (result i32) (call $echo_input) (i32.const 0))'),
             ptype="postrenderer/v1")
    with pytest.raises(PluginError, match=f'plugin "{p.name}" returned JSON nested too deeply'):
        wasm.call(p, payload)
    still_works(helm_home)
