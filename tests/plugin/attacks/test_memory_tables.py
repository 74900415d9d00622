"""Memories and tables: one budget per instance covers the plugin's memory, the kernel's memory
and every table; modules that would go around it are refused or stopped at the budget."""

from __future__ import annotations

import pytest
from attack_kit import clean_failure, isolated, make, module, still_works, within_budget

from pilothouse.errors import PluginError
from pilothouse.plugin import policy, wasm
from pilothouse.plugin.policy import PAGE
from pilothouse.plugin.runtimes import extism

GROW_ALL = '''(func (export "run") (result i32)
  ;; the plugin's memory as far as it goes, then the kernel's, then the plugin's again
  (loop $a (br_if $a (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
  (loop $b (br_if $b (i64.ne (call $alloc (i64.const 65536)) (i64.const 0))))
  (loop $c (br_if $c (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
  (call $echo_input) (i32.const 0))'''


@pytest.mark.parametrize("pages", [16, 64, 300])
def test_plugin_and_kernel_memory_share_one_budget(helm_home, pages):
    p = make(helm_home, module(GROW_ALL), f"memory:\n  maxPages: {pages}\n")
    assert wasm.call_raw(p, b"x").output == b"x"
    within_budget(p.name)
    # and again with a big input: the kernel's share moves, the sum does not
    big = b"y" * (pages * PAGE // 8)
    assert wasm.call_raw(p, big).output == big
    within_budget(p.name)


def test_user_narrowing_bounds_everything(helm_home):
    p = make(helm_home, module(GROW_ALL), name="narrowed")
    policy.save_user_config({"plugins": {"narrowed": {"narrow": {"maxPages": 64}}}})
    assert wasm.call_raw(p, b"x").output == b"x"
    within_budget("narrowed")
    inst = next(i for i in extism._instances.values() if i.name == "narrowed")
    assert inst.caps.max_pages == 64


def test_default_cap_applies_to_the_sum(helm_home):
    p = make(helm_home, module(GROW_ALL))
    wasm.call_raw(p, b"x")
    within_budget(p.name)


def test_input_bigger_than_the_budget(helm_home):
    p = make(helm_home, module('(func (export "run") (result i32) (call $echo_input) (i32.const 0))'),
             "memory:\n  maxPages: 16\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}": input of 2000000 bytes does not fit'):
        wasm.call_raw(p, b"z" * 2_000_000)
    assert wasm.call_raw(p, b"small").output == b"small"


@pytest.mark.parametrize("mem,expect", [
    ('(memory 1) (memory 1)', "declares 2 memories"),
    ('(memory 1) (memory 1) (memory 1) (memory 1)', "declares 4 memories"),
    ('(memory i64 1)', "64-bit memory"),
    ('(memory 1 1 shared)', "shared memory"),
])
def test_modules_with_more_than_one_memory_or_odd_memories(helm_home, mem, expect):
    body = '(func (export "run") (result i32) (i32.const 0))'
    p = make(helm_home, module(body, kernel=False, memory=mem))
    clean_failure(isolated(p), "invalid wasm module", expect)


def test_memory_that_starts_past_the_budget(helm_home):
    p = make(helm_home, module('(func (export "run") (result i32) (i32.const 0))', kernel=False,
                               memory='(memory (export "memory") 200)'), "memory:\n  maxPages: 64\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}": cannot instantiate: its memory starts at 200 pages'):
        wasm.call_raw(p, b"")


def test_table_grow_stops_at_the_budget(helm_home):
    body = '''(table $t 1 funcref)
      (func (export "run") (result i32) (local $n i32)
        (loop $l (br_if $l (i32.ne (table.grow $t (ref.null func) (i32.const 4096)) (i32.const -1))))
        (call $output_set (call $input_offset) (call $input_length))
        (i32.const 0))'''
    p = make(helm_home, module(body), "memory:\n  maxPages: 64\n")
    assert wasm.call_raw(p, b"t").output == b"t"
    inst = next(i for i in extism._instances.values() if i.name == p.name)
    # the tables' part of the budget plus both memories: still the grant
    assert inst.table_elements * 8 + inst.mem_budget <= 64 * PAGE


def test_table_growth_in_a_loop_with_a_big_grant(helm_home):
    body = '''(table $t 0 externref)
      (func (export "run") (result i32)
        (loop $l (br_if $l (i32.ne (table.grow $t (ref.null extern) (i32.const 1000000)) (i32.const -1))))
        (i32.const 0))'''
    p = make(helm_home, module(body, kernel=False))
    res = isolated(p)
    assert res.returncode == 0, res.stderr
    inst_elements = max(1024, policy.DEFAULT_MAX_PAGES * PAGE // 64)
    assert inst_elements * 8 <= policy.DEFAULT_MAX_PAGES * PAGE // 8


def test_a_table_that_starts_past_the_budget(helm_home):
    body = '(table 10000000 funcref) (func (export "run") (result i32) (i32.const 0))'
    p = make(helm_home, module(body, kernel=False), "memory:\n  maxPages: 64\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}": cannot instantiate: its table needs 10000000 elements'):
        wasm.call_raw(p, b"")


def test_too_many_tables(helm_home):
    tables = " ".join("(table 1 funcref)" for _ in range(6))
    p = make(helm_home, module(tables + ' (func (export "run") (result i32) (i32.const 0))', kernel=False))
    clean_failure(isolated(p), "declares 6 tables (at most 4)")


def test_several_tables_share_the_table_budget(helm_home):
    body = '''(table $a 1 funcref) (table $b 1 funcref) (table $c 1 externref)
      (func (export "run") (result i32)
        (loop $l (br_if $l (i32.ne (table.grow $a (ref.null func) (i32.const 512)) (i32.const -1))))
        (loop $m (br_if $m (i32.ne (table.grow $b (ref.null func) (i32.const 512)) (i32.const -1))))
        (loop $n (br_if $n (i32.ne (table.grow $c (ref.null extern) (i32.const 512)) (i32.const -1))))
        (i32.const 0))'''
    p = make(helm_home, module(body), "memory:\n  maxPages: 128\n")
    wasm.call_raw(p, b"")
    inst = next(i for i in extism._instances.values() if i.name == p.name)
    assert 3 * inst.table_elements * 8 + inst.mem_budget <= 128 * PAGE


def test_memory_bomb_in_the_start_function(helm_home):
    body = '''(func $start (loop $l (br_if $l (i32.ne (memory.grow (i32.const 16)) (i32.const -1)))))
      (start $start)
      (func (export "run") (result i32) (call $echo_input) (i32.const 0))'''
    p = make(helm_home, module(body), "memory:\n  maxPages: 64\n")
    assert wasm.call_raw(p, b"s").output == b"s"
    within_budget(p.name)


def test_growing_by_huge_deltas(helm_home):
    body = '''(func (export "run") (result i32)
      (drop (memory.grow (i32.const -1))) (drop (memory.grow (i32.const 0x7fffffff)))
      (drop (memory.grow (i32.const 65536)))
      (call $echo_input) (i32.const 0))'''
    p = make(helm_home, module(body), "memory:\n  maxPages: 32\n")
    assert wasm.call_raw(p, b"d").output == b"d"
    within_budget(p.name)


def test_many_globals_and_functions_are_fine(helm_home):
    globals_ = " ".join(f"(global $g{i} (mut i64) (i64.const {i}))" for i in range(2000))
    p = make(helm_home, module(globals_ + ' (func (export "run") (result i32) (call $echo_input) (i32.const 0))'))
    assert wasm.call_raw(p, b"g").output == b"g"
    still_works(helm_home)


@pytest.mark.parametrize("pages", [1, 2])
def test_a_budget_too_small_for_anything(helm_home, pages):
    body = '(table 1 funcref) (func (export "run") (result i32) (i32.const 0))'
    p = make(helm_home, module(body, kernel=False), f"memory:\n  maxPages: {pages}\n")
    with pytest.raises(PluginError, match=f'plugin "{p.name}": cannot instantiate'):
        wasm.call_raw(p, b"")
    still_works(helm_home)


def test_a_memory_that_starts_big_gets_its_room(helm_home):
    # 56 of 64 pages at the start: the kernel's share shrinks to what is left
    p = make(helm_home, module('(func (export "run") (result i32) (call $echo_input) (i32.const 0))',
                               memory='(memory (export "memory") 56)'), "memory:\n  maxPages: 64\n")
    assert wasm.call_raw(p, b"big start").output == b"big start"
    within_budget(p.name)
