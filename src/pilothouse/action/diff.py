"""`pilot diff`: what an upgrade, a rollback or another revision would change, before it happens.

The sub-commands, options and report semantics are those of the helm-diff plugin (entries keyed
``namespace, name, Kind (group)``, secrets redacted, suppression, rename detection), so tools that
read its output keep working. Upgrades and rollbacks are diffed accurately by default: every new
object is sent to the API server as the upgrade would send it, as a server-side-apply dry run,
and the live object is compared with what the server answers. ``dry_run="client"`` never talks
to the cluster (everything is new, as helm-diff's ``--dry-run``). Revisions and releases are
compared by their stored manifests, as helm-diff does.
"""

from __future__ import annotations

import base64
import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pilothouse.errors import PilothouseError, ReleaseError
from pilothouse.kube.compare import COMMON, FieldChange, field_changes, line_diff, split_lines, strip

ADD, REMOVE, MODIFY, OWNERSHIP, MODIFY_SUPPRESSED = "ADD", "REMOVE", "MODIFY", "OWNERSHIP", "MODIFY_SUPPRESSED"
TEST_HOOKS = ("test", "test-success")
_RESOURCE_POLICY = "helm.sh/resource-policy"


@dataclass
class DiffOptions:
    """How changes are computed and shown (helm-diff's options)."""

    show_secrets: bool = False
    show_secrets_decoded: bool = False
    suppressed_kinds: list[str] = field(default_factory=list)
    suppressed_output_line_regex: list[str] = field(default_factory=list)
    normalize_manifests: bool = False
    find_renames: float = 0.0
    strip_trailing_cr: bool = False
    include_hooks: bool = True
    include_tests: bool = False
    include_crds: bool = False
    context: int = -1


@dataclass
class ObjectChange:
    """One object's change: the helm-diff entry, its line diff and the changed fields."""

    key: str
    kind: str
    api_version: str
    namespace: str
    name: str
    change: str
    records: list[tuple[str, str]] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    hook: bool = False

    @property
    def api_group(self) -> str:
        """The part of the key in parentheses: the group, or ``v1`` for core kinds."""
        parts = self.api_version.split("/")
        return "/".join(parts[:-1]) if len(parts) > 1 else self.api_version


@dataclass
class DiffResult:
    """What `pilot diff` found; ``changes`` in report order."""

    release: str
    namespace: str
    changes: list[ObjectChange] = field(default_factory=list)
    seen_changes: bool = False
    revision: int = 0
    live_versions: dict[str, str] = field(default_factory=dict)
    upgraded: Any = None

    @property
    def has_changes(self) -> bool:
        """True when anything would change (``--detailed-exitcode`` exits 2)."""
        return self.seen_changes


# --- items: one side of an object ----------------------------------------------------------------

@dataclass
class Item:
    """One object on one side of a diff: its identity, its text and (when known) its value."""

    key: str
    kind: str
    api_version: str
    namespace: str
    name: str
    text: str
    obj: dict[str, Any] | None = None
    policy: str = ""
    hook: bool = False


def make_key(api_version: str, kind: str, namespace: str, name: str) -> str:
    """helm-diff's key: ``namespace, name, Kind (group)`` (``v1`` for the core group)."""
    parts = api_version.split("/")
    base = "/".join(parts[:-1]) if len(parts) > 1 else api_version
    return f"{namespace}, {name}, {kind} ({base})"


def _object_text(obj: dict[str, Any]) -> str:
    from pilothouse.goyaml import to_yaml

    return to_yaml(obj).rstrip("\n")


def item_from_object(obj: dict[str, Any], default_namespace: str, *, hook: bool = False,
                     comment: str = "", text: bool = True) -> Item:
    """An item from a decoded object (shown as sorted YAML; without ``text`` a placeholder)."""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
    name = str(annotations.get("helm-diff/base-name") or meta.get("name") or "")
    ns = str(meta.get("namespace") or default_namespace)
    api_version, kind = str(obj.get("apiVersion") or ""), str(obj.get("kind") or "")
    key = make_key(api_version, kind, ns, name)
    return Item(key, kind, api_version, str(meta.get("namespace") or ""), str(meta.get("name") or ""),
                comment + _object_text(obj) if text else "\0unchanged " + key, obj,
                str(annotations.get(_RESOURCE_POLICY) or ""), hook)


