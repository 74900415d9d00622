"""``policy/v1``: a gate over the rendered manifests, run before anything is written.

The actions call a `Gate` once per operation, after post-rendering, with the documents and the
release. Each chosen plugin gets::

    {"apiVersion": "policy/v1",
     "release": {"name", "namespace", "revision", "operation": install|upgrade|rollback,
                 "command": template|install|upgrade|rollback,
                 "chart": {"name", "version", "appVersion"}},
     "documents": [{"index": 0, "source": "chart/templates/x.yaml", "object": {...}}, ...],
     "config": {...}}

and answers ``{"allow": true|false, "violations": [{"document": 0, "path": "spec.x", "message":
"...", "severity": "error"|"warning"|"info"}]}``. Violations print one per line, like a
linter's; a deny stops the operation (exit code 1) unless the mode is ``audit``.

Plugins are chosen with ``--policy NAME`` (repeatable) or, for every operation of a user, in the
plugin settings (``policies: [NAME, ...]`` at the top level of plugins.yaml).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import IO, Any

from pilothouse.errors import PilothouseError, PluginError

SEVERITIES = ("error", "warning", "info")
MODES = ("enforce", "audit")
MAX_VIOLATIONS = 10000


class PolicyDenied(PilothouseError):
    """A policy plugin denied the operation."""


class Violation:
    """One finding of a policy plugin."""

    __slots__ = ("plugin", "source", "kind", "name", "path", "message", "severity")

    def __init__(self, plugin: str, source: str, kind: str, name: str, path: str, message: str,
                 severity: str) -> None:
        self.plugin, self.source, self.kind, self.name = plugin, source, kind, name
        self.path, self.message, self.severity = path, message, severity

    def line(self) -> str:
        """``source: path: severity: message (Kind/name, policy NAME)``: the linter's line."""
        what = f"{self.kind}/{self.name}" if self.kind else "document"
        return (f"{self.source or '<unknown>'}: {self.path or '.'}: {self.severity}: {self.message} "
                f"({what}, policy {self.plugin})")

    def as_dict(self) -> dict[str, str]:
        return {"plugin": self.plugin, "source": self.source, "kind": self.kind, "name": self.name,
                "path": self.path, "message": self.message, "severity": self.severity}


class Result:
    """What every policy said about one operation."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self.denied_by: list[str] = []

    @property
    def allowed(self) -> bool:
        return not self.denied_by


def chosen(names: Sequence[str] = ()) -> list[str]:
    """The policies for this operation: ``--policy`` names, then the user's always-on ones."""
    from pilothouse.plugin.env import config_home

    out = list(dict.fromkeys(names))
    # no policy file (the usual case): the policy module and its imports need not be loaded
    if not os.path.exists(os.path.join(config_home(), "pilothouse", "plugins.yaml")):
        return out
    from pilothouse.plugin import policy

    always = policy.load_user_config().get("policies") or []
    if isinstance(always, list):
        out.extend(n for n in always if isinstance(n, str) and n not in out)
    return out


