"""A small ctypes binding to wasmtime's C API: only what the Extism host needs.

Why not the `wasmtime` Python package's own API: importing it costs ~30 ms (it declares the
whole C API in Python), more than a one-shot `pilot template --post-renderer` can afford; the
shared library itself loads in under a millisecond. The package is still what provides the
library (``wasmtime/<platform>/_libwasmtime.*``); it is located without being imported. The C
types come from `cdata` (``_ctypes`` without the cost of importing `ctypes`), and a function's
signature is declared on its first use.

Handles are wrapped in small classes that free what they own. Errors come back as `WasmError`,
`Trap` (with wasmtime's trap code) or `Exit` (WASI ``proc_exit``). A Python exception raised in a
host function becomes a trap inside the guest and is raised again, unchanged, from the call.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from pilothouse.plugin.runtimes.cdata import (
    CDLL,
    CFUNCTYPE,
    POINTER,
    Structure,
    Union,
    byref,
    c_bool,
    c_char_p,
    c_int,
    c_int32,
    c_int64,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
    memmove,
    sizeof,
    string_at,
)

I32, I64 = 0, 1
_EXTERN_FUNC, _EXTERN_MEMORY = 0, 3

# trap codes (wasmtime_trap_code_t)
TRAP_STACK_OVERFLOW = 0
TRAP_MEMORY_OUT_OF_BOUNDS = 1
TRAP_UNREACHABLE = 9
TRAP_INTERRUPT = 10
TRAP_OUT_OF_FUEL = 11
TRAP_NAMES = {0: "call stack exhausted", 1: "out of bounds memory access", 2: "misaligned memory access",
              3: "undefined element: out of bounds table access", 4: "uninitialized element",
              5: "indirect call type mismatch", 6: "integer overflow", 7: "integer divide by zero",
              8: "invalid conversion to integer", 9: "wasm `unreachable` instruction executed",
              10: "interrupt", 11: "all fuel consumed"}


class WasmError(Exception):
    """wasmtime refused something (compile, link, instantiate)."""


class Trap(Exception):
    """The guest trapped; ``code`` is wasmtime's trap code or None."""

    def __init__(self, message: str, code: int | None) -> None:
        super().__init__(message)
        self.code = code


class Exit(Exception):
    """The guest called WASI proc_exit."""

    def __init__(self, code: int) -> None:
        super().__init__(f"exit status {code}")
        self.code = code


class _ByteVec(Structure):
    _fields_ = [("size", c_size_t), ("data", POINTER(c_uint8))]


class _PtrVec(Structure):
    _fields_ = [("size", c_size_t), ("data", POINTER(c_void_p))]


class _Func(Structure):
    _fields_ = [("store_id", c_uint64), ("private", c_void_p)]


class _MemAnon(Structure):
    _fields_ = [("store_id", c_uint64), ("private1", c_uint32)]


class _Memory(Structure):
    _fields_ = [("anon", _MemAnon), ("private2", c_uint32)]


class _Instance(Structure):
    _fields_ = [("store_id", c_uint64), ("private", c_size_t)]


class _ExternUnion(Union):
    _fields_ = [("func", _Func), ("memory", _Memory), ("pad", c_uint64 * 3)]


class _Extern(Structure):
    _fields_ = [("kind", c_uint8), ("of", _ExternUnion)]


class _ValUnion(Union):
    _fields_ = [("i32", c_int32), ("i64", c_int64), ("pad", c_uint64 * 3)]


class _ValRaw(Union):
    # wasmtime_val_raw_t: 16 bytes, little-endian values in the low bytes
    _fields_ = [("i32", c_int32), ("i64", c_int64), ("pad", c_uint64 * 2)]


class _Val(Structure):
    _fields_ = [("kind", c_uint8), ("of", _ValUnion)]


_CALLBACK = CFUNCTYPE(c_size_t, c_void_p, c_void_p, POINTER(_Val), c_size_t, POINTER(_Val), c_size_t)
# (context, env, out: next deadline delta, out: continue/yield) -> wasmtime_error_t* (NULL: go on)
_EPOCH_CALLBACK = CFUNCTYPE(c_size_t, c_void_p, c_void_p, POINTER(c_uint64), POINTER(c_uint8))
_FINALIZER = CFUNCTYPE(None, c_void_p)