def parse_manifest(text: str, default_namespace: str, *, normalize: bool = False,
                   excluded_hooks: tuple[str, ...] = (), hook: bool = False) -> dict[str, Item]:
    """A manifest stream as helm-diff indexes it: documents split on ``\\n---\\n``, keyed, trimmed."""
    from pilothouse.goyaml import YAMLError, load_yaml_v2
    from pilothouse.kube.resources import json_keys

    out: dict[str, Item] = {}
    for raw in ("\n" + text).split("\n---\n"):
        content = raw.strip()
        if not content:
            continue
        try:
            obj = json_keys(load_yaml_v2(content))
        except YAMLError as err:
            raise ReleaseError(f"YAML unmarshal error: {err}") from None
        if not isinstance(obj, dict) or (not obj.get("apiVersion") and not obj.get("kind")):
            continue
        objs = [obj]
        kind = str(obj.get("kind") or "")
        if kind.endswith("List") and isinstance(obj.get("items"), list):
            objs = [i for i in obj["items"] if isinstance(i, dict)]
        for o in objs:
            meta = o.get("metadata") if isinstance(o.get("metadata"), dict) else {}
            annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
            if excluded_hooks and annotations.get("helm.sh/hook") in excluded_hooks:
                continue
            comment = content.split("\n", 1)[0] + "\n" if content.startswith("#") and "\n" in content else ""
            if normalize or len(objs) > 1:
                item = item_from_object(o, default_namespace, hook=hook, comment=comment if len(objs) == 1 else "")
            else:
                item = item_from_object(o, default_namespace, hook=hook)
                item.text = content
            if item.key not in out:
                out[item.key] = item
    return out


# --- secrets ------------------------------------------------------------------------------------

def _secret_bytes(obj: dict[str, Any] | None) -> dict[str, bytes] | None:
    if obj is None:
        return None
    data: dict[str, bytes] = {}
    for k, v in (obj.get("data") or {}).items():
        try:
            data[str(k)] = base64.b64decode(str(v or ""), validate=False)
        except (ValueError, TypeError):
            data[str(k)] = str(v).encode()
    for k, v in (obj.get("stringData") or {}).items():
        data[str(k)] = str(v).encode()
    return data


def _comment(text: str) -> str:
    i = text.find("\n")
    return text[:i + 1] if i >= 0 and text.startswith("#") else ""


# the order Kubernetes' typed serializer writes a Secret and its metadata in (struct order)
_SECRET_ORDER = ("apiVersion", "kind", "metadata", "immutable", "data", "stringData", "type")
_META_ORDER = ("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
               "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
               "ownerReferences", "finalizers", "managedFields")


def _ordered_yaml(obj: dict[str, Any], order: tuple[str, ...], nested: dict[str, tuple[str, ...]]) -> str:
    from pilothouse.goyaml import to_yaml

    keys = [k for k in order if k in obj] + sorted(k for k in obj if k not in order)
    out = []
    for k in keys:
        v = obj[k]
        if k in nested and isinstance(v, dict) and v:
            inner = _ordered_yaml(v, nested[k], {})
            out.append(f"{k}:\n" + "".join("  " + line + "\n" for line in inner.rstrip("\n").split("\n")))
        else:
            out.append(to_yaml({k: v}))
    return "".join(out)


def secret_yaml(obj: dict[str, Any]) -> str:
    """A Secret as Kubernetes' serializer writes it (fields in struct order, maps sorted)."""
    return _ordered_yaml(obj, _SECRET_ORDER, {"metadata": _META_ORDER})


def _secret_text(item: Item, values: dict[str, str], key: str = "data") -> str:
    obj = copy.deepcopy(item.obj) or {}
    obj.pop("stringData", None)
    obj.pop("data", None)
    if values:
        obj[key] = values
    return _comment(item.text) + secret_yaml(obj)


def redact_secrets(old: Item | None, new: Item | None) -> None:
    """helm-diff's redaction: values become ``REDACTED``/``--------``/``++++++++ # (N bytes)``."""
    if (old is not None and old.kind != "Secret") or (new is not None and new.kind != "Secret"):
        return
    od, nd = _secret_bytes(old.obj if old else None), _secret_bytes(new.obj if new else None)
    if old is not None and od is not None:
        vals = {}
        for k, v in od.items():
            same = nd is not None and new is not None and nd.get(k) == v
            vals[k] = f"{'REDACTED' if same else '--------'} # ({len(v)} bytes)"
        old.text = _secret_text(old, vals)
    if new is not None and nd is not None:
        vals = {}
        for k, v in nd.items():
            same = od is not None and old is not None and od.get(k) == v
            vals[k] = f"{'REDACTED' if same else '++++++++'} # ({len(v)} bytes)"
        new.text = _secret_text(new, vals)