def _documents(docs: Sequence[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The documents as objects: (source, text) pairs are parsed; (source, text, data) triples
    carry the document the manifest sorter decoded already (as sigs.k8s.io/yaml does, the JSON
    the API server is sent), reused after turning whole floats back into the integers Go's JSON
    encoding would write."""
    from pilothouse.kube.resources import parse_documents

    out = []
    for source, text, *parsed in docs:
        data = parsed[0] if parsed else None
        if isinstance(data, dict) and not str(data.get("kind") or "").endswith("List"):
            objs = [_ints(data)]
        else:
            try:
                objs = parse_documents(text)
            except PilothouseError:
                objs = []
        for obj in objs:
            out.append({"index": len(out), "source": source, "object": obj})
    return out


def _ints(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 63:
        return int(v)
    if isinstance(v, dict):
        return {k: _ints(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_ints(x) for x in v]
    return v


REDACTED = "(redacted)"


def _redacted(plugin: Any, documents: list[dict[str, Any]], namespace: str) -> list[dict[str, Any]]:
    """The documents with the values of every Secret's data and stringData replaced (keys kept),
    unless the plugin's grant has a kube rule that names secrets: a gate sees what it checks,
    not the credentials it could carry away."""
    from pilothouse.plugin import grants, wasm

    if not any(str(d["object"].get("kind")) == "Secret" for d in documents):
        return documents
    if plugin.runtime == "extism/v1" and grants.kube_allows(wasm.granted(plugin).host_api, "get", "",
                                                            grants.SECRETS, namespace):
        return documents
    out = []
    for d in documents:
        obj = d["object"]
        if str(obj.get("kind")) == "Secret":
            obj = dict(obj)
            for key in ("data", "stringData"):
                if isinstance(obj.get(key), dict):
                    obj[key] = {k: REDACTED for k in obj[key]}
            d = {**d, "object": obj}
        out.append(d)
    return out


def _run_one(plugin: Any, message: bytes, docs: list[dict[str, Any]], result: Result) -> None:
    from pilothouse.plugin import wasm

    name = plugin.name
    if plugin.runtime != "extism/v1":
        raise PluginError(f'policy plugin "{name}" must be a Wasm plugin (runtime extism/v1)')
    try:
        answer = wasm.call(plugin, message).json
    except PluginError as err:
        raise PluginError(f'policy plugin "{name}" failed: {err}') from None
    allow = wasm.field(answer, "allow")
    if not isinstance(allow, bool):
        raise PluginError(f'policy plugin "{name}" answered without a boolean "allow"')
    raw = wasm.field(answer, "violations") or []
    if not isinstance(raw, list):
        raise PluginError(f'policy plugin "{name}": "violations" must be a list')
    for v in raw[:MAX_VIOLATIONS]:
        if not isinstance(v, dict):
            raise PluginError(f'policy plugin "{name}": each violation must be an object')
        idx = v.get("document")
        doc = docs[idx] if isinstance(idx, int) and not isinstance(idx, bool) and 0 <= idx < len(docs) else None
        obj = doc["object"] if doc else {}
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        sev = str(v.get("severity") or "error").lower()
        result.violations.append(Violation(
            name, doc["source"] if doc else "", str(obj.get("kind") or ""), str(meta.get("name") or ""),
            str(v.get("path") or "")[:1024], " ".join(str(v.get("message") or "").split())[:1024],
            sev if sev in SEVERITIES else "error"))
    if not allow:
        result.denied_by.append(name)


class Gate:
    """The policies of one operation, ready to run over its documents."""

    def __init__(self, names: Sequence[str], mode: str = "enforce", *, out: IO[str] | None = None,
                 config: dict[str, Any] | None = None) -> None:
        if mode not in MODES:
            raise PilothouseError(f'invalid --policy-mode "{mode}": use enforce or audit')
        from pilothouse.plugin.loader import find_plugin

        self.mode = mode
        self.out = out
        self.plugins = []
        for n in names:
            p = find_plugin(n, "policy/v1")
            if p is None:
                raise PluginError(f"plugin: {{Name:{n} Type:policy/v1}} not found")
            self.plugins.append(p)
        self.config = config or {}
        self.last: Result | None = None

    def __bool__(self) -> bool:
        return bool(self.plugins)

    def check(self, docs: Sequence[tuple[Any, ...]], release: dict[str, Any], chart: Any = None,
              kube: Any = None) -> Result:
        """Run every policy over ``docs`` ((source, YAML text) pairs); print the findings; raise
        `PolicyDenied` on a deny in enforce mode."""
        from pilothouse.plugin import policy as sandbox
        from pilothouse.plugin.host.context import HostContext, current, use

        documents = _documents(docs)
        result = Result()
        user = sandbox.load_user_config()
        ctx = HostContext(chart=chart, kube=kube if kube is not None else current()._kube)
        with use(ctx):
            for p in self.plugins:
                cfg = dict(p.metadata.runtime_config.get("config") or {})
                cfg.update(((user.get("plugins") or {}).get(p.name) or {}).get("config") or {})
                cfg.update(self.config.get(p.name) or {})
                docs_for = _redacted(p, documents, str(release.get("namespace") or ""))
                message = json.dumps({"apiVersion": "policy/v1", "release": release, "documents": docs_for,
                                      "config": cfg}, separators=(",", ":"), default=str).encode()
                _run_one(p, message, documents, result)
        self.last = result
        out = self.out or sys.stderr
        for v in result.violations:
            print(v.line(), file=out)
        if not result.allowed:
            who = ", ".join(f'"{n}"' for n in result.denied_by)
            count = sum(1 for v in result.violations if v.plugin in result.denied_by)
            msg = f"policy {who} denied the {release.get('command') or release.get('operation')}: " \
                  f"{count} violation{'s' if count != 1 else ''}"
            if self.mode == "enforce":
                raise PolicyDenied(msg)
            print(f"WARNING: {msg} (audit mode: continuing)", file=out)
        return result


def release_info(top: dict[str, Any], command: str, operation: str | None = None) -> dict[str, Any]:
    """The ``release`` field of the message, from Helm's render values."""
    rel = top.get("Release") or {}
    chart = top.get("Chart") or {}
    op = operation or ("upgrade" if rel.get("IsUpgrade") else "install")
    return {"name": rel.get("Name", ""), "namespace": rel.get("Namespace", ""), "revision": rel.get("Revision", 0),
            "operation": op, "command": command,
            "chart": {"name": _get(chart, "Name"), "version": _get(chart, "Version"),
                      "appVersion": _get(chart, "AppVersion")}}


def _get(obj: Any, key: str) -> str:
    if isinstance(obj, dict):
        return str(obj.get(key) or "")
    return str(getattr(obj, key, "") or "")


def gate_for(names: Sequence[str], mode: str = "enforce") -> Gate | None:
    """A `Gate` for ``--policy`` names plus the user's always-on policies; None when there are none."""
    all_names = chosen(names)
    if not all_names:
        return None
    return Gate(all_names, mode)


def hook(names: Sequence[str], mode: str, command: str, chart: Any = None, kube: Any = None) -> Any:
    """The callable the render step calls with (documents, render values), or None without
    policies; ``kube`` is the operation's cluster client, for the plugins' host API calls."""
    g = gate_for(names, mode)
    if g is None:
        return None

    def run(docs: Sequence[tuple[Any, ...]], top: dict[str, Any]) -> None:
        g.check(docs, release_info(top, command), chart, kube)
    return run


def check_release(names: Sequence[str], mode: str, rel: Any, command: str, kube: Any = None) -> None:
    """Run the policies over a stored release's manifest and hooks (rollback re-renders nothing)."""
    g = gate_for(names, mode)
    if g is None:
        return
    from pilothouse.manifest.split import split_manifests

    docs: list[tuple[str, str]] = []
    for text in split_manifests(rel.manifest or ""):
        source = ""
        for ln in text.splitlines():
            if ln.startswith("# Source: "):
                source = ln[len("# Source: "):].strip()
                break
        docs.append((source, text))
    docs.extend((h.path, h.manifest) for h in rel.hooks or [])
    from pilothouse.plugin.host.releases import chart_metadata

    release = {"name": rel.name, "namespace": rel.namespace, "revision": rel.version, "operation": command,
               "command": command, "chart": chart_metadata(rel)}
    g.check(docs, release, None, kube)
