"""`pilot drift`: how the live objects of a release differ from its deployed revision.

Every object of the deployed manifest is sent to the server as a forced server-side-apply dry
run by field manager ``helm`` (what re-applying the revision would do) and compared with the live
object: a difference is drift, and the managers that own the drifted fields in the live object
say who changed them. Ignore rules name JSON paths (``spec.replicas``, ``Deployment:spec.replicas``,
``spec.template.spec.containers[*].image``) or field managers, per user in
``$HELM_CONFIG_HOME/pilothouse/drift.yaml``, per release through flags, and per object through the
``pilothouse.io/drift-ignore`` annotation (comma-separated paths). ``correct`` re-applies the
drifted objects (no new revision) and reports what it restored.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field
from typing import Any

from pilothouse.errors import KubeError, PilothouseError
from pilothouse.kube.compare import FieldChange, field_changes, line_diff, owned_paths, owns, set_parts, strip

IGNORE_ANNOTATION = "pilothouse.io/drift-ignore"
CHANGED, DELETED = "changed", "deleted"
_SEGMENT = re.compile(r'\["((?:[^"\\]|\\.)*)"\]|\[([^\]]*)\]|([^.\[\]]+)')


@dataclass(frozen=True)
class IgnoreRule:
    """Ignore a path (optionally only on one kind or release), or every field a manager owns."""

    path: str = ""
    kind: str = ""
    release: str = ""
    manager: str = ""

    def applies(self, release: str, kind: str) -> bool:
        return (not self.kind or self.kind == kind) and (not self.release or self.release == release)


def parse_path(text: str) -> list[str]:
    """A JSON path as segments: ``a.b["x/y"].c[*]`` → ``["a", "b", "x/y", "c", "*"]``."""
    text = text.strip().lstrip("$").lstrip(".")
    out = []
    pos = 0
    while pos < len(text):
        m = _SEGMENT.match(text, pos)
        if not m:
            raise PilothouseError(f"invalid ignore path {text!r} at column {pos + 1}")
        out.append(m.group(1) if m.group(1) is not None else (m.group(2) if m.group(2) is not None else m.group(3)))
        pos = m.end()
        if pos < len(text) and text[pos] == ".":
            pos += 1
    return [("*" if s in ("*", "") else s) for s in out]


def _matches(pattern: list[str], parts: tuple[tuple[str, str], ...]) -> bool:
    if len(pattern) > len(parts):
        return False
    for pat, (kind, name) in zip(pattern, parts, strict=False):
        if pat == "*":
            continue
        if kind == "k" and pat.startswith("name="):
            pat = pat[5:]
        if pat != name:
            return False
    return True


def rule_from_text(text: str) -> IgnoreRule:
    """``--ignore`` values: ``PATH`` or ``Kind:PATH``."""
    kind, sep, path = text.partition(":")
    if sep and kind and kind[0].isupper() and "." not in kind:
        return IgnoreRule(path=path, kind=kind)
    return IgnoreRule(path=text)


def user_rules(path: str | None = None) -> list[IgnoreRule]:
    """The rules in ``$HELM_CONFIG_HOME/pilothouse/drift.yaml`` (``ignore:`` list of path/kind/release/manager)."""
    if path is None:
        from pilothouse.plugin.env import config_home

        path = os.path.join(config_home(), "pilothouse", "drift.yaml")
    if not os.path.exists(path):
        return []
    from pilothouse.goyaml import YAMLError, load_yaml_v2

    try:
        with open(path, encoding="utf-8") as fh:
            doc = load_yaml_v2(fh.read(1 << 20)) or {}
    except (OSError, YAMLError) as err:
        raise PilothouseError(f"{path}: {err}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("ignore", []), list):
        raise PilothouseError(f"{path}: expected a map with an 'ignore' list")
    rules = []
    for i, entry in enumerate(doc.get("ignore") or []):
        if isinstance(entry, str):
            rules.append(rule_from_text(entry))
            continue
        if not isinstance(entry, dict) or not (entry.get("path") or entry.get("manager")):
            raise PilothouseError(f"{path}: ignore[{i}] needs a 'path' or a 'manager'")
        rules.append(IgnoreRule(path=str(entry.get("path") or ""), kind=str(entry.get("kind") or ""),
                                release=str(entry.get("release") or ""), manager=str(entry.get("manager") or "")))
    return rules


@dataclass
class DriftEntry:
    """One drifted object: changed (fields, line diff, who changed them) or deleted."""

    key: str
    api_version: str
    kind: str
    namespace: str
    name: str
    state: str
    fields: list[FieldChange] = field(default_factory=list)
    managers: list[str] = field(default_factory=list)
    records: list[tuple[str, str]] = field(default_factory=list)
    live: dict[str, Any] | None = None
    desired: dict[str, Any] | None = None
    restored: bool = False
    ignored: list[tuple[tuple[str, str], ...]] = field(default_factory=list)


@dataclass
class DriftResult:
    """The drift of one release; ``has_drift`` decides the exit code 2."""

    release: str
    namespace: str
    revision: int
    entries: list[DriftEntry] = field(default_factory=list)
    checked: int = 0
    corrected: bool = False

    @property
    def has_drift(self) -> bool:
        return bool(self.entries)


@dataclass
class Drift:
    """`pilot drift` as an object."""

    cfg: Any
    ignore_paths: list[str] = field(default_factory=list)
    ignore_managers: list[str] = field(default_factory=list)
    use_user_config: bool = True
    correct: bool = False
    show_secrets: bool = False

    def _rules(self, name: str) -> list[IgnoreRule]:
        rules = user_rules() if self.use_user_config else []
        rules += [rule_from_text(p) for p in self.ignore_paths]
        rules += [IgnoreRule(manager=m) for m in self.ignore_managers]
        return [r for r in rules if not r.release or r.release == name]

    def run(self, name: str) -> DriftResult:
        """Compare release ``name``'s deployed objects with the cluster (and restore them with ``correct``)."""
        from pilothouse.action.diff import item_from_object
        from pilothouse.kube import ownership
        from pilothouse.kube.dryrun import dry_apply, fetch_live

        cfg = self.cfg
        kube = cfg.kube
        kube.is_reachable()
        rel = cfg.releases.deployed(name)
        try:
            resources = kube.build(rel.manifest, namespace=rel.namespace)
        except PilothouseError as err:
            raise KubeError(f"unable to build kubernetes objects from the deployed manifest: {err}") from None
        ownership.set_metadata(resources, rel.name, rel.namespace)
        live = fetch_live(kube, resources)
        present = [r for r in resources if live.get(r.key()) is not None]
        ssa = rel.apply_method != "csa"
        dry = dry_apply(kube, present, live, server_side=ssa, originals={r.key(): r.obj for r in resources})
        rules = self._rules(name)
        result = DriftResult(rel.name, rel.namespace, rel.version, checked=len(resources))
        for r in resources:
            cur = live.get(r.key())
            key = item_from_object(r.obj, rel.namespace).key
            if cur is None:
                result.entries.append(DriftEntry(key, r.rtype.api_version, r.kind, r.namespace, r.name, DELETED,
                                                 desired=r.obj))
                continue
            entry = self._compare(key, r, rel.name, cur, dry[r.key()], rules)
            if entry is not None:
                result.entries.append(entry)
        if self.correct and result.entries:
            self._correct(kube, resources, result)
        return result

    def _compare(self, key: str, r: Any, release: str, cur: dict[str, Any], dry: dict[str, Any],
                 rules: list[IgnoreRule]) -> DriftEntry | None:
        live_s, desired = strip(cur) or {}, copy.deepcopy(strip(dry) or {})
        changes = field_changes(live_s, desired)
        if not changes:
            return None
        ann = ((r.obj.get("metadata") or {}).get("annotations") or {}).get(IGNORE_ANNOTATION) or ""
        paths = [parse_path(p) for p in str(ann).split(",") if p.strip()]
        paths += [parse_path(rule.path) for rule in rules if rule.path and rule.applies(release, r.kind)]
        managers = self._owners(cur)
        ignored_managers = {rule.manager for rule in rules if rule.manager and rule.applies(release, r.kind)}
        kept, who, ignored = [], set(), []
        for ch in changes:
            owners = {m for m, owned in managers.items() if owns(owned, ch.parts)}
            if any(_matches(p, ch.parts) for p in paths) or owners & ignored_managers:
                # an ignored field keeps its live value on both sides
                found, value = _get(live_s, ch.parts)
                set_parts(desired, ch.parts, found, value)
                ignored.append(ch.parts)
                continue
            kept.append(ch)
            who |= {m for m in owners if m != kube_manager()}
        if not kept:
            return None
        from pilothouse.action.diff import Item, _object_text, redact_secrets

        before = Item("", r.kind, "", "", "", "", live_s)
        after = Item("", r.kind, "", "", "", "", desired)
        before.text, after.text = _object_text(live_s), _object_text(desired)
        if r.kind == "Secret" and not self.show_secrets:
            redact_secrets(before, after)
        records = line_diff(before.text.split("\n"), after.text.split("\n"))
        return DriftEntry(key, r.rtype.api_version, r.kind, r.namespace, r.name, CHANGED, kept, sorted(who), records,
                          cur, desired, ignored=ignored)

    @staticmethod
    def _owners(obj: dict[str, Any]) -> dict[str, set[tuple[tuple[str, str], ...]]]:
        out: dict[str, set[tuple[tuple[str, str], ...]]] = {}
        for entry in (obj.get("metadata") or {}).get("managedFields") or []:
            if not isinstance(entry, dict):
                continue
            out.setdefault(str(entry.get("manager") or ""), set()).update(
                owned_paths(obj, entry.get("fieldsV1") or {}))
        return out

    def _correct(self, kube: Any, resources: list[Any], result: DriftResult) -> None:
        """Re-apply the drifted objects as the revision has them (ignored fields left out)."""
        from pilothouse.kube.errors import ApiError

        by_key = {(r.rtype.api_version, r.kind, r.namespace, r.name): r for r in resources}
        for entry in result.entries:
            r = by_key[(entry.api_version, entry.kind, entry.namespace, entry.name)]
            body = copy.deepcopy(r.obj)
            for parts in entry.ignored:
                set_parts(body, parts, False, None)
            try:
                kube.apply(r.rtype, r.namespace, body, force=True)
            except ApiError as err:
                raise KubeError(f"could not restore {entry.key}: {err}") from None
            entry.restored = True
        result.corrected = True


def kube_manager() -> str:
    from pilothouse.kube.client import FIELD_MANAGER

    return FIELD_MANAGER


def _get(obj: Any, parts: tuple[tuple[str, str], ...]) -> tuple[bool, Any]:
    cur = obj
    for kind, name in parts:
        if kind == "f":
            if not isinstance(cur, dict) or name not in cur:
                return False, None
            cur = cur[name]
        else:
            if not isinstance(cur, list):
                return False, None
            cur = next((it for it in cur if isinstance(it, dict) and it.get("name") == name), None)
            if cur is None:
                return False, None
    return True, cur