def decode_secrets(old: Item | None, new: Item | None) -> None:
    """``--show-secrets-decoded``: the values in clear text, under ``stringData``."""
    if (old is not None and old.kind != "Secret") or (new is not None and new.kind != "Secret"):
        return
    for item in (old, new):
        if item is None or item.obj is None:
            continue
        data = _secret_bytes(item.obj) or {}
        item.text = _secret_text(item, {k: v.decode("utf-8", "replace") for k, v in data.items()}, "stringData")


# --- the report ---------------------------------------------------------------------------------

def _change(report: list[ObjectChange], key: str, old: Item | None, new: Item | None, opts: DiffOptions) -> None:
    if old is not None and new is not None and old.text == new.text:
        return
    old, new = copy.copy(old), copy.copy(new)
    if opts.show_secrets_decoded:
        decode_secrets(old, new)
    elif not opts.show_secrets:
        redact_secrets(old, new)
    before = split_lines(old.text, opts.strip_trailing_cr) if old is not None else [""]
    after = split_lines(new.text, opts.strip_trailing_cr) if new is not None else [""]
    records = line_diff(before, after)
    if old is not None and new is not None:
        kind = MODIFY
        if all(d == COMMON for d, _ in records):
            return
    else:
        kind = ADD if old is None else REMOVE
    subject = old if old is not None else new
    assert subject is not None
    fields = field_changes(old.obj if old else None, new.obj if new else None)
    report.append(ObjectChange(key, subject.kind, subject.api_version, subject.namespace, subject.name, kind,
                               records, fields, old.obj if old else None, new.obj if new else None,
                               subject.hook))


def _renames(report: list[ObjectChange], removed: list[str], old: dict[str, Item], added: list[str],
             new: dict[str, Item], opts: DiffOptions) -> tuple[list[str], list[str]]:
    if opts.find_renames <= 0:
        return removed, added
    still_removed = []
    added = list(added)
    for rkey in removed:
        o = old[rkey]
        best, best_fraction = "", float("inf")
        for akey in added:
            n = new[akey]
            if o.kind != n.kind or not o.text or not n.text:
                continue
            if o.kind != "Secret" and not 0.1 <= len(o.text) / len(n.text) <= 10.0:
                continue
            a, b = copy.copy(o), copy.copy(n)
            if opts.show_secrets_decoded:
                decode_secrets(a, b)
            elif not opts.show_secrets:
                redact_secrets(a, b)
            recs = line_diff(split_lines(a.text, opts.strip_trailing_cr), split_lines(b.text, opts.strip_trailing_cr))
            delta = sum(1 for d, _ in recs if d != COMMON)
            if delta == 0 or not recs:
                continue
            fraction = delta / len(recs)
            if 0 < fraction < best_fraction:
                best, best_fraction = akey, fraction
        if best and best_fraction < opts.find_renames:
            added.remove(best)
            _change(report, rkey, o, new[best], opts)
        else:
            still_removed.append(rkey)
    return still_removed, added


def build_report(old: Mapping[str, Item], new: Mapping[str, Item], opts: DiffOptions,
                 ownership: Mapping[str, tuple[str, str]] | None = None) -> tuple[bool, list[ObjectChange]]:
    """helm-diff's report: ownership changes, then changed, removed and added objects by key.

    Returns whether anything changed (before line suppression) and the entries.
    """
    report: list[ObjectChange] = []
    for key, (was, will) in (ownership or {}).items():
        item = new.get(key) or old.get(key)
        records = line_diff([was], [will])
        report.append(ObjectChange(key, item.kind if item else "", item.api_version if item else "",
                                   item.namespace if item else "", item.name if item else "", OWNERSHIP, records))
    removed = []
    for key in sorted(old):
        if key in new:
            _change(report, key, old[key], new[key], opts)
        else:
            removed.append(key)
    added = [key for key in sorted(new) if key not in old]
    removed, added = _renames(report, removed, dict(old), added, dict(new), opts)
    for key in removed:
        if old[key].policy != "keep":
            _change(report, key, old[key], None, opts)
    for key in added:
        _change(report, key, None, new[key], opts)
    seen = bool(report)
    return seen, suppress_lines(report, opts.suppressed_output_line_regex)


