"""The errors YAML and JSON reading and writing raise, with Go's message texts."""

from __future__ import annotations

from pilothouse.errors import ValuesError


class YAMLError(ValuesError):
    """YAML that Go's reader rejects; `str()` is the message Helm prints.

    `line` and `column` (1-based) locate the problem when the parser knows where it is.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class JSONError(ValuesError):
    """JSON that Go's encoding/json rejects (reading) or a value it cannot encode (writing)."""


class TOMLError(ValuesError):
    """TOML that BurntSushi/toml rejects, or a value it cannot encode; `str()` is Go's text."""


class GoYAMLFailure(Exception):
    """A yaml.v2 failure before Helm's wrapping ("yaml: line 3: ..."); internal to goyaml."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
