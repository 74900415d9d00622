"""Finding plugins in HELM_PLUGINS, as Helm 4.2 does (`internal/plugin/loader.go`).

Each directory is globbed one level deep for ``*/plugin.yaml`` in lexicographic order. A broken
plugin is skipped with a warning (Helm 4.1.4+/4.2); two plugins claiming one name make the
whole directory unusable, as in Helm.
"""

from __future__ import annotations

import glob
import os
import sys
from dataclasses import dataclass

from pilothouse.errors import PluginError
from pilothouse.plugin.metadata import Metadata, parse


@dataclass
class Plugin:
    """A loaded plugin: its metadata and the directory it lives in (as found, not resolved)."""

    metadata: Metadata
    dir: str

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


def load_dir(plugin_dir: str) -> Plugin:
    """Load the plugin in one directory; raises PluginError when it is broken."""
    path = os.path.join(plugin_dir, "plugin.yaml")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        raise PluginError(f"failed to read plugin metadata {path}: {err.strerror}") from None
    md = parse(data, path)
    if md.runtime == "extism/v1" and not os.path.isfile(os.path.join(plugin_dir, "plugin.wasm")):
        raise PluginError(f"{path}: wasm module not found: {os.path.join(plugin_dir, 'plugin.wasm')}")
    return Plugin(md, plugin_dir)


def _warn(path: str, err: Exception) -> None:
    print(f'level=WARN msg="failed to load plugin (ignoring)" plugin_yaml={path} error="{err}"', file=sys.stderr)


def load_all(directory: str, *, warn: bool = True) -> list[Plugin]:
    """All plugins of one plugins directory; raises PluginError on a duplicate name."""
    found: list[Plugin] = []
    seen: dict[str, str] = {}
    for yaml_path in sorted(glob.glob(os.path.join(glob.escape(directory), "*", "plugin.yaml"))):
        pdir = os.path.dirname(yaml_path)
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
                print(f"Error: {err}", file=sys.stderr)
    return out


def find_plugin(name: str, ptype: str | None = None, dirs: list[str] | None = None) -> Plugin | None:
    """The first plugin with this name (and type); None when there is none."""
    for p in find_plugins(dirs):
        if p.name == name and (ptype is None or p.type == ptype):
            return p
    return None