_lib: Any = None
_lib_lock = threading.Lock()


def library_path() -> str:
    """The wasmtime shared library shipped in the `wasmtime` package (found without importing it)."""
    spec = importlib.util.find_spec("wasmtime")
    if spec is None or not spec.submodule_search_locations:
        raise WasmError("the `wasmtime` package is not installed (pip install 'pilothouse[wasm]')")
    base = list(spec.submodule_search_locations)[0]
    machine = os.uname().machine if hasattr(os, "uname") else __import__("platform").machine()
    machine = {"AMD64": "x86_64", "arm64": "aarch64", "ARM64": "aarch64"}.get(machine, machine)
    plat = "linux" if sys.platform.startswith("linux") else sys.platform
    name = {"win32": "_wasmtime.dll", "darwin": "_libwasmtime.dylib"}.get(plat, "_libwasmtime.so")
    return os.path.join(base, f"{plat}-{machine}", name)


def _signatures() -> dict[str, tuple[Any, list[Any]]]:
    p = c_void_p
    return {
        "wasm_config_new": (p, []),
        "wasmtime_config_epoch_interruption_set": (None, [p, c_bool]),
        "wasmtime_config_consume_fuel_set": (None, [p, c_bool]),
        "wasm_engine_new_with_config": (p, [p]),
        "wasmtime_engine_increment_epoch": (None, [p]),
        "wasmtime_module_new": (p, [p, POINTER(c_uint8), c_size_t, POINTER(p)]),
        "wasmtime_module_serialize": (p, [p, POINTER(_ByteVec)]),
        "wasmtime_module_deserialize_file": (p, [p, c_char_p, POINTER(p)]),
        "wasmtime_module_delete": (None, [p]),
        "wasm_functype_params": (POINTER(_PtrVec), [p]),
        "wasm_functype_results": (POINTER(_PtrVec), [p]),
        "wasm_valtype_kind": (c_uint8, [p]),
        "wasm_valtype_new": (p, [c_uint8]),
        "wasm_valtype_vec_new": (None, [POINTER(_PtrVec), c_size_t, POINTER(p)]),
        "wasm_functype_new": (p, [POINTER(_PtrVec), POINTER(_PtrVec)]),
        "wasm_functype_delete": (None, [p]),
        "wasmtime_wat2wasm": (p, [c_char_p, c_size_t, POINTER(_ByteVec)]),
        "wasm_byte_vec_delete": (None, [POINTER(_ByteVec)]),
        "wasmtime_store_new": (p, [p, p, p]),
        "wasmtime_store_context": (p, [p]),
        "wasmtime_store_limiter": (None, [p, c_int64, c_int64, c_int64, c_int64, c_int64]),
        "wasmtime_store_delete": (None, [p]),
        "wasmtime_context_set_fuel": (p, [p, c_uint64]),
        "wasmtime_context_set_epoch_deadline": (None, [p, c_uint64]),
        "wasmtime_context_set_wasi": (p, [p, p]),
        "wasi_config_new": (p, []),
        "wasi_config_set_argv": (c_bool, [p, c_size_t, POINTER(c_char_p)]),
        "wasi_config_set_env": (c_bool, [p, c_size_t, POINTER(c_char_p), POINTER(c_char_p)]),
        "wasi_config_inherit_stdin": (None, [p]),
        "wasi_config_inherit_stdout": (None, [p]),
        "wasi_config_inherit_stderr": (None, [p]),
        "wasi_config_set_stdout_file": (c_bool, [p, c_char_p]),
        "wasi_config_set_stderr_file": (c_bool, [p, c_char_p]),
        "wasi_config_preopen_dir": (c_bool, [p, c_char_p, c_char_p, c_bool]),
        "wasmtime_store_epoch_deadline_callback": (None, [p, _EPOCH_CALLBACK, p, _FINALIZER]),
        "wasmtime_error_new": (p, [c_char_p]),
        "wasmtime_linker_allow_shadowing": (None, [p, c_bool]),
        "wasmtime_linker_new": (p, [p]),
        "wasmtime_linker_delete": (None, [p]),
        "wasmtime_linker_define_wasi": (p, [p]),
        "wasmtime_linker_define_instance": (p, [p, p, c_char_p, c_size_t, POINTER(_Instance)]),
        "wasmtime_linker_define_func": (p, [p, c_char_p, c_size_t, c_char_p, c_size_t, p, _CALLBACK, p,
                                            _FINALIZER]),
        "wasmtime_linker_instantiate": (p, [p, p, p, POINTER(_Instance), POINTER(p)]),
        "wasmtime_instance_export_get": (c_bool, [p, POINTER(_Instance), c_char_p, c_size_t, POINTER(_Extern)]),
        "wasmtime_func_type": (p, [p, POINTER(_Func)]),
        "wasmtime_func_call": (p, [p, POINTER(_Func), POINTER(_Val), c_size_t, POINTER(_Val), c_size_t, POINTER(p)]),
        "wasmtime_func_call_unchecked": (p, [p, POINTER(_Func), POINTER(_ValRaw), c_size_t, POINTER(p)]),
        "wasmtime_memory_data": (c_void_p, [p, POINTER(_Memory)]),
        "wasmtime_memory_data_size": (c_size_t, [p, POINTER(_Memory)]),
        "wasmtime_memory_size": (c_uint64, [p, POINTER(_Memory)]),
        "wasmtime_error_message": (None, [p, POINTER(_ByteVec)]),
        "wasmtime_error_exit_status": (c_bool, [p, POINTER(c_int)]),
        "wasmtime_error_delete": (None, [p]),
        "wasm_trap_message": (None, [p, POINTER(_ByteVec)]),
        "wasmtime_trap_code": (c_bool, [p, POINTER(c_uint8)]),
        "wasm_trap_delete": (None, [p]),
        "wasmtime_trap_new": (p, [c_char_p, c_size_t]),
        "wasmtime_caller_context": (p, [p]),
    }


