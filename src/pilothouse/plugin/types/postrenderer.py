"""``postrenderer/v1``: a plugin that rewrites the rendered manifests (`pkg/postrenderer`).

Subprocess plugins get the manifests on stdin and answer on stdout. Wasm plugins get
``{"manifests": "<YAML stream>", "extraArgs": [...]}`` and answer ``{"manifests": "<YAML>"}``:
the contract Helm intended (Helm 4 as shipped sends ``{}`` for the manifests, so no Wasm
post-renderer works there; see docs/plugins.md).

The fast path: a module that also exports `FAST_ENTRY` (``() -> i32``, like helm_plugin_main)
is called there with the YAML itself as its input and answers YAML, no JSON either way. Helm
only ever calls helm_plugin_main, so one plugin.wasm serves both. The raw entry carries no
arguments: with ``--post-renderer-args`` the JSON entry, which gets them, is called instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pilothouse.errors import PluginError
from pilothouse.plugin.env import HelmSettings
from pilothouse.plugin.expand import expand
from pilothouse.plugin.loader import Plugin
from pilothouse.plugin.runtimes import subprocess as sp

if TYPE_CHECKING:
    from pilothouse.plugin.policy import Capabilities

FAST_ENTRY = "pilothouse_postrender"
# PILOT_PLUGIN_FASTPATH=off makes every Wasm post-renderer use the JSON contract, as Helm does
_FAST_ENV = "PILOT_PLUGIN_FASTPATH"


def _failed(name: str, why: str) -> PluginError:
    return PluginError(f'failed to invoke post-renderer plugin "{name}": {why}')


def run(plugin: Plugin, args: Sequence[str], manifests: str, settings: HelmSettings | None = None) -> str:
    """Run a postrenderer/v1 plugin over ``manifests``; returns the new manifests."""
    # without settings, HELM_DEBUG is all that matters here (cheaper than reading every setting)
    debug = settings.debug if settings is not None else os.environ.get("HELM_DEBUG", "").lower() in ("1", "true")
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

    try:
        if not args and os.environ.get(_FAST_ENV, "").lower() not in ("off", "0", "false", "no"):
            caps = wasm.granted(plugin)
            sig = wasm.exports(plugin, FAST_ENTRY, caps)
            if sig is not None:
                return _run_fast(plugin, sig, manifests, debug, caps)
        # the message built around one C-accelerated encoding of the manifests, the only big field
        message = (b'{"manifests":' + json.dumps(manifests).encode() + b',"extraArgs":' + json.dumps(args).encode()
                   + b"}")
        result = wasm.call(plugin, message, debug=debug)
    except PluginError as err:
        raise _failed(plugin.name, str(err)) from None
    val = wasm.field(result.json, "manifests")
    if val is None or val == {}:
        return ""
    if not isinstance(val, str):
        raise _failed(plugin.name, 'output field "manifests" must be a string')
    return val


def _run_fast(plugin: Plugin, sig: tuple[list[int], list[int]], manifests: str, debug: bool,
              caps: Capabilities) -> str:
    """The YAML in as the call's input, the YAML out as its output (the same sandbox and guards)."""
    from pilothouse.plugin import wasm
    from pilothouse.plugin.runtimes.extism import I32

    if sig != ([], [I32]):
        raise PluginError(f'exported function "{FAST_ENTRY}" must take no parameters and return an i32 status, '
                          "like helm_plugin_main")
    result = wasm.call_raw(plugin, manifests.encode(), entry=FAST_ENTRY, debug=debug, caps=caps)
    try:
        return result.output.decode()
    except UnicodeDecodeError as err:
        raise PluginError(f'plugin "{plugin.name}" returned manifests that are not UTF-8 text: {err}') from None


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
