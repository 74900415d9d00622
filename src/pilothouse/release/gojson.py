"""Encoding release records the way Go's encoding/json writes Helm's structs.

Go writes struct fields in declaration order and map keys sorted. `Struct` marks an ordered
record (a Go struct); every plain ``dict`` is a Go map and goes through `pilothouse.goyaml.to_json`.
Decoding is Go's `json.Unmarshal` into ``interface{}``: every number becomes a float.
"""

from __future__ import annotations

import json
from typing import Any


class Struct(list):
    """An ordered list of (json name, value) pairs: a Go struct with its omitempty rules already applied."""


def encode(value: Any) -> str:
    """Go's compact `json.Marshal` of ``value`` (HTML characters escaped)."""
    parts: list[str] = []
    _encode(value, parts)
    return "".join(parts)


def _encode(value: Any, parts: list[str]) -> None:
    from pilothouse.goyaml.gojson import marshal_json, quote_json_string

    if isinstance(value, Struct):
        parts.append("{")
        for i, (key, item) in enumerate(value):
            if i:
                parts.append(",")
            parts.append(quote_json_string(key))
            parts.append(":")
            _encode(item, parts)
        parts.append("}")
    elif isinstance(value, list) and any(isinstance(v, Struct) for v in value):
        parts.append("[")
        for i, item in enumerate(value):
            if i:
                parts.append(",")
            _encode(item, parts)
        parts.append("]")
    else:
        parts.append(marshal_json(value))


def decode(data: bytes | str) -> Any:
    """Go's `json.Unmarshal` into ``interface{}``: objects, lists, strings, floats, bools, None."""
    from pilothouse.errors import ReleaseError

    try:
        return json.loads(data, parse_int=float)
    except (ValueError, RecursionError) as err:
        raise ReleaseError(f"invalid release record: {err}") from None
