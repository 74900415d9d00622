"""The ``extism/v1`` runtime: Helm 4's Wasm plugins, run on wasmtime with our own kernel.

A plugin is a core Wasm module (``plugin.wasm``) that imports the Extism kernel ABI from
``extism:host/env`` and exports ``helm_plugin_main`` (or ``entryFuncName``). The kernel
(``kernel.wat``, assembled at first use and cached compiled) owns the memory in which input,
output and host-call arguments travel; config, vars, HTTP and logging are Python functions
here, and every one of them asks `pilothouse.plugin.policy` before doing anything.

Instances are reused within a process, one per thread and plugin; an instance that trapped is
thrown away. wasmtime is reached through `wasmtime_ffi` (a thin ctypes binding that loads in
about a millisecond), and only when a Wasm plugin actually runs.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import threading
import time
from typing import Any

from pilothouse.errors import PluginError
from pilothouse.plugin import cache, policy
from pilothouse.plugin.policy import PAGE, Capabilities
from pilothouse.plugin.runtimes import wasmtime_ffi as wt

TICK_MS = 5
_NO_DEADLINE = 1 << 40
_UNLIMITED_FUEL = (1 << 63) - 1
HOST_MODULE = "pilothouse:host/v1"
WASI_MODULE = "wasi_snapshot_preview1"
_LEVELS = {0: "TRACE", 1: "DEBUG", 2: "INFO", 3: "WARN", 4: "ERROR"}
I32, I64 = wt.I32, wt.I64


class PluginExitError(PluginError):
    """The plugin finished with a non-zero status (WASI exit code or entry function result)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.exit_code = code


class _Denied(PluginError):
    """Raised inside a host function: the call is stopped with this message."""


_lock = threading.Lock()
_engines: dict[tuple[bool, bool], wt.Engine] = {}
_kernels: dict[tuple[bool, bool], wt.Module] = {}
_lib_tag: str | None = None
_ticking: set[tuple[bool, bool]] = set()
_instances: dict[tuple[Any, ...], _Instance] = {}
_modules: dict[tuple[Any, ...], wt.Module] = {}


def flavor(caps: Capabilities) -> tuple[bool, bool]:
    """(epoch, fuel): the instrumentation a plugin's grant needs.

    Deadline checks and fuel counting are compiled into the code and cost up to a third of a
    call's time, so a plugin gets them only when its grant has a timeout or a fuel limit.
    """
    return bool(caps.timeout_ms), bool(caps.fuel)


def engine(flv: tuple[bool, bool] = (True, True)) -> wt.Engine:
    """The process's engine for one instrumentation flavour."""
    eng = _engines.get(flv)
    if eng is None:
        with _lock:
            eng = _engines.get(flv)
            if eng is None:
                try:
                    eng = _engines[flv] = wt.Engine(epoch=flv[0], fuel=flv[1])
                except (wt.WasmError, OSError) as err:
                    raise PluginError(f"cannot start the WebAssembly runtime: {err}") from None
    return eng


def engine_tag(flv: tuple[bool, bool] = (True, True)) -> str:
    """Part of every compile-cache key: the wasmtime build and the engine's settings."""
    global _lib_tag
    if _lib_tag is None:
        _lib_tag = wt.version_tag()
    return f"wt{_lib_tag}-e{int(flv[0])}f{int(flv[1])}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _kernel_module(flv: tuple[bool, bool] = (True, True)) -> wt.Module:
    kernel = _kernels.get(flv)
    if kernel is None:
        import hashlib

        with open(os.path.join(os.path.dirname(__file__), "kernel.wat"), "rb") as fh:
            wat = fh.read()
        sha = "kernel-" + hashlib.sha256(wat).hexdigest()[:32]
        kernel = _kernels[flv] = cache.load_or_compile(engine(flv), engine_tag(flv), sha,
                                                       lambda: wt.wat2wasm(wat.decode()))
    return kernel


def _start_ticker(flv: tuple[bool, bool]) -> None:
    """Advance the engine's epoch every TICK_MS, so deadlines (timeouts) can fire."""
    with _lock:
        if flv in _ticking:
            return
        _ticking.add(flv)
    eng = engine(flv)

    def tick() -> None:
        while True:
            time.sleep(TICK_MS / 1000)
            eng.increment_epoch()

    threading.Thread(target=tick, name="pilothouse-wasm-epoch", daemon=True).start()


