"""Running a plugin's Wasm module with the capabilities the policy grants it.

This is the glue between a plugin type (which builds the JSON message) and the ``extism/v1``
runtime (which runs it): it asks `policy` what the plugin is given and imports the runtime, and
with it wasmtime, only when a Wasm plugin is really called.
"""

from __future__ import annotations

import json
import os
from typing import Any

from pilothouse.errors import PluginError
from pilothouse.plugin import policy
from pilothouse.plugin.loader import Plugin

_grants: dict[tuple[Any, ...], policy.Capabilities] = {}


def granted(plugin: Plugin) -> policy.Capabilities:
    """The capabilities this plugin runs with (worked out again when plugin.yaml or the policy change)."""
    user = policy.load_user_config()
    key = (plugin.name, plugin.dir, json.dumps(plugin.metadata.runtime_config, sort_keys=True),
           json.dumps(user, sort_keys=True))
    caps = _grants.get(key)
    if caps is None:
        req = policy.requested(plugin.metadata.runtime_config, os.path.join(plugin.dir, "plugin.yaml"), plugin.dir)
        caps = _grants[key] = policy.grant(plugin.name, req, user)
    return caps


def bind(plugin: Plugin, *, entry: str | None = None, context_env: dict[str, str] | None = None,
         inherit_stdin: bool = False, passthrough: bool = False, debug: bool = False,
         caps: policy.Capabilities | None = None) -> Any:
    """The plugin's entry function (or ``entry``) bound to its module, grant and environment.

    Returns an `extism.Bound`: calling it with input bytes runs one call under every guard of the
    sandbox (grant, error_set, non-zero result, traps, output cap). ``caps`` is
    `granted(plugin)` when the caller has it already.
    """
    from pilothouse.plugin.runtimes import extism

    caps = caps if caps is not None else granted(plugin)
    env = policy.wasi_env(caps, plugin.type, context_env or {})
    # Helm's only debugging aid for Wasm plugins: their stdout/stderr on the terminal
    passthrough = passthrough or bool(os.environ.get("EXTISM_ENABLE_WASI_OUTPUT"))
    entry = entry or str(plugin.metadata.runtime_config.get("entryFuncName") or "helm_plugin_main")
    return extism.Bound(plugin.name, plugin.wasm_path, caps, plugin.type, entry=entry, env=env,
                        inherit_stdin=inherit_stdin, passthrough=passthrough, debug=debug)


def show_stderr(result: Any, debug: bool) -> None:
    """With --debug, what the plugin wrote to its stderr goes to ours."""
    if debug and result.stderr:
        import sys

        sys.stderr.write(result.stderr.decode("utf-8", "replace"))


def call_raw(plugin: Plugin, data: bytes, *, entry: str | None = None, context_env: dict[str, str] | None = None,
             inherit_stdin: bool = False, passthrough: bool = False, debug: bool = False,
             caps: policy.Capabilities | None = None) -> Any:
    """Call the plugin's entry function (or ``entry``) with ``data`` as its input, as it is.

    Returns the `CallResult`; its ``.output`` is the plugin's output bytes, undecoded. Every
    guard of the sandbox applies (grant, error_set, non-zero result, traps, output cap).
    ``caps`` is `granted(plugin)` when the caller has it already.
    """
    result = bind(plugin, entry=entry, context_env=context_env, inherit_stdin=inherit_stdin,
                  passthrough=passthrough, debug=debug, caps=caps)(data)
    show_stderr(result, debug)
    return result


def exports(plugin: Plugin, name: str, caps: policy.Capabilities | None = None) -> tuple[list[int], list[int]] | None:
    """(params, results) of the function ``name`` the plugin's module exports, or None."""
    from pilothouse.plugin.runtimes import extism

    return extism.exported_func(plugin.wasm_path, caps if caps is not None else granted(plugin), name)


def call(plugin: Plugin, message: dict[str, Any] | bytes, *, context_env: dict[str, str] | None = None,
         inherit_stdin: bool = False, passthrough: bool = False, debug: bool = False) -> Any:
    """Send ``message`` (JSON, or already encoded JSON bytes) to the plugin's entry function and
    decode its JSON answer.

    Returns the `CallResult` with ``.json`` set to the decoded output.
    """
    data = message if isinstance(message, bytes) else go_message_json(message)
    result = call_raw(plugin, data, context_env=context_env, inherit_stdin=inherit_stdin, passthrough=passthrough,
                      debug=debug)
    result.json = decode_json(plugin.name, result.output)
    return result


def go_message_json(message: dict[str, Any]) -> bytes:
    """A message as Helm's encoding/json writes the Go struct it is: compact, HTML characters and
    U+2028/2029 escaped, fields in declaration order (the order the message's dicts were built in)."""
    from pilothouse.release.gojson import Struct, encode

    def as_struct(value: Any) -> Any:
        if isinstance(value, dict):
            return Struct((str(k), as_struct(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return [as_struct(v) for v in value]
        return value

    return encode(as_struct(message)).encode()


def decode_json(name: str, output: bytes) -> dict[str, Any]:
    """A plugin's output as the JSON object the contract asks for; PluginError otherwise."""
    try:
        # str is parsed faster than bytes (which json decodes with an error handler first)
        decoded = json.loads(output.decode()) if output and not output.isspace() else None
    except ValueError as err:
        raise PluginError(f'plugin "{name}" returned output that is not JSON: {err}') from None
    except RecursionError:
        # the decoder's depth is bounded by the interpreter's recursion limit: past it, an error
        raise PluginError(f'plugin "{name}" returned JSON nested too deeply') from None
    if decoded is None:
        raise PluginError(f'plugin "{name}" returned no output (expected a JSON object)')
    if not isinstance(decoded, dict):
        raise PluginError(f'plugin "{name}" returned {type(decoded).__name__} JSON, expected an object')
    return decoded


def field(obj: dict[str, Any], name: str) -> Any:
    """A JSON field matched case-insensitively, as Go's encoding/json matches struct fields."""
    if name in obj:
        return obj[name]
    low = name.lower()
    for k, v in obj.items():
        if k.lower() == low:
            return v
    return None
