"""The ``extism/v1`` runtime: Helm 4's Wasm plugins, run on wasmtime with our own kernel.

A plugin is a core Wasm module (``plugin.wasm``) that imports the Extism kernel ABI from
``extism:host/env`` and exports ``helm_plugin_main`` (or ``entryFuncName``). The kernel
(``kernel.wat``, assembled at first use and cached compiled) owns the memory in which input,
output and host-call arguments travel; config, vars, HTTP and logging are Python functions
here, and every one of them asks `pilothouse.plugin.policy` before doing anything.

Instances are reused within a process, one per thread and plugin; an instance that trapped is
thrown away. Importing this module imports wasmtime, so only code that runs a Wasm plugin does.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import wasmtime

from pilothouse.errors import PluginError
from pilothouse.plugin import cache, policy
from pilothouse.plugin.policy import PAGE, Capabilities

TICK_MS = 5
_NO_DEADLINE = 1 << 40
_UNLIMITED_FUEL = (1 << 63) - 1
ENGINE_TAG = f"wt{getattr(wasmtime, '__version__', 'x')}-ef1"
HOST_MODULE = "pilothouse:host/v1"
_LEVELS = {0: "TRACE", 1: "DEBUG", 2: "INFO", 3: "WARN", 4: "ERROR"}


class PluginExitError(PluginError):
    """The plugin finished with a non-zero status (WASI exit code or entry function result)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.exit_code = code


class _Denied(PluginError):
    """Raised inside a host function: the call is stopped with this message."""


_lock = threading.Lock()
_engine: wasmtime.Engine | None = None
_kernel: wasmtime.Module | None = None
_ticker_started = False
_instances: dict[tuple[Any, ...], _Instance] = {}


def engine() -> wasmtime.Engine:
    """The process's one engine: epoch interruption (timeouts) and fuel are always on."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                cfg = wasmtime.Config()
                cfg.epoch_interruption = True
                cfg.consume_fuel = True
                _engine = wasmtime.Engine(cfg)
    return _engine


def _kernel_module() -> wasmtime.Module:
    global _kernel
    if _kernel is None:
        import hashlib

        wat_path = os.path.join(os.path.dirname(__file__), "kernel.wat")
        with open(wat_path, "rb") as fh:
            wat = fh.read()
        sha = "kernel-" + hashlib.sha256(wat).hexdigest()[:32]
        art = cache.artifact_path(sha, ENGINE_TAG)
        if os.path.exists(art):
            try:
                _kernel = wasmtime.Module.deserialize_file(engine(), art)
                return _kernel
            except wasmtime.WasmtimeError:
                pass
        _kernel = cache.load_or_compile(engine(), ENGINE_TAG, sha, bytes(wasmtime.wat2wasm(wat.decode())))
    return _kernel


def _start_ticker() -> None:
    """Advance the engine's epoch every TICK_MS, so deadlines (timeouts) can fire."""
    global _ticker_started
    with _lock:
        if _ticker_started:
            return
        _ticker_started = True
    eng = engine()

    def tick() -> None:
        while True:
            time.sleep(TICK_MS / 1000)
            eng.increment_epoch()

    threading.Thread(target=tick, name="pilothouse-wasm-epoch", daemon=True).start()


_modules: dict[tuple[Any, ...], wasmtime.Module] = {}


def load_module(path: str) -> wasmtime.Module:
    """The compiled module for a plugin.wasm: kept in memory, else from the disk cache, else compiled."""
    st = os.stat(path)
    key = (os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino)
    mod = _modules.get(key)
    if mod is None:
        sha = cache.file_sha256(path)
        try:
            mod = cache.load_or_compile(engine(), ENGINE_TAG, sha, None, path)
        except wasmtime.WasmtimeError as err:
            raise PluginError(f"invalid wasm module {path}: {_first_line(str(err))}") from None
        _modules[key] = mod
    return mod