class _Lib:
    """The shared library; a function's signature is declared when it is first used.

    A one-shot call uses about half of the functions declared here, and declaring costs more
    than the call itself, so it is left to the first use (after which the function is a plain
    attribute).
    """

    def __init__(self, path: str) -> None:
        self._dll = CDLL(path)
        self._sigs = _signatures()

    def __getattr__(self, name: str) -> Any:
        res, args = self._sigs[name]
        fn = getattr(self._dll, name)
        fn.restype = res
        fn.argtypes = args
        setattr(self, name, fn)
        return fn


def lib() -> Any:
    """The loaded library, with the signatures used here declared."""
    global _lib
    if _lib is None:
        with _lib_lock:
            if _lib is None:
                _lib = _Lib(library_path())
    return _lib


def _vec_bytes(vec: _ByteVec) -> bytes:
    return string_at(vec.data, vec.size) if vec.size else b""


def _check(err: Any) -> None:
    """Raise for a wasmtime_error_t pointer (freeing it)."""
    if not err:
        return
    L = lib()
    status = c_int(0)
    if L.wasmtime_error_exit_status(err, byref(status)):
        L.wasmtime_error_delete(err)
        raise Exit(status.value)
    msg = _ByteVec()
    L.wasmtime_error_message(err, byref(msg))
    text = _vec_bytes(msg).decode("utf-8", "replace")
    L.wasm_byte_vec_delete(byref(msg))
    L.wasmtime_error_delete(err)
    raise WasmError(text)


def _trap(trap: Any) -> Trap:
    L = lib()
    msg = _ByteVec()
    L.wasm_trap_message(trap, byref(msg))
    text = _vec_bytes(msg).rstrip(b"\0").decode("utf-8", "replace")
    L.wasm_byte_vec_delete(byref(msg))
    code = c_uint8(0)
    has = L.wasmtime_trap_code(trap, byref(code))
    L.wasm_trap_delete(trap)
    return Trap(text, code.value if has else None)


def wat2wasm(text: str) -> bytes:
    """Assemble WebAssembly text."""
    out = _ByteVec()
    data = text.encode()
    _check(lib().wasmtime_wat2wasm(data, len(data), byref(out)))
    res = _vec_bytes(out)
    lib().wasm_byte_vec_delete(byref(out))
    return res


