"""Which subcharts are enabled, and which values they export (Helm's ProcessDependencies).

Run on the loaded chart with the user's values before coalescing:

1. every Chart.yaml dependency is matched with the loaded subchart of that name whose version
   satisfies the constraint; an alias gives the matched chart a copy named after the alias;
   subcharts not listed in Chart.yaml stay, always enabled, ahead of the listed ones;
2. ``tags:`` and ``condition:`` (first path resolving to a bool wins) disable dependencies,
   which are then removed from the tree and from the metadata; nested charts recurse;
3. ``import-values`` copy child tables into the parent's values (children first), under the
   parent's own values, and the item list is rewritten to ``{child, parent}`` maps.
"""

from __future__ import annotations

from typing import Any

from pilothouse.chart.model import Chart, Dependency
from pilothouse.chart.values import (
    NoTableError,
    NoValueError,
    coalesce_tables,
    coalesce_values,
    deep_copy,
    merge_tables,
    merge_values,
    path_value,
    table,
)
from pilothouse.errors import ChartError
from pilothouse.gotemplate.gotypes import StrMap
from pilothouse.lazylog import LazyLogger

log = LazyLogger("pilothouse.chart")


def is_compatible_range(constraint: str, version: str) -> bool:
    """True when ``version`` satisfies ``constraint`` (False when either does not parse)."""
    from pilothouse.semver import Constraints, Version

    try:
        ver = Version.parse(version)
        cons = Constraints.parse(constraint)
    except Exception:  # noqa: BLE001 - Helm treats any parse failure as "not compatible"
        return False
    return cons.check(ver)


def process_dependencies(chart: Chart, values: dict[str, Any] | None) -> None:
    """Enable/disable subcharts by tags and conditions, apply aliases and import-values.

    Modifies ``chart`` in place (its subchart list, its metadata's dependencies, and the
    values of charts that import from children). ``values`` are the user-supplied values.
    """
    _process_enabled(chart, values or {}, "")
    _process_import_values_tree(chart, merge=True)


def check_dependencies(chart: Chart, *, hint: bool = True) -> None:
    """Refuse a chart whose Chart.yaml lists a dependency that is not in ``charts/``.

    This is the check ``install``/``upgrade``/``template`` make on the loaded chart before
    processing (names only; aliases are not considered, as in Helm); those commands add the
    advice to run ``dependency build``, ``package`` reports the bare finding (``hint=False``).
    """
    if chart.metadata is None or not chart.metadata.dependencies:
        return
    present = {d.name() for d in chart.dependencies()}
    missing = [d.name for d in chart.metadata.dependencies if d is not None and d.name not in present]
    if missing:
        finding = "found in Chart.yaml, but missing in charts/ directory: " + ", ".join(missing)
        if not hint:
            raise ChartError(finding)
        raise ChartError(
            "an error occurred while checking for chart dependencies. You may need to run "
            "'pilot dependency build' to fetch missing dependencies: " + finding
        )


def _alias_dependency(charts: list[Chart], dep: Dependency) -> Chart | None:
    """A copy of the loaded chart that satisfies ``dep``, renamed to its alias."""
    for c in charts:
        if c is None or c.name() != dep.name:
            continue
        if c.metadata is None or not is_compatible_range(dep.version, c.metadata.version):
            continue
        out = c.shallow_copy()
        # shallow copies of the grandchildren, so that two aliases of one chart do not share parents
        for grandchild in c.dependencies():
            gc = _copy_chart_keep_deps(grandchild)
            out.add_dependency(gc)
        if dep.alias:
            assert out.metadata is not None
            out.metadata.name = dep.alias
        return out
    return None


def _copy_chart_keep_deps(c: Chart) -> Chart:
    import copy

    out = copy.copy(c)
    out._dependencies = list(c._dependencies)
    return out


