"""WASI: the calls a plugin can make to the system, with hostile arguments.

poll_oneoff is ours (a sleep that keeps to the deadline); the rest is wasmtime's, reached only
through the grant: no preopened directory, no file; stdout/stderr discarded or capped.
"""

from __future__ import annotations

import os

import pytest
from attack_kit import make, module, still_works

from pilothouse.errors import PluginError
from pilothouse.plugin import policy, wasm

WASI = '''
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
'''


TRAPPED = -1


def _errno(helm_home, body: str, rc: str = "timeout: 5000\n", data: str = "") -> int:
    """Run ``body`` (which leaves an errno as the entry's result); the errno the plugin saw, or
    TRAPPED when the WASI call stopped the plugin with a clear error instead."""
    p = make(helm_home, module(f'{data} (func (export "run") (result i32) {body})', kernel=False, extra=WASI), rc)
    try:
        wasm.call_raw(p, b"")
    except PluginError as err:
        text = str(err)
        if f'plugin "{p.name}" failed: ' in text:
            assert "\n" not in text and "backtrace" not in text, text
            return TRAPPED
        assert f'plugin "{p.name}" exited with error (code ' in text, text
        return int(text.rsplit("(code ", 1)[1].rstrip(")"))
    return 0


@pytest.mark.parametrize("args,errno", [
    ("(i32.const 0) (i32.const 100) (i32.const 0) (i32.const 200)", 28),  # no subscriptions
    ("(i32.const 0) (i32.const 100) (i32.const 1000000000) (i32.const 200)", 28),  # a billion
    ("(i32.const 0) (i32.const 100) (i32.const -1) (i32.const 200)", 28),
    ("(i32.const 65500) (i32.const 100) (i32.const 1) (i32.const 200)", 21),  # subscription past memory
    ("(i32.const 0) (i32.const 65530) (i32.const 1) (i32.const 200)", 21),  # events past memory
    ("(i32.const 0) (i32.const 100) (i32.const 1) (i32.const -4)", 21),  # count past memory
    ("(i32.const -48) (i32.const 100) (i32.const 1) (i32.const 200)", 21),  # wraps
])
def test_poll_oneoff_with_hostile_pointers_and_counts(helm_home, args, errno):
    assert _errno(helm_home, f"(call $poll {args})") == errno
    still_works(helm_home)


def test_poll_oneoff_unknown_subscription_kind(helm_home):
    body = "(i32.store8 (i32.const 8) (i32.const 9)) (call $poll (i32.const 0) (i32.const 100) (i32.const 1) " \
           "(i32.const 200))"
    assert _errno(helm_home, body) == 28


def test_poll_oneoff_unknown_clock_is_an_event_error(helm_home):
    body = '''(i32.store8 (i32.const 8) (i32.const 0)) (i32.store (i32.const 16) (i32.const 77))
      (drop (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))
      (i32.load16_u (i32.const 108))'''
    assert _errno(helm_home, body) == 28


def test_poll_oneoff_fd_subscriptions_do_not_block(helm_home):
    # fd_read on stdin (which has nothing) plus a clock of an hour: returns at once with the fd
    body = '''(i64.store (i32.const 0) (i64.const 1)) (i32.store8 (i32.const 8) (i32.const 1))
      (i32.store (i32.const 16) (i32.const 0))
      (i64.store (i32.const 48) (i64.const 2)) (i32.store8 (i32.const 56) (i32.const 0))
      (i32.store (i32.const 64) (i32.const 1)) (i64.store (i32.const 72) (i64.const 3600000000000))
      (drop (call $poll (i32.const 0) (i32.const 200) (i32.const 2) (i32.const 300)))
      (i32.load (i32.const 300))'''
    assert _errno(helm_home, body, "timeout: 60000\n") == 1


def test_poll_oneoff_in_a_start_function_is_refused_not_blocked(helm_home):
    body = '''(global $e (mut i32) (i32.const 0))
      (func $start
        (i32.store8 (i32.const 8) (i32.const 0)) (i32.store (i32.const 16) (i32.const 1))
        (i64.store (i32.const 24) (i64.const 0x7fffffffffffffff))
        (global.set $e (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200))))
      (start $start)
      (func (export "run") (result i32) (global.get $e))'''
    p = make(helm_home, module(body, kernel=False, extra=WASI))
    with pytest.raises(PluginError, match=r"exited with error \(code 58\)"):
        wasm.call_raw(p, b"")


def test_no_preopened_directory_means_no_file(helm_home):
    data = '(data (i32.const 0) "/etc/passwd")'
    body = '''(call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 11) (i32.const 0)
                       (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 100))'''
    assert _errno(helm_home, body, data=data) == 8  # EBADF: fd 3 is nothing


@pytest.mark.parametrize("fd", [3, 4, 100, -1])
def test_no_directory_is_preopened_without_a_grant(helm_home, fd):
    assert _errno(helm_home, f"(call $prestat (i32.const {fd}) (i32.const 0))") == 8


def test_dotdot_from_the_temp_dir_is_refused(helm_home):
    data = '(data (i32.const 0) "../../../../etc/passwd")'
    body = '''(call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 22) (i32.const 0)
                       (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 100))'''
    errno = _errno(helm_home, body, "fileSystem:\n  createTempDir: true\n", data=data)
    assert errno in (63, 76), errno  # EPERM or ENOTCAPABLE


