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
from .nodes import is_empty_tree

__all__ = ["TemplateSet", "ParseError", "ExecError"]

_MISSINGKEY = {
    "default": _rt.MK_INVALID,
    "invalid": _rt.MK_INVALID,
    "zero": _rt.MK_ZERO,
    "error": _rt.MK_ERROR,
}


class _Parsed:
    """One parse of one text, compiled: shared by every TemplateSet that parses that text."""

    __slots__ = ("trees", "compiled", "used_funcs")

    def __init__(self, trees: dict[str, Any], compiled: dict[str, Callable[..., Any]], used: frozenset[str]) -> None:
        self.trees = trees
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
        self._trees: dict[str, Any] = {}
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
        key = (
            name,
            text,
            left or "{{",
            right or "}}",
            "break" in funcs,
            "continue" in funcs,
            funcs.get("and") is BUILTINS["and"],
            funcs.get("or") is BUILTINS["or"],
        )
        parsed = _CACHE.get(key)
        if parsed is None or not all(f in funcs for f in parsed.used_funcs):
            parsed = self._parse_new(name, text, left, right)
            if len(_CACHE) >= _CACHE_MAX:
                _CACHE.clear()
            _CACHE[key] = parsed
        for tname, tree in parsed.trees.items():
            old = self._trees.get(tname)
            if old is not None and is_empty_tree(tree.root):
                continue
            self._trees[tname] = tree
            self._templates[tname] = parsed.compiled[tname]
        return parsed.compiled.get(name)

    def _parse_new(self, name: str, text: str, left: str, right: str) -> _Parsed:
        from .compiler import compile_trees
        from .parser import parse

        funcs = self.funcs
        trees = parse(name, text, left, right, has_function=funcs.__contains__)
        compiled = compile_trees(
            trees, {"and": funcs.get("and") is BUILTINS["and"], "or": funcs.get("or") is BUILTINS["or"]}
        )
        used: set[str] = set()
        for tree in trees.values():
            used |= tree.used_funcs
        return _Parsed(trees, compiled, frozenset(used))

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
        other._trees = dict(self._trees)
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