def _read_file(path: str) -> Any:
    def read() -> bytes:
        with open(path, "rb") as fh:
            return fh.read()
    return read


def load_module(path: str, flv: tuple[bool, bool] = (True, True)) -> wt.Module:
    """The compiled module for a plugin.wasm: kept in memory, else from the disk cache, else compiled."""
    st = os.stat(path)
    key = (os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino, flv)
    mod = _modules.get(key)
    if mod is None:
        sha = cache.file_sha256(path)
        try:
            mod = cache.load_or_compile(engine(flv), engine_tag(flv), sha, _read_file(path))
        except wt.WasmError as err:
            raise PluginError(f"invalid wasm module {path}: {_first_line(str(err))}") from None
        _modules[key] = mod
    return mod


def module_imports(module: wt.Module) -> list[tuple[str, str, list[int], list[int]]]:
    """(module, name, params, results) of the functions a compiled module imports (remembered)."""
    imports = getattr(module, "imports", None)
    if imports is None:
        imports = module.imports = module.func_imports()
    return imports


def module_exports(module: wt.Module) -> dict[str, tuple[list[int], list[int]]]:
    """name -> (params, results) of the functions a compiled module exports (remembered)."""
    exports = module.exports
    if exports is None:
        exports = module.exports = module.func_exports()
    return exports


def exported_func(wasm_path: str, caps: Capabilities, name: str) -> tuple[list[int], list[int]] | None:
    """The signature of the function ``name`` exported by a plugin.wasm, or None when it has none."""
    return module_exports(load_module(wasm_path, flavor(caps))).get(name)


def precompile(path: str, caps: Capabilities | None = None) -> str:
    """Compile a plugin.wasm into the cache for the flavour its grant needs (done at install)."""
    flv = flavor(caps) if caps is not None else (True, True)
    sha = cache.file_sha256(path)
    try:
        cache.load_or_compile(engine(flv), engine_tag(flv), sha, _read_file(path))
    except wt.WasmError as err:
        raise PluginError(f"invalid wasm module {path}: {_first_line(str(err))}") from None
    _kernel_module(flv)
    return sha


class CallResult:
    """What one call produced (``json`` is set by the caller that decodes the output)."""

    __slots__ = ("output", "stdout", "stderr", "logs", "json")

    def __init__(self, output: bytes, stdout: bytes = b"", stderr: bytes = b"",
                 logs: list[tuple[str, str]] | None = None) -> None:
        self.output = output
        self.stdout = stdout
        self.stderr = stderr
        self.logs = logs or []
        self.json: Any = None


