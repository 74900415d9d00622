"""HIP-0025 sequencing: the order in which a release's objects are applied, as batches.

Pure graph code (no cluster): given the rendered documents (each with the template it came from)
and, per chart of the tree, the subchart ordering from its Chart.yaml, `plan` returns batches.
Every object of a batch is applied together and awaited before the next batch starts.

Two levels, as HIP-0025 specifies:

* subcharts: ``depends-on`` on a ``dependencies`` entry of Chart.yaml (names or aliases of sibling
  subcharts) and the Chart.yaml annotation ``helm.sh/depends-on/subcharts`` (the subcharts the
  chart's own objects wait for);
* resource groups inside one chart: ``helm.sh/resource-group`` (one group per object) and
  ``helm.sh/depends-on/resource-groups`` (the groups that must be ready first). Objects without
  a group come after the chart's groups.

List-valued annotations are a JSON array (``["db", "queue"]``) or a comma-separated list.
Cycles, and dependencies on groups or subcharts that do not exist, are errors here (HIP-0025 only
warns about unknown groups; an ordering that silently does not happen is worse than a failed lint).

Annotations of other tools, accepted when asked for (``conventions``):

* ``kapp``: ``kapp.k14s.io/change-group`` names the group, each ``kapp.k14s.io/change-rule`` of
  the form ``upsert after upserting <group>`` is a dependency (other rules are implied by the
  reverse order on deletion or have no equivalent and are ignored);
* ``argocd``: ``argocd.argoproj.io/sync-wave: "N"`` puts an object in wave N (objects without one
  are in wave 0, as in Argo CD) and each wave depends on every lower wave of the same chart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import zip_longest

from pilothouse.errors import ManifestError

GROUP_ANNOTATION = "helm.sh/resource-group"
DEPENDS_ON_GROUPS_ANNOTATION = "helm.sh/depends-on/resource-groups"
DEPENDS_ON_SUBCHARTS_ANNOTATION = "helm.sh/depends-on/subcharts"
READINESS_SUCCESS_ANNOTATION = "helm.sh/readiness-success"
READINESS_FAILURE_ANNOTATION = "helm.sh/readiness-failure"
KAPP_GROUP = "kapp.k14s.io/change-group"
KAPP_RULE = "kapp.k14s.io/change-rule"
ARGOCD_WAVE = "argocd.argoproj.io/sync-wave"
CONVENTIONS = ("kapp", "argocd")
SELF = "."
_MAX_NAMES = 1000
_KAPP_UPSERT_AFTER = re.compile(r"^\s*upsert\s+after\s+upserting\s+(\S+)\s*$")


class SequenceError(ManifestError):
    """The ordering a chart declares cannot be followed (cycle, unknown group or subchart)."""


@dataclass
class Doc:
    """One rendered object: the template it came from, its text, and its annotations."""

    source: str
    text: str
    kind: str = ""
    name: str = ""
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def chart_path(self) -> str:
        """``parent/charts/sub`` for ``parent/charts/sub/templates/x.yaml``."""
        head, sep, _ = self.source.partition("/templates/")
        return head if sep else self.source.split("/", 1)[0]


@dataclass
class ChartOrder:
    """What one chart of the tree says about the order of its subcharts.

    ``children`` maps the name (or alias) of each enabled subchart to its chart path;
    ``declared`` holds every name and alias Chart.yaml lists, enabled or not; ``depends_on`` maps
    a subchart name to the sibling names it waits for; ``self_depends_on`` is the annotation
    ``helm.sh/depends-on/subcharts``.
    """

    path: str
    children: dict[str, str] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)
    depends_on: dict[str, list[str]] = field(default_factory=dict)
    self_depends_on: list[str] = field(default_factory=list)


@dataclass
class Batch:
    """Objects applied together and awaited together; ``labels`` name the groups (``chart group``)."""

    labels: list[str]
    docs: list[Doc]

    @property
    def label(self) -> str:
        """The groups of the batch, for messages and the ``## START resource-group`` comments."""
        return ", ".join(self.labels)


