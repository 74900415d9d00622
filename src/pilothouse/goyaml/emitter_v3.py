"""`toYamlPretty`: a yaml.v3 Encoder with SetIndent(2), applied to the Go value directly.

Unlike `toYaml` there is no JSON step: float64 values print with Go's %g rule (`1e+06`),
ints stay ints, sequences under a key are indented, lines never wrap, and map keys use
yaml.v3's variant of the natural sort.
"""

from __future__ import annotations

from typing import Any

from pilothouse.goyaml.emitcore import PLAIN, Emitter, MapNode, Node, ScalarNode, SeqNode
from pilothouse.goyaml.emitter import float_text, natural_sort_key_v3, string_style
from pilothouse.goyaml.errors import JSONError


def _key_text(k: Any) -> str:
    return k if isinstance(k, str) else str(k)


def to_node_v3(v: Any) -> Node:
    """A Go value as the node tree yaml.v3's encoder emits for it."""
    from pilothouse.gotemplate.gotypes import FuncError, GoObject

    if v is None:
        return ScalarNode("null", PLAIN)
    if v is True:
        return ScalarNode("true", PLAIN)
    if v is False:
        return ScalarNode("false", PLAIN)
    if isinstance(v, str):
        return ScalarNode(v, string_style(v, v3=True))
    if isinstance(v, float):
        return ScalarNode(float_text(v), PLAIN)
    if isinstance(v, int):
        return ScalarNode(str(int(v)), PLAIN)
    if isinstance(v, (bytes, bytearray)):
        return SeqNode([ScalarNode(str(b), PLAIN) for b in v])
    if isinstance(v, GoObject) and (type(v).go_json is not GoObject.go_json or not isinstance(v, (dict, list))):
        try:
            return to_node_v3(v.go_json())
        except FuncError as e:
            raise JSONError(str(e)) from None
    if isinstance(v, dict):
        if all(isinstance(k, str) for k in v):
            keys = sorted(v, key=natural_sort_key_v3)
        else:
            keys = sorted(v, key=lambda k: (not isinstance(k, (int, float)), _key_text(k)))
        return MapNode([(to_node_v3(k) if not isinstance(k, str) else ScalarNode(k, string_style(k, v3=True)),
                         to_node_v3(v[k])) for k in keys])
    if isinstance(v, (list, tuple)):
        return SeqNode([to_node_v3(x) for x in v])
    raise JSONError(f"cannot marshal type: {getattr(v, 'go_type', type(v).__name__)}")


def marshal_v3(v: Any) -> str:
    """yaml.v3 `NewEncoder(w).SetIndent(2); Encode(v)` output (ending in "\\n")."""
    return Emitter(best_width=-1, best_indent=2, v3=True).emit_document(to_node_v3(v))
