"""The ``extism/v1`` runtime: Helm 4's Wasm plugins, run on wasmtime with our own kernel.

A plugin is a core Wasm module (``plugin.wasm``) that imports the Extism kernel ABI from
``extism:host/env`` and exports ``helm_plugin_main`` (or ``entryFuncName``). The kernel
(``kernel.wat``, assembled at first use and cached compiled) owns the memory in which input,
output and host-call arguments travel; config, vars, HTTP and logging are Python functions
here, and every one of them asks `pilothouse.plugin.policy` before doing anything.

Nothing the plugin hands over is trusted: its module is vetted by `wasmcheck` before wasmtime
links it, every handle and length is checked before the host uses it, one memory budget covers
the plugin's memory, the kernel's and the tables, one deadline covers instantiation, the call,
sleeps (`wasipoll`) and HTTP (`httpcall`), and Ctrl-C / SIGTERM reach guest code at every epoch
tick. docs/plugins.md ("Threat model") says what each limit bounds.

Instances are reused within a process, one per thread and plugin; an instance that trapped is
thrown away. wasmtime is reached through `wasmtime_ffi` (a thin ctypes binding that loads in
about a millisecond), and only when a Wasm plugin actually runs.
"""

from __future__ import annotations

import _thread
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
from pilothouse.plugin.runtimes import wasmcheck
from pilothouse.plugin.runtimes import wasmtime_ffi as wt

TICK_MS = 5
QUOTA_CHECK_S = 0.05  # how often a running plugin's temp dir is measured against its quota
_NO_DEADLINE = 1 << 40
_UNLIMITED_FUEL = (1 << 63) - 1
HOST_MODULE = "pilothouse:host/v1"
WASI_MODULE = "wasi_snapshot_preview1"
_LEVELS = {0: "TRACE", 1: "DEBUG", 2: "INFO", 3: "WARN", 4: "ERROR"}
I32, I64 = wt.I32, wt.I64
_HEAP_START = 80  # the kernel's first handle: its heap starts at 64, after a 16-byte header
_SMALL_ARG = 64 << 10  # config keys, var keys, env names: more is an attack, not a key
_MAX_ERROR = 64 << 10  # error_set text shown to the user
_TABLE_ELEMENT_BYTES = 8  # what wasmtime keeps per table element (a pointer)
# control characters a plugin's text may not send to the terminal (newline and tab may)
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}


class PluginExitError(PluginError):
    """The plugin finished with a non-zero status (WASI exit code or entry function result)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.exit_code = code


class _Denied(PluginError):
    """Raised inside a host function: the call is stopped with this message."""


class _Timeout(Exception):
    """The call's deadline passed (raised at an epoch tick or in a host call that waits)."""


def _printable(text: str) -> str:
    """A plugin's text with its control characters escaped (it may not drive the terminal)."""
    return text.translate(_CONTROLS) if not text.isprintable() else text


_lock = threading.Lock()
_engines: dict[tuple[bool, bool], wt.Engine] = {}
_kernels: dict[tuple[bool, bool], wt.Module] = {}
_lib_tag: str | None = None
_ticking = False
_active = 0  # guest calls running now, in every thread
_busy = threading.Event()
_instances: dict[tuple[Any, ...], _Instance] = {}
_modules: dict[tuple[Any, ...], wt.Module] = {}


def flavor(caps: Capabilities) -> tuple[bool, bool]:
    """(epoch, fuel): the instrumentation a plugin's grant needs.

    Epoch checks are always compiled in: they are what lets a timeout, Ctrl-C or SIGTERM stop
    guest code. Fuel counting costs more, so a plugin gets it only when its grant has a limit.
    """
    return True, bool(caps.fuel)


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


def _cause(text: str) -> str:
    """The line of a wasmtime error that says what went wrong (its last cause), not the backtrace."""
    if "Caused by:" in text:
        lines = [ln.strip() for ln in text.split("Caused by:", 1)[1].splitlines() if ln.strip()]
        if lines:
            last = lines[-1]
            return last.split(": ", 1)[1] if last[:1].isdigit() and ": " in last else last
    return _first_line(text)


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


