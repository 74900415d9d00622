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
from collections.abc import Callable, Sequence
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

# (call(manifests) -> new manifests, close())
Prepared = tuple[Callable[[str], str], Callable[[], None]]


def _failed(name: str, why: str) -> PluginError:
    return PluginError(f'failed to invoke post-renderer plugin "{name}": {why}')


def run(plugin: Plugin, args: Sequence[str], manifests: str, settings: HelmSettings | None = None) -> str:
    """Run a postrenderer/v1 plugin over ``manifests``; returns the new manifests."""
    return prepare(plugin, args, settings)[0](manifests)


def prepare(plugin: Plugin, args: Sequence[str], settings: HelmSettings | None = None) -> Prepared:
    """The plugin ready to run: ``(call, close)``, where ``call(manifests)`` returns the new
    manifests with everything that does not depend on them (command, environment, grant, entry,
    debug) worked out now, and ``close()`` frees what was kept for the calls."""
    # without settings, HELM_DEBUG is all that matters here (cheaper than reading every setting)
    debug = settings.debug if settings is not None else os.environ.get("HELM_DEBUG", "").lower() in ("1", "true")
    if plugin.runtime == "extism/v1":
        return _prepare_wasm(plugin, list(args), debug)
    name = plugin.name
    env = sp.plugin_env(name, plugin.dir)
    entry = sp.select_command(plugin.metadata.runtime_config.get("platformCommand") or [])
    argv = sp.build_argv(entry, env, expand_args=True) + [expand(a, env) for a in args]

    def call(manifests: str) -> str:
        res = sp.run(argv, env, name=name, stdin=manifests.encode(), capture_stdout=True, capture_stderr=True)
        if res.returncode != 0:
            # Helm drops the plugin's stderr; showing it is what the user needs to fix the problem
            detail = res.stderr.decode("utf-8", "replace").strip()
            raise _failed(name, f'plugin "{name}" exited with error' + (f": {detail}" if detail else ""))
        if debug and res.stderr:
            sys.stderr.write(res.stderr.decode("utf-8", "replace"))
        return _nonempty(name, res.stdout.decode("utf-8", "replace"))
    return call, _nothing


def _nothing() -> None:
    pass


def _nonempty(name: str, out: str) -> str:
    # isspace() stops at the first non-blank character; strip() would copy the whole stream
    if not out or out.isspace():
        raise PluginError(f'post-renderer "{name}" produced empty output')
    return out


def _prepare_wasm(plugin: Plugin, args: list[str], debug: bool) -> Prepared:
    from pilothouse.plugin import wasm

    name = plugin.name
    try:
        caps = wasm.granted(plugin)
        if not args and os.environ.get(_FAST_ENV, "").lower() not in ("off", "0", "false", "no"):
            sig = wasm.exports(plugin, FAST_ENTRY, caps)
            if sig is not None:
                return _prepare_fast(plugin, sig, debug, caps)
        bound = wasm.bind(plugin, debug=debug, caps=caps)
    except PluginError as err:
        raise _failed(name, str(err)) from None
    from pilothouse.goyaml.gojson import quote_json_string

    # the message is built around one C-accelerated encoding of the manifests, the only big field;
    # both are encoded as Go's encoding/json does (Helm's InputMessagePostRendererV1)
    tail = b',"extraArgs":' + wasm.go_message_json({"a": list(args)})[5:-1] + b"}"

    def call(manifests: str) -> str:
        try:
            result = bound(b'{"manifests":' + quote_json_string(manifests).encode() + tail)
            wasm.show_stderr(result, debug)
            answer = wasm.decode_json(name, result.output)
        except PluginError as err:
            raise _failed(name, str(err)) from None
        val = wasm.field(answer, "manifests")
        if val is None or val == {}:
            val = ""
        elif not isinstance(val, str):
            raise _failed(name, 'output field "manifests" must be a string')
        return _nonempty(name, val)
    return call, bound.close


def _prepare_fast(plugin: Plugin, sig: tuple[list[int], list[int]], debug: bool,
                  caps: Capabilities) -> Prepared:
    """The YAML in as the call's input, the YAML out as its output (the same sandbox and guards)."""
    from pilothouse.plugin import wasm
    from pilothouse.plugin.runtimes.extism import I32

    if sig != ([], [I32]):
        raise PluginError(f'exported function "{FAST_ENTRY}" must take no parameters and return an i32 status, '
                          "like helm_plugin_main")
    name = plugin.name
    bound = wasm.bind(plugin, entry=FAST_ENTRY, debug=debug, caps=caps)

    def call(manifests: str) -> str:
        try:
            result = bound(manifests.encode())
        except PluginError as err:
            raise _failed(name, str(err)) from None
        if debug and result.stderr:
            wasm.show_stderr(result, debug)
        try:
            out = result.output.decode()
        except UnicodeDecodeError as err:
            raise _failed(name, f'plugin "{name}" returned manifests that are not UTF-8 text: {err}') from None
        return _nonempty(name, out)
    return call, bound.close


def run_executable(path: str, args: Sequence[str], manifests: str) -> str:
    """Helm 3's post-renderer: any executable, manifests on stdin, new manifests on stdout."""
    return prepare_executable(path, args)[0](manifests)


def prepare_executable(path: str, args: Sequence[str]) -> Prepared:
    """`run_executable` ready to run, as `prepare` (the executable is found now)."""
    import shutil

    exe = path if os.sep in path else (shutil.which(path) or path)
    if not os.path.isfile(exe) or not os.access(exe, os.X_OK):
        raise PluginError(f"unable to find binary at {path}: not an executable file")
    argv = [exe, *args]
    env = dict(os.environ)

    def call(manifests: str) -> str:
        res = sp.run(argv, env, name=path, stdin=manifests.encode(), capture_stdout=True, capture_stderr=True)
        if res.returncode != 0:
            detail = res.stderr.decode("utf-8", "replace").strip()
            raise PluginError(f"error while running command {exe}. error output:\n{detail}: exit status "
                              f"{res.returncode}")
        return _nonempty(path, res.stdout.decode("utf-8", "replace"))
    return call, _nothing