def parse_list(value: object, where: str) -> list[str]:
    """A list-valued annotation: a JSON array of strings or a comma-separated list."""
    if isinstance(value, list):
        items = value
    else:
        text = str(value or "").strip()
        if text.startswith("["):
            try:
                items = json.loads(text)
            except ValueError:
                raise SequenceError(f"{where}: not a JSON list of names: {text}") from None
            if not isinstance(items, list):
                raise SequenceError(f"{where}: not a JSON list of names: {text}")
        else:
            items = [p for p in text.split(",")]
    out = []
    for it in items[:_MAX_NAMES + 1]:
        if not isinstance(it, str):
            raise SequenceError(f"{where}: names must be strings, got {json.dumps(it)}")
        if it.strip():
            out.append(it.strip())
    if len(out) > _MAX_NAMES:
        raise SequenceError(f"{where}: more than {_MAX_NAMES} names")
    return out


def _doc_where(doc: Doc) -> str:
    return f"{doc.source}: {doc.kind}/{doc.name}" if doc.kind else doc.source


def group_of(doc: Doc, conventions: Iterable[str] = ()) -> tuple[str, list[str]]:
    """The resource group of ``doc`` and the groups it depends on ("" = no group)."""
    ann = doc.annotations
    where = _doc_where(doc)
    if GROUP_ANNOTATION in ann or DEPENDS_ON_GROUPS_ANNOTATION in ann:
        group = str(ann.get(GROUP_ANNOTATION) or "").strip()
        deps = parse_list(ann.get(DEPENDS_ON_GROUPS_ANNOTATION, ""), f"{where}: {DEPENDS_ON_GROUPS_ANNOTATION}")
        return group, deps
    if "kapp" in conventions:
        groups = sorted(v.strip() for k, v in ann.items() if (k == KAPP_GROUP or k.startswith(KAPP_GROUP + "."))
                        and str(v).strip())
        rules = [str(v) for k, v in sorted(ann.items()) if k == KAPP_RULE or k.startswith(KAPP_RULE + ".")]
        if len(groups) > 1:
            raise SequenceError(f"{where}: belongs to {len(groups)} kapp change groups ({', '.join(groups)}); "
                                "a resource group holds each object once")
        deps = []
        for rule in rules:
            m = _KAPP_UPSERT_AFTER.match(rule)
            if m:
                deps.append(m.group(1))
        if groups or deps:
            return (groups[0] if groups else ""), deps
    return "", []


def _argocd_wave(doc: Doc) -> int | None:
    raw = doc.annotations.get(ARGOCD_WAVE)
    if raw is None:
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        raise SequenceError(f"{_doc_where(doc)}: {ARGOCD_WAVE} is not an integer: {raw!r}") from None


def _wave_group(n: int) -> str:
    return f"argocd-wave({n})"


def _levels(nodes: list[str], deps: Mapping[str, Iterable[str]], what: str) -> list[list[str]]:
    """Kahn's algorithm by levels; a cycle is an error that names it."""
    indeg = {n: 0 for n in nodes}
    users: dict[str, list[str]] = {n: [] for n in nodes}
    for n in nodes:
        for d in sorted(set(deps.get(n, ()))):
            indeg[n] += 1
            users[d].append(n)
    level = sorted(n for n in nodes if indeg[n] == 0)
    out = []
    seen = 0
    while level:
        out.append(level)
        seen += len(level)
        nxt = []
        for n in level:
            for u in users[n]:
                indeg[u] -= 1
                if indeg[u] == 0:
                    nxt.append(u)
        level = sorted(nxt)
    if seen != len(nodes):
        raise SequenceError(f"{what}: circular dependency: {' -> '.join(_find_cycle(nodes, deps, indeg))}")
    return out


def _find_cycle(nodes: list[str], deps: Mapping[str, Iterable[str]], indeg: Mapping[str, int]) -> list[str]:
    left = {n for n in nodes if indeg[n] > 0}
    start = min(left)
    path = [start]
    pos = {start: 0}
    cur = start
    while True:
        nxt = min(d for d in deps.get(cur, ()) if d in left)
        if nxt in pos:
            return path[pos[nxt]:] + [nxt]
        pos[nxt] = len(path)
        path.append(nxt)
        cur = nxt


