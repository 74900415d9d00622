"""``values/v1``: values providers, resolving ``ref+SCHEME://...`` strings at render time.

A string value of the form ``ref+SCHEME://REST`` (the convention of helmfile's vals) is replaced,
for rendering only, by what the ``values/v1`` plugin that declares ``SCHEME`` in
``config.schemes`` answers. The plugin runs in the sandbox with the hosts and credentials it was
granted. It gets every reference of its scheme in one call::

    {"apiVersion": "values/v1", "references": ["ref+vault://secret/data/app#password", ...]}

and answers ``{"values": {"ref+vault://secret/data/app#password": "s3cr3t", ...}}``. A reference
it leaves out is an error. The release record keeps the references (the actions store the user's
values, not the resolved ones). A scheme no installed plugin declares is left as it is: the
string renders literally, as it does in Helm.
"""

from __future__ import annotations

import re
from typing import Any

from pilothouse.errors import PluginError

PREFIX = "ref+"
_REF = re.compile(r"^ref\+([a-z][a-z0-9+.-]{0,31})://")
MAX_REFERENCES = 10000
MAX_VALUE = 1 << 20


def _walk(obj: Any, found: list[str], depth: int = 0) -> None:
    if depth > 200:
        return
    if isinstance(obj, str):
        if obj.startswith(PREFIX):
            found.append(obj)
    elif isinstance(obj, dict):
        for v in obj.values():
            _walk(v, found, depth + 1)
    elif isinstance(obj, list):
        for v in obj:
            _walk(v, found, depth + 1)


def references(values: Any) -> list[str]:
    """Every ``ref+SCHEME://`` string in ``values`` (each once, in first-seen order)."""
    found: list[str] = []
    _walk(values, found)
    return [r for r in dict.fromkeys(found) if _REF.match(r)]


def _replace(obj: Any, table: dict[str, str], depth: int = 0) -> Any:
    if isinstance(obj, str):
        return table.get(obj, obj)
    if depth > 200:
        return obj
    if isinstance(obj, dict):
        return {k: _replace(v, table, depth + 1) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_replace(v, table, depth + 1) for v in obj]
    return obj


def providers() -> dict[str, Any]:
    """scheme → the installed ``values/v1`` plugin that declares it (the first found)."""
    from pilothouse.plugin.loader import find_plugins

    out: dict[str, Any] = {}
    for p in find_plugins():
        if p.type != "values/v1":
            continue
        for s in p.metadata.config.get("schemes") or []:
            if isinstance(s, str):
                out.setdefault(s, p)
    return out


def resolve(refs: list[str]) -> dict[str, str]:
    """reference → plaintext for those whose scheme has a provider (the others are left out)."""
    if len(refs) > MAX_REFERENCES:
        raise PluginError(f"values: more than {MAX_REFERENCES} references to resolve")
    by_scheme: dict[str, list[str]] = {}
    for r in refs:
        m = _REF.match(r)
        if m:
            by_scheme.setdefault(m.group(1), []).append(r)
    if not by_scheme:
        return {}
    provs = providers()
    table: dict[str, str] = {}
    for scheme, group in by_scheme.items():
        plugin = provs.get(scheme)
        if plugin is None:
            continue
        table.update(_call(plugin, scheme, group))
    return table


def _call(plugin: Any, scheme: str, refs: list[str]) -> dict[str, str]:
    from pilothouse.plugin import wasm

    name = plugin.name
    if plugin.runtime != "extism/v1":
        raise PluginError(f'values plugin "{name}" must be a Wasm plugin (runtime extism/v1)')
    try:
        answer = wasm.call(plugin, {"apiVersion": "values/v1", "scheme": scheme, "references": refs}).json
    except PluginError as err:
        raise PluginError(f'values plugin "{name}" failed to resolve {scheme} references: {err}') from None
    got = wasm.field(answer, "values")
    if not isinstance(got, dict):
        raise PluginError(f'values plugin "{name}" answered without a "values" object')
    out: dict[str, str] = {}
    for r in refs:
        val = got.get(r)
        if val is None:
            raise PluginError(f'values plugin "{name}" did not resolve {_redact(r)}')
        if not isinstance(val, str) or len(val) > MAX_VALUE:
            raise PluginError(f'values plugin "{name}" returned an invalid value for {_redact(r)}')
        out[r] = val
    return out


def _redact(ref: str) -> str:
    return ref if len(ref) <= 200 else ref[:200] + "..."


def resolve_references(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every resolvable reference replaced (the same object when there is none)."""
    refs = references(values)
    if not refs:
        return values
    table = resolve(refs)
    return _replace(values, table) if table else values
