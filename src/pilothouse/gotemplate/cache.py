"""The persistent compile cache: compiled templates kept on disk between processes.

Parsing and compiling a template costs far more than running it, and a one-shot ``pilot
template`` would otherwise pay it for every template of a chart on every run. An entry holds the
marshalled byte code of one parse, the names of the templates it defines with their emptiness,
the functions it uses (for the parse-time "function not defined" check), and a recipe for each
global the code expects. Nodes (which errors point at) are not stored: a recipe names a node by
its index in the tree, and the tree is parsed again from the source text only when an error
needs it. Literal operands, which calls inspect on every run, are stored whole.

Entries are keyed by a hash of the source text, the delimiters, the break/continue and and/or
flags, the engine's own source and the Python byte-code magic, and live in
``$PILOTHOUSE_CACHE_DIR/templates`` or else ``$XDG_CACHE_HOME/pilothouse/templates``
(``~/.cache`` by default); ``PILOTHOUSE_CACHE_DIR=`` (empty) turns the cache off. A broken, foreign or unreadable
entry is ignored and rebuilt, writes are atomic (temporary file, then rename), and a cache
directory that cannot be read or written only costs time. Entries hold code that will run, so
only files owned by the current user are read.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from typing import Any

from . import runtime as rt
from .nodes import BoolNode, NilNode, Node, NumberNode, StringNode

_MAGIC = b"PHTPL\x00\x00\x04"
_DIGEST = 16
# The engine files whose changes can change what is generated or how it runs.
_ENGINE_FILES = ("lexer.py", "parser.py", "nodes.py", "compiler.py", "runtime.py", "cache.py")

_UID = os.getuid() if hasattr(os, "getuid") else None
_engine_tag: bytes | None = None
_dir_cache: tuple[str | None, str | None, str | None, str | None] | None = None


def cache_dir() -> str | None:
    """The directory holding compiled templates, or None when caching is turned off."""
    global _dir_cache
    env = os.environ.get("PILOTHOUSE_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME")
    home = os.environ.get("HOME")
    if _dir_cache is not None and _dir_cache[:3] == (env, xdg, home):
        return _dir_cache[3]
    if env is not None:
        path = os.path.join(env, "templates") if env else None
    else:
        base = xdg if xdg and os.path.isabs(xdg) else os.path.join(home or os.path.expanduser("~"), ".cache")
        # without a home directory there is no sensible place: do not cache
        path = os.path.join(base, "pilothouse", "templates") if os.path.isabs(base) else None
    _dir_cache = (env, xdg, home, path)
    return path


def engine_tag() -> bytes:
    """A digest of the engine's own source files and the Python byte-code format."""
    global _engine_tag
    if _engine_tag is None:
        import importlib.util

        h = hashlib.blake2b(digest_size=16)
        h.update(importlib.util.MAGIC_NUMBER)
        h.update(sys.version.encode())
        here = os.path.dirname(os.path.abspath(__file__))
        names = list(_ENGINE_FILES)
        # The string and number literal decoder (strconv) feeds its results into the code too.
        names += sorted(f for f in os.listdir(here) if "strconv" in f and f.endswith(".py"))
        for name in names:
            try:
                with open(os.path.join(here, name), "rb") as fh:
                    h.update(name.encode() + b"\0" + fh.read())
            except OSError:
                h.update(name.encode() + b"\0missing")
        _engine_tag = h.digest()
    return _engine_tag