def precompile(path: str) -> str:
    """Compile a plugin.wasm into the cache (done at install); returns its sha256."""
    sha = cache.file_sha256(path)
    try:
        cache.load_or_compile(engine(), ENGINE_TAG, sha, None, path)
    except wasmtime.WasmtimeError as err:
        raise PluginError(f"invalid wasm module {path}: {_first_line(str(err))}") from None
    return sha


_TRAP_TEXT = {
    "UNREACHABLE": "wasm `unreachable` instruction executed",
    "MEMORY_OUT_OF_BOUNDS": "out of bounds memory access",
    "INTEGER_DIVISION_BY_ZERO": "integer divide by zero",
    "INTEGER_OVERFLOW": "integer overflow",
    "BAD_CONVERSION_TO_INTEGER": "invalid conversion to integer",
    "INDIRECT_CALL_TO_NULL": "uninitialized element",
    "BAD_SIGNATURE": "indirect call type mismatch",
    "TABLE_OUT_OF_BOUNDS": "undefined element: out of bounds table access",
}


def _trap_text(trap: wasmtime.Trap) -> str:
    """A one-line reason for a trap (wasmtime's message starts with a backtrace)."""
    code = trap.trap_code
    if code is not None and code.name in _TRAP_TEXT:
        return "wasm trap: " + _TRAP_TEXT[code.name]
    lines = [ln.strip() for ln in trap.message.splitlines() if ln.strip()]
    for i, ln in enumerate(lines):
        if ln.startswith("Caused by:") and i + 1 < len(lines):
            return lines[i + 1].lstrip("0123456789: ")
    for ln in lines:
        if "wasm trap" in ln:
            return ln
    return lines[0] if lines else "unknown trap"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


@dataclass
class CallResult:
    """What one call produced."""

    output: bytes
    stdout: bytes = b""
    stderr: bytes = b""
    logs: list[tuple[str, str]] = field(default_factory=list)


