"""Coalescing chart defaults with user values (Helm's ``chartutil`` coalesce), and `Values`.

`coalesce_values(chart, user)` gives the values a release renders with: user values over the
chart's values.yaml, each subchart's defaults under ``<subchart name>:``, globals copied down
to every subchart (parent wins). A user ``null`` deletes a default; chart-default nulls are
dropped. `merge_values` is the variant that keeps nulls (used for import-values).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pilothouse.errors import ValuesError
from pilothouse.lazylog import LazyLogger

if TYPE_CHECKING:
    from pilothouse.chart.model import Chart

GLOBAL_KEY = "global"
log = LazyLogger("pilothouse.chart")


def _warn(message: str) -> None:
    log.warning(message)


def deep_copy(value: Any) -> Any:
    """A deep copy of a values tree (dicts and lists; scalars are immutable)."""
    if isinstance(value, dict):
        out = {k: deep_copy(v) for k, v in value.items()}
        return out if type(value) is dict else type(value)(out)
    if isinstance(value, list):
        items = [deep_copy(v) for v in value]
        return items if type(value) is list else type(value)(items)
    return value


def _prefix(a: str, b: str) -> str:
    return b if not a else f"{a}.{b}"


def coalesce_values(chart: Chart, values: dict[str, Any] | None) -> Values:
    """Helm's CoalesceValues: the values templates of ``chart`` (and its subcharts) see.

    ``values`` (user-supplied) is not modified. Raises `ValuesError` when a subchart's
    section is not a map (``type mismatch on <name>: ...``).
    """
    dest = deep_copy(values) if values else {}
    return Values(_coalesce(chart, dest, "", merge=False))


def merge_values(chart: Chart, values: dict[str, Any] | None) -> Values:
    """Helm's MergeValues: like `coalesce_values` but nulls are kept."""
    dest = deep_copy(values) if values else {}
    return Values(_coalesce(chart, dest, "", merge=True))


def _coalesce(chart: Chart, dest: dict[str, Any], prefix: str, merge: bool) -> dict[str, Any]:
    _coalesce_chart_values(chart, dest, prefix, merge)
    return _coalesce_deps(chart, dest, prefix, merge)


def _coalesce_deps(chart: Chart, dest: dict[str, Any], prefix: str, merge: bool) -> dict[str, Any]:
    from pilothouse.gotemplate.gofmt import sprintf

    for sub in chart.dependencies():
        name = sub.name()
        if name not in dest:
            dest[name] = {}
        elif not isinstance(dest[name], dict):
            raise ValuesError(f"type mismatch on {name}: {sprintf('%t', dest[name])}")
        sub_values = dest[name]
        sub_prefix = _prefix(prefix, chart.name())
        _coalesce_globals(sub_values, dest, sub_prefix)
        dest[name] = _coalesce(sub, sub_values, sub_prefix, merge)
    return dest


def _coalesce_globals(dest: dict[str, Any], src: dict[str, Any], prefix: str) -> None:
    """Copy the parent's ``global`` map into the subchart's, the parent's entries winning."""
    if GLOBAL_KEY not in dest:
        dg: dict[str, Any] = {}
    elif isinstance(dest[GLOBAL_KEY], dict):
        dg = dest[GLOBAL_KEY]
    else:
        _warn(f"warning: skipping globals because destination {GLOBAL_KEY} is not a table.")
        return
    if GLOBAL_KEY not in src:
        sg: dict[str, Any] = {}
    elif isinstance(src[GLOBAL_KEY], dict):
        sg = src[GLOBAL_KEY]
    else:
        _warn(f"warning: skipping globals because source {GLOBAL_KEY} is not a table.")
        return
    for key, val in sg.items():
        if isinstance(val, dict):
            vv = dict(val)  # a shallow copy, as Helm's copyMap
            if key not in dg:
                dg[key] = vv
            elif not isinstance(dg[key], dict):
                _warn(f'Conflict: cannot merge map onto non-map for "{key}". Skipping.')
            else:
                # the parent's table wins: merge the subchart's entries under it
                _coalesce_tables(vv, dg[key], _prefix(prefix, key), merge=True)
                dg[key] = vv
        elif key in dg and isinstance(dg[key], dict):
            _warn(f"key {key} is table. Skipping")
        else:
            dg[key] = val
    dest[GLOBAL_KEY] = dg


def _coalesce_chart_values(chart: Chart, v: dict[str, Any], prefix: str, merge: bool) -> None:
    """Merge a chart's own values.yaml under ``v`` (values in ``v`` win)."""
    sub_prefix = _prefix(prefix, chart.name())
    defaults = deep_copy(chart.values or {})
    sub_names = {d.name() for d in chart.dependencies()}
    for key, val in defaults.items():
        if key in v:
            value = v[key]
            if value is None and not merge:
                # a user null removes the chart's default
                del v[key]
            elif isinstance(value, dict):
                if not isinstance(val, dict):
                    if val is not None:
                        _warn(f"warning: skipped value for {sub_prefix}.{key}: Not a table.")
                else:
                    key_merge = True if key in sub_names else merge
                    if not key_merge:
                        _clean_nils(val)
                    _coalesce_tables(value, val, _prefix(sub_prefix, key), key_merge)
        else:
            if not merge:
                if val is None:
                    continue
                if isinstance(val, dict):
                    _clean_nils(val)
            v[key] = val


def coalesce_tables(dst: dict[str, Any] | None, src: dict[str, Any] | None) -> dict[str, Any] | None:
    """Helm's CoalesceTables: ``src`` merged under ``dst`` (``dst`` wins), nulls in ``dst`` delete."""
    return _coalesce_tables(dst, src, "", merge=False)