class Engine:
    """A compilation engine; epoch interruption and fuel are switched on or off for good."""

    def __init__(self, *, epoch: bool = True, fuel: bool = True) -> None:
        L = lib()
        cfg = L.wasm_config_new()
        L.wasmtime_config_epoch_interruption_set(cfg, epoch)
        L.wasmtime_config_consume_fuel_set(cfg, fuel)
        self.ptr = L.wasm_engine_new_with_config(cfg)  # takes ownership of cfg

    def increment_epoch(self) -> None:
        lib().wasmtime_engine_increment_epoch(self.ptr)


class Module:
    """A compiled module."""

    def __init__(self, ptr: Any) -> None:
        self.ptr = ptr
        # what `wasmcheck` read from the module's bytes (wasmtime's own type reflection aborts
        # the process on a v128 signature, so it is not used for plugin modules)
        self.info: Any = None

    @classmethod
    def compile(cls, engine: Engine, wasm: bytes) -> Module:
        out = c_void_p()
        buf = (c_uint8 * len(wasm)).from_buffer_copy(wasm)
        _check(lib().wasmtime_module_new(engine.ptr, buf, len(wasm), byref(out)))
        return cls(out)

    @classmethod
    def deserialize_file(cls, engine: Engine, path: str) -> Module:
        out = c_void_p()
        _check(lib().wasmtime_module_deserialize_file(engine.ptr, os.fsencode(path), byref(out)))
        return cls(out)

    def serialize(self) -> bytes:
        out = _ByteVec()
        _check(lib().wasmtime_module_serialize(self.ptr, byref(out)))
        data = _vec_bytes(out)
        lib().wasm_byte_vec_delete(byref(out))
        return data

    def __del__(self) -> None:
        if getattr(self, "ptr", None) and _lib is not None:
            _lib.wasmtime_module_delete(self.ptr)
            self.ptr = None


def _kinds(vec: _PtrVec) -> list[int]:
    L = lib()
    return [L.wasm_valtype_kind(vec.data[i]) for i in range(vec.size)]


def _functype(params: Sequence[int], results: Sequence[int]) -> Any:
    L = lib()
    pv, rv = _PtrVec(), _PtrVec()
    parr = (c_void_p * max(1, len(params)))(*[L.wasm_valtype_new(k) for k in params])
    rarr = (c_void_p * max(1, len(results)))(*[L.wasm_valtype_new(k) for k in results])
    L.wasm_valtype_vec_new(byref(pv), len(params), parr)
    L.wasm_valtype_vec_new(byref(rv), len(results), rarr)
    return L.wasm_functype_new(byref(pv), byref(rv))


# Host functions: one C trampoline dispatching on the env pointer, an index into this table.
_host_funcs: dict[int, tuple[Callable[..., Any], list[int]]] = {}
_host_next = 1
_pending = threading.local()


_caller_context: Any = None


def _bind_caller_context() -> Any:
    global _caller_context
    _caller_context = lib().wasmtime_caller_context
    return _caller_context


def _host_entry(env: int, caller: int, args: Any, nargs: int, results: Any, nresults: int) -> int:
    try:
        if _deferred:
            _run_deferred()
        fn, result_kinds = _host_funcs[env or 0]
        ctx = (_caller_context or _bind_caller_context())(caller)
        vals = [args[i].of.i32 if args[i].kind == I32 else args[i].of.i64 for i in range(nargs)]
        res = fn(ctx, *vals)
        if nresults:
            kind = result_kinds[0]
            results[0].kind = kind
            if kind == I32:
                results[0].of.i32 = int(res or 0)
            else:
                results[0].of.i64 = int(res or 0)
        return 0
    except BaseException as exc:  # noqa: BLE001 - carried across the guest and raised again by `call`
        _pending.exc = exc
        msg = str(exc).encode()
        return int(lib().wasmtime_trap_new(msg, len(msg)) or 0)


_trampoline = _CALLBACK(_host_entry)


@_FINALIZER
def _finalize(env: int) -> None:
    _host_funcs.pop(env or 0, None)


# Epoch deadline callbacks: one trampoline, dispatching on the env pointer as host functions do.
_epoch_funcs: dict[int, Callable[[], None]] = {}


