"""``postrenderer/v1``: a plugin that rewrites the rendered manifests (`pkg/postrenderer`).

Subprocess plugins get the manifests on stdin and answer on stdout. Wasm plugins get
``{"manifests": "<YAML stream>", "extraArgs": [...]}`` and answer ``{"manifests": "<YAML>"}``:
the contract Helm intended (Helm 4 as shipped sends ``{}`` for the manifests, so no Wasm
post-renderer works there; see docs/plugins.md).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from pilothouse.errors import PluginError
from pilothouse.plugin.env import HelmSettings
from pilothouse.plugin.expand import expand
from pilothouse.plugin.loader import Plugin
from pilothouse.plugin.runtimes import subprocess as sp


def _failed(name: str, why: str) -> PluginError:
    return PluginError(f'failed to invoke post-renderer plugin "{name}": {why}')


def run(plugin: Plugin, args: Sequence[str], manifests: str, settings: HelmSettings | None = None) -> str:
    """Run a postrenderer/v1 plugin over ``manifests``; returns the new manifests."""
    debug = bool(settings and settings.debug)
    if plugin.runtime == "extism/v1":
        out = _run_wasm(plugin, list(args), manifests, debug)
    else:
        env = sp.plugin_env(plugin.name, plugin.dir)
        entry = sp.select_command(plugin.metadata.runtime_config.get("platformCommand") or [])
        argv = sp.build_argv(entry, env, expand_args=True) + [expand(a, env) for a in args]
        res = sp.run(argv, env, name=plugin.name, stdin=manifests.encode(), capture_stdout=True,
                     capture_stderr=True)
        if res.returncode != 0:
            # Helm drops the plugin's stderr; showing it is what the user needs to fix the problem
            detail = res.stderr.decode("utf-8", "replace").strip()
            raise _failed(plugin.name, f'plugin "{plugin.name}" exited with error'
                          + (f": {detail}" if detail else ""))
        if debug and res.stderr:
            sys.stderr.write(res.stderr.decode("utf-8", "replace"))
        out = res.stdout.decode("utf-8", "replace")
    if not out.strip():
        raise PluginError(f'post-renderer "{plugin.name}" produced empty output')
    return out


def _run_wasm(plugin: Plugin, args: list[str], manifests: str, debug: bool) -> str:
    import json

    from pilothouse.plugin import wasm

    # the message built around one C-accelerated encoding of the manifests, the only big field
    message = b'{"manifests":' + json.dumps(manifests).encode() + b',"extraArgs":' + json.dumps(args).encode() + b"}"
    try:
        result = wasm.call(plugin, message, debug=debug)
    except PluginError as err:
        raise _failed(plugin.name, str(err)) from None
    val = wasm.field(result.json, "manifests")
    if val is None or val == {}:
        return ""
    if not isinstance(val, str):
        raise _failed(plugin.name, 'output field "manifests" must be a string')
    return val


def run_executable(path: str, args: Sequence[str], manifests: str) -> str:
    """Helm 3's post-renderer: any executable, manifests on stdin, new manifests on stdout."""
    import shutil

    exe = path if os.sep in path else (shutil.which(path) or path)
    if not os.path.isfile(exe) or not os.access(exe, os.X_OK):
        raise PluginError(f"unable to find binary at {path}: not an executable file")
    res = sp.run([exe, *args], os.environ, name=path, stdin=manifests.encode(), capture_stdout=True,
                 capture_stderr=True)
    if res.returncode != 0:
        detail = res.stderr.decode("utf-8", "replace").strip()
        raise PluginError(f"error while running command {exe}. error output:\n{detail}: exit status {res.returncode}")
    out = res.stdout.decode("utf-8", "replace")
    if not out.strip():
        raise PluginError(f'post-renderer "{path}" produced empty output')
    return out