def group_batches(chart_path: str, docs: list[Doc], conventions: Iterable[str] = ()) -> list[Batch]:
    """The batches of one chart's own objects: groups level by level, then the ungrouped ones."""
    conventions = tuple(conventions)
    assigned: list[tuple[Doc, str, list[str]]] = [(d, *group_of(d, conventions)) for d in docs]
    if "argocd" in conventions:
        waves = {id(d): _argocd_wave(d) for d in docs}
        if any(w is not None for w in waves.values()):
            present = sorted({(w or 0) for d, g, deps in assigned if not g and not deps
                              for w in [waves[id(d)]]})
            redone = []
            for d, g, deps in assigned:
                if not g and not deps:
                    w = waves[id(d)] or 0
                    g, deps = _wave_group(w), [_wave_group(x) for x in present if x < w]
                redone.append((d, g, deps))
            assigned = redone
    groups: dict[str, set[str]] = {}
    for _d, g, deps in assigned:
        if g:
            groups.setdefault(g, set()).update(deps)
    for d, g, deps in assigned:
        for dep in deps:
            if dep not in groups:
                raise SequenceError(f"{_doc_where(d)}: depends on resource group {dep!r}, which no object of chart "
                                    f"{chart_path!r} belongs to")
            if dep == g:
                raise SequenceError(f"{_doc_where(d)}: resource group {g!r} depends on itself")
    batches = []
    for level in _levels(sorted(groups), groups, f"chart {chart_path!r} resource groups"):
        members = set(level)
        batches.append(Batch([f"{chart_path} {g}" for g in level], [d for d, g, _ in assigned if g in members]))
    rest = [d for d, g, _ in assigned if not g]
    if rest:
        batches.append(Batch([f"{chart_path} (unsequenced)"], rest))
    return batches


def _merge(parallel: list[list[Batch]]) -> list[Batch]:
    out = []
    for row in zip_longest(*parallel):
        present = [b for b in row if b is not None]
        out.append(Batch([lab for b in present for lab in b.labels], [d for b in present for d in b.docs]))
    return out


def plan(docs: list[Doc], charts: Mapping[str, ChartOrder], root: str,
         conventions: Iterable[str] = ()) -> list[Batch]:
    """Every document in batches, in the order HIP-0025 applies them.

    ``charts`` maps each chart path of the tree (``root``, ``root/charts/sub``…) to its
    `ChartOrder`; documents of a path not in it count as the root chart's.
    """
    conventions = tuple(conventions)
    by_chart: dict[str, list[Doc]] = {}
    for d in docs:
        path = d.chart_path if d.chart_path in charts else root
        by_chart.setdefault(path, []).append(d)
    visiting: set[str] = set()

    def batches_of(path: str) -> list[Batch]:
        if path in visiting:  # chart paths form a tree; a loop means a hostile mapping
            raise SequenceError(f"chart {path!r} contains itself")
        visiting.add(path)
        order = charts.get(path) or ChartOrder(path)
        deps: dict[str, list[str]] = {}
        known = set(order.children) | order.declared
        for child, wanted in order.depends_on.items():
            for w in wanted:
                if w not in known:
                    raise SequenceError(f"chart {path!r}: dependency {child!r} depends on {w!r}, which is not a "
                                        "dependency of this chart")
            if child in order.children:
                deps[child] = [w for w in wanted if w in order.children]
        for w in order.self_depends_on:
            if w not in known:
                raise SequenceError(f"chart {path!r}: {DEPENDS_ON_SUBCHARTS_ANNOTATION} names {w!r}, which is not a "
                                    "dependency of this chart")
        deps[SELF] = [w for w in order.self_depends_on if w in order.children]
        nodes = sorted(order.children) + [SELF]
        out: list[Batch] = []
        for level in _levels(nodes, deps, f"chart {path!r} subcharts"):
            parallel = [group_batches(path, by_chart.get(path, []), conventions) if n == SELF
                        else batches_of(order.children[n]) for n in level]
            out.extend(_merge(parallel))
        visiting.discard(path)
        return [b for b in out if b.docs]

    return batches_of(root)


def check(docs: list[Doc], charts: Mapping[str, ChartOrder], root: str,
          conventions: Iterable[str] = ()) -> list[str]:
    """Problems with a chart's sequencing, for lint: ordering errors and half-given readiness checks."""
    problems = []
    try:
        plan(docs, charts, root, conventions)
    except SequenceError as err:
        problems.append(str(err))
    for d in docs:
        has_ok = READINESS_SUCCESS_ANNOTATION in d.annotations
        has_fail = READINESS_FAILURE_ANNOTATION in d.annotations
        if has_ok != has_fail:
            problems.append(f"{_doc_where(d)}: {READINESS_SUCCESS_ANNOTATION} and {READINESS_FAILURE_ANNOTATION} "
                            "must be given together")
    return problems


def reverse(batches: list[Batch]) -> list[Batch]:
    """The order of deletion: the last batch applied goes first."""
    return list(reversed(batches))