class _Capture:
    """WASI stdout or stderr of one instance, captured in a file and read after every call.

    A file rather than a callback: wasmtime's callback output can panic the process at exit
    when the runtime's worker threads outlive the interpreter.
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

    def skip(self) -> None:
        self.pos += max(0, self.size())


class _Instance:
    """One plugin instantiated in its own store, with its kernel, host functions and WASI setup."""

    def __init__(self, name: str, module: wt.Module, caps: Capabilities, ptype: str,
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
        # stdout/stderr: the terminal's (CLI plugins), captured (--debug shows them), or
        # discarded as Helm does; capture costs a directory and two files per instance
        self.iodir: str | None = None
        self.out = self.err = None
        # A module that imports no WASI function cannot see env, files or stdio: it gets none of
        # that set up, which is a third of the cost of a new instance.
        self.wasi = any(m == WASI_MODULE for m, *_ in module_imports(module))
        if debug and not passthrough and self.wasi:
            import tempfile

            self.iodir = tempfile.mkdtemp(prefix="pilot-wasi-io-")
            self.out = _Capture(os.path.join(self.iodir, "stdout"))
            self.err = _Capture(os.path.join(self.iodir, "stderr"))
        self.flavor = flavor(caps)
        self.store = wt.Store(engine(self.flavor))
        self.linker: wt.Linker | None = None
        try:
            self._setup(module, inherit_stdin, passthrough)
        except BaseException:
            self.close()
            raise

    def _setup(self, module: wt.Module, inherit_stdin: bool, passthrough: bool) -> None:
        caps, store, name = self.caps, self.store, self.name
        store.set_memory_limit(caps.max_pages * PAGE)
        if self.flavor[0]:
            store.set_epoch_deadline(_NO_DEADLINE)
        if self.flavor[1]:
            store.set_fuel(_UNLIMITED_FUEL)
        preopens = []
        for m in caps.mounts:
            if not os.path.isdir(m.host):
                raise PluginError(f'plugin "{name}": granted directory {m.host} does not exist')
            preopens.append((m.host, m.guest, m.writable))
        if self.wasi:
            if caps.create_temp_dir:
                import tempfile

                self.tmpdir = tempfile.mkdtemp(prefix="helm-plugin-")
                preopens.insert(0, (self.tmpdir, "/tmp", True))
            try:
                store.set_wasi(argv=[], env=self.env, inherit_stdin=inherit_stdin, inherit_output=passthrough,
                               stdout_path=self.out.path if self.out else "",
                               stderr_path=self.err.path if self.err else "", preopens=preopens)
            except wt.WasmError as err:
                raise PluginError(f'plugin "{name}": {err}') from None

        self.linker = linker = wt.Linker(engine(self.flavor))
        if self.wasi:
            linker.define_wasi()
        self.kernel = linker.instantiate(store, _kernel_module(self.flavor))
        ctx = store.ctx
        self.kmem = self.kernel.memory(ctx)
        k = {n: self.kernel.func(ctx, n) for n in ("alloc", "length", "free", "reset", "input_set", "output_offset",
                                                    "output_length", "error_get", "pilothouse_begin")}
        self.k_alloc, self.k_length, self.k_free, self.k_reset = k["alloc"], k["length"], k["free"], k["reset"]
        self.k_input_set, self.k_error_get = k["input_set"], k["error_get"]
        # reset + alloc + input_set in one crossing into wasm (each costs about 2 us)
        self.k_begin = k["pilothouse_begin"]
        self.k_output_offset, self.k_output_length = k["output_offset"], k["output_length"]
        linker.define_instance(store, "extism:host/env", self.kernel)
        self._define_host(linker, module)
        try:
            self.instance = linker.instantiate(store, module)
        except wt.WasmError as err:
            msg = _first_line(str(err))
            if "memory" in msg.lower():
                msg += f" (memory limit: {caps.max_pages} pages)"
            raise PluginError(f'plugin "{name}": cannot instantiate: {msg}') from None
        self.gmem = self.instance.memory(ctx)
        self.funcs: dict[str, wt.Func | None] = {}
        for init in ("_initialize", "__wasm_call_ctors"):
            fn = self.instance.func(ctx, init)
            if fn is not None:
                self._guarded(lambda f=fn: f.call(ctx))
                break

    # ---- kernel memory ------------------------------------------------------------------

    def _read(self, ctx: Any, handle: int) -> bytes:
        if not handle:
            return b""
        n = self.k_length.call(ctx, handle)
        return self.kmem.read(ctx, handle, handle + n)

    def _write(self, ctx: Any, data: bytes) -> int:
        if not data:
            return 0
        h = self.k_alloc.call(ctx, len(data))
        if not h:
            raise _Denied(f'plugin "{self.name}": out of memory in the kernel (memory limit: {self.caps.max_pages} '
                          "pages)")
        self.kmem.write(ctx, data, h)
        return int(h)

    # ---- host functions -----------------------------------------------------------------

    def _define_host(self, linker: wt.Linker, module: wt.Module) -> None:
        def config_get(ctx: Any, key_h: int) -> int:
            key = self._read(ctx, key_h).decode("utf-8", "replace")
            self.k_free.call(ctx, key_h)
            val = self.caps.config.get(key)
            return 0 if val is None else self._write(ctx, val.encode())

        def var_get(ctx: Any, key_h: int) -> int:
            key = self._read(ctx, key_h).decode("utf-8", "replace")
            self.k_free.call(ctx, key_h)
            val = self.vars.get(key)
            return 0 if val is None else self._write(ctx, val)

        def var_set(ctx: Any, key_h: int, val_h: int) -> None:
            if not self.caps.max_var_bytes:
                raise _Denied(f'plugin "{self.name}": vars are disabled by this host (request memory.maxVarBytes)')
            key = self._read(ctx, key_h).decode("utf-8", "replace")
            if not val_h:
                self.vars.pop(key, None)
                return
            val = self._read(ctx, val_h)
            size = sum(len(k) + len(v) for k, v in self.vars.items() if k != key) + len(key) + len(val)
            if size > self.caps.max_var_bytes:
                raise _Denied(f'plugin "{self.name}": vars exceed the limit of {self.caps.max_var_bytes} bytes')
            self.vars[key] = val

        def http_request(ctx: Any, req_h: int, body_h: int) -> int:
            try:
                req = json.loads(self._read(ctx, req_h) or b"{}")
            except ValueError:
                raise _Denied(f'plugin "{self.name}": http_request needs a JSON request') from None
            body = self._read(ctx, body_h) if body_h else None
            return self._write(ctx, self._http(req, body))

        def http_status_code(ctx: Any) -> int:
            return self.http_status

        def http_headers(ctx: Any) -> int:
            return self._write(ctx, json.dumps(self.http_headers).encode()) if self.http_headers else 0

        def get_log_level(ctx: Any) -> int:
            return policy.log_level(self.debug)

        def make_log(level: int) -> Any:
            def log(ctx: Any, msg_h: int) -> None:
                msg = self._read(ctx, msg_h).decode("utf-8", "replace")
                self.k_free.call(ctx, msg_h)
                self._log(level, msg)
            return log

        env_funcs: list[tuple[str, list[int], list[int], Any]] = [
            ("config_get", [I64], [I64], config_get),
            ("var_get", [I64], [I64], var_get),
            ("var_set", [I64, I64], [], var_set),
            ("http_request", [I64, I64], [I64], http_request),
            ("http_status_code", [], [I32], http_status_code),
            ("http_headers", [], [I64], http_headers),
            ("get_log_level", [], [I32], get_log_level),
        ]
        for i, lvl in enumerate(("trace", "debug", "info", "warn", "error")):
            env_funcs.append((f"log_{lvl}", [I64], [], make_log(i)))
        # only what the module imports: each definition costs a C callback and a type
        imported = {(m, n) for m, n, *_ in module_imports(module)}
        for fname, params, results, fn in env_funcs:
            if ("extism:host/env", fname) in imported:
                linker.define_func("extism:host/env", fname, params, results, fn)

        # Pilothouse's own host functions, each behind a capability
        def host_log(ctx: Any, msg_h: int) -> None:
            self._need("log")
            raw = self._read(ctx, msg_h)
            try:
                rec = json.loads(raw)
            except ValueError:
                rec = {"msg": raw.decode("utf-8", "replace")}
            if not isinstance(rec, dict):
                rec = {"msg": str(rec)}
            level = {"trace": 0, "debug": 1, "info": 2, "warn": 3, "warning": 3, "error": 4}.get(
                str(rec.pop("level", "info")).lower(), 2)
            msg = json.dumps(str(rec.pop("msg", "")))
            attrs = " ".join(f"{k}={v if isinstance(v, str) and v and ' ' not in v else json.dumps(v)}"
                             for k, v in sorted(rec.items()))
            self._log(level, f"{msg} {attrs}".strip(), structured=True)

        def host_getenv(ctx: Any, name_h: int) -> int:
            self._need("getenv")
            name = self._read(ctx, name_h).decode("utf-8", "replace")
            val = policy.env_granted(self.caps, self.ptype, name, self.env)
            if val is None:
                raise _Denied(f'plugin "{self.name}" may not read environment variable "{name}" (not granted)')
            return self._write(ctx, val.encode())

        if (HOST_MODULE, "log") in imported:
            linker.define_func(HOST_MODULE, "log", [I64], [], host_log)
        if (HOST_MODULE, "getenv") in imported:
            linker.define_func(HOST_MODULE, "getenv", [I64], [I64], host_getenv)
        # host API v1 (plugin/host): JSON request in, JSON answer out; the module checks the grant
        from pilothouse.plugin import host

        for fname in host.names():
            if (HOST_MODULE, fname) in imported:
                linker.define_func(HOST_MODULE, fname, [I64], [I64], self._host_api(host, fname))

        # Helm links no host functions of its own; a plugin asking for unknown ones cannot run
        for hf in self.caps.host_functions:
            if hf not in policy.HOST_FUNCTIONS:
                raise PluginError(f'plugin requested host function "{hf}" not found')
        for mod_name, name, params, results in module_imports(module):
            if mod_name == "extism:host/user":
                def missing(ctx: Any, *_args: int, _n: str = name) -> None:
                    raise _Denied(f'plugin requested host function "{_n}" not found')
                linker.define_func(mod_name, name, params, results, missing)

    def _host_api(self, host: Any, fname: str) -> Any:
        def call(ctx: Any, req_h: int) -> int:
            n = self.k_length.call(ctx, req_h)  # 0 for a handle the kernel did not give out
            if n > host.MAX_REQUEST:
                raise _Denied(f'plugin "{self.name}": {fname}: request larger than {host.MAX_REQUEST} bytes')
            raw = b""
            if n:
                raw = self.kmem.read(ctx, req_h, req_h + n)
                self.k_free.call(ctx, req_h)
            return self._write(ctx, host.call(self.name, self.caps, fname, raw))
        return call

    def _need(self, fn: str) -> None:
        if not policy.host_function_granted(self.caps, fn):
            raise _Denied(f'plugin "{self.name}" may not call host function "{fn}" '
                          f"(add it to runtimeConfig.hostFunctions)")

    def _log(self, level: int, msg: str, structured: bool = False) -> None:
        self.logs.append((_LEVELS.get(level, "INFO"), msg))
        if level >= policy.log_level(self.debug):
            text = msg if structured else json.dumps(msg)
            print(f"level={_LEVELS.get(level, 'INFO')} plugin={self.name} msg={text}", file=sys.stderr)

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
            self.http_status = int(getattr(resp, "status", None) or resp.code)
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

    def _guarded(self, fn: Any) -> Any:
        """Run guest code under the grant's fuel and deadline; map traps to clear errors."""
        store = self.store
        if self.flavor[1]:
            store.set_fuel(self.caps.fuel)
        if self.flavor[0]:
            _start_ticker(self.flavor)
            store.set_epoch_deadline(max(1, -(-self.caps.timeout_ms // TICK_MS)) + 1)
        try:
            return fn()
        except wt.Exit as ex:
            if ex.code != 0:
                raise PluginExitError(f'plugin "{self.name}" exited with error (exit code {ex.code})', ex.code) from None
            return 0
        except wt.Trap as trap:
            raise PluginError(self._explain(trap)) from None
        except wt.WasmError as err:
            raise PluginError(f'plugin "{self.name}" failed: {_first_line(str(err))}') from None

    def _explain(self, trap: wt.Trap) -> str:
        name = self.name
        if trap.code == wt.TRAP_INTERRUPT:
            return f'plugin "{name}" timed out after {self.caps.timeout_ms} ms'
        if trap.code == wt.TRAP_OUT_OF_FUEL:
            return f'plugin "{name}" ran out of fuel ({self.caps.fuel} instructions per call)'
        if trap.code == wt.TRAP_STACK_OVERFLOW:
            return f'plugin "{name}" crashed: call stack exhausted (too deep recursion)'
        if trap.code in wt.TRAP_NAMES:
            msg = "wasm trap: " + wt.TRAP_NAMES[trap.code]
        else:
            lines = [ln.strip() for ln in str(trap).splitlines() if ln.strip()]
            msg = lines[0] if lines else "unknown trap"
        if self.gmem is not None:
            used = self.gmem.pages(self.store.ctx)
            # a module that cannot grow any more usually traps soon after; say why
            if used * 4 >= self.caps.max_pages * 3:
                msg += f" (memory limit of {self.caps.max_pages} pages reached: {used} pages in use)"
        return f'plugin "{name}" crashed: {msg}'

    def call(self, entry: str, data: bytes) -> CallResult:
        """Call ``entry`` with ``data`` as input; the output, or a PluginError."""
        ctx = self.store.ctx
        fn = self.funcs.get(entry)
        if fn is None:
            fn = self.funcs[entry] = self.instance.func(ctx, entry)
        if fn is None:
            raise PluginError(f"plugin error: unknown function: {entry}")
        self.logs = []
        if data:
            h = self.k_begin.call(ctx, len(data))
            if not h:
                raise PluginError(f'plugin "{self.name}": input of {len(data)} bytes does not fit in its memory '
                                  f"limit of {self.caps.max_pages} pages")
            self.kmem.write(ctx, data, h)
        else:
            self.k_reset.call(ctx)
        try:
            rc = self._guarded(lambda: fn.call(ctx))
        finally:
            if self.tmpdir:
                _empty_dir(self.tmpdir)
        limit = self.caps.max_output_bytes or policy.DEFAULT_MAX_OUTPUT
        stdout = stderr = b""
        if self.out is not None and self.err is not None:
            if self.out.size() > limit or self.err.size() > limit:
                self.out.skip()
                self.err.skip()
                raise PluginError(f'plugin "{self.name}" wrote more than the limit of {limit} bytes to stdout/stderr')
            stdout, stderr = self.out.take(), self.err.take()
        err_h = self.k_error_get.call(ctx)
        if err_h:
            msg = self._read(ctx, err_h).decode("utf-8", "replace")
            raise PluginExitError(f"plugin error: {msg}", int(rc or 1))
        rc = int(rc or 0) & 0xFFFFFFFF
        if rc:
            rc = rc - (1 << 32) if rc >= 1 << 31 else rc
            raise PluginExitError(f'plugin "{self.name}" exited with error (code {rc})', rc)
        n = self.k_output_length.call(ctx)
        if n > limit:
            raise PluginError(f'plugin "{self.name}" produced {n} bytes of output, more than the limit of {limit}')
        off = self.k_output_offset.call(ctx)
        output = self.kmem.read(ctx, off, off + n) if n else b""
        return CallResult(output, stdout, stderr, list(self.logs))

    def close(self) -> None:
        if self.iodir:
            shutil.rmtree(self.iodir, ignore_errors=True)
            self.iodir = None
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None
        if self.linker is not None:
            self.linker.close()
            self.linker = None
        self.store.close()


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


class Bound:
    """One plugin entry with its module, grant and environment fixed: a call only finds this
    thread's instance and calls it.

    Instances live in the per-thread pool that `invoke` uses too, keyed by the module itself, so
    a replaced plugin.wasm (a new module) never gets an instance of the old one.
    """

    __slots__ = ("name", "caps", "ptype", "entry", "env", "inherit_stdin", "passthrough", "debug", "module", "key")

    def __init__(self, name: str, wasm_path: str, caps: Capabilities, ptype: str, *,
                 entry: str = "helm_plugin_main", env: dict[str, str] | None = None, inherit_stdin: bool = False,
                 passthrough: bool = False, debug: bool = False) -> None:
        self.name, self.caps, self.ptype, self.entry = name, caps, ptype, entry
        self.env = env or {}
        self.inherit_stdin, self.passthrough, self.debug = inherit_stdin, passthrough, debug
        self.module = load_module(wasm_path, flavor(caps))
        self.key = (self.module, repr(caps), ptype, tuple(sorted(self.env.items())), inherit_stdin, passthrough,
                    debug)

    def __call__(self, message: bytes, *, reuse: bool = True) -> CallResult:
        """Run one call; the instance is kept for this thread's next call unless it trapped."""
        key = (threading.get_ident(), self.key)
        inst = _instances.pop(key, None) if reuse else None
        if inst is None:
            inst = _Instance(self.name, self.module, self.caps, self.ptype, self.env, self.inherit_stdin, self.debug,
                             self.passthrough)
        if self.passthrough:
            sys.stdout.flush()
            sys.stderr.flush()
        try:
            result = inst.call(self.entry, message)
        except PluginError as err:
            # a guest that set an error and returned cleanly may be reused; one that trapped may not
            if isinstance(err, PluginExitError) and reuse and "plugin error:" in str(err):
                _instances[key] = inst
            else:
                inst.close()
            raise
        except BaseException:
            inst.close()
            raise
        if reuse:
            _instances[key] = inst
        else:
            inst.close()
        return result

    def close(self) -> None:
        """Close the pooled instances of this binding, in every thread (call it while none is calling)."""
        for key in [k for k in list(_instances) if k[1] == self.key]:
            inst = _instances.pop(key, None)
            if inst is not None:
                inst.close()


def invoke(name: str, wasm_path: str, caps: Capabilities, ptype: str, message: bytes, *,
           entry: str = "helm_plugin_main", env: dict[str, str] | None = None, inherit_stdin: bool = False,
           passthrough: bool = False, debug: bool = False, reuse: bool = True) -> CallResult:
    """Run one call of a Wasm plugin; instances are kept per thread for the next call.

    ``passthrough`` gives the plugin this process's stdout and stderr (CLI plugins); otherwise
    they are captured into the result.
    """
    return Bound(name, wasm_path, caps, ptype, entry=entry, env=env, inherit_stdin=inherit_stdin,
                 passthrough=passthrough, debug=debug)(message, reuse=reuse)


def close_all() -> None:
    """Drop every cached instance (stores are closed before the interpreter exits)."""
    while _instances:
        _, inst = _instances.popitem()
        inst.close()


atexit.register(close_all)