def suppress_lines(report: list[ObjectChange], patterns: list[str]) -> list[ObjectChange]:
    """``--suppress-output-line-regex``: drop matching lines; an entry left without changes says so."""
    if not report or not patterns:
        return report
    try:
        regexes = [re.compile(p) for p in patterns]
    except re.error as err:
        raise PilothouseError(f"invalid --suppress-output-line-regex: {err}") from None
    out = []
    for entry in report:
        records = [r for r in entry.records if not any(rx.search(r[1]) for rx in regexes)]
        entry = copy.copy(entry)
        if any(d != COMMON for d, _ in records):
            entry.records = records
        else:
            entry.records = []
            if entry.change == MODIFY:
                entry.change = MODIFY_SUPPRESSED
        out.append(entry)
    return out


# --- actions ------------------------------------------------------------------------------------

def _excluded(opts: DiffOptions) -> tuple[str, ...]:
    return () if opts.include_tests else TEST_HOOKS


def _hook_items(rel: Any, opts: DiffOptions) -> dict[str, Item]:
    if rel is None or not opts.include_hooks:
        return {}
    # a stored hook has no "# Source:" line; its path stands in, as `helm get hooks` prints it
    text = "\n---\n".join(h.manifest if h.manifest.startswith("#") else f"# Source: {h.path}\n{h.manifest}"
                           for h in rel.hooks)
    return parse_manifest(text, rel.namespace, normalize=opts.normalize_manifests, excluded_hooks=_excluded(opts),
                          hook=True)


def release_items(rel: Any, opts: DiffOptions) -> dict[str, Item]:
    """A stored revision's objects (manifest and hooks) as helm-diff indexes them."""
    if rel is None:
        return {}
    items = parse_manifest(rel.manifest, rel.namespace, normalize=opts.normalize_manifests,
                           excluded_hooks=_excluded(opts))
    for key, item in _hook_items(rel, opts).items():
        items.setdefault(key, item)
    return items


def _owner(obj: dict[str, Any]) -> str:
    ann = (obj.get("metadata") or {}).get("annotations") or {}
    return f"{ann.get('meta.helm.sh/release-namespace', '')}/{ann.get('meta.helm.sh/release-name', '')}"


def diff_objects(kube: Any, name: str, namespace: str, current: Any, target_manifest: str, target_hooks: Any,
                 opts: DiffOptions, *, server_side: bool = True, crds: list[dict[str, Any]] | None = None,
                 target: list[Any] | None = None) -> DiffResult:
    """Live objects against what the server would make of ``target_manifest`` (dry run).

    ``current`` is the deployed revision (None for an install): its objects missing from the
    target are removals; target objects the live cluster has under another release are
    ownership changes. Hooks are compared by their stored manifests, as they are re-created on
    every run.
    """
    from pilothouse.kube import ownership
    from pilothouse.kube.dryrun import dry_apply, fetch_live

    if target is None:
        target = kube.build(target_manifest, namespace=namespace)
    ownership.set_metadata(target, name, namespace)
    old_res = kube.build(current.manifest, namespace=namespace) if current is not None else []
    target_keys = {r.key() for r in target}
    gone = [r for r in old_res if r.key() not in target_keys]
    crd_res = []
    if crds:
        crd_res = [r for r in kube.build("\n---\n".join(_object_text(c) for c in crds)) if r.key() not in target_keys]
    live = fetch_live(kube, target + gone + crd_res)
    originals = {r.key(): r.obj for r in old_res}
    dry = dry_apply(kube, target, live, server_side=server_side, originals=originals)
    dry.update(dry_apply(kube, [r for r in crd_res if live.get(r.key()) is None], live, server_side=True))
    old_items: dict[str, Item] = {}
    new_items: dict[str, Item] = {}
    owners: dict[str, tuple[str, str]] = {}
    versions: dict[str, str] = {}
    in_release = {r.key() for r in old_res}
    for r in target + crd_res:
        cur = live.get(r.key())
        versions[r.key()] = str((cur or {}).get("metadata", {}).get("resourceVersion") or "") if cur else ""
        after_obj = strip(dry[r.key()]) if r.key() in dry else None
        before_obj = strip(cur) if cur is not None else None
        # an object the upgrade leaves as it is needs no text: both sides get the same placeholder
        same = after_obj is not None and after_obj == before_obj
        if after_obj is not None:
            item = item_from_object(after_obj, namespace, text=not same)
            new_items[item.key] = item
        if cur is not None:
            before = item_from_object(before_obj or {}, namespace, text=not same)
            is_target = r.key() in target_keys
            if is_target or r.key() not in dry:
                old_items[before.key] = before
            if is_target and r.key() not in in_release and _owner(cur) != f"{namespace}/{name}":
                owners[before.key] = (_owner(cur), f"{namespace}/{name}")
    for r in gone:
        cur = live.get(r.key())
        versions[r.key()] = str((cur or {}).get("metadata", {}).get("resourceVersion") or "") if cur else ""
        item = item_from_object(strip(cur) if cur is not None else r.obj, namespace)
        pol = ((r.obj.get("metadata") or {}).get("annotations") or {}).get(_RESOURCE_POLICY)
        item.policy = str(pol or item.policy)
        old_items[item.key] = item
    old_hooks = _hook_items(current, opts)
    new_hooks = _hook_items(target_hooks, opts)
    for key, item in old_hooks.items():
        old_items.setdefault(key, item)
    for key, item in new_hooks.items():
        new_items.setdefault(key, item)
    seen, changes = build_report(old_items, new_items, opts, owners)
    return DiffResult(name, namespace, changes, seen, current.version if current is not None else 0, versions)


