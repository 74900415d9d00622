"""Rendering a loaded chart tree into ``{template key: text}``, as Helm's engine does.

The order of parsing and executing, the scoping of values into subcharts, the `include`, `tpl`,
`required`, `fail`, `lookup` functions and the rewording of errors all follow Helm v4.2's
`pkg/engine`, because chart authors rely on each of them (which `define` wins, when a `set` on
`.Values` becomes visible, what an error says).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pilothouse.engine.context import Files, Values, table_at
from pilothouse.engine.errors import cleanup_parse_error, reformat_exec_error, warn_wrap
from pilothouse.errors import TemplateError
from pilothouse.gotemplate.gotypes import FuncError, gofunc

ROOT_TEMPLATE = "gotpl"
RECURSION_MAX = 1000


@dataclass
class _Renderable:
    text: str
    context: dict
    base_path: str


def _collect(chart: Any, out: dict[str, _Renderable], top: Mapping[str, Any], parent_ctx: dict | None) -> dict:
    """Helm's recAllTpls: build each chart's context map and register its templates."""
    is_root = getattr(chart, "parent", None) is None
    subcharts: dict[str, Any] = {}
    ctx: dict[str, Any] = {
        "Chart": {**chart.metadata.as_go_map(), "IsRoot": is_root},
        "Files": Files({f.name: f.data for f in chart.files}),
        "Release": top.get("Release"),
        "Capabilities": top.get("Capabilities"),
        "Values": Values(),
        "Subcharts": subcharts,
    }
    if is_root:
        vals = top.get("Values")
        ctx["Values"] = vals if isinstance(vals, Values) else Values(vals or {})
    else:
        assert parent_ctx is not None
        table = table_at(parent_ctx, "Values." + chart.metadata.name)
        if table is not None:
            ctx["Values"] = table
    for child in chart.dependencies():
        subcharts[child.metadata.name] = _collect(child, out, top, ctx)
    full = chart.chart_full_path()
    library = chart.is_library()
    for t in chart.templates:
        if library and not posixpath.basename(t.name).startswith("_"):
            continue
        data = t.data.decode("utf-8", "replace") if isinstance(t.data, bytes) else t.data
        out[posixpath.join(full, t.name)] = _Renderable(data, ctx, posixpath.join(full, "templates"))
    return ctx


def sort_templates(keys: list[str]) -> list[str]:
    """Deepest paths first; at equal depth, reverse byte order (Helm's parse and execution order)."""
    return sorted(keys, key=lambda k: (k.count("/"), k.encode()), reverse=True)


def _error_chain(err: BaseException) -> list[str]:
    chain = [str(err)]
    cur: BaseException | None = getattr(err, "cause", None)
    while cur is not None:
        chain.append(str(cur))
        cur = getattr(cur, "cause", None)
    return chain


class Engine:
    """Helm's template engine: options are fields, `render` does the work.

    ``strict`` turns on missingkey=error; ``lint_mode`` makes `required`/`fail` warn instead of
    failing; ``lookup`` is the function used for the template `lookup` (None: Helm's client-only
    behaviour, an empty map); ``enable_dns`` lets `getHostByName` resolve names.
    """

    def __init__(self, *, strict: bool = False, lint_mode: bool = False,
                 lookup: Callable[..., Any] | None = None, enable_dns: bool = False,
                 custom_funcs: Mapping[str, Callable[..., Any]] | None = None,
                 warn: Callable[[str], None] | None = None) -> None:
        self.strict = strict
        self.lint_mode = lint_mode
        self.lookup = lookup
        self.enable_dns = enable_dns
        self.custom_funcs = dict(custom_funcs or {})
        self.warn = warn or (lambda msg: None)

    def render(self, chart: Any, top: Mapping[str, Any]) -> dict[str, str]:
        """Render every template of ``chart`` and its enabled subcharts.

        ``top`` is Helm's render values: ``{"Values": coalesced, "Release": ..., "Capabilities": ...}``.
        Returns Helm's engine-level map: template key → text with ``<no value>`` removed.
        Raises `TemplateError` with Helm's message on the first parse or execution error.
        """
        templates: dict[str, _Renderable] = {}
        _collect(chart, templates, top, None)
        return self._render(templates)

    # -- internals -------------------------------------------------------------------------

    def _funcs(self, ts: Any, included: dict[str, int]) -> dict[str, Callable[..., Any]]:
        from pilothouse.funcs import helm_funcs

        funcs = dict(helm_funcs())
        funcs["include"] = self._include(ts, included)
        funcs["tpl"] = self._tpl(ts, included)
        funcs["required"] = self._required
        funcs["fail"] = self._fail
        funcs["lookup"] = self.lookup or _lookup_placeholder
        if not self.enable_dns:
            funcs["getHostByName"] = _no_dns
        funcs.update(self.custom_funcs)
        return funcs

    def _include(self, ts: Any, included: dict[str, int]) -> Callable[..., Any]:
        @gofunc("string", "interface {}")
        def include(name: str, data: Any) -> str:
            depth = included.get(name, 0)
            if depth > RECURSION_MAX:
                raise FuncError(f"rendering template has a nested reference name: {name}: unable to execute template")
            included[name] = depth + 1
            try:
                if not ts.has(name):
                    raise _GoError(f'template: no template "{name}" associated with template "{ROOT_TEMPLATE}"')
                return ts.execute(name, data)
            finally:
                included[name] -= 1

        return include

    def _tpl(self, parent: Any, included: dict[str, int]) -> Callable[..., Any]:
        from pilothouse.gotemplate import ExecError, ParseError

        @gofunc("string", "interface {}")
        def tpl(text: str, data: Any) -> str:
            clone = parent.clone()
            clone.funcs["include"] = self._include(clone, included)
            clone.funcs["tpl"] = self._tpl(clone, included)
            try:
                own = clone.parse(ROOT_TEMPLATE, text)
            except ParseError as err:
                raise _GoError(f"cannot parse template {_go_quote(text)}: {err}", err) from err
            try:
                out = clone.execute(ROOT_TEMPLATE, data, template=own)
            except ExecError as err:
                raise _GoError(f"error during tpl function execution for {_go_quote(text)}: {err}", err) from err
            return out.replace("<no value>", "")

        return tpl

    @gofunc("string", "interface {}")
    def _required(self, warn: str, val: Any) -> Any:
        if val is None or val == "" and isinstance(val, str):
            if self.lint_mode:
                self.warn(f"missing required value: {warn}")
                return ""
            raise FuncError(warn_wrap(warn))
        return val

    @gofunc("string")
    def _fail(self, msg: str) -> str:
        if self.lint_mode:
            self.warn(f"fail: {msg}")
            return ""
        raise FuncError(warn_wrap(msg))

    def _render(self, templates: dict[str, _Renderable]) -> dict[str, str]:
        from pilothouse.gotemplate import ExecError, ParseError, TemplateSet

        included: dict[str, int] = {}
        ts = TemplateSet(missingkey="error" if self.strict else "zero")
        ts.funcs.update(self._funcs(ts, included))
        keys = sort_templates(list(templates))
        for key in keys:
            try:
                ts.parse(key, templates[key].text)
            except ParseError as err:
                raise TemplateError(cleanup_parse_error(key, str(err))) from None
        rendered: dict[str, str] = {}
        for key in keys:
            if posixpath.basename(key).startswith("_"):
                continue
            r = templates[key]
            r.context["Template"] = Values({"Name": key, "BasePath": r.base_path})
            try:
                out = ts.execute(key, r.context)
            except ExecError as err:
                raise TemplateError(reformat_exec_error(key, _error_chain(err))) from None
            rendered[key] = out.replace("<no value>", "")
        return rendered


class _GoError(FuncError):
    """An error a Helm function returns that wraps another (Go's %w), keeping the chain."""

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.cause = cause


def _go_quote(s: str) -> str:
    from pilothouse.gotemplate.gofmt import quote

    return quote(s)


@gofunc("string", "string", "string", "string")
def _lookup_placeholder(api_version: str, kind: str, namespace: str, name: str) -> dict:
    return {}


@gofunc("string")
def _no_dns(name: str) -> str:
    return ""


def render_values(values: Mapping[str, Any], *, release: Mapping[str, Any], capabilities: Any) -> dict[str, Any]:
    """Helm's ToRenderValues: the top-level map `render` takes."""
    vals = values if isinstance(values, Values) else Values(values)
    return {"Values": vals, "Release": dict(release), "Capabilities": capabilities}


__all__ = ["Engine", "render_values", "sort_templates", "TemplateError"]