def _process_enabled(c: Chart, values: dict[str, Any], path: str) -> None:
    md = c.metadata
    if md is None or not md.dependencies:
        return
    listed = [r for r in md.dependencies if r is not None]
    chart_deps: list[Chart] = []
    for existing in c.dependencies():
        if any(existing.name() == r.name and existing.metadata is not None
               and is_compatible_range(r.version, existing.metadata.version) for r in listed):
            continue
        chart_deps.append(existing)
    for req in listed:
        found = _alias_dependency(c.dependencies(), req)
        if found is not None:
            chart_deps.append(found)
        if req.alias:
            req.name = req.alias
    c.set_dependencies(*chart_deps)
    for req in listed:
        req.enabled = True
    cvals = coalesce_values(c, values)
    _process_tags(listed, cvals)
    _process_conditions(listed, cvals, path)
    removed = {r.name for r in listed if not r.enabled}
    kept = [d for d in c.dependencies() if d.name() not in removed]
    kept_meta = [r for r in md.dependencies if r is None or r.name not in removed]
    for sub in kept:
        _process_enabled(sub, cvals, path + sub.name() + ".")
    md.dependencies = kept_meta
    c.set_dependencies(*kept)


def _process_tags(reqs: list[Dependency], cvals: dict[str, Any]) -> None:
    try:
        tags = table(cvals, "tags")
    except NoTableError:
        return
    for r in reqs:
        has_true = has_false = False
        for name in r.tags:
            if name not in tags:
                continue
            val = tags[name]
            if isinstance(val, bool):
                if val:
                    has_true = True
                else:
                    has_false = True
            else:
                log.warning("returned non-bool value tag=%s chart=%s", name, r.name)
        if not has_true and has_false:
            r.enabled = False
        else:
            r.enabled = True


def _process_conditions(reqs: list[Dependency], cvals: dict[str, Any], path: str) -> None:
    for r in reqs:
        for cond in r.condition.strip().split(","):
            if not cond:
                continue
            try:
                val = path_value(cvals, path + cond)
            except NoValueError:
                continue
            except Exception as err:  # noqa: BLE001 - Helm only logs other lookup failures
                log.warning("the method PathValue returned error: %s", err)
                continue
            if isinstance(val, bool):
                r.enabled = val
                break
            log.warning("returned non-bool value path=%s chart=%s", cond, r.name)


def _path_to_map(path: str, data: dict[str, Any]) -> dict[str, Any]:
    if path == ".":
        return data
    cur: dict[str, Any] = data
    for part in reversed(path.split(".")):
        cur = {part: cur}
    return cur


def _go_sprint(val: Any) -> str:
    from pilothouse.gotemplate.gofmt import format_value as go_value

    return go_value(val)


def _process_import_values(c: Chart, merge: bool) -> None:
    md = c.metadata
    if md is None or not md.dependencies:
        return
    cvals = merge_values(c, None) if merge else coalesce_values(c, None)
    combine = merge_tables if merge else coalesce_tables
    b: dict[str, Any] = {}
    for r in md.dependencies:
        if r is None:
            continue
        out: list[Any] = []
        for item in r.import_values:
            if isinstance(item, dict):
                child = _go_sprint(item.get("child"))
                parent = _go_sprint(item.get("parent"))
                out.append(StrMap({"child": child, "parent": parent}))
                try:
                    vv = table(cvals, r.name + "." + child)
                except NoTableError as err:
                    log.warning("ImportValues missing table from chart chart=%s error=%s", r.name, err)
                    continue
                b = combine(b, _path_to_map(parent, vv)) or {}
            elif isinstance(item, str):
                child = "exports." + item
                out.append(StrMap({"child": child, "parent": "."}))
                try:
                    vm = table(cvals, r.name + "." + child)
                except NoTableError as err:
                    log.warning("ImportValues missing table error=%s", err)
                    continue
                b = combine(b, vm) or {}
        r.import_values = out
    # imported values rank below the parent's own values
    if merge:
        c.values = merge_tables(deep_copy(dict(cvals)), b) or {}
    else:
        c.values = coalesce_tables(_trim_nils(dict(cvals)), b) or {}


def _trim_nils(vals: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, val in vals.items():
        if val is None:
            continue
        out[key] = _trim_nils(val) if isinstance(val, dict) else deep_copy(val)
    return out


def _process_import_values_tree(c: Chart, merge: bool) -> None:
    for d in c.dependencies():
        _process_import_values_tree(d, merge)
    _process_import_values(c, merge)