class _Capture:
    """WASI stdout or stderr of one instance, captured in a file and read after every call.

    A file rather than wasmtime's callback output: the callback version can panic the process
    at exit when the runtime's worker threads outlive the interpreter.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.pos = 0

    def take(self) -> bytes:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.pos)
                data = fh.read()
        except OSError:
            return b""
        self.pos += len(data)
        return data

    def size(self) -> int:
        try:
            return os.path.getsize(self.path) - self.pos
        except OSError:
            return 0


class _Instance:
    """One plugin instantiated in its own store, with its kernel, host functions and WASI setup."""

    def __init__(self, name: str, module: wasmtime.Module, caps: Capabilities, ptype: str,
                 env: dict[str, str], inherit_stdin: bool, debug: bool, passthrough: bool) -> None:
        self.name = name
        self.caps = caps
        self.ptype = ptype
        self.env = env
        self.debug = debug
        self.vars: dict[str, bytes] = {}
        self.http_status = 0
        self.http_headers: dict[str, str] = {}
        self.logs: list[tuple[str, str]] = []
        self.tmpdir: str | None = None
        eng = engine()
        store = wasmtime.Store(eng)
        self.store = store
        store.set_limits(memory_size=caps.max_pages * PAGE)
        store.set_epoch_deadline(_NO_DEADLINE)
        store.set_fuel(_UNLIMITED_FUEL)
        self.iodir = tempfile.mkdtemp(prefix="pilot-wasi-io-")
        self.out = _Capture(os.path.join(self.iodir, "stdout"))
        self.err = _Capture(os.path.join(self.iodir, "stderr"))
        wc = wasmtime.WasiConfig()
        wc.argv = []
        wc.env = sorted(env.items())
        if inherit_stdin:
            wc.inherit_stdin()
        if passthrough:
            wc.inherit_stdout()
            wc.inherit_stderr()
        else:
            wc.stdout_file = self.out.path
            wc.stderr_file = self.err.path
        if caps.create_temp_dir:
            self.tmpdir = tempfile.mkdtemp(prefix="helm-plugin-")
            wc.preopen_dir(self.tmpdir, "/tmp", True)
        for m in caps.mounts:
            if not os.path.isdir(m.host):
                raise PluginError(f'plugin "{name}": granted directory {m.host} does not exist')
            wc.preopen_dir(m.host, m.guest, m.writable)
        store.set_wasi(wc)

        linker = wasmtime.Linker(eng)
        linker.define_wasi()
        self.kernel = linker.instantiate(store, _kernel_module())
        kx = self.kernel.exports(store)
        self.kmem: wasmtime.Memory = kx["memory"]  # type: ignore[assignment]
        self.k_alloc = kx["alloc"]
        self.k_length = kx["length"]
        self.k_free = kx["free"]
        self.k_reset = kx["reset"]
        self.k_input_set = kx["input_set"]
        self.k_output_offset = kx["output_offset"]
        self.k_output_length = kx["output_length"]
        self.k_error_get = kx["error_get"]
        linker.define_instance(store, "extism:host/env", self.kernel)
        self._define_host(linker, module)
        try:
            self.instance = linker.instantiate(store, module)
        except wasmtime.WasmtimeError as err:
            self.close()
            msg = _first_line(str(err))
            if caps.max_pages and "memory" in msg.lower():
                msg += f" (memory limit: {caps.max_pages} pages)"
            raise PluginError(f'plugin "{name}": cannot instantiate: {msg}') from None
        self.exports = self.instance.exports(store)
        try:
            mem = self.exports["memory"]
        except KeyError:
            mem = None
        self.gmem = mem if isinstance(mem, wasmtime.Memory) else None
        for init in ("_initialize", "__wasm_call_ctors"):
            fn = self._export(init)
            if fn is not None:
                self._guarded(lambda f=fn: f(store), timeout_ms=caps.timeout_ms)
                break

    # ---- helpers ------------------------------------------------------------------------

    def _export(self, name: str) -> Any:
        try:
            item = self.exports[name]
        except KeyError:
            return None
        return item if isinstance(item, wasmtime.Func) else None

    def _read(self, caller: Any, handle: int) -> bytes:
        if not handle:
            return b""
        n = self.k_length(caller, handle)
        return bytes(self.kmem.read(caller, handle, handle + n))

    def _write(self, caller: Any, data: bytes) -> int:
        if not data:
            return 0
        h = self.k_alloc(caller, len(data))
        if not h:
            raise _Denied(f'plugin "{self.name}": out of memory in the kernel (memory limit: {self.caps.max_pages} pages)')
        self.kmem.write(caller, data, h)
        return int(h)

    # ---- host functions -----------------------------------------------------------------

    def _define_host(self, linker: wasmtime.Linker, module: wasmtime.Module) -> None:
        i32, i64 = wasmtime.ValType.i32(), wasmtime.ValType.i64()

        def ft(params: list[Any], results: list[Any]) -> wasmtime.FuncType:
            return wasmtime.FuncType(params, results)

        def config_get(caller: Any, key_h: int) -> int:
            key = self._read(caller, key_h).decode("utf-8", "replace")
            self.k_free(caller, key_h)
            val = self.caps.config.get(key)
            return 0 if val is None else self._write(caller, val.encode())

        def var_get(caller: Any, key_h: int) -> int:
            key = self._read(caller, key_h).decode("utf-8", "replace")
            self.k_free(caller, key_h)
            val = self.vars.get(key)
            return 0 if val is None else self._write(caller, val)

        def var_set(caller: Any, key_h: int, val_h: int) -> None:
            if not self.caps.max_var_bytes:
                raise _Denied(f'plugin "{self.name}": vars are disabled by this host (request memory.maxVarBytes)')
            key = self._read(caller, key_h).decode("utf-8", "replace")
            if not val_h:
                self.vars.pop(key, None)
                return
            val = self._read(caller, val_h)
            size = sum(len(k) + len(v) for k, v in self.vars.items() if k != key) + len(key) + len(val)
            if size > self.caps.max_var_bytes:
                raise _Denied(f'plugin "{self.name}": vars exceed the limit of {self.caps.max_var_bytes} bytes')
            self.vars[key] = val

        def http_request(caller: Any, req_h: int, body_h: int) -> int:
            req = json.loads(self._read(caller, req_h) or b"{}")
            body = self._read(caller, body_h) if body_h else None
            return self._write(caller, self._http(req, body))

        def http_status_code() -> int:
            return self.http_status

        def http_headers(caller: Any) -> int:
            if not self.http_headers:
                return 0
            return self._write(caller, json.dumps(self.http_headers).encode())

        def get_log_level() -> int:
            return policy.log_level(self.debug)

        def make_log(level: int) -> Any:
            def log(caller: Any, msg_h: int) -> None:
                msg = self._read(caller, msg_h).decode("utf-8", "replace")
                self.k_free(caller, msg_h)
                self._log(level, msg)
            return log

        env_funcs = [
            ("config_get", ft([i64], [i64]), config_get, True),
            ("var_get", ft([i64], [i64]), var_get, True),
            ("var_set", ft([i64, i64], []), var_set, True),
            ("http_request", ft([i64, i64], [i64]), http_request, True),
            ("http_status_code", ft([], [i32]), http_status_code, False),
            ("http_headers", ft([], [i64]), http_headers, True),
            ("get_log_level", ft([], [i32]), get_log_level, False),
        ]
        for i, lvl in enumerate(("trace", "debug", "info", "warn", "error")):
            env_funcs.append((f"log_{lvl}", ft([i64], []), make_log(i), True))
        for fname, ty, fn, caller in env_funcs:
            linker.define_func("extism:host/env", fname, ty, fn, access_caller=caller)

        # Pilothouse's own host functions, each behind a capability
        def host_log(caller: Any, msg_h: int) -> None:
            self._need("log")
            raw = self._read(caller, msg_h)
            try:
                rec = json.loads(raw)
            except ValueError:
                rec = {"msg": raw.decode("utf-8", "replace")}
            if not isinstance(rec, dict):
                rec = {"msg": str(rec)}
            level = {"trace": 0, "debug": 1, "info": 2, "warn": 3, "warning": 3, "error": 4}.get(
                str(rec.pop("level", "info")).lower(), 2)
            msg = str(rec.pop("msg", ""))
            attrs = " ".join(f"{k}={json.dumps(v) if not isinstance(v, str) or ' ' in v else v}"
                             for k, v in sorted(rec.items()))
            self._log(level, f"{msg} {attrs}".strip() if attrs else msg, structured=True)

        def host_getenv(caller: Any, name_h: int) -> int:
            self._need("getenv")
            name = self._read(caller, name_h).decode("utf-8", "replace")
            val = policy.env_granted(self.caps, self.ptype, name, self.env)
            if val is None:
                raise _Denied(f'plugin "{self.name}" may not read environment variable "{name}" (not granted)')
            return self._write(caller, val.encode())

        linker.define_func(HOST_MODULE, "log", ft([i64], []), host_log, access_caller=True)
        linker.define_func(HOST_MODULE, "getenv", ft([i64], [i64]), host_getenv, access_caller=True)

        # Helm links no host functions of its own; a plugin asking for unknown ones cannot run
        for hf in self.caps.host_functions:
            if hf not in policy.HOST_FUNCTIONS:
                raise PluginError(f'plugin requested host function "{hf}" not found')
        for imp in module.imports:
            if imp.module == "extism:host/user":
                name = imp.name

                def missing(*_args: Any, _n: str = name) -> None:
                    raise _Denied(f'plugin requested host function "{_n}" not found')
                ty = imp.type
                if isinstance(ty, wasmtime.FuncType):
                    linker.define_func("extism:host/user", name, ty, missing)

    def _need(self, fn: str) -> None:
        if not policy.host_function_granted(self.caps, fn):
            raise _Denied(f'plugin "{self.name}" may not call host function "{fn}" '
                          f"(add it to runtimeConfig.hostFunctions)")

    def _log(self, level: int, msg: str, structured: bool = False) -> None:
        self.logs.append((_LEVELS.get(level, "INFO"), msg))
        if level >= policy.log_level(self.debug):
            quoted = msg if structured else json.dumps(msg)
            print(f"level={_LEVELS.get(level, 'INFO')} plugin={self.name} msg={quoted}", file=sys.stderr)

    def _http(self, req: dict[str, Any], body: bytes | None) -> bytes:
        import urllib.error
        import urllib.request

        url = str(req.get("url") or "")
        if not policy.host_allowed(self.caps, url):
            raise _Denied(f"HTTP request to '{url}' is not allowed")
        method = str(req.get("method") or "GET").upper()
        headers = {str(k): str(v) for k, v in (req.get("headers") or {}).items()}
        r = urllib.request.Request(url, data=body, method=method, headers=headers)
        limit = self.caps.max_http_response_bytes
        try:
            resp = urllib.request.urlopen(r, timeout=30)  # noqa: S310 - the URL was checked against the grant
        except urllib.error.HTTPError as err:
            resp = err
        except (urllib.error.URLError, OSError) as err:
            raise _Denied(f"HTTP request to '{url}' failed: {getattr(err, 'reason', err)}") from None
        with resp:
            self.http_status = int(resp.status if hasattr(resp, "status") else resp.code)
            hdrs: dict[str, str] = {}
            for k, v in resp.headers.items():
                k = k.lower()
                hdrs[k] = f"{hdrs[k]}, {v}" if k in hdrs else v
            self.http_headers = hdrs
            data = resp.read(limit + 1)
        if len(data) > limit:
            raise _Denied(f"HTTP response from '{url}' exceeds the limit of {limit} bytes "
                          f"(memory.maxHttpResponseBytes)")
        return data

    # ---- calling --------------------------------------------------------------------------

    def _guarded(self, fn: Any, timeout_ms: int) -> Any:
        """Run guest code under the grant's fuel and deadline; map traps to clear errors."""
        store = self.store
        store.set_fuel(self.caps.fuel or _UNLIMITED_FUEL)
        if timeout_ms:
            _start_ticker()
            store.set_epoch_deadline(max(1, -(-timeout_ms // TICK_MS)) + 1)
        else:
            store.set_epoch_deadline(_NO_DEADLINE)
        try:
            return fn()
        except wasmtime.ExitTrap as ex:
            if ex.code != 0:
                raise PluginExitError(f'plugin "{self.name}" exited with error (exit code {ex.code})', ex.code) from None
            return 0
        except wasmtime.Trap as trap:
            raise PluginError(self._explain(trap)) from None
        except wasmtime.WasmtimeError as err:
            raise PluginError(f'plugin "{self.name}" failed: {_first_line(str(err))}') from None

    def _explain(self, trap: wasmtime.Trap) -> str:
        code = trap.trap_code
        name = self.name
        if code == wasmtime.TrapCode.INTERRUPT:
            return f'plugin "{name}" timed out after {self.caps.timeout_ms} ms'
        if code == wasmtime.TrapCode.OUT_OF_FUEL:
            return f'plugin "{name}" ran out of fuel ({self.caps.fuel} instructions per call)'
        if code == wasmtime.TrapCode.STACK_OVERFLOW:
            return f'plugin "{name}" crashed: call stack exhausted (too deep recursion)'
        msg = _trap_text(trap)
        if self.gmem is not None:
            used = self.gmem.size(self.store)
            # a module that cannot grow any more usually traps soon after; say why
            if used * 4 >= self.caps.max_pages * 3:
                msg += f" (memory limit of {self.caps.max_pages} pages reached: {used} pages in use)"
        return f'plugin "{name}" crashed: {msg}'

    def call(self, entry: str, data: bytes) -> CallResult:
        """Call ``entry`` with ``data`` as input; the output, or a PluginError."""
        store = self.store
        fn = self._export(entry)
        if fn is None:
            raise PluginError(f"plugin error: unknown function: {entry}")
        self.logs = []
        self.k_reset(store)
        if data:
            h = self.k_alloc(store, len(data))
            if not h:
                raise PluginError(f'plugin "{self.name}": input of {len(data)} bytes does not fit in its memory '
                                  f"limit of {self.caps.max_pages} pages")
            self.kmem.write(store, data, h)
            self.k_input_set(store, h, len(data))
        try:
            rc = self._guarded(lambda: fn(store), timeout_ms=self.caps.timeout_ms)
        finally:
            if self.tmpdir:
                _empty_dir(self.tmpdir)
        limit = self.caps.max_output_bytes or policy.DEFAULT_MAX_OUTPUT
        if self.out.size() > limit or self.err.size() > limit:
            self.out.pos += self.out.size()
            self.err.pos += self.err.size()
            raise PluginError(f'plugin "{self.name}" wrote more than the limit of {limit} bytes to stdout/stderr')
        stdout, stderr = self.out.take(), self.err.take()
        err_h = self.k_error_get(store)
        if err_h:
            msg = self._read(store, err_h).decode("utf-8", "replace")
            raise PluginExitError(f"plugin error: {msg}", int(rc or 1))
        rc = int(rc or 0) & 0xFFFFFFFF
        if rc:
            rc = rc - (1 << 32) if rc >= 1 << 31 else rc
            raise PluginExitError(f'plugin "{self.name}" exited with error (code {rc})', rc)
        n = self.k_output_length(store)
        if n > limit:
            raise PluginError(f'plugin "{self.name}" produced {n} bytes of output, more than the limit of {limit}')
        off = self.k_output_offset(store)
        output = bytes(self.kmem.read(store, off, off + n)) if n else b""
        return CallResult(output, stdout, stderr, list(self.logs))

    def close(self) -> None:
        shutil.rmtree(self.iodir, ignore_errors=True)
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None
        try:
            self.store.close()
        except Exception:  # noqa: BLE001 - closing twice is harmless
            pass


def _empty_dir(path: str) -> None:
    for entry in os.listdir(path):
        full = os.path.join(path, entry)
        if os.path.isdir(full) and not os.path.islink(full):
            shutil.rmtree(full, ignore_errors=True)
        else:
            try:
                os.unlink(full)
            except OSError:
                pass


def invoke(name: str, wasm_path: str, caps: Capabilities, ptype: str, message: bytes, *,
           entry: str = "helm_plugin_main", env: dict[str, str] | None = None, inherit_stdin: bool = False,
           passthrough: bool = False, debug: bool = False, reuse: bool = True) -> CallResult:
    """Run one call of a Wasm plugin; instances are kept per thread for the next call.

    ``passthrough`` gives the plugin this process's stdout and stderr (CLI plugins); otherwise
    they are captured into the result.
    """
    env = env or {}
    module = load_module(wasm_path)
    key = (threading.get_ident(), os.path.abspath(wasm_path), repr(caps), ptype,
           tuple(sorted(env.items())), inherit_stdin, passthrough, debug)
    inst = _instances.pop(key, None) if reuse else None
    if inst is None:
        inst = _Instance(name, module, caps, ptype, env, inherit_stdin, debug, passthrough)
    if passthrough:
        sys.stdout.flush()
        sys.stderr.flush()
    try:
        result = inst.call(entry, message)
    except PluginError as err:
        # a guest that set an error and returned cleanly may be reused; one that trapped may not
        if isinstance(err, PluginExitError) and reuse:
            _instances[key] = inst
        else:
            inst.close()
        raise
    if reuse:
        _instances[key] = inst
    else:
        inst.close()
    return result


def close_all() -> None:
    """Drop every cached instance (closing stores before exit avoids a wasmtime shutdown panic)."""
    while _instances:
        _, inst = _instances.popitem()
        inst.close()


atexit.register(close_all)