def _epoch_entry(ctx: int, env: int, delta: Any, kind: Any) -> int:
    try:
        if _deferred:
            _run_deferred()
        fn = _epoch_funcs.get(env or 0)
        if fn is not None:
            fn()
        delta[0] = 1
        kind[0] = 0  # continue
        return 0
    except BaseException as exc:  # noqa: BLE001 - carried across the guest and raised again by `call`
        _pending.exc = exc
        return int(lib().wasmtime_error_new(b"interrupted by the host") or 0)


_epoch_trampoline = _EPOCH_CALLBACK(_epoch_entry)


@_FINALIZER
def _epoch_finalize(env: int) -> None:
    _epoch_funcs.pop(env or 0, None)


_ENTRY_CODES = {_host_entry.__code__, _epoch_entry.__code__}


# Signals. Python runs a signal handler at the next function entry in the main thread; while
# guest code runs, that is one of the trampolines above, and an exception raised at its very
# entry (before its `try`) would be dropped by ctypes. So a handler that finds itself there
# defers the signal: the trampoline's first statement, or the call's return, raises it.
_deferred: list[tuple[Any, int]] = []
_signals_guarded = False


def check_signals() -> None:
    """Raise a signal that arrived at a trampoline's entry, if one did (call before waiting)."""
    if _deferred:
        _run_deferred()


def _run_deferred() -> None:
    while _deferred:
        prev, signum = _deferred.pop()
        prev(signum, None)


def _guarded_handler(prev: Any) -> Any:
    def handler(signum: int, frame: Any) -> None:
        if frame is not None and frame.f_code in _ENTRY_CODES:
            _deferred.append((prev, signum))
            return
        prev(signum, frame)
    handler.pilothouse_prev = prev  # type: ignore[attr-defined]
    return handler


def guard_signals() -> None:
    """Make SIGINT's and SIGTERM's Python handlers safe to run while guest code runs (call it
    from the main thread; handlers that are not Python functions are left alone)."""
    global _signals_guarded
    if _signals_guarded or threading.current_thread() is not threading.main_thread():
        return
    import _signal  # the C module: `signal` costs a millisecond to import (its enums)

    _signals_guarded = True
    for sig in (_signal.SIGINT, _signal.SIGTERM):
        cur = _signal.getsignal(sig)
        if callable(cur) and not hasattr(cur, "pilothouse_prev"):
            _signal.signal(sig, _guarded_handler(cur))