def entry_key(text: str, left: str, right: str, flags: tuple[bool, ...]) -> str:
    """The file name of the entry for one text parsed with these options."""
    h = hashlib.blake2b(digest_size=20)
    h.update(engine_tag())
    h.update(f"{left}\0{right}\0{''.join('1' if f else '0' for f in flags)}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# -- reading and writing files -----------------------------------------------------------------


def read_entry(key: str) -> Any:
    """The stored payload for `key`, or None if absent, unreadable or corrupt."""
    d = cache_dir()
    if d is None:
        return None
    try:
        with open(os.path.join(d, key[:2], key), "rb") as fh:
            # an entry is code this process will run: only take our own
            if _UID is not None and os.fstat(fh.fileno()).st_uid != _UID:
                return None
            data = fh.read()
    except OSError:
        return None
    head = len(_MAGIC) + _DIGEST
    if len(data) < head or not data.startswith(_MAGIC):
        return None
    payload = memoryview(data)[head:]
    if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != data[len(_MAGIC) : head]:
        return None
    enabled = gc.isenabled()
    gc.disable()  # see `load`
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    finally:
        if enabled:
            gc.enable()


def write_entry(key: str, payload: Any) -> None:
    """Store `payload` (marshal-able) under `key`; failures are silent."""
    d = cache_dir()
    if d is None:
        return
    try:
        data = marshal.dumps(payload)
    except ValueError:
        return
    blob = _MAGIC + hashlib.blake2b(data, digest_size=_DIGEST).digest() + data
    sub = os.path.join(d, key[:2])
    path = os.path.join(sub, key)
    tmp = f"{path}.{os.getpid()}.{id(blob):x}.tmp"
    try:
        os.makedirs(sub, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


# -- the entry's contents ----------------------------------------------------------------------

# An entry's globals are rebuilt from a table of recipes, in order; a recipe names the objects
# it is made of by their place in the table, so a node or tuple used by several globals is
# stored and rebuilt once. Tags: a value stored as is, a node named by its index in the tree, a
# literal node stored whole, a tuple, a call site, and the invalid value.
_VAL, _NODE, _LIT, _TUPLE, _SITE, _NOVALUE = range(6)
_LIT_CLASSES: tuple[type[Node], ...] = (NumberNode, StringNode, BoolNode, NilNode)
_PLAIN = (str, int, float, complex, bool)


def dump(
    name: str,
    trees: dict[str, Any],
    empty: dict[str, bool],
    used_funcs: frozenset[str],
    unit: Any,
) -> Any:
    """The marshal-able payload for one parse (None if it cannot be stored).

    `trees` is what the parser returned, `unit` the compiler's `CompiledUnit` for it.
    """
    from .nodes import iter_nodes

    tree_names = tuple(None if not t.defined else tname for tname, t in trees.items())
    if name in tree_names:
        return None  # a {{define}} of the text's own name: what it means depends on the name
    index = {id(n): i for i, n in enumerate(iter_nodes(trees))}
    tree_no = {id(t): i for i, t in enumerate(trees.values())}
    table: list[tuple[Any, ...]] = []
    seen: dict[int, int] = {}

    lit_no = {cls: i for i, cls in enumerate(_LIT_CLASSES)}
    site_type = rt.CallSite

    def ref(obj: Any) -> int:
        key = id(obj)
        i = seen.get(key)
        if i is not None:
            return i
        t = type(obj)
        r: tuple[Any, ...]
        if t in lit_no:
            data = tuple([getattr(obj, s) for s in t.__slots__])
            r = (_LIT, tree_no[id(obj.tree)], lit_no[t], obj.pos, data)
        elif key in index:
            r = (_NODE, index[key])
        elif t is site_type:
            r = (_SITE, obj.name, ref(obj.argnodes), ref(obj.vnodes), ref(obj.cmd), ref(obj.ident), ref(obj.fnode))
        elif t is tuple:
            if all(type(x) in _PLAIN for x in obj):
                r = (_VAL, obj)
            else:
                r = (_TUPLE, tuple([ref(x) for x in obj]))
        elif obj is rt.NOVALUE:
            r = (_NOVALUE,)
        elif t in _PLAIN:
            r = (_VAL, obj)
        else:
            raise ValueError(f"cannot store {obj!r}")
        table.append(r)
        seen[key] = len(table) - 1
        return len(table) - 1

    try:
        consts = tuple((k, ref(v)) for k, v in unit.consts.items())
    except (ValueError, KeyError):
        return None
    return (
        tree_names,
        tuple(empty[t] for t in trees),
        tuple(unit.fnames[t] for t in trees),
        tuple(sorted(used_funcs)),
        unit.code,
        tuple(table),
        consts,
    )


class Loaded:
    """One parse rebuilt from a cache entry: what `TemplateSet` keeps of a parse."""

    __slots__ = ("empty", "compiled", "used_funcs")

    def __init__(
        self, empty: dict[str, bool], compiled: dict[str, Callable[..., Any]], used_funcs: frozenset[str]
    ) -> None:
        self.empty = empty
        self.compiled = compiled
        self.used_funcs = used_funcs


def load(payload: Any, name: str, text: str, reparse: Callable[[], dict[str, Any]]) -> Loaded | None:
    """Rebuild a parse from a payload; None if the payload is not one `dump` made.

    `reparse` parses the text again (without the function check); it runs only if an error
    needs a node that was not stored.
    """
    # Rebuilding allocates many small objects and no garbage: the collector's passes over
    # them meanwhile would be wasted.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(payload, name, text, reparse)
    finally:
        if enabled:
            gc.enable()


def _load(payload: Any, name: str, text: str, reparse: Callable[[], dict[str, Any]]) -> Loaded | None:
    try:
        tree_names, empties, fnames, used, code, table, consts = payload
        names = [name if t is None else t for t in tree_names]
        if len(set(names)) != len(names):
            return None
        unit = _Unit(reparse)
        infos = [_TreeInfo(n, name, text) for n in names]
        built = _build(table, unit, infos)
        bound = {k: built[i] for k, i in consts}
        compiled = rt.instantiate(code, dict(zip(names, fnames, strict=True)), bound)
        return Loaded(dict(zip(names, empties, strict=True)), compiled, frozenset(used))
    except Exception:  # a foreign or damaged payload is a cache miss  # noqa: BLE001
        return None


def _build(table: tuple[tuple[Any, ...], ...], unit: _Unit, infos: list[_TreeInfo]) -> list[Any]:
    built: list[Any] = []
    add = built.append
    call_site = rt.CallSite
    for r in table:
        tag = r[0]
        if tag == _NODE:
            add(NodeRef(unit, r[1]))
        elif tag == _VAL:
            add(r[1])
        elif tag == _SITE:
            add(call_site(r[1], built[r[2]], built[r[3]], built[r[4]], built[r[5]], built[r[6]]))
        elif tag == _TUPLE:
            add(tuple([built[j] for j in r[1]]))
        elif tag == _LIT:
            _, tno, cls_no, pos, data = r
            cls = _LIT_CLASSES[cls_no]
            n = cls.__new__(cls)
            n.tree = infos[tno]
            n.pos = pos
            for slot, v in zip(cls.__slots__, data, strict=True):
                setattr(n, slot, v)
            add(n)
        elif tag == _NOVALUE:
            add(rt.NOVALUE)
        else:
            raise ValueError(f"bad recipe tag {tag!r}")
    return built


class _TreeInfo:
    """What an error message needs of a tree: its name, the parse name and the source text."""

    __slots__ = ("name", "parse_name", "text")

    def __init__(self, name: str, parse_name: str, text: str) -> None:
        self.name = name
        self.parse_name = parse_name
        self.text = text


class _Unit:
    """The nodes of one cached parse, parsed again on first need."""

    __slots__ = ("_reparse", "_nodes")

    def __init__(self, reparse: Callable[[], dict[str, Any]]) -> None:
        self._reparse = reparse
        self._nodes: list[Node] | None = None

    def node(self, i: int) -> Node:
        if self._nodes is None:
            from .nodes import iter_nodes

            self._nodes = iter_nodes(self._reparse())
        return self._nodes[i]


class NodeRef:
    """Stands for a parse node of a cached template; the node is rebuilt when first used.

    Only error paths look into non-literal nodes, so a render that succeeds never parses.
    """

    __slots__ = ("_unit", "_i")
    is_literal = False

    def __init__(self, unit: _Unit, i: int) -> None:
        self._unit = unit
        self._i = i

    def resolve(self) -> Node:
        """The node itself."""
        return self._unit.node(self._i)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            # private and special names are this object's own (copy and pickle look for them)
            raise AttributeError(attr)
        return getattr(self._unit.node(self._i), attr)

    def __str__(self) -> str:
        return self.resolve().string()

    def __repr__(self) -> str:
        return f"NodeRef({self._i})"
