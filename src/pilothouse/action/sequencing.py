"""HIP-0025 sequencing for the actions: a chart tree and a release manifest → ordered batches.

The graph itself lives in `pilothouse.manifest.sequence`; this module reads what it needs from the
loaded chart (Chart.yaml ``depends-on`` fields and annotations, which the typed metadata does not
keep) and from the rendered manifest (``# Source:`` lines and annotations).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pilothouse.manifest.sequence import (
    CONVENTIONS,
    DEPENDS_ON_SUBCHARTS_ANNOTATION,
    Batch,
    ChartOrder,
    Doc,
    SequenceError,
    parse_list,
    plan,
)

ORDERED = "ordered"
_SOURCE = re.compile(r"^# Source: (.*)$", re.M)


def parse_conventions(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``--sequence-annotations=kapp,argocd`` → ("kapp", "argocd"); unknown names are an error."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    out = []
    for it in items:
        it = it.strip()
        if not it:
            continue
        if it not in CONVENTIONS:
            raise SequenceError(f'invalid sequence annotations "{it}". Valid values are: {", ".join(CONVENTIONS)}')
        out.append(it)
    return tuple(out)


def _raw_chart_yaml(chart: Any) -> dict[str, Any]:
    import yaml

    for f in getattr(chart, "raw", []) or []:
        if getattr(f, "name", "") == "Chart.yaml":
            data = f.data.decode("utf-8", "replace") if isinstance(f.data, bytes) else f.data
            try:
                doc = yaml.safe_load(data)
            except yaml.YAMLError:
                return {}
            return doc if isinstance(doc, dict) else {}
    return {}


def chart_orders(chart: Any) -> tuple[str, dict[str, ChartOrder]]:
    """The root chart path and the `ChartOrder` of every chart in the (processed) tree."""
    out: dict[str, ChartOrder] = {}

    def walk(c: Any) -> None:
        path = c.chart_full_path()
        raw = _raw_chart_yaml(c)
        order = ChartOrder(path)
        for sub in c.dependencies():
            order.children[sub.name()] = sub.chart_full_path()
        entries = raw.get("dependencies") if isinstance(raw.get("dependencies"), list) else []
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            key = str(entry.get("alias") or entry.get("name") or "")
            order.declared.update(str(entry[k]) for k in ("name", "alias") if entry.get(k))
            if "depends-on" in entry:
                order.depends_on[key] = parse_list(entry["depends-on"], f"{path}/Chart.yaml: dependency {key!r} "
                                                                          "depends-on")
        ann = raw.get("annotations") if isinstance(raw.get("annotations"), dict) else {}
        if DEPENDS_ON_SUBCHARTS_ANNOTATION in ann:
            order.self_depends_on = parse_list(ann[DEPENDS_ON_SUBCHARTS_ANNOTATION],
                                               f"{path}/Chart.yaml: {DEPENDS_ON_SUBCHARTS_ANNOTATION}")
        out[path] = order
        for sub in c.dependencies():
            walk(sub)

    walk(chart)
    return chart.chart_full_path(), out


def manifest_docs(manifest: str) -> list[Doc]:
    """The documents of a release manifest (``---`` + ``# Source:`` + object) with their heads."""
    from pilothouse.manifest.sorter import parse_head
    from pilothouse.manifest.split import split_manifests

    docs = []
    for text in split_manifests(manifest):
        m = _SOURCE.search(text)
        head = parse_head(text)
        docs.append(Doc(source=m.group(1).strip() if m else "", text=text, kind=head.kind, name=head.name,
                        annotations=dict(head.annotations or {})))
    return docs


def plan_release(chart: Any, manifest: str, conventions: Iterable[str] = ()) -> list[Batch]:
    """The batches in which ``manifest`` (rendered from ``chart``) is applied with ``--wait=ordered``."""
    root, orders = chart_orders(chart)
    return plan(manifest_docs(manifest), orders, root, conventions)


def plan_from_manifest(manifest: str, conventions: Iterable[str] = ()) -> list[Batch]:
    """Batches from a stored manifest alone (uninstall): resource groups per chart path, subcharts as
    separate charts without their Chart.yaml ordering (the chart is no longer at hand), children first."""
    docs = manifest_docs(manifest)
    paths = sorted({d.chart_path for d in docs}, key=lambda p: (-p.count("/charts/"), p))
    if not paths:
        return []
    roots = [p for p in paths if "/charts/" not in p]
    root = roots[0] if roots else paths[-1]
    orders: dict[str, ChartOrder] = {}
    for p in paths:
        orders.setdefault(p, ChartOrder(p))
        parent, sep, name = p.rpartition("/charts/")
        while sep:
            orders.setdefault(parent, ChartOrder(parent)).children[name] = p
            p = parent
            parent, sep, name = p.rpartition("/charts/")
    for o in orders.values():
        # a chart's own objects come after its subcharts', as with helm.sh/depends-on/subcharts
        o.self_depends_on = sorted(o.children)
    return plan(docs, orders, root, conventions)


def batch_manifest(batch: Batch) -> str:
    """The documents of a batch as one manifest, for building objects."""
    return "".join(f"---\n{d.text}\n" for d in batch.docs)


def _display_path(chart_path: str) -> str:
    # HIP-0025 names a subchart's groups ``<chart>/<subchart> <group>``, without the charts/ folders
    return chart_path.replace("/charts/", "/")


def annotate_template(batches: list[Batch], conventions: Iterable[str] = ()) -> str:
    """``pilot template --wait=ordered``: the documents in apply order, each resource group between
    HIP-0025's ``## START resource-group: <chart>[/<subchart>] <group>`` and ``## END ...`` comments.

    Documents and group blocks are separated by ``---`` as in the HIP's example (which starts with
    the first ``## START`` line); objects without a group follow their chart's groups, each after a
    ``---`` as helm prints them, with no comments around them.
    """
    from pilothouse.manifest.sequence import group_of

    out: list[str] = []
    for b in batches:
        groups: dict[str, list[str]] = {}
        loose: list[str] = []
        for d in b.docs:
            g = group_of(d, conventions)[0]
            text = d.text.strip("\n") + "\n"
            if g:
                groups.setdefault(f"{_display_path(d.chart_path)} {g}", []).append(text)
            else:
                loose.append(text)
        for label in sorted(groups):
            if out:
                out.append("---\n")
            out.append(f"## START resource-group: {label}\n" + "---\n".join(groups[label]) +
                       f"## END resource-group: {label}\n")
        # an object outside any group is printed as helm prints every object
        out.extend("---\n" + text for text in loose)
    return "".join(out)


def template_in_order(chart: Any, manifest: str, conventions: Iterable[str] = ()) -> str:
    """The rendered manifest as ``pilot template --wait=ordered`` prints it (see `annotate_template`)."""
    return annotate_template(plan_release(chart, manifest, conventions), conventions)


def resource_batches(kube: Any, batches: list[Batch], resources: list[Any], namespace: str) -> list[list[Any]]:
    """The built objects of each batch, taken from ``resources`` (the same objects the action holds)."""
    by_id = {r.identity(): r for r in resources}
    out: list[list[Any]] = []
    placed: set[Any] = set()
    for b in batches:
        built = kube.build(batch_manifest(b), namespace=namespace)
        group = []
        for r in built:
            have = by_id.get(r.identity())
            if have is not None and r.identity() not in placed:
                placed.add(r.identity())
                group.append(have)
        out.append(group)
    rest = [r for r in resources if r.identity() not in placed]
    if rest:
        out.append(rest)
    return [g for g in out if g]


def run_in_order(batches: list[Batch], groups: list[list[Any]], step: Any, progress: Any = None) -> None:
    """Call ``step(objects)`` for each batch in turn (apply, then wait), reporting progress."""
    from pilothouse.kube.progress import StepDone, StepStarted, emit

    labels = [b.label for b in batches] + ["(rest)"]
    n = len(groups)
    for i, objs in enumerate(groups):
        emit(progress, StepStarted(i + 1, n, labels[i] if i < len(labels) else "", len(objs)))
        step(objs)
        emit(progress, StepDone(i + 1, n, labels[i] if i < len(labels) else ""))


def delete_in_order(cfg: Any, manifest: str, namespace: str, propagation: str, timeout: float,
                    conventions: Iterable[str] = ()) -> tuple[list[Any], str, list[str]]:
    """Uninstall with ``--wait=ordered``: batches in reverse order, each gone before the next.

    Returns (deleted objects, kept objects as Helm lists them, errors).
    """
    from pilothouse.errors import PilothouseError
    from pilothouse.kube import ops
    from pilothouse.kube.progress import StepDone, StepStarted, emit
    from pilothouse.manifest.hooks import RESOURCE_POLICY_ANNOTATION

    try:
        batches = list(reversed(plan_from_manifest(manifest, conventions)))
    except PilothouseError as err:
        return [], "", [f"corrupted release record. You must manually delete the resources: {err}"]
    progress = getattr(cfg, "progress", None)
    waiter = cfg.waiter("ordered")
    deleted: list[Any] = []
    kept: list[str] = []
    errs: list[str] = []
    for i, b in enumerate(batches):
        docs = []
        for d in b.docs:
            policy = d.annotations.get(RESOURCE_POLICY_ANNOTATION)
            if policy is None:
                docs.append(d)
            elif policy.strip().lower() == "keep":
                kept.append(f"[{d.kind}] {d.name}\n")
        if not docs:
            continue
        emit(progress, StepStarted(i + 1, len(batches), b.label, len(docs)))
        try:
            objs = cfg.kube.build(batch_manifest(Batch(b.labels, docs)), namespace=namespace)
        except PilothouseError as err:
            return deleted, "".join(kept), [f"unable to build kubernetes objects for delete: {err}"]
        _, e = ops.delete(cfg.kube, objs, propagation)
        errs.extend(e)
        deleted.extend(objs)
        if e:
            break
        try:
            waiter.wait_for_delete(objs, timeout)
        except PilothouseError as err:
            errs.append(str(err))
            break
        emit(progress, StepDone(i + 1, len(batches), b.label))
    return deleted, "".join(kept), errs


def lint_sequencing(path: str, render: Any, values: dict[str, Any], namespace: str,
                    conventions: Iterable[str] = ()) -> list[str]:
    """`pilot lint`: problems with the chart's sequencing (cycles, unknown groups or subcharts,
    half-given readiness checks). A chart that does not load or render yields nothing here: the
    other lint rules report that."""
    from pilothouse.chart import load
    from pilothouse.errors import PilothouseError
    from pilothouse.manifest.sequence import check
    from pilothouse.manifest.sorter import sort_manifests

    try:
        chart = load(path)
        rendered = render(chart, values, namespace)
        _, manifests = sort_manifests({k: v for k, v in rendered.items() if k.endswith((".yaml", ".yml", ".json"))
                                       or "/templates/" in k})
    except PilothouseError:
        return []
    docs = [Doc(source=m.name, text=m.content, kind=m.head.kind, name=m.head.name,
                annotations=dict(m.head.annotations or {})) for m in manifests]
    try:
        root, orders = chart_orders(chart)
    except SequenceError as err:
        return [str(err)]
    return check(docs, orders, root, conventions)


def _chart_mentions_ordering(chart: Any) -> bool:
    for f in getattr(chart, "raw", []) or []:
        if getattr(f, "name", "") == "Chart.yaml":
            data = f.data if isinstance(f.data, bytes) else str(f.data).encode()
            if b"depends-on" in data:
                return True
    return any(_chart_mentions_ordering(sub) for sub in chart.dependencies())


def check_release(chart: Any, manifest: str) -> None:
    """``pilot template``: a chart that declares an ordering must declare a possible one.

    Charts without HIP-0025 annotations cost a substring search and nothing else.
    """
    if "helm.sh/resource-group" not in manifest and "helm.sh/depends-on/" not in manifest and \
            not _chart_mentions_ordering(chart):
        return
    plan_release(chart, manifest)
