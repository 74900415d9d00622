"""Template errors: their text is exactly Go's, their fields let callers (Helm) reformat them."""

from __future__ import annotations

from pilothouse.errors import TemplateError


class ParseError(TemplateError):
    """A template cannot be parsed: ``template: NAME:LINE: MESSAGE``.

    Fields: `name` (the name the text was parsed under), `line`, `msg` (the short message).
    """

    def __init__(self, name: str, line: int, msg: str) -> None:
        self.name = name
        self.line = line
        self.msg = msg
        super().__init__(f"template: {name}:{line}: {msg}")


class ExecError(TemplateError):
    """A template failed while executing.

    ``str(err)`` is Go's text, e.g.
    ``template: x:3:7: executing "x" at <.a.b>: nil pointer evaluating interface {}.b``.

    Fields: `template` (the executing template's name), `name` (the file/parse name holding the
    failing node), `line`, `col` (0-based byte column, as Go counts), `node` (the failing node's
    source text), `msg` (the short message), `func` (the function whose call failed, if any) and
    `cause` (the exception that function raised, if any).
    """

    def __init__(
        self,
        text: str,
        *,
        template: str = "",
        name: str = "",
        line: int = 0,
        col: int = 0,
        node: str = "",
        msg: str = "",
        func: str | None = None,
        cause: BaseException | None = None,
    ) -> None:
        self.template = template
        self.name = name
        self.line = line
        self.col = col
        self.node = node
        self.msg = msg
        self.func = func
        self.cause = cause
        super().__init__(text)
