"""Go's text/template for Python: parse once, compile to Python, execute with Go's semantics.

    from pilothouse.gotemplate import TemplateSet
    ts = TemplateSet(funcs={"upper": str.upper}, missingkey="zero")
    ts.parse("page", '{{define "x"}}[{{.}}]{{end}}{{template "x" .Name | upper}}')
    ts.execute("page", {"Name": "go"})          # -> "[GO]"

Values follow the table in `gotypes`. Errors are `ParseError` / `ExecError` with Go's text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import runtime as _rt
from .builtins import BUILTINS
from .errors import ExecError, ParseError

__all__ = ["TemplateSet", "ParseError", "ExecError"]

_MISSINGKEY = {
    "default": _rt.MK_INVALID,
    "invalid": _rt.MK_INVALID,
    "zero": _rt.MK_ZERO,
    "error": _rt.MK_ERROR,
}


class _Parsed:
    """One parse of one text, compiled: shared by every TemplateSet that parses that text.

    `empty` tells, per template the text defines, whether it is only space and comments (Go's
    IsEmptyTree); `used_funcs` are the function names it calls.
    """

    __slots__ = ("empty", "compiled", "used_funcs")

    def __init__(self, empty: dict[str, bool], compiled: dict[str, Callable[..., Any]], used: frozenset[str]) -> None:
        self.empty = empty
        self.compiled = compiled
        self.used_funcs = used


_CACHE: dict[tuple[Any, ...], _Parsed] = {}
_CACHE_MAX = 4096


class TemplateSet:
    """A namespace of associated templates sharing one function map (Go's template.Template).

    `funcs` is the merged function map (builtins plus the given ones); it may be changed or
    replaced, e.g. per clone. Function names are checked when a text is parsed.
    """

    def __init__(
        self,
        funcs: Mapping[str, Callable[..., Any]] | None = None,
        missingkey: str = "default",
        *,
        name: str = "gotpl",
    ) -> None:
        if missingkey not in _MISSINGKEY:
            raise ValueError(f"unrecognized option: missingkey={missingkey}")
        self.funcs: dict[str, Callable[..., Any]] = dict(BUILTINS)
        if funcs:
            self.funcs.update(funcs)
        self.missingkey = missingkey
        self.name = name
        self._templates: dict[str, Callable[..., Any]] = {}

    # -- parsing -------------------------------------------------------------------------------

    def parse(self, name: str, text: str, *, left: str = "{{", right: str = "}}") -> Callable[..., Any] | None:
        """Parse `text` as template `name`, adding the templates it defines to this set.

        A later non-empty definition of a name replaces an earlier one; an empty one (only
        space and comments) never replaces a non-empty one. Raises `ParseError`.
        Returns the template `text` itself defines for `name` (Go's ``t.New(name).Parse(text)``
        result): pass it to `execute` as ``template=`` to run it even where it was too empty to
        replace an existing definition, as Go's ``Execute`` on that result does.
        """
        funcs = self.funcs
        left = left or "{{"
        right = right or "}}"
        flags = (
            "break" in funcs,
            "continue" in funcs,
            funcs.get("and") is BUILTINS["and"],
            funcs.get("or") is BUILTINS["or"],
        )
        key = (name, text, left, right, *flags)
        parsed = _CACHE.get(key)
        if parsed is None or not all(f in funcs for f in parsed.used_funcs):
            parsed = self._load_or_parse(name, text, left, right, flags)
            if len(_CACHE) >= _CACHE_MAX:
                _CACHE.clear()
            _CACHE[key] = parsed
        for tname, empty in parsed.empty.items():
            if empty and tname in self._templates:
                continue
            self._templates[tname] = parsed.compiled[tname]
        return parsed.compiled.get(name)

    def _load_or_parse(self, name: str, text: str, left: str, right: str, flags: tuple[bool, ...]) -> Any:
        from . import cache

        funcs = self.funcs
        disk_key = cache.entry_key(text, left, right, flags) if cache.cache_dir() is not None else None
        if disk_key is not None:
            payload = cache.read_entry(disk_key)
            if payload is not None:
                loaded = cache.load(payload, name, text, lambda: _reparse(name, text, left, right, flags))
                # A function the cached parse calls but this set lacks is a parse error: parse
                # again to report it as Go does.
                if loaded is not None and all(f in funcs for f in loaded.used_funcs):
                    return loaded
        from .compiler import compile_unit
        from .nodes import is_empty_tree
        from .parser import parse

        trees = parse(name, text, left, right, has_function=funcs.__contains__)
        unit = compile_unit(trees, {"and": flags[2], "or": flags[3]})
        compiled = _rt.instantiate(unit.code, unit.fnames, unit.consts)
        used: set[str] = set()
        for tree in trees.values():
            used |= tree.used_funcs
        empty = {tname: is_empty_tree(tree.root) for tname, tree in trees.items()}
        parsed = _Parsed(empty, compiled, frozenset(used))
        if disk_key is not None:
            payload = cache.dump(name, trees, empty, parsed.used_funcs, unit)
            if payload is not None:
                cache.write_entry(disk_key, payload)
        return parsed

    # -- lookup --------------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        """Whether a template of that name is defined."""
        return name in self._templates

    def names(self) -> list[str]:
        """The names of all defined templates."""
        return list(self._templates)

    def _compiled_for(self, name: str) -> Callable[..., Any] | None:
        return self._templates.get(name)

    def clone(self) -> TemplateSet:
        """A copy whose later parses and function-map changes do not affect this set."""
        other = TemplateSet.__new__(TemplateSet)
        other.funcs = dict(self.funcs)
        other.missingkey = self.missingkey
        other.name = self.name
        other._templates = dict(self._templates)
        return other

    # -- execution -----------------------------------------------------------------------------

    def execute(self, name: str, data: Any, *, template: Callable[..., Any] | None = None) -> str:
        """Execute template `name` with `data` as dot and `$`; returns the output text.

        ``template`` (a value `parse` returned) runs that parse's own template under `name`.
        """
        fn = template if template is not None else self._templates.get(name)
        if fn is None:
            from .gostrconv import quote

            raise ExecError(
                f"template: no template {quote(name)} associated with template {quote(self.name)}",
                template=name,
                msg=f"no template {quote(name)} associated with template {quote(self.name)}",
            )
        ctx = _rt.Ctx(self, self.funcs, _MISSINGKEY[self.missingkey])
        out: list[str] = []
        try:
            _rt.depth_enter(None)
        except _rt.Fail as f:
            raise _exec_error(f, name) from None
        try:
            fn(ctx, _rt.NOVALUE if data is None else data, out)
        except _rt.Fail as f:
            raise _exec_error(f, name) from None
        except RecursionError:
            raise ExecError(
                f"template: {name}: exceeded maximum template depth ({_rt.MAX_EXEC_DEPTH})",
                template=name,
                msg=f"exceeded maximum template depth ({_rt.MAX_EXEC_DEPTH})",
            ) from None
        except UnboundLocalError as e:
            # A variable declared only on a path that did not run (e.g. inside a skipped and/or
            # operand): Go reports it as undefined at run time.
            raise ExecError(f"template: {name}: undefined variable", template=name, msg=str(e)) from None
        finally:
            _rt.depth_leave()
        return "".join(out)


def _reparse(name: str, text: str, left: str, right: str, flags: tuple[bool, ...]) -> dict[str, Any]:
    """Parse a text again as it was first parsed, for the nodes an error message needs."""
    from .parser import SKIP_FUNC_CHECK, parse

    has_break, has_continue = flags[0], flags[1]

    def has_function(fn: str) -> bool:
        if fn == "break":
            return has_break
        if fn == "continue":
            return has_continue
        return True

    return parse(name, text, left, right, has_function=has_function, mode=SKIP_FUNC_CHECK)


def _exec_error(f: _rt.Fail, name: str) -> ExecError:
    from .gostrconv import quote

    node = f.node
    if node is None or node.tree is None:
        return ExecError(f"template: {name}: {f.msg}", template=name, msg=f.msg, cause=f.cause, func=f.func)
    tree = node.tree
    text = tree.text
    pos = node.pos
    line = text.count("\n", 0, pos) + 1
    start = text.rfind("\n", 0, pos) + 1
    segment = text[start:pos]
    col = len(segment) if segment.isascii() else len(segment.encode("utf-8", "surrogateescape"))
    context = node.string()
    location = f"{tree.parse_name}:{line}:{col}"
    return ExecError(
        f"template: {location}: executing {quote(tree.name)} at <{context}>: {f.msg}",
        template=tree.name,
        name=tree.parse_name,
        line=line,
        col=col,
        node=context,
        msg=f.msg,
        func=f.func,
        cause=f.cause,
    )
