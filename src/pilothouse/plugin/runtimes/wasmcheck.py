"""Reading and vetting a plugin's Wasm module before wasmtime links or reflects on it.

Why our own reader: wasmtime's C type reflection aborts the whole process on a ``v128`` in a
function signature, and reference-typed parameters cannot travel through the Extism ABI at all.
So the module's header sections are decoded here, with every count and length checked against
the bytes there are, and anything the ABI does not use is refused with a clear reason before
wasmtime sees a signature:

* imports: functions only, from the Extism kernel, Extism user functions, Pilothouse's host
  functions or WASI, with integer signatures (no memories, tables or globals from outside);
* exported functions: numeric signatures only (i32, i64, f32, f64);
* at most one linear memory, 32-bit and not shared; at most `MAX_TABLES` tables.

Only the sections before the code are decoded; the code itself is wasmtime's to validate.
"""

from __future__ import annotations

from pilothouse.errors import PluginError
from pilothouse.plugin.grants import FUNCTIONS as HOST_API_FUNCTIONS

I32, I64, F32, F64, V128 = 0x7F, 0x7E, 0x7D, 0x7C, 0x7B
FUNCREF, EXTERNREF = 0x70, 0x6F
NUMERIC = {I32: "i32", I64: "i64", F32: "f32", F64: "f64"}
_NAMES = {**NUMERIC, V128: "v128", FUNCREF: "funcref", EXTERNREF: "externref"}
# the value kinds of wasmtime's C API, for the signatures handed to the rest of the runtime
_KIND = {I32: 0, I64: 1, F32: 2, F64: 3}

MAX_TABLES = 4
MAX_IMPORTS = 10_000
MAX_EXPORTS = 100_000

KERNEL_MODULE = "extism:host/env"
USER_MODULE = "extism:host/user"
HOST_MODULE = "pilothouse:host/v1"
WASI_MODULE = "wasi_snapshot_preview1"
_INT = (I32, I64)
# what a plugin may import from the kernel: the Extism ABI (the kernel's `pilothouse_*` functions
# are the host's own), each name with its one signature
KERNEL_IMPORTS: dict[str, tuple[list[int], list[int]]] = {
    **{n: ([I64], [I64]) for n in ("alloc", "length", "length_unsafe", "load_u64", "input_load_u64",
                                   "config_get", "var_get")},
    **{n: ([I64], [I32]) for n in ("load_u8", "input_load_u8")},
    **{n: ([I64], []) for n in ("free", "error_set", "log_trace", "log_debug", "log_info", "log_warn",
                                "log_error")},
    **{n: ([], [I64]) for n in ("input_length", "input_offset", "output_length", "output_offset", "error_get",
                                "memory_bytes", "http_headers")},
    **{n: ([I64, I64], []) for n in ("input_set", "output_set", "store_u64", "var_set")},
    "store_u8": ([I64, I32], []),
    "reset": ([], []),
    "http_request": ([I64, I64], [I64]),
    "http_status_code": ([], [I32]),
    "get_log_level": ([], [I32]),
}
HOST_IMPORTS: dict[str, tuple[list[int], list[int]]] = {"log": ([I64], []), "getenv": ([I64], [I64])}
# the host API v1 functions: a JSON request handle in, a JSON answer handle out
HOST_IMPORTS.update({name: ([I64], [I64]) for name in HOST_API_FUNCTIONS})


class ModuleInfo:
    """What the runtime needs to know about a module, read from its bytes.

    (A plain class: a NamedTuple costs half a millisecond to define, on every one-shot run.)
    """

    __slots__ = ("imports", "exports", "memories", "memory_min_pages", "tables", "table_min_elements", "has_start")

    def __init__(self, imports: list[tuple[str, str, list[int], list[int]]],
                 exports: dict[str, tuple[list[int], list[int]]], memories: int, memory_min_pages: int,
                 tables: int, table_min_elements: int, has_start: bool) -> None:
        self.imports = imports  # (module, name, param kinds, result kinds)
        self.exports = exports  # exported function name -> (params, results)
        self.memories = memories
        self.memory_min_pages = memory_min_pages
        self.tables = tables
        self.table_min_elements = table_min_elements
        self.has_start = has_start