def merge_tables(dst: dict[str, Any] | None, src: dict[str, Any] | None) -> dict[str, Any] | None:
    """Helm's MergeTables: like `coalesce_tables` but nulls are kept."""
    return _coalesce_tables(dst, src, "", merge=True)


def _coalesce_tables(dst: dict[str, Any] | None, src: dict[str, Any] | None, prefix: str,
                     merge: bool) -> dict[str, Any] | None:
    if src is None:
        return dst
    if dst is None:
        return src
    src_non_nil = {k for k, val in src.items() if val is not None}
    for key, val in dst.items():
        if val is None:
            src[key] = None
    for key, val in src.items():
        full = _prefix(prefix, key)
        present = key in dst
        dv = dst.get(key)
        if present and not merge and dv is None and key in src_non_nil:
            del dst[key]
        elif not present:
            dst[key] = val
        elif isinstance(val, dict):
            if isinstance(dv, dict):
                _coalesce_tables(dv, val, full, merge)
            else:
                _warn(f"warning: cannot overwrite table with non table for {full} ({_v(val)})")
        elif isinstance(dv, dict) and val is not None:
            _warn(f"warning: destination for {full} is a table. Ignoring non-table value ({_v(val)})")
    return dst


def _clean_nils(m: dict[str, Any]) -> None:
    for key in [k for k, val in m.items() if val is None]:
        del m[key]
    for val in m.values():
        if isinstance(val, dict):
            _clean_nils(val)


def _v(val: Any) -> str:
    from pilothouse.gotemplate.gofmt import format_value as go_value

    return go_value(val)


# --------------------------------------------------------------------------------------------
# common.Values


class NoTableError(ValuesError):
    """Helm's ErrNoTable: ``"name" is not a table``."""

    def __init__(self, key: str) -> None:
        from pilothouse.gotemplate.gostrconv import quote as go_quote

        super().__init__(f"{go_quote(key)} is not a table")
        self.key = key


class NoValueError(ValuesError):
    """Helm's ErrNoValue: ``"name" is not a value``."""

    def __init__(self, key: str) -> None:
        from pilothouse.gotemplate.gostrconv import quote as go_quote

        super().__init__(f"{go_quote(key)} is not a value")
        self.key = key


def table(values: dict[str, Any], name: str) -> dict[str, Any]:
    """Helm's Values.Table: the map at a dotted path (the same object, not a copy).

    Raises `NoTableError` naming the first missing or non-map element.
    """
    current = values
    for part in name.split("."):
        nxt = current.get(part, _MISSING)
        if not isinstance(nxt, dict):
            raise NoTableError(part)
        current = nxt
    return current


def path_value(values: dict[str, Any], path: str) -> Any:
    """Helm's Values.PathValue: the non-map value at a dotted path; raises `NoValueError`."""
    if path == "":
        raise ValuesError("YAML path cannot be empty")
    parts = path.split(".")
    key = parts[-1]
    if len(parts) == 1:
        holder: dict[str, Any] = values
    else:
        try:
            holder = table(values, ".".join(parts[:-1]))
        except NoTableError:
            raise NoValueError(key) from None
    if key in holder and not isinstance(holder[key], dict):
        return holder[key]
    raise NoValueError(key)


_MISSING = object()


class Values(dict):
    """Helm's ``common.Values``: a values map whose methods templates can call.

    ``.Values.YAML``, ``.Values.Table "a.b"``, ``.Values.AsMap``, ``.Values.PathValue "a.b"``
    shadow values keys of the same names, as in Helm.
    """

    __slots__ = ()
    go_type: ClassVar[str] = "common.Values"
    go_kind: ClassVar[str] = "map"
    go_methods: ClassVar[frozenset[str]] = frozenset({"YAML", "Table", "AsMap", "Encode", "PathValue"})

    def table(self, name: str) -> Values:
        """The sub-table at a dotted path as a `Values` (a shallow copy); raises `NoTableError`."""
        found = table(self, name)
        return found if isinstance(found, Values) else Values(found)

    def path_value(self, path: str) -> Any:
        """The non-table value at a dotted path; raises `NoValueError` (Helm's PathValue)."""
        return path_value(self, path)

    def as_map(self) -> dict[str, Any]:
        """The values as a plain map."""
        return self

    def yaml(self) -> str:
        """The values as YAML, as Helm's Values.YAML (sigs.k8s.io/yaml) writes them."""
        from pilothouse import goyaml

        return goyaml.to_yaml(dict(self))  # type: ignore[attr-defined]

    # --- the Go method set (called by templates) -------------------------------------------

    def YAML(self) -> str:  # noqa: N802 - Go method name
        return self.yaml()

    def Table(self, name: str) -> Values:  # noqa: N802 - Go method name
        try:
            return self.table(name)
        except NoTableError as err:
            from pilothouse.gotemplate.gotypes import FuncError

            raise FuncError(str(err)) from None

    def AsMap(self) -> dict[str, Any]:  # noqa: N802 - Go method name
        return dict(self) if self else {}

    def Encode(self, writer: Any) -> None:  # noqa: N802 - Go method name
        writer.write(self.yaml())

    def PathValue(self, path: str) -> Any:  # noqa: N802 - Go method name
        try:
            return self.path_value(path)
        except ValuesError as err:
            from pilothouse.gotemplate.gotypes import FuncError

            raise FuncError(str(err)) from None