def _enter() -> None:
    """A guest call starts: make sure the epoch advances while it runs."""
    global _active, _ticking
    if not wt._signals_guarded:
        wt.guard_signals()
    with _lock:
        _active += 1
        if _active == 1:
            _busy.set()
        if _ticking:
            return
        _ticking = True
    # a bare thread: threading.Thread.start waits until the new thread has run, a context
    # switch that costs a one-shot call milliseconds on a busy machine; this one needs no handshake
    # (it only waits for _busy, which is set already) and dies with the interpreter
    _thread.start_new_thread(_tick, ())


def _leave() -> None:
    global _active
    with _lock:
        _active -= 1
        if not _active:
            _busy.clear()


def _tick() -> None:
    """Advance every engine's epoch every TICK_MS while guest code runs (idle otherwise).

    At each tick a running call's store checks its deadline, and Python gets to run its
    signal handlers, so a timeout, Ctrl-C or SIGTERM reaches guest code that never calls out.
    """
    while True:
        _busy.wait()
        time.sleep(TICK_MS / 1000)
        for eng in list(_engines.values()):
            eng.increment_epoch()


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
        # vetted before wasmtime reflects on a signature (a v128 there aborts the process)
        info = wasmcheck.inspect_file(path)
        sha = cache.file_sha256(path)
        try:
            mod = cache.load_or_compile(engine(flv), engine_tag(flv), sha, _read_file(path))
        except wt.WasmError as err:
            raise PluginError(f"invalid wasm module {path}: {_first_line(str(err))}") from None
        mod.info = info
        _modules[key] = mod
    return mod


def module_info(module: wt.Module) -> wasmcheck.ModuleInfo:
    """What `wasmcheck` read from a plugin module's bytes when it was loaded."""
    info = getattr(module, "info", None)
    if info is None:
        raise PluginError("internal: a plugin module was loaded without being vetted")
    return info


def module_imports(module: wt.Module) -> list[tuple[str, str, list[int], list[int]]]:
    """(module, name, params, results) of the functions a plugin module imports."""
    return module_info(module).imports


def module_exports(module: wt.Module) -> dict[str, tuple[list[int], list[int]]]:
    """name -> (params, results) of the functions a plugin module exports."""
    return module_info(module).exports


def exported_func(wasm_path: str, caps: Capabilities, name: str) -> tuple[list[int], list[int]] | None:
    """The signature of the function ``name`` exported by a plugin.wasm, or None when it has none."""
    return module_exports(load_module(wasm_path, flavor(caps))).get(name)