class _Bad(Exception):
    pass


class _Short(Exception):
    """The bytes read so far end inside a section that has to be decoded."""


class _Reader:
    __slots__ = ("data", "pos", "end")

    def __init__(self, data: bytes | memoryview, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise _Bad("unexpected end of section")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def uleb(self, bits: int = 32) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
            if shift >= bits + 7:
                raise _Bad("integer too long")
        if result >> bits:
            raise _Bad("integer too large")
        return result

    def sleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
            if shift > 35:
                raise _Bad("integer too long")
        if b & 0x40:
            result -= 1 << shift
        return result

    def count(self, limit: int, what: str) -> int:
        n = self.uleb()
        # every item takes at least one byte: a count beyond the bytes left is a lie
        if n > self.end - self.pos or n > limit:
            raise _Bad(f"too many {what} ({n})")
        return n

    def name(self) -> str:
        n = self.uleb()
        if n > self.end - self.pos:
            raise _Bad("name runs past its section")
        raw = bytes(self.data[self.pos:self.pos + n])
        self.pos += n
        try:
            return raw.decode()
        except UnicodeDecodeError:
            raise _Bad("a name is not UTF-8") from None

    def valtype(self) -> int:
        t = self.byte()
        if t in (0x63, 0x64):  # (ref null? heaptype): a typed reference
            self.sleb()
            return FUNCREF
        return t

    def limits(self) -> tuple[int, int]:
        flags = self.byte()
        if flags & ~0x07:
            raise _Bad(f"unknown limits flags {flags:#x}")
        bits = 64 if flags & 0x04 else 32
        lo = self.uleb(bits)
        if flags & 0x01:
            self.uleb(bits)
        return flags, lo


def _sig_text(params: list[int], results: list[int]) -> str:
    def names(ts: list[int]) -> str:
        return " ".join(_NAMES.get(t, f"type {t:#x}") for t in ts)
    return f"({names(params)}) -> ({names(results)})"


def inspect(data: bytes | memoryview) -> ModuleInfo:
    """Read a module's imports, exports, memories and tables; PluginError when it is not one we run."""
    try:
        return _inspect(data)
    except _Bad as err:
        raise PluginError(f"invalid wasm module: {err}") from None


def inspect_file(path: str, head: int = 1 << 18) -> ModuleInfo:
    """`inspect` a module file, reading only up to its code section when that comes early."""
    with open(path, "rb") as fh:
        data = fh.read(head)
        try:
            if len(data) == head:
                try:
                    return _inspect(data, partial=True)
                except _Short:
                    data += fh.read()
            return _inspect(data)
        except _Bad as err:
            raise PluginError(f"invalid wasm module {path}: {err}") from None


def _inspect(data: bytes | memoryview, partial: bool = False) -> ModuleInfo:
    if len(data) < 8 or bytes(data[:4]) != b"\0asm":
        raise _Bad("not a WebAssembly module (bad magic number)")
    if bytes(data[4:8]) != b"\x01\0\0\0":
        raise _Bad("not a core WebAssembly module version 1 (a component or a newer format)")
    r = _Reader(data, 8)
    types: list[tuple[list[int], list[int]] | None] = []
    func_types: list[int] = []
    imports: list[tuple[str, str, int]] = []
    memories = mem_min = tables = table_min = 0
    exports: list[tuple[str, int]] = []
    has_start = False
    while r.pos < r.end:
        try:
            sid = r.byte()
            size = r.uleb()
        except _Bad:
            if partial:
                raise _Short() from None
            raise
        if sid == 10:
            partial = False
            break  # code: wasmtime validates the rest
        if size > r.end - r.pos:
            if partial:
                raise _Short()
            raise _Bad(f"section {sid} runs past the end of the module")
        s = _Reader(data, r.pos, r.pos + size)
        r.pos += size
        if sid == 1:
            for _ in range(s.count(1 << 20, "types")):
                form = s.byte()
                if form != 0x60:
                    raise _Bad("uses garbage-collected or recursive types, which plugins may not use")
                params = [s.valtype() for _ in range(s.count(1 << 16, "parameters"))]
                results = [s.valtype() for _ in range(s.count(1 << 16, "results"))]
                types.append((params, results))
        elif sid == 2:
            for _ in range(s.count(MAX_IMPORTS, "imports")):
                mod, name, kind = s.name(), s.name(), s.byte()
                if kind != 0x00:
                    what = {1: "a table", 2: "a memory", 3: "a global", 4: "a tag"}.get(kind, f"kind {kind:#x}")
                    raise _Bad(f'imports {what} ("{mod}" "{name}"); plugins may import functions only')
                imports.append((mod, name, s.uleb()))
        elif sid == 3:
            func_types = [s.uleb() for _ in range(s.count(1 << 20, "functions"))]
        elif sid == 4:
            for _ in range(s.count(1 << 16, "tables")):
                if s.pos < s.end and s.data[s.pos] == 0x40:
                    raise _Bad("declares a table with an initialiser expression, which plugins may not use")
                s.valtype()
                _flags, lo = s.limits()
                tables += 1
                table_min = max(table_min, lo)
            if tables > MAX_TABLES:
                raise _Bad(f"declares {tables} tables (at most {MAX_TABLES})")
        elif sid == 5:
            n = s.count(1 << 16, "memories")
            for _ in range(n):
                flags, lo = s.limits()
                if flags & 0x04:
                    raise _Bad("declares a 64-bit memory, which plugins may not use")
                if flags & 0x02:
                    raise _Bad("declares a shared memory, which plugins may not use")
                mem_min = max(mem_min, lo)
            memories += n
            if memories > 1:
                raise _Bad(f"declares {memories} memories (a plugin may have one)")
        elif sid == 7:
            for _ in range(s.count(MAX_EXPORTS, "exports")):
                name, kind, idx = s.name(), s.byte(), s.uleb()
                if kind == 0x00:
                    exports.append((name, idx))
        elif sid == 8:
            s.uleb()
            has_start = True
    if partial:
        raise _Short()
    sigs = []
    for mod, name, tidx in imports:
        if tidx >= len(types) or types[tidx] is None:
            raise _Bad(f'import "{mod}" "{name}" names a type that does not exist')
        sigs.append(types[tidx])
    for tidx in func_types:
        if tidx >= len(types):
            raise _Bad("a function names a type that does not exist")
    out_imports = []
    for (mod, name, _), (params, results) in zip(imports, sigs):
        _check_import(mod, name, params, results)
        out_imports.append((mod, name, [_KIND[t] for t in params], [_KIND[t] for t in results]))
    out_exports: dict[str, tuple[list[int], list[int]]] = {}
    nimp = len(imports)
    for name, idx in exports:
        if idx < nimp:
            params, results = sigs[idx]
        elif idx - nimp < len(func_types):
            params, results = types[func_types[idx - nimp]]  # type: ignore[misc]
        else:
            raise _Bad(f'export "{name}" names a function that does not exist')
        bad = [t for t in params + results if t not in NUMERIC]
        if bad:
            raise _Bad(f'exported function "{name}" has the signature {_sig_text(params, results)}; '
                       f"{_NAMES.get(bad[0], 'that type')} values cannot cross the plugin ABI")
        out_exports[name] = ([_KIND[t] for t in params], [_KIND[t] for t in results])
    return ModuleInfo(out_imports, out_exports, memories, mem_min, tables, table_min, has_start)


def _check_import(mod: str, name: str, params: list[int], results: list[int]) -> None:
    where = f'import "{mod}" "{name}" {_sig_text(params, results)}'
    if mod not in (KERNEL_MODULE, USER_MODULE, HOST_MODULE, WASI_MODULE):
        raise _Bad(f'{where}: unknown import module "{mod}"')
    if any(t not in _INT for t in params + results) or len(results) > 1:
        raise _Bad(f"{where}: only i32 and i64 values cross the plugin ABI, and at most one result")
    known = KERNEL_IMPORTS if mod == KERNEL_MODULE else HOST_IMPORTS if mod == HOST_MODULE else None
    if known is not None:
        want = known.get(name)
        if want is None:
            raise _Bad(f'{where}: "{mod}" has no function "{name}"')
        if want != (params, results):
            raise _Bad(f"{where}: the ABI's signature is {_sig_text(*want)}")
