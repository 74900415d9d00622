"""Time: one deadline covers everything a plugin does (instantiation and its start function,
_initialize, the call, sleeps, host calls), and Ctrl-C / SIGTERM stop it with 130 / 143."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from attack_kit import build, make, module, still_works

from pilothouse.errors import PluginError
from pilothouse.plugin import wasm

LOOP_START = '''(func $start (loop $l (br $l))) (start $start)
  (func (export "run") (result i32) (i32.const 0))'''
TRAP_START = '''(func $start unreachable) (start $start)
  (func (export "run") (result i32) (i32.const 0))'''
RECURSE_START = '''(func $f (call $f)) (func $start (call $f)) (start $start)
  (func (export "run") (result i32) (i32.const 0))'''
LOOP_INIT = '''(func (export "_initialize") (loop $l (br $l)))
  (func (export "run") (result i32) (i32.const 0))'''


def test_start_function_loop_meets_the_timeout(helm_home):
    p = make(helm_home, module(LOOP_START, kernel=False), "timeout: 200\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}" timed out after 200 ms'):
        wasm.call_raw(p, b"")
    still_works(helm_home)


def test_start_function_loop_meets_the_fuel_limit(helm_home, tmp_path):
    p = make(helm_home, module(LOOP_START, kernel=False), "fuel: 100000\n")
    from pilothouse.plugin import policy

    policy.approve(p.name, policy.requested(p.metadata.runtime_config, "x", p.dir))
    with pytest.raises(PluginError, match=f'plugin "{p.name}" ran out of fuel'):
        wasm.call_raw(p, b"")


def test_trap_in_the_start_function_is_an_error(helm_home):
    p = make(helm_home, module(TRAP_START, kernel=False))
    with pytest.raises(PluginError, match=f'plugin "{p.name}" crashed in its start function: wasm trap: wasm '
                                          "`unreachable`"):
        wasm.call_raw(p, b"")
    still_works(helm_home)


def test_recursion_in_the_start_function(helm_home):
    p = make(helm_home, module(RECURSE_START, kernel=False))
    with pytest.raises(PluginError, match="call stack exhausted"):
        wasm.call_raw(p, b"")


def test_initialize_loop_meets_the_timeout(helm_home):
    p = make(helm_home, module(LOOP_INIT, kernel=False), "timeout: 200\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}" timed out after 200 ms'):
        wasm.call_raw(p, b"")


def test_initialize_with_a_signature(helm_home):
    body = '''(func (export "_initialize") (param i32)) (func (export "run") (result i32) (i32.const 0))'''
    p = make(helm_home, module(body, kernel=False))
    with pytest.raises(PluginError, match='"_initialize" must take and return nothing'):
        wasm.call_raw(p, b"")


def test_a_timed_out_instance_is_replaced(helm_home):
    body = '''(global $n (mut i32) (i32.const 0))
      (func (export "run") (result i32)
        (global.set $n (i32.add (global.get $n) (i32.const 1)))
        (if (i32.eq (global.get $n) (i32.const 1)) (then (loop $l (br $l))))
        (call $echo_input) (i32.const 0))'''
    p = make(helm_home, module(body), "timeout: 150\n")
    with pytest.raises(PluginError, match="timed out"):
        wasm.call_raw(p, b"a")
    # a new instance: its first call loops again, which proves the old one was thrown away
    with pytest.raises(PluginError, match="timed out"):
        wasm.call_raw(p, b"a")


SLEEP = '''(import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))'''
SLEEP_BODY = '''(func (export "run") (result i32)
  (i64.store (i32.const 0) (i64.const 42))            ;; userdata
  (i32.store8 (i32.const 8) (i32.const 0))            ;; clock
  (i32.store (i32.const 16) (i32.const {clock}))      ;; clock id
  (i64.store (i32.const 24) (i64.const {ns}))         ;; timeout
  (i32.store16 (i32.const 40) (i32.const {flags}))    ;; 1 = absolute
  (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))'''


@pytest.mark.parametrize("clock,ns,flags", [(1, 3_600_000_000_000, 0), (1, 0x7FFFFFFFFFFFFFFF, 0),
                                            (0, 0x7FFFFFFFFFFFFFFF, 1), (1, -1, 0)])
def test_a_long_sleep_meets_the_timeout(helm_home, clock, ns, flags):
    p = make(helm_home, module(SLEEP_BODY.format(clock=clock, ns=ns, flags=flags), kernel=False, extra=SLEEP),
             "timeout: 300\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}" timed out after 300 ms'):
        wasm.call_raw(p, b"")


def test_a_short_sleep_answers(helm_home):
    body = SLEEP_BODY.format(clock=1, ns=1_000_000, flags=0).replace(
        "(call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))",
        "(drop (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))"
        " (i32.load (i32.const 200)))")
    p = make(helm_home, module(body, kernel=False, extra=SLEEP), "timeout: 5000\n")
    # one event came back: the plugin returns the count as its status
    with pytest.raises(PluginError, match=r"exited with error \(code 1\)"):
        wasm.call_raw(p, b"")


# ---- signals, through the real CLI ------------------------------------------------------

WRITE = '''(import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))'''
READY = '''(data (i32.const 300) "ready\\n")
  (func $ready
    (i32.store (i32.const 400) (i32.const 300)) (i32.store (i32.const 404) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 400) (i32.const 1) (i32.const 412))))'''
SPIN = READY + '(func (export "run") (result i32) (call $ready) (loop $l (br $l)) (i32.const 0))'
NAP = READY + SLEEP_BODY.format(clock=1, ns=0x7FFFFFFFFFFFFFFF, flags=0).replace(
    '(func (export "run") (result i32)', '(func (export "run") (result i32) (call $ready)')


def _cli(helm_home, name: str, wat: str) -> Path:
    path = Path(helm_home.root) / f"{name}.wasm"
    path.write_bytes(build(wat))
    return helm_home.add_wasm(name, path, ptype="cli/v1", runtime_config="entryFuncName: run\n",
                              config=f"usage: {name}")


@pytest.mark.parametrize("wat", [SPIN, NAP], ids=["busy loop", "endless sleep"])
@pytest.mark.parametrize("sig,code,text", [(signal.SIGINT, 130, "Error: interrupted"),
                                           (signal.SIGTERM, 143, "Error: terminated")])
def test_signals_stop_a_plugin_without_a_timeout(helm_home, wat, sig, code, text):
    _cli(helm_home, "spinner", module(wat, kernel=False, extra=SLEEP + WRITE))
    proc = subprocess.Popen([str(Path(sys.executable).parent / "pilot"), "spinner"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ))
    try:
        assert proc.stdout.readline() == b"ready\n"  # the plugin runs now
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)  # a guard only: the signal must end it
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, err
    assert err.decode().strip().splitlines() == [text]


@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signals_stop_a_plugin_waiting_on_a_dripping_server(helm_home, sig, code):
    import json
    import threading
    from http.server import ThreadingHTTPServer

    from test_http import _Handler

    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        req = json.dumps({"url": f"http://127.0.0.1:{srv.server_address[1]}/drip"}).replace('"', '\\"')
        n = len(req.replace('\\"', '"'))
        assert n < 300  # the request sits below READY's data
        wat = module(f'(data (i32.const 0) "{req}") {READY} (func (export "run") (result i32) (call $ready) '
                     f"(drop (call $http_request (call $text (i32.const 0) (i32.const {n})) (i64.const 0))) "
                     "(i32.const 0))", extra=WRITE)
        path = Path(helm_home.root) / "dripper.wasm"
        path.write_bytes(build(wat))
        helm_home.add_wasm("dripper", path, ptype="cli/v1", config="usage: dripper",
                           runtime_config="entryFuncName: run\nallowedHosts: [127.0.0.1]\n"
                                          "memory:\n  maxHttpResponseBytes: 1000000\n")
        proc = subprocess.Popen([str(Path(sys.executable).parent / "pilot"), "dripper"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=dict(os.environ))
        try:
            assert proc.stdout.readline() == b"ready\n"
            proc.send_signal(sig)
            _, err = proc.communicate(timeout=60)  # a guard only
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == code, err
    finally:
        srv.shutdown()
        srv.server_close()