def precompile(path: str, caps: Capabilities | None = None) -> str:
    """Compile a plugin.wasm into the cache for the flavour its grant needs (done at install)."""
    flv = flavor(caps) if caps is not None else (True, True)
    wasmcheck.inspect_file(path)
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
    """WASI stdout or stderr of one instance under --debug: a pipe that a thread drains into a
    buffer bounded by the output cap. What goes past the cap is counted and dropped, never
    stored, in memory or on disk (a file would fill the disk before the cap is checked).
    """

    def __init__(self, path: str, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.buf = bytearray()
        self.dropped = 0
        self.lock = threading.Lock()
        os.mkfifo(path, 0o600)
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        # a writer of our own, so the reader never sees end-of-file between the plugin's writes
        self.keep = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        self.wake_r, self.wake_w = os.pipe()
        self.thread = threading.Thread(target=self._drain, name="pilothouse-wasi-capture", daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        import select

        while True:
            try:
                ready, _, _ = select.select([self.fd, self.wake_r], [], [])
            except (OSError, ValueError):
                return
            if self.wake_r in ready:
                return
            self._pull()

    def _pull(self) -> None:
        with self.lock:
            while True:
                try:
                    chunk = os.read(self.fd, 1 << 16)
                except (BlockingIOError, OSError):
                    return
                if not chunk:
                    return
                room = self.limit - len(self.buf)
                if len(chunk) > room:
                    self.buf += chunk[:max(0, room)]
                    self.dropped += len(chunk) - max(0, room)
                else:
                    self.buf += chunk

    def over(self) -> bool:
        """Did the plugin write more than the cap since the last take?"""
        self._pull()
        return self.dropped > 0

    def take(self) -> bytes:
        self._pull()
        with self.lock:
            data = bytes(self.buf)
            self.buf.clear()
            self.dropped = 0
        return data

    def skip(self) -> None:
        self.take()

    def close(self) -> None:
        os.write(self.wake_w, b"x")
        self.thread.join(5)
        for fd in (self.fd, self.keep, self.wake_r, self.wake_w):
            try:
                os.close(fd)
            except OSError:
                pass


class _Instance:
    """One plugin instantiated in its own store, with its kernel, host functions and WASI setup."""

    def __init__(self, name: str, module: wt.Module, caps: Capabilities, ptype: str,
                 env: dict[str, str], inherit_stdin: bool, debug: bool, passthrough: bool,
                 deadline: float | None = None) -> None:
        self.name = name
        self.caps = caps
        self.ptype = ptype
        self.env = env
        self.debug = debug
        self.info: wasmcheck.ModuleInfo = module_info(module)
        self.vars: dict[str, bytes] = {}
        self.var_bytes = 0  # running total of len(key) + len(value) over self.vars
        self.http_status = 0
        self.host_memo: dict[str, Any] = {}  # what host API functions keep for one call
        self.http_pool: Any = None  # kept-alive connections (httpcall.Pool), made on the first request
        self.http_headers: dict[str, str] = {}
        self.logs: list[tuple[str, str]] = []
        self.log_level = policy.log_level(debug)
        self.log_bytes = 0
        self.out_limit = caps.max_output_bytes or policy.DEFAULT_MAX_OUTPUT
        self.deadline = deadline
        self.tmpdir: str | None = None
        self.temp_quota: Any = None
        self.quota_next = 0.0
        self.gmem: wt.Memory | None = None
        # stdout/stderr: the terminal's (CLI plugins), captured (--debug shows them), or
        # discarded as Helm does; capture costs a directory and two files per instance
        self.iodir: str | None = None
        self.out = self.err = None
        # A module that imports no WASI function cannot see env, files or stdio: it gets none of
        # that set up, which is a third of the cost of a new instance.
        self.wasi = any(m == WASI_MODULE for m, *_ in self.info.imports)
        # (where there are no named pipes, --debug shows no stdout/stderr rather than an unbounded file)
        if debug and not passthrough and self.wasi and hasattr(os, "mkfifo"):
            import tempfile

            self.iodir = tempfile.mkdtemp(prefix="pilot-wasi-io-")
            self.out = _Capture(os.path.join(self.iodir, "stdout"), self.out_limit)
            self.err = _Capture(os.path.join(self.iodir, "stderr"), self.out_limit)
        self.flavor = flavor(caps)
        self.store = wt.Store(engine(self.flavor))
        self.linker: wt.Linker | None = None
        try:
            self._setup(module, inherit_stdin, passthrough)
        except BaseException:
            self.close()
            raise

    # ---- the one memory budget ------------------------------------------------------------

    def _plan_budget(self) -> None:
        """Split the grant's memory between tables, the kernel's memory and the plugin's.

        wasmtime limits each memory and each table on its own; one budget over all of them is
        kept by giving tables a fixed part, and by moving the line between the two memories
        only between calls: the kernel's share is enforced by the kernel itself, the plugin's
        by the store's per-memory limit, and the two never add up to more than the budget.
        """
        total = self.caps.max_pages * PAGE
        tables = self.info.tables
        self.table_elements = max(1024, total // (64 * tables)) if tables else 0
        self.mem_budget = max(0, total - tables * self.table_elements * _TABLE_ELEMENT_BYTES)
        self.plugin_limit = -1
        self.kernel_share = 0

    def _shares(self, ctx: Any, input_len: int) -> int:
        """Set the plugin memory's limit for the next call; the kernel memory's share, in bytes."""
        if self.plugin_limit >= 0 and 2 * input_len + 4 * PAGE <= self.kernel_share:
            # the split still holds: the kernel's memory is within its share, the plugin's within
            # the rest, and this input fits what the kernel has
            return self.kernel_share
        budget = self.mem_budget
        kernel = self.kmem.size(ctx)
        # before instantiation: the memory the module declares it starts with
        plugin = self.gmem.size(ctx) if self.gmem is not None else self.info.memory_min_pages * PAGE
        want = max(budget // 4, 2 * input_len + 4 * PAGE)
        share = max(kernel, min(budget // 2, budget - plugin, want))
        share -= share % PAGE
        share = max(share, kernel)
        limit = max(0, budget - share)
        if limit != self.plugin_limit:
            self.store.set_limits(limit, self.table_elements or 0, 2, self.info.tables, 2)
            self.plugin_limit = limit
        self.kernel_share = share
        return share

    def _setup(self, module: wt.Module, inherit_stdin: bool, passthrough: bool) -> None:
        caps, store, name, info = self.caps, self.store, self.name, self.info
        self._plan_budget()
        if info.tables and info.table_min_elements > self.table_elements:
            raise PluginError(f'plugin "{name}": cannot instantiate: its table needs {info.table_min_elements} '
                              f"elements, more than the memory limit of {caps.max_pages} pages allows "
                              f"({self.table_elements})")
        store.set_limits(self.mem_budget, self.table_elements, 2, info.tables, 2)
        store.on_epoch_deadline(self._on_tick)
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
                self.temp_quota = policy.temp_dir_quota(None, name)
            try:
                store.set_wasi(argv=[], env=self.env, inherit_stdin=inherit_stdin, inherit_output=passthrough,
                               stdout_path=self.out.path if self.out else "",
                               stderr_path=self.err.path if self.err else "", preopens=preopens)
            except wt.WasmError as err:
                raise PluginError(f'plugin "{name}": {err}') from None

        self.linker = linker = wt.Linker(engine(self.flavor))
        if self.wasi:
            linker.define_wasi()
        try:
            self.kernel = linker.instantiate(store, _kernel_module(self.flavor))
        except wt.WasmError as err:
            raise PluginError(f'plugin "{name}": cannot instantiate: {_cause(str(err))} (memory limit: '
                              f"{caps.max_pages} pages)") from None
        ctx = store.ctx
        self.kmem = self.kernel.memory(ctx)
        k = {n: self.kernel.func(ctx, n) for n in ("alloc", "length", "free", "output_offset", "output_length",
                                                    "error_get", "pilothouse_begin", "pilothouse_limit", "pilothouse_take")}
        self.k_alloc, self.k_length, self.k_free = k["alloc"], k["length"], k["free"]
        self.k_error_get = k["error_get"]
        self.k_take = k["pilothouse_take"]
        # reset + alloc + input_set in one crossing into wasm (each costs about 2 us)
        self.k_begin = k["pilothouse_begin"]
        self.k_output_offset, self.k_output_length = k["output_offset"], k["output_length"]
        share = self._shares(ctx, 0)
        if info.memories and info.memory_min_pages * PAGE > self.plugin_limit:
            raise PluginError(f'plugin "{name}": cannot instantiate: its memory starts at {info.memory_min_pages} '
                              f"pages, more than its share of the memory limit of {caps.max_pages} pages "
                              f"({self.plugin_limit // PAGE} pages)")
        k["pilothouse_limit"].call(ctx, share)
        linker.define_instance(store, "extism:host/env", self.kernel)
        self._define_host(linker)
        # the start function runs here: under the same fuel, deadline and signals as a call
        self.instance = self._guarded(lambda: linker.instantiate(store, module), instantiating=True)
        self.gmem = self.instance.memory(ctx)
        self.funcs: dict[str, wt.Func | None] = {}
        for init in ("_initialize", "__wasm_call_ctors"):
            if info.exports.get(init) is not None:
                if info.exports[init] != ([], []):
                    raise PluginError(f'plugin "{name}": exported function "{init}" must take and return nothing')
                fn = self.instance.func(ctx, init)
                if fn is not None:
                    self._guarded(lambda f=fn: f.call(ctx))
                break

    # ---- kernel memory ------------------------------------------------------------------

    def _refuse(self, what: str) -> _Denied:
        return _Denied(f'plugin "{self.name}": {what}')

    def _read(self, ctx: Any, handle: int, what: str = "a host call", limit: int = -1,
              take: bool = False) -> bytes:
        """The block at ``handle`` in the kernel's memory, every number checked before use.

        ``take`` gives the block back to the kernel in the same crossing (read it before
        allocating anything else)."""
        if not handle:
            return b""
        size = self.kmem.size(ctx)
        if handle < _HEAP_START or handle >= size:
            raise self._refuse(f"{what} was given an invalid handle {handle:#x}")
        n = (self.k_take if take else self.k_length).call(ctx, handle)
        if n <= 0:
            raise self._refuse(f"{what} was given an invalid handle {handle:#x}")
        if n > size - handle:
            raise self._refuse(f"{what}: the block at {handle:#x} claims {n} bytes, past the end of memory")
        if 0 <= limit < n:
            raise self._refuse(f"{what}: {n} bytes, more than the limit of {limit}")
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

    def _host(self, fname: str, fn: Any) -> Any:
        """``fn`` as a host function: whatever goes wrong in it is the plugin's error, named."""
        name = self.name

        def host_function(ctx: Any, *args: int) -> Any:
            try:
                return fn(ctx, *args)
            except PluginError:
                raise
            except (wt.WasmError, ValueError, TypeError, KeyError, OverflowError, RecursionError,
                    UnicodeError, MemoryError, OSError) as err:
                raise _Denied(f'plugin "{name}": {fname} refused: {_first_line(str(err)) or type(err).__name__}') \
                    from None
        return host_function

    def _define_host(self, linker: wt.Linker) -> None:
        imported = {(m, n) for m, n, *_ in self.info.imports}
        small = _SMALL_ARG

        def config_get(ctx: Any, key_h: int) -> int:
            key = self._read(ctx, key_h, "config_get", small).decode("utf-8", "replace")
            self.k_free.call(ctx, key_h)
            val = self.caps.config.get(key)
            return 0 if val is None else self._write(ctx, val.encode())

        def var_get(ctx: Any, key_h: int) -> int:
            key = self._read(ctx, key_h, "var_get", small).decode("utf-8", "replace")
            self.k_free.call(ctx, key_h)
            val = self.vars.get(key)
            return 0 if val is None else self._write(ctx, val)

        def var_set(ctx: Any, key_h: int, val_h: int) -> None:
            cap = self.caps.max_var_bytes
            if not cap:
                raise _Denied(f'plugin "{self.name}": vars are disabled by this host (request memory.maxVarBytes)')
            key = self._read(ctx, key_h, "var_set", cap).decode("utf-8", "replace")
            old = self.vars.get(key)
            base = self.var_bytes - (len(key) + len(old) if old is not None else 0)
            if not val_h:
                if old is not None:
                    del self.vars[key]
                    self.var_bytes = base
                return
            val = self._read(ctx, val_h, "var_set", cap)
            if base + len(key) + len(val) > cap:
                raise _Denied(f'plugin "{self.name}": vars exceed the limit of {cap} bytes')
            self.vars[key] = val
            self.var_bytes = base + len(key) + len(val)

        def http_request(ctx: Any, req_h: int, body_h: int) -> int:
            from pilothouse.plugin.runtimes import httpcall

            raw = self._read(ctx, req_h, "http_request", httpcall.MAX_REQUEST_BYTES)
            body = self._read(ctx, body_h, "http_request body") if body_h else None
            if self.http_pool is None:
                self.http_pool = httpcall.Pool()
            resp = httpcall.request(self.name, self.caps, raw, body, self.deadline, self.http_pool)
            self.http_status, self.http_headers = resp.status, resp.headers
            return self._write(ctx, resp.body)

        def http_status_code(ctx: Any) -> int:
            return self.http_status

        def http_headers(ctx: Any) -> int:
            return self._write(ctx, json.dumps(self.http_headers).encode()) if self.http_headers else 0

        def get_log_level(ctx: Any) -> int:
            return self.log_level

        def make_log(level: int) -> Any:
            def log(ctx: Any, msg_h: int) -> None:
                if level < self.log_level:
                    return  # below the level: not even read
                msg = self._read_log(ctx, msg_h).decode("utf-8", "replace")
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
        for fname, params, results, fn in env_funcs:
            if ("extism:host/env", fname) in imported:
                linker.define_func("extism:host/env", fname, params, results, self._host(fname, fn))

        # Pilothouse's own host functions, each behind a capability
        def host_log(ctx: Any, msg_h: int) -> None:
            self._need("log")
            raw = self._read_log(ctx, msg_h)
            try:
                rec = json.loads(raw)
            except (ValueError, RecursionError):
                rec = {"msg": raw.decode("utf-8", "replace")}
            if not isinstance(rec, dict):
                rec = {"msg": str(rec)}
            level = {"trace": 0, "debug": 1, "info": 2, "warn": 3, "warning": 3, "error": 4}.get(
                str(rec.pop("level", "info")).lower(), 2)
            if level < self.log_level:
                return
            msg = json.dumps(str(rec.pop("msg", "")))
            attrs = " ".join(f"{k}={v if isinstance(v, str) and v and ' ' not in v else json.dumps(v)}"
                             for k, v in sorted(rec.items()))
            self._log(level, f"{msg} {attrs}".strip(), structured=True)

        def host_getenv(ctx: Any, name_h: int) -> int:
            self._need("getenv")
            name = self._read(ctx, name_h, "getenv", small).decode("utf-8", "replace")
            val = policy.env_granted(self.caps, self.ptype, name, self.env)
            if val is None:
                raise _Denied(f'plugin "{self.name}" may not read environment variable "{name}" (not granted)')
            return self._write(ctx, val.encode())

        if (HOST_MODULE, "log") in imported:
            linker.define_func(HOST_MODULE, "log", [I64], [], self._host("log", host_log))
        if (HOST_MODULE, "getenv") in imported:
            linker.define_func(HOST_MODULE, "getenv", [I64], [I64], self._host("getenv", host_getenv))
        # host API v1 (plugin/host): JSON request in, JSON answer out; the module checks the grant
        from pilothouse.plugin import host

        for fname in host.names():
            if (HOST_MODULE, fname) in imported:
                linker.define_func(HOST_MODULE, fname, [I64], [I64], self._host(fname, self._host_api(host, fname)))

        # WASI's sleep blocks the thread where no deadline can reach it: ours keeps to the deadline
        if (WASI_MODULE, "poll_oneoff") in imported:
            from pilothouse.plugin.runtimes import wasipoll

            linker.allow_shadowing(True)
            linker.define_func(WASI_MODULE, "poll_oneoff", [I32, I32, I32, I32], [I32],
                               self._host("poll_oneoff", lambda ctx, *a: wasipoll.poll_oneoff(self, ctx, *a)))
            linker.allow_shadowing(False)

        # Helm links no host functions of its own; a plugin asking for unknown ones cannot run
        for hf in self.caps.host_functions:
            if hf not in policy.HOST_FUNCTIONS:
                raise PluginError(f'plugin requested host function "{hf}" not found')
        for mod_name, name, params, results in self.info.imports:
            if mod_name == "extism:host/user":
                def missing(ctx: Any, *_args: int, _n: str = name) -> None:
                    raise _Denied(f'plugin requested host function "{_n}" not found')
                linker.define_func(mod_name, name, params, results, missing)

    def _host_api(self, host: Any, fname: str) -> Any:
        def call(ctx: Any, req_h: int) -> int:
            # every number checked, size capped; the block is given back in the same crossing
            raw = self._read(ctx, req_h, fname, host.MAX_REQUEST, take=True)
            return self._write(ctx, host.call(self.name, self.caps, fname, raw, self.host_memo))
        return call

    def _need(self, fn: str) -> None:
        if not policy.host_function_granted(self.caps, fn):
            raise _Denied(f'plugin "{self.name}" may not call host function "{fn}" '
                          f"(add it to runtimeConfig.hostFunctions)")

    def _log_room(self) -> int:
        return max(0, self.out_limit - self.log_bytes)

    def _log_overflow(self) -> _Denied:
        return _Denied(f'plugin "{self.name}" logged more than the limit of {self.out_limit} bytes '
                       "(maxOutputBytes)")

    def _read_log(self, ctx: Any, handle: int) -> bytes:
        """A log message, read only if it fits in what is left of the call's output cap."""
        try:
            return self._read(ctx, handle, "log", self._log_room())
        except _Denied as err:
            if "more than the limit" in str(err):
                raise self._log_overflow() from None
            raise

    def _log(self, level: int, msg: str, structured: bool = False) -> None:
        """Keep and show one record at or above the level; all of a call's logs share the output cap."""
        if level < self.log_level:
            return
        self.log_bytes += len(msg) + 32
        if self.log_bytes > self.out_limit:
            raise self._log_overflow()
        self.logs.append((_LEVELS.get(level, "INFO"), msg))
        text = msg if structured else json.dumps(msg)
        print(f"level={_LEVELS.get(level, 'INFO')} plugin={self.name} msg={_printable(text)}", file=sys.stderr)

    # ---- calling --------------------------------------------------------------------------

    def _on_tick(self) -> None:
        """At every epoch tick while guest code runs: the deadline, and Python's signal handlers
        (Ctrl-C raises KeyboardInterrupt here, which stops the guest)."""
        now = time.monotonic()
        if self.deadline is not None and now >= self.deadline:
            raise _Timeout()
        if self.tmpdir and now >= self.quota_next:
            # WASI writes reach the disk without us: the temp dir's quota is checked while it runs
            self.quota_next = now + QUOTA_CHECK_S
            self.temp_quota.check(self.tmpdir, self.name)

    def remaining(self) -> float | None:
        """Seconds left before the deadline (None: no deadline); raises when none are left."""
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Timeout()
        return left

    def _guarded(self, fn: Any, instantiating: bool = False) -> Any:
        """Run guest code under the grant's fuel and deadline; map traps to clear errors."""
        store = self.store
        if self.flavor[1]:
            store.set_fuel(self.caps.fuel)
        store.set_epoch_deadline(1)
        _enter()
        try:
            return fn()
        except wt.Exit as ex:
            if ex.code != 0:
                raise PluginExitError(f'plugin "{self.name}" exited with error (exit code {ex.code})', ex.code) from None
            return 0
        except _Timeout:
            raise PluginError(f'plugin "{self.name}" timed out after {self.caps.timeout_ms} ms') from None
        except wt.Trap as trap:
            raise PluginError(self._explain(trap, instantiating)) from None
        except wt.WasmError as err:
            msg = _first_line(str(err))
            if instantiating:
                if "memory" in msg.lower() or "table" in msg.lower():
                    msg += f" (memory limit: {self.caps.max_pages} pages)"
                raise PluginError(f'plugin "{self.name}": cannot instantiate: {msg}') from None
            raise PluginError(f'plugin "{self.name}" failed: {_cause(str(err))}') from None
        finally:
            _leave()
            store.set_epoch_deadline(_NO_DEADLINE)
            if self.flavor[1]:
                store.set_fuel(_UNLIMITED_FUEL)  # the host's own kernel calls after the guest's

    def _explain(self, trap: wt.Trap, instantiating: bool = False) -> str:
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
        if self.gmem is not None and self.plugin_limit > 0:
            used = self.gmem.size(self.store.ctx)
            # a module that cannot grow any more usually traps soon after; say why
            if used * 2 >= self.plugin_limit:
                msg += (f" (memory limit of {self.caps.max_pages} pages reached: {used // PAGE} pages in use, "
                        f"{self.plugin_limit // PAGE} pages for the plugin's memory)")
        if instantiating:
            return f'plugin "{name}" crashed in its start function: {msg}'
        return f'plugin "{name}" crashed: {msg}'

    def call(self, entry: str, data: bytes, deadline: float | None = None) -> CallResult:
        """Call ``entry`` with ``data`` as input; the output, or a PluginError."""
        ctx = self.store.ctx
        self.deadline = deadline
        fn = self.funcs.get(entry)
        if fn is None:
            sig = self.info.exports.get(entry)
            if sig is None:
                raise PluginError(f"plugin error: unknown function: {entry}")
            if sig[0] or sig[1] not in ([], [I32]):
                raise PluginError(f'plugin "{self.name}": exported function "{entry}" must take no parameters '
                                  "and return an i32 status")
            fn = self.funcs[entry] = self.instance.func(ctx, entry)
        if fn is None:
            raise PluginError(f"plugin error: unknown function: {entry}")
        self.logs = []
        self.log_bytes = 0
        self.host_memo.clear()
        share = self._shares(ctx, len(data))
        h = self.k_begin.call(ctx, len(data), share)
        if data:
            if not h:
                raise PluginError(f'plugin "{self.name}": input of {len(data)} bytes does not fit in its memory '
                                  f"limit of {self.caps.max_pages} pages")
            self.kmem.write(ctx, data, h)
        try:
            rc = self._guarded(lambda: fn.call(ctx))
            if self.tmpdir:
                self.temp_quota.check(self.tmpdir, self.name)
        finally:
            if self.tmpdir:
                _empty_dir(self.tmpdir)
        limit = self.out_limit
        stdout = stderr = b""
        if self.out is not None and self.err is not None:
            if self.out.over() or self.err.over():
                self.out.skip()
                self.err.skip()
                raise PluginError(f'plugin "{self.name}" wrote more than the limit of {limit} bytes to stdout/stderr')
            stdout, stderr = self.out.take(), self.err.take()
        try:
            err_h = self.k_error_get.call(ctx)
            if err_h:
                msg = self._read(ctx, err_h, "error_set", _MAX_ERROR).decode("utf-8", "replace")
                raise PluginExitError(f"plugin error: {_printable(msg)}", int(rc or 1))
        except _Denied as err:
            raise PluginError(str(err)) from None
        rc = int(rc or 0) & 0xFFFFFFFF
        if rc:
            rc = rc - (1 << 32) if rc >= 1 << 31 else rc
            raise PluginExitError(f'plugin "{self.name}" exited with error (code {rc})', rc)
        n = self.k_output_length.call(ctx)
        if n > limit:
            raise PluginError(f'plugin "{self.name}" produced {n} bytes of output, more than the limit of {limit}')
        if n < 0:
            raise PluginError(f'plugin "{self.name}": output_set refused: negative length {n}')
        if not n:
            return CallResult(b"", stdout, stderr, list(self.logs))
        off = self.k_output_offset.call(ctx)
        size = self.kmem.size(ctx)
        if off < _HEAP_START or off > size or n > size - off:
            raise PluginError(f'plugin "{self.name}": output_set refused: {n} bytes at {off:#x} are outside '
                              f"the kernel's memory ({size} bytes)")
        return CallResult(self.kmem.read(ctx, off, off + n), stdout, stderr, list(self.logs))

    def close(self) -> None:
        for cap in (self.out, self.err):
            if cap is not None:
                cap.close()
        self.out = self.err = None
        if self.iodir:
            shutil.rmtree(self.iodir, ignore_errors=True)
            self.iodir = None
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None
        if self.http_pool is not None:
            self.http_pool.close()
            self.http_pool = None
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
        # one deadline for everything this call makes the plugin do, instantiation included
        deadline = time.monotonic() + self.caps.timeout_ms / 1000 if self.caps.timeout_ms else None
        inst = _instances.pop(key, None) if reuse else None
        if inst is None:
            inst = _Instance(self.name, self.module, self.caps, self.ptype, self.env, self.inherit_stdin, self.debug,
                             self.passthrough, deadline)
        if self.passthrough:
            sys.stdout.flush()
            sys.stderr.flush()
        try:
            result = inst.call(self.entry, message, deadline)
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
