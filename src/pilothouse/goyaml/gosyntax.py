"""Go's names and `%#v` spellings of yaml.v2 values, as they appear in Go error messages."""

from __future__ import annotations

from typing import Any

from pilothouse.gotemplate.gostrconv import format_float
from pilothouse.gotemplate.gostrconv import quote as go_quote

_INT64_MAX = (1 << 63) - 1


def go_type_name(v: Any) -> str:
    """The Go type yaml.v2 gives `v` when decoding into interface{}."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "uint64" if v > _INT64_MAX else "int"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "map[interface {}]interface {}"
    if isinstance(v, list):
        return "[]interface {}"
    return type(v).__name__


def go_sharp_v(v: Any, nested: bool = False) -> str:
    """Go `fmt.Sprintf("%#v", v)` for a yaml.v2 value held in an interface{}."""
    if v is None:
        return "interface {}(nil)" if nested else "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return f"0x{v:x}" if v > _INT64_MAX else str(v)
    if isinstance(v, float):
        return format_float(v)
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, dict):
        items = sorted(v.items(), key=lambda kv: _sort_key(kv[0]))
        body = ", ".join(f"{go_sharp_v(k, True)}:{go_sharp_v(x, True)}" for k, x in items)
        return "map[interface {}]interface {}{" + body + "}"
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(go_sharp_v(x, True) for x in v) + "}"
    return repr(v)


def _sort_key(k: Any) -> tuple[int, Any]:
    # fmt sorts interface{} keys by type first, then value; an approximation is enough here.
    if isinstance(k, str):
        return (2, k)
    if isinstance(k, bool):
        return (0, int(k))
    if isinstance(k, (int, float)):
        return (1, k)
    return (3, str(k))