@dataclass
class DiffUpgrade:
    """`pilot diff upgrade` as an object: ``upgrade`` holds upgrade's own flags."""

    cfg: Any
    options: DiffOptions = field(default_factory=DiffOptions)
    dry_run: str = "server"
    install: bool = False
    reset_values: bool = False
    reuse_values: bool = False
    reset_then_reuse_values: bool = False
    server_side: str = "auto"
    upgrade_options: dict[str, Any] = field(default_factory=dict)

    def _upgrade(self) -> Any:
        from pilothouse.action.upgrade import Upgrade

        return Upgrade(self.cfg, namespace=self.cfg.namespace, dry_run="server", reset_values=self.reset_values,
                       reuse_values=self.reuse_values, reset_then_reuse_values=self.reset_then_reuse_values,
                       server_side=self.server_side, **self.upgrade_options)

    def _install_target(self, name: str, chart: Any, values: dict[str, Any], *, client: bool) -> Any:
        from pilothouse.action.install import Install

        inst = Install(self.cfg, namespace=self.cfg.namespace, dry_run="client" if client else "server",
                       **{k: v for k, v in self.upgrade_options.items() if k in _INSTALL_FIELDS})
        inst.release_name = name
        return inst.run(chart, values)

    def run(self, name: str, chart: Any, values: Mapping[str, Any] | None = None) -> DiffResult:
        """The changes upgrading release ``name`` to ``chart`` with ``values`` would make."""
        from pilothouse.release.driver.base import NoDeployedReleasesError, ReleaseNotFoundError

        vals = dict(values or {})
        opts = self.options
        if self.dry_run == "client":
            # no cluster access: shown as an install, from the rendered manifest only
            rel = self._install_target(name, chart, vals, client=True)
            seen, changes = build_report({}, release_items(rel, opts), opts)
            return DiffResult(name, rel.namespace, changes, seen, 0, upgraded=rel)
        kube = self.cfg.kube
        kube.is_reachable()
        up = self._upgrade()
        built: dict[tuple[str, str | None], list[Any]] = {}
        build = kube.build

        def keep_build(manifest: str, *, namespace: str | None = None) -> list[Any]:
            # the upgrade builds the new manifest to validate it; the diff reuses those objects
            built[(manifest, namespace)] = out = build(manifest, namespace=namespace)
            return out

        kube.build = keep_build
        try:
            current, upgraded, ssa = up._prepare(name, chart, vals)
        except (NoDeployedReleasesError, ReleaseNotFoundError):
            if not self.install:
                raise ReleaseError(f'release "{name}" does not exist; use --install to diff it as an install') \
                    from None
            rel = self._install_target(name, chart, vals, client=False)
            result = diff_objects(kube, name, rel.namespace, None, rel.manifest, rel, opts,
                                  crds=_chart_crds(chart) if opts.include_crds else None)
            result.upgraded = rel
            return result
        finally:
            del kube.build
        result = diff_objects(kube, name, upgraded.namespace, current, upgraded.manifest, upgraded, opts,
                              server_side=ssa, crds=_chart_crds(chart) if opts.include_crds else None,
                              target=built.get((upgraded.manifest, upgraded.namespace)))
        result.revision = current.version
        result.upgraded = upgraded
        return result


