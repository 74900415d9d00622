"""Host-side state a plugin can grow: logs, vars, config and env lookups. Every one is bounded,
and what is below the log level is never even read."""

from __future__ import annotations

import pytest
from attack_kit import make, module, still_works

from pilothouse.errors import PluginError
from pilothouse.plugin import policy, wasm
from pilothouse.plugin.runtimes import extism

LOG_FLOOD = '''(data (i32.const 0) "{text}")
  (func (export "run") (result i32) (local $i i32)
    (loop $l
      (call ${fn} (call $text (i32.const 0) (i32.const {n})))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const {count}))))
    (call $echo_input) (i32.const 0))'''


def _instance(name: str):
    return next(i for i in extism._instances.values() if i.name == name)


def test_a_log_flood_stops_at_the_output_cap(helm_home, capfd):
    text = "x" * 1000
    p = make(helm_home, module(LOG_FLOOD.format(text=text, n=1000, fn="log_info", count=100000)), name="logflood")
    policy.save_user_config({"plugins": {"logflood": {"narrow": {"maxOutputBytes": 50_000}}}})
    with pytest.raises(PluginError, match='plugin "logflood" logged more than the limit of 50000 bytes'):
        wasm.call_raw(p, b"")
    err = capfd.readouterr().err
    assert len(err) < 60_000  # what reached stderr was counted against the cap
    still_works(helm_home)


def test_logs_below_the_level_are_not_kept_nor_read(helm_home, capfd):
    # 100,000 trace records with a handle that is not even valid: below the level nothing is read
    body = '''(func (export "run") (result i32) (local $i i32)
      (loop $l (call $log_trace (i64.const 0x7fffffffffff))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 100000))))
      (call $echo_input) (i32.const 0))'''
    p = make(helm_home, module(body))
    res = wasm.call_raw(p, b"quiet")
    assert res.output == b"quiet" and res.logs == []
    assert _instance(p.name).logs == []
    assert capfd.readouterr().err == ""


def test_log_records_are_kept_per_call_only(helm_home, capfd):
    p = make(helm_home, module(LOG_FLOOD.format(text="hello", n=5, fn="log_info", count=3)))
    for _ in range(5):
        assert len(wasm.call_raw(p, b"").logs) == 3
    assert len(_instance(p.name).logs) == 3


def test_log_text_cannot_drive_the_terminal(helm_home, capfd):
    p = make(helm_home, module(LOG_FLOOD.format(text="\\1b[2J\\1b]0;pwned\\07", n=13, fn="log_info", count=1)))
    wasm.call_raw(p, b"")
    err = capfd.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert f"plugin={p.name}" in err


VARS = '''(data (i32.const 0) "{key}") (data (i32.const 100) "{val}")
  (func (export "run") (result i32) (local $i i32)
    (loop $l
      (call $var_set (call $text (i32.const 0) (i32.const {klen})) (call $text (i32.const 100) (i32.const {vlen})))
      (call $reset)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const {count}))))
    (i32.const 0))'''


def test_setting_one_var_many_times_is_not_quadratic(helm_home):
    # 20,000 sets of the same key: the running total (no re-summing) stays one key plus one value
    p = make(helm_home, module(VARS.format(key="k", val="vvvv", klen=1, vlen=4, count=20000)),
             "memory:\n  maxVarBytes: 64\ntimeout: 60000\n")
    wasm.call_raw(p, b"")
    inst = _instance(p.name)
    assert inst.var_bytes == 5 == sum(len(k) + len(v) for k, v in inst.vars.items())


def test_vars_past_the_cap_are_refused(helm_home):
    body = '''(func (export "run") (result i32) (local $i i32)
      (loop $l
        (i64.store (i32.const 0) (i64.extend_i32_u (local.get $i)))
        (call $var_set (call $text (i32.const 0) (i32.const 8)) (call $text (i32.const 0) (i32.const 8)))
        (call $reset)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))
      (i32.const 0))'''
    p = make(helm_home, module(body), "memory:\n  maxVarBytes: 1000\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}": vars exceed the limit of 1000 bytes'):
        wasm.call_raw(p, b"")


def test_a_var_key_bigger_than_the_cap(helm_home):
    p = make(helm_home, module(VARS.format(key="k" * 90, val="v", klen=90, vlen=1, count=1)),
             "memory:\n  maxVarBytes: 16\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}": var_set: 90 bytes, more than the limit of 16'):
        wasm.call_raw(p, b"")


def test_deleting_vars_gives_the_room_back(helm_home):
    body = '''(data (i32.const 0) "key") (data (i32.const 100) "0123456789")
      (func (export "run") (result i32) (local $i i32)
        (loop $l
          (call $var_set (call $text (i32.const 0) (i32.const 3)) (call $text (i32.const 100) (i32.const 10)))
          (call $var_set (call $text (i32.const 0) (i32.const 3)) (i64.const 0))
          (call $reset)
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
        (i32.const 0))'''
    p = make(helm_home, module(body), "memory:\n  maxVarBytes: 13\n")
    wasm.call_raw(p, b"")
    inst = _instance(p.name)
    assert inst.var_bytes == 0 and inst.vars == {}


@pytest.mark.parametrize("fn", ["config_get", "var_get"])
def test_a_huge_key_is_refused(helm_home, fn):
    body = f'''(func (export "run") (result i32)
      (drop (call ${fn} (call $alloc (i64.const 1000000)))) (i32.const 0))'''
    p = make(helm_home, module(body), "memory:\n  maxVarBytes: 10\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}": {fn}: 1000000 bytes, more than the limit'):
        wasm.call_raw(p, b"")


def test_http_headers_before_any_request(helm_home):
    body = '''(func (export "run") (result i32)
      (if (i64.ne (call $http_headers) (i64.const 0)) (then unreachable))
      (if (i32.ne (call $http_status_code) (i32.const 0)) (then unreachable))
      (call $echo_input) (i32.const 0))'''
    p = make(helm_home, module(body))
    assert wasm.call_raw(p, b"h").output == b"h"


def test_a_host_call_with_an_allocation_bigger_than_the_kernel_can_give(helm_home):
    # config values come back in the kernel's memory: with a tiny budget, a clear refusal
    body = '''(data (i32.const 0) "big")
      (func (export "run") (result i32) (drop (call $config_get (call $text (i32.const 0) (i32.const 3))))
        (i32.const 0))'''
    wat = module(body)
    p = make(helm_home, wat, "memory:\n  maxPages: 4\nconfig:\n  big: " + "b" * 300_000 + "\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}": out of memory in the kernel'):
        wasm.call_raw(p, b"")
