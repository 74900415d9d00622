"""Finding plugins in HELM_PLUGINS, as Helm 4.2 does (`internal/plugin/loader.go`).

Each directory is globbed one level deep for ``*/plugin.yaml`` in lexicographic order. A broken
plugin is skipped with a warning (Helm 4.1.4+/4.2); two plugins claiming one name make the
whole directory unusable, as in Helm.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from pilothouse.errors import PluginError
from pilothouse.plugin.metadata import Metadata, parse

_INDEX_VERSION = 2  # 2: entries keyed by ctime too (a rewrite that keeps size, mtime and inode)
# bounds of the on-disk index: entries (most recent kept) and the size of one (a larger plugin.yaml
# is simply parsed again each time, at its own cost)
_INDEX_MAX_ENTRIES = 256
_INDEX_MAX_ENTRY_BYTES = 64 << 10


class Plugin:
    """A loaded plugin: its metadata and the directory it lives in (as found, not resolved)."""

    __slots__ = ("metadata", "dir")

    def __init__(self, metadata: Metadata, dir: str) -> None:  # noqa: A002 - Helm's name for it
        self.metadata = metadata
        self.dir = dir

    def __repr__(self) -> str:
        return f"Plugin({self.metadata.name!r}, {self.dir!r})"

    @property
    def name(self) -> str:
        return self.metadata.name

    @property
    def type(self) -> str:
        return self.metadata.type

    @property
    def runtime(self) -> str:
        return self.metadata.runtime

    @property
    def wasm_path(self) -> str:
        return os.path.join(self.dir, "plugin.wasm")


# Parsed plugin.yaml files, by path, valid while the file's size/mtime/inode are unchanged. The
# on-disk copy lets a one-shot `pilot` process find its plugins without loading a YAML parser.
_memo: dict[str, tuple[list[int], dict[str, Any] | str]] = {}
_index: dict[str, Any] | None = None


def _index_path() -> str:
    from pilothouse.plugin.env import cache_home

    return os.path.join(cache_home(), "pilothouse", "plugin-index.json")


def _load_index() -> dict[str, Any]:
    global _index
    if _index is None:
        try:
            with open(_index_path(), encoding="utf-8") as fh:
                _index = json.load(fh)
            if not isinstance(_index, dict) or _index.get("version") != _INDEX_VERSION:
                _index = {"version": _INDEX_VERSION}
        except (OSError, ValueError, RecursionError):
            _index = {"version": _INDEX_VERSION}
    return _index


def _save_index(index: dict[str, Any]) -> None:
    path = _index_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(index, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # only a cache


def _prune(index: dict[str, Any]) -> None:
    """Keep the index bounded: entries of files that are gone are dropped, then the oldest."""
    paths = [k for k in index if k != "version"]
    for p in paths:
        if not os.path.exists(p):
            del index[p]
    paths = [k for k in index if k != "version"]
    for p in paths[: max(0, len(paths) - _INDEX_MAX_ENTRIES)]:
        del index[p]


def _read_error(path: str, err: OSError) -> PluginError:
    """Helm's LoadDir wording: ``failed to read plugin at "PATH": open PATH: no such file or directory``."""
    from pilothouse.gotemplate.gostrconv import quote

    reason = (err.strerror or str(err)).lower()
    return PluginError(f"failed to read plugin at {quote(path)}: open {path}: {reason}")


def read_metadata(path: str) -> Metadata:
    """The metadata in a plugin.yaml, parsed once per version of the file."""
    try:
        st = os.stat(path)
    except OSError as err:
        raise _read_error(path, err) from None
    key = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]
    hit = _memo.get(path)
    if hit is None or hit[0] != key:
        index = _load_index()
        entry = index.get(path)
        if (isinstance(entry, dict) and entry.get("key") == key and isinstance(entry.get("md"), (dict, str))
                and (isinstance(entry["md"], str) or set(entry["md"]) == set(Metadata.FIELDS))):
            hit = (key, entry["md"])
        else:
            try:
                from pilothouse.plugin.metadata import MAX_METADATA_BYTES

                with open(path, "rb") as fh:
                    data = fh.read(MAX_METADATA_BYTES + 1)  # parse() refuses it when it is longer
                result: dict[str, Any] | str = parse(data, path).record()
            except PluginError as err:
                result = str(err)
            except OSError as err:
                raise _read_error(path, err) from None
            hit = (key, result)
            index.pop(path, None)  # re-inserted last: the index keeps the most recent entries
            if len(json.dumps(result)) <= _INDEX_MAX_ENTRY_BYTES:
                index[path] = {"key": key, "md": result}
            _prune(index)
            _save_index(index)
        _memo[path] = hit
    if isinstance(hit[1], str):
        raise PluginError(hit[1])
    # shared with the memo: metadata is treated as read-only everywhere
    return Metadata(**hit[1])


def load_dir(plugin_dir: str) -> Plugin:
    """Load the plugin in one directory; raises PluginError when it is broken."""
    path = os.path.join(plugin_dir, "plugin.yaml")
    md = read_metadata(path)
    if md.runtime == "extism/v1" and not os.path.isfile(os.path.join(plugin_dir, "plugin.wasm")):
        raise PluginError(f"{path}: wasm module not found: {os.path.join(plugin_dir, 'plugin.wasm')}")
    return Plugin(md, plugin_dir)


def _warn(path: str, err: Exception) -> None:
    from pilothouse.plugin.safetext import escape

    print(f'level=WARN msg="failed to load plugin (ignoring)" plugin_yaml={escape(path)} error="{escape(err)}"',
          file=sys.stderr)


def load_all(directory: str, *, warn: bool = True) -> list[Plugin]:
    """All plugins of one plugins directory; raises PluginError on a duplicate name."""
    found: list[Plugin] = []
    seen: dict[str, str] = {}
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    for entry in names:
        pdir = os.path.join(directory, entry)
        yaml_path = os.path.join(pdir, "plugin.yaml")
        if entry.startswith(".") and not os.path.exists(yaml_path):
            continue
        if not os.path.isfile(yaml_path):
            continue
        try:
            plugin = load_dir(pdir)
        except PluginError as err:
            if warn:
                _warn(yaml_path, err)
            continue
        if plugin.name in seen:
            raise PluginError(f'two plugins claim the name "{plugin.name}" at "{seen[plugin.name]}" and "{pdir}"')
        seen[plugin.name] = pdir
        found.append(plugin)
    return found


def find_plugins(dirs: list[str] | None = None, *, warn: bool = True) -> list[Plugin]:
    """Plugins across the HELM_PLUGINS list; a directory with duplicate names contributes none."""
    from pilothouse.plugin.env import plugin_dirs

    out: list[Plugin] = []
    for d in plugin_dirs() if dirs is None else dirs:
        try:
            out.extend(load_all(d, warn=warn))
        except PluginError as err:
            if warn:
                from pilothouse.plugin.safetext import escape

                print(f"Error: {escape(err)}", file=sys.stderr)
    return out


def find_plugin(name: str, ptype: str | None = None, dirs: list[str] | None = None) -> Plugin | None:
    """The first plugin with this name (and type); None when there is none."""
    for p in find_plugins(dirs):
        if p.name == name and (ptype is None or p.type == ptype):
            return p
    return None