@pytest.mark.parametrize("ptr,n", [(65000, 1000), (-1, 16), (0, -1), (1, 0x10000)])
def test_random_get_out_of_bounds(helm_home, ptr, n):
    assert _errno(helm_home, f"(call $random_get (i32.const {ptr}) (i32.const {n}))") != 0
    still_works(helm_home)


@pytest.mark.parametrize("code", [1, 255, 0x7FFFFFFF, -1])
def test_proc_exit_with_odd_codes(helm_home, code):
    p = make(helm_home, module(f'(func (export "run") (result i32) (call $proc_exit (i32.const {code})) '
                               "(i32.const 0))", kernel=False, extra=WASI))
    with pytest.raises(PluginError, match=f'plugin "{p.name}" (exited with error|failed: exit with invalid exit '
                                          "status)"):
        wasm.call_raw(p, b"")
    still_works(helm_home)


@pytest.mark.parametrize("iovs,n", [(60000, 1000), (-8, 1), (0, 0x7FFFFFFF)])
def test_fd_write_with_hostile_iovecs(helm_home, iovs, n):
    errno = _errno(helm_home, f"(call $fd_write (i32.const 1) (i32.const {iovs}) (i32.const {n}) (i32.const 500))")
    assert errno != 0
    still_works(helm_home)


def test_unknown_wasi_function(helm_home):
    extra = '(import "wasi_snapshot_preview1" "sock_connect_anywhere" (func (param i32) (result i32)))'
    p = make(helm_home, module('(func (export "run") (result i32) (i32.const 0))', kernel=False, extra=extra))
    with pytest.raises(PluginError, match=f'plugin "{p.name}": cannot instantiate'):
        wasm.call_raw(p, b"")


FLOOD = '''(func (export "run") (result i32) (local $i i32)
  (i32.store (i32.const 65000) (i32.const 0)) (i32.store (i32.const 65004) (i32.const 60000))
  (loop $l
    (drop (call $fd_write (i32.const {fd}) (i32.const 65000) (i32.const 1) (i32.const 65008)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $l (i32.lt_u (local.get $i) (i32.const {n}))))
  (i32.const 0))'''


@pytest.mark.parametrize("fd", [1, 2])
def test_stdout_and_stderr_floods_under_debug_are_capped_before_storage(helm_home, fd):
    p = make(helm_home, module(FLOOD.format(fd=fd, n=400), kernel=False, extra=WASI), name=f"flood{fd}")
    policy.save_user_config({"plugins": {p.name: {"narrow": {"maxOutputBytes": 100_000}}}})
    with pytest.raises(PluginError, match=f'plugin "{p.name}" wrote more than the limit of 100000 bytes'):
        wasm.call_raw(p, b"", debug=True)
    # 24 MB were written; none of it is on disk, and at most the cap was kept
    from pilothouse.plugin.runtimes import extism

    for inst in extism._instances.values():
        for cap in (inst.out, inst.err):
            if cap is not None:
                assert len(cap.buf) <= 100_000
                assert not os.path.isfile(cap.path)
    still_works(helm_home)


def test_output_under_the_cap_is_shown_with_debug(helm_home):
    p = make(helm_home, module(FLOOD.format(fd=2, n=1).replace("60000", "5"), kernel=False, extra=WASI))
    res = wasm.bind(p, debug=True)(b"")
    assert res.stderr == b"\0" * 5


def test_temp_dir_quota_stops_a_plugin_that_fills_it(helm_home):
    """A plugin writing without end into its granted /tmp is stopped at the user's quota, while it
    runs (not when its deadline passes), and the directory is emptied."""
    from pilothouse.plugin.policy import config_path

    os.makedirs(os.path.dirname(config_path()), exist_ok=True)
    with open(config_path(), "w") as fh:
        fh.write("defaults:\n  tempDirMaxBytes: 1048576\n")
    # "fill" at 0; iovec {ptr 64, len 65536} at 16; the opened fd at 32; bytes written at 40
    data = '(data (i32.const 0) "fill") (data (i32.const 16) "\\40\\00\\00\\00\\00\\00\\01\\00")'
    body = '''(if (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 1)
                             (i64.const 0x1ff) (i64.const 0x1ff) (i32.const 0) (i32.const 32))
                (then (return (i32.const 99))))
              (loop $again
                (drop (call $fd_write (i32.load (i32.const 32)) (i32.const 16) (i32.const 1) (i32.const 40)))
                (br $again))
              (i32.const 0)'''
    p = make(helm_home, module(f'{data} (func (export "run") (result i32) {body})', kernel=False, extra=WASI,
                               memory='(memory (export "memory") 2)'),
             "timeout: 600000\nfileSystem:\n  createTempDir: true\n")
    with pytest.raises(PluginError, match=rf'plugin "{p.name}": its temp dir holds \d+ bytes, more than its quota '
                                          r"of 1048576 bytes"):
        wasm.call_raw(p, b"")
    for inst in list(wasm_instances_of(p.name)):
        assert os.listdir(inst.tmpdir) == []
    still_works(helm_home)


def wasm_instances_of(name: str):
    from pilothouse.plugin.runtimes import extism

    return [i for i in extism._instances.values() if i.name == name and i.tmpdir]