_INSTALL_FIELDS = ("description", "labels", "sub_notes", "skip_schema_validation", "enable_dns", "post_renderer",
                   "disable_hooks", "take_ownership")


def _chart_crds(chart: Any) -> list[dict[str, Any]]:
    from pilothouse.kube.resources import parse_documents

    out: list[dict[str, Any]] = []
    try:
        crd_objects = chart.crd_objects()
    except (AttributeError, PilothouseError):
        return out
    for crd in crd_objects:
        data = getattr(crd, "file", crd)
        text = getattr(data, "data", b"")
        out.extend(parse_documents(text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)))
    return out


def diff_rollback(cfg: Any, name: str, revision: int, options: DiffOptions | None = None) -> DiffResult:
    """`pilot diff rollback NAME REV`: the live objects against a dry run of revision ``revision``."""
    opts = options or DiffOptions()
    kube = cfg.kube
    kube.is_reachable()
    current = cfg.releases.deployed(name) if revision else cfg.releases.last(name)
    history = {r.version: r for r in cfg.releases.history(name)}
    if revision <= 0:
        older = sorted(v for v in history if v < current.version)
        if not older:
            raise ReleaseError(f'release "{name}" has no revision before {current.version}')
        revision = older[-1]
    if revision not in history:
        raise ReleaseError(f'release: not found (revision {revision} of "{name}")')
    target = history[revision]
    result = diff_objects(kube, name, current.namespace, current, target.manifest, target, opts,
                          server_side=current.apply_method != "csa")
    result.revision = current.version
    return result


def diff_revision(cfg: Any, name: str, rev1: int, rev2: int = 0, options: DiffOptions | None = None) -> DiffResult:
    """`pilot diff revision NAME R1 [R2]`: two stored revisions (R1 against the latest without R2)."""
    opts = options or DiffOptions()
    if rev2:
        old, new = cfg.releases.get(name, rev1), cfg.releases.get(name, rev2)
    else:
        old, new = cfg.releases.get(name, rev1), cfg.releases.last(name)
    seen, changes = build_report(release_items(old, opts), release_items(new, opts), opts)
    return DiffResult(name, new.namespace, changes, seen, new.version)


def diff_release(cfg_a: Any, a: str, cfg_b: Any, b: str, options: DiffOptions | None = None) -> DiffResult:
    """`pilot diff release A B`: two releases' deployed manifests, matched by template file."""
    opts = options or DiffOptions()
    ra, rb = cfg_a.releases.last(a), cfg_b.releases.last(b)
    seen, changes = build_report(_by_source(release_items(ra, opts)), _by_source(release_items(rb, opts)), opts)
    return DiffResult(f"{a}..{b}", rb.namespace, changes, seen, rb.version)


def _by_source(items: dict[str, Item]) -> dict[str, Item]:
    # releases of one chart under two names share their template files, not their object names
    out: dict[str, Item] = {}
    counts: dict[str, int] = {}
    for key in sorted(items):
        item = copy.copy(items[key])
        src = item.text.split("\n", 1)[0].replace("# Source: ", "", 1)
        if src in out:
            counts[src] = counts.get(src, 0) + 1
            src = f"{src} {counts[src]}"
        else:
            counts[src] = counts.get(src, 0) + 1
        item.key = src
        out[src] = item
    return out


def diff_upgrade(name: str, chart: Any, *, values: Mapping[str, Any] | None = None, namespace: str | None = None,
                 kubeconfig: str | None = None, kube_context: str | None = None, driver: str | None = None,
                 config: Any = None, options: DiffOptions | None = None, **flags: Any) -> DiffResult:
    """Library form of `pilot diff upgrade`: the structured changes, nothing changed in the cluster."""
    from pilothouse.action.config import Configuration

    cfg = config or Configuration.from_env(namespace=namespace, kubeconfig=kubeconfig, kube_context=kube_context,
                                           driver=driver)
    if isinstance(chart, (str, bytes)) or hasattr(chart, "__fspath__"):
        from pilothouse.chart import load

        chart = load(str(chart))
    return DiffUpgrade(cfg, options=options or DiffOptions(), **flags).run(name, chart, values)