class Store:
    """A store: where instances live, with their limits, fuel, deadline and WASI context."""

    def __init__(self, engine: Engine) -> None:
        self.ptr = lib().wasmtime_store_new(engine.ptr, None, None)
        self.ctx = lib().wasmtime_store_context(self.ptr)

    def set_memory_limit(self, nbytes: int) -> None:
        lib().wasmtime_store_limiter(self.ptr, nbytes, -1, -1, -1, -1)

    def set_limits(self, memory_size: int, table_elements: int, instances: int, tables: int, memories: int) -> None:
        """Every limit of the store: bytes per memory, elements per table, and how many of each."""
        lib().wasmtime_store_limiter(self.ptr, memory_size, table_elements, instances, tables, memories)

    def on_epoch_deadline(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` at every epoch deadline (then the deadline is one tick further); an
        exception it raises stops the guest and is raised again from the call."""
        global _host_next
        with _lib_lock:
            env = _host_next
            _host_next += 1
        _epoch_funcs[env] = fn
        lib().wasmtime_store_epoch_deadline_callback(self.ptr, _epoch_trampoline, env, _epoch_finalize)

    def set_fuel(self, fuel: int) -> None:
        _check(lib().wasmtime_context_set_fuel(self.ctx, fuel))

    def set_epoch_deadline(self, ticks: int) -> None:
        lib().wasmtime_context_set_epoch_deadline(self.ctx, ticks)

    def set_wasi(self, *, argv: Sequence[str] = (), env: dict[str, str] | None = None, inherit_stdin: bool = False,
                 inherit_output: bool = False, stdout_path: str = "", stderr_path: str = "",
                 preopens: Sequence[tuple[str, str, bool]] = ()) -> None:
        """Configure WASI: argv, env, stdio (inherited or files), preopened dirs (host, guest, writable)."""
        L = lib()
        cfg = L.wasi_config_new()
        args = [a.encode() for a in argv]
        L.wasi_config_set_argv(cfg, len(args), (c_char_p * max(1, len(args)))(*args))
        items = sorted((env or {}).items())
        names = (c_char_p * max(1, len(items)))(*[k.encode() for k, _ in items])
        values = (c_char_p * max(1, len(items)))(*[v.encode() for _, v in items])
        L.wasi_config_set_env(cfg, len(items), names, values)
        if inherit_stdin:
            L.wasi_config_inherit_stdin(cfg)
        if inherit_output:
            L.wasi_config_inherit_stdout(cfg)
            L.wasi_config_inherit_stderr(cfg)
        else:
            if stdout_path and not L.wasi_config_set_stdout_file(cfg, os.fsencode(stdout_path)):
                raise WasmError(f"cannot open {stdout_path} for the plugin's stdout")
            if stderr_path and not L.wasi_config_set_stderr_file(cfg, os.fsencode(stderr_path)):
                raise WasmError(f"cannot open {stderr_path} for the plugin's stderr")
        for host, guest, writable in preopens:
            if not L.wasi_config_preopen_dir(cfg, os.fsencode(host), guest.encode(), writable):
                raise WasmError(f"cannot give the plugin the directory {host}")
        _check(L.wasmtime_context_set_wasi(self.ctx, cfg))  # takes ownership of cfg

    def close(self) -> None:
        if self.ptr:
            lib().wasmtime_store_delete(self.ptr)
            self.ptr = None
            self.ctx = None

    def __del__(self) -> None:
        if getattr(self, "ptr", None) and _lib is not None:
            self.close()


class Func:
    """An exported function; ``call(ctx, *args)`` returns its single result (or None)."""

    def __init__(self, raw: _Func, params: list[int], results: list[int]) -> None:
        self.raw = raw
        self.params = params
        self.results = results
        self._args = (_Val * max(1, len(params)))()
        self._res = (_Val * max(1, len(results)))()
        for i, k in enumerate(params):
            self._args[i].kind = k
        self._refs: Any = None

    def call(self, ctx: Any, *args: int) -> Any:
        # The hot path of every host call (each kernel call is one). The function's type came
        # from wasmtime itself (`Instance.func`) and only i32/i64 values are passed, so the
        # unchecked call is given exactly what the checked one would verify; it saves the
        # checked call's conversions, about half of a crossing. byrefs and the trap slot are
        # made once per function.
        refs = self._refs
        if refs is None:
            refs = self._refs = (lib().wasmtime_func_call_unchecked, byref(self.raw),
                                 (_ValRaw * max(1, len(self.params), len(self.results)))(),
                                 max(1, len(self.params), len(self.results)), c_void_p())
        call, raw_ref, vals, nvals, trap = refs
        kinds = self.params
        for i, v in enumerate(args):
            if kinds[i] == I32:
                vals[i].i32 = v
            else:
                vals[i].i64 = v
        trap.value = None
        _pending.exc = None
        err = call(ctx, raw_ref, vals, nvals, byref(trap))
        if _deferred:
            _run_deferred()
        exc = getattr(_pending, "exc", None)
        if err or trap:
            if exc is not None:
                _pending.exc = None
                if trap:
                    lib().wasm_trap_delete(trap)
                if err:
                    lib().wasmtime_error_delete(err)
                raise exc
            if trap:
                raise _trap(trap)
            _check(err)
        if not self.results:
            return None
        return vals[0].i32 if self.results[0] == I32 else vals[0].i64


class Memory:
    """An exported linear memory."""

    def __init__(self, raw: _Memory) -> None:
        self.raw = raw
        self._refs: Any = None

    def _fns(self) -> Any:
        # (data_size, data, byref(raw)): made once, every host call reads and writes memory
        refs = self._refs
        if refs is None:
            L = lib()
            refs = self._refs = (L.wasmtime_memory_data_size, L.wasmtime_memory_data, byref(self.raw))
        return refs

    def read(self, ctx: Any, start: int, stop: int) -> bytes:
        data_size, data, ref = self._refs or self._fns()
        size = data_size(ctx, ref)
        if start < 0 or stop > size or start > stop:
            raise WasmError(f"memory read [{start}, {stop}) out of bounds ({size} bytes)")
        return string_at(data(ctx, ref) + start, stop - start)

    def write(self, ctx: Any, data: bytes, start: int) -> None:
        data_size, base, ref = self._refs or self._fns()
        size = data_size(ctx, ref)
        if start < 0 or start + len(data) > size:
            raise WasmError(f"memory write at {start} out of bounds ({size} bytes)")
        memmove(base(ctx, ref) + start, data, len(data))

    def pages(self, ctx: Any) -> int:
        return int(lib().wasmtime_memory_size(ctx, byref(self.raw)))

    def size(self, ctx: Any) -> int:
        """The memory's size in bytes."""
        data_size, _, ref = self._refs or self._fns()
        return int(data_size(ctx, ref))


class Instance:
    """An instance; ``func``/``memory`` look exports up by name."""

    def __init__(self, raw: _Instance) -> None:
        self.raw = raw

    def _export(self, ctx: Any, name: str) -> _Extern | None:
        ext = _Extern()
        b = name.encode()
        if not lib().wasmtime_instance_export_get(ctx, byref(self.raw), b, len(b), byref(ext)):
            return None
        return ext

    def func(self, ctx: Any, name: str) -> Func | None:
        ext = self._export(ctx, name)
        if ext is None or ext.kind != _EXTERN_FUNC:
            return None
        raw = _Func(ext.of.func.store_id, ext.of.func.private)
        L = lib()
        ft = L.wasmtime_func_type(ctx, byref(raw))
        try:
            params = _kinds(L.wasm_functype_params(ft).contents)
            results = _kinds(L.wasm_functype_results(ft).contents)
        finally:
            L.wasm_functype_delete(ft)
        return Func(raw, params, results)

    def memory(self, ctx: Any, name: str = "memory") -> Memory | None:
        ext = self._export(ctx, name)
        if ext is None or ext.kind != _EXTERN_MEMORY:
            return None
        mem = _Memory()
        memmove(byref(mem), byref(ext.of.memory), sizeof(_Memory))
        return Memory(mem)


class Linker:
    """Resolves a module's imports: WASI, whole instances, and Python host functions."""

    def __init__(self, engine: Engine) -> None:
        self.ptr = lib().wasmtime_linker_new(engine.ptr)

    def define_wasi(self) -> None:
        _check(lib().wasmtime_linker_define_wasi(self.ptr))

    def allow_shadowing(self, allow: bool = True) -> None:
        """Let a later definition replace an earlier one of the same name (a WASI function)."""
        lib().wasmtime_linker_allow_shadowing(self.ptr, allow)

    def define_instance(self, store: Store, name: str, inst: Instance) -> None:
        b = name.encode()
        _check(lib().wasmtime_linker_define_instance(self.ptr, store.ctx, b, len(b), byref(inst.raw)))

    def define_func(self, module: str, name: str, params: Sequence[int], results: Sequence[int],
                    fn: Callable[..., Any]) -> None:
        """``fn(ctx, *args)``; ctx is the calling store's context (for memory and calls)."""
        global _host_next
        with _lib_lock:
            env = _host_next
            _host_next += 1
        _host_funcs[env] = (fn, list(results))
        ft = _functype(params, results)
        m, n = module.encode(), name.encode()
        try:
            _check(lib().wasmtime_linker_define_func(self.ptr, m, len(m), n, len(n), ft, _trampoline, env, _finalize))
        finally:
            lib().wasm_functype_delete(ft)

    def instantiate(self, store: Store, module: Module) -> Instance:
        raw = _Instance()
        trap = c_void_p()
        _pending.exc = None
        err = lib().wasmtime_linker_instantiate(self.ptr, store.ctx, module.ptr, byref(raw), byref(trap))
        if _deferred:
            _run_deferred()
        exc = getattr(_pending, "exc", None)
        if exc is not None and (err or trap):
            _pending.exc = None
            raise exc
        if trap:
            raise _trap(trap)
        _check(err)
        return Instance(raw)

    def close(self) -> None:
        if self.ptr:
            lib().wasmtime_linker_delete(self.ptr)
            self.ptr = None

    def __del__(self) -> None:
        if getattr(self, "ptr", None) and _lib is not None:
            self.close()


def version_tag() -> str:
    """Identifies the library build, for compile-cache keys (size and mtime of the library file)."""
    st = os.stat(library_path())
    return f"{st.st_size:x}{st.st_mtime_ns & 0xFFFFFFFF:x}"
