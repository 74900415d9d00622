"""`toYamlPretty`: a yaml.v3 Encoder with SetIndent(2), applied to the Go value directly.

Unlike `toYaml` there is no JSON step: float64 values print with Go's %g rule (`1e+06`),
ints stay ints, sequences under a key are indented, lines never wrap, and map keys use
yaml.v3's variant of the natural sort.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from typing import Any

from pilothouse.goyaml.emitcore import DOUBLE, LITERAL, PLAIN, Emitter, MapNode, Node, ScalarNode, SeqNode
from pilothouse.goyaml.emitter import is_base60_float
from pilothouse.goyaml.errors import JSONError
from pilothouse.goyaml.gostrconv import format_float
from pilothouse.goyaml.resolve import resolves_to_string


def _is_digit(c: str) -> bool:
    return unicodedata.category(c) == "Nd"


def natural_less_v3(a: str, b: str) -> bool:
    """yaml.v3 `keyList.Less` for string keys: like yaml.v2's, except that after a digit a
    letter sorts before a non-letter."""
    digits = False
    n = min(len(a), len(b))
    for i in range(n):
        ca, cb = a[i], b[i]
        if ca == cb:
            digits = _is_digit(ca)
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            return al if digits else bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and _is_digit(a[j]):
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and _is_digit(a[ai]):
            an = an * 10 + (ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and _is_digit(b[bi]):
            bn = bn * 10 + (ord(b[bi]) - 48)
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _cmp(a: str, b: str) -> int:
    return -1 if natural_less_v3(a, b) else (1 if natural_less_v3(b, a) else 0)


_sort_key = functools.cmp_to_key(_cmp)

_OLD_BOOLS = frozenset("y Y yes Yes YES on On ON n N no No NO off Off OFF".split())


def string_style_v3(s: str) -> str:
    """The style yaml.v3's encoder requests for a string in block context."""
    if "\n" in s:
        return LITERAL
    if resolves_to_string(s) and not is_base60_float(s) and s not in _OLD_BOOLS:
        return PLAIN
    return DOUBLE


def _float_text(f: float) -> str:
    if math.isnan(f):
        return ".nan"
    if math.isinf(f):
        return ".inf" if f > 0 else "-.inf"
    return format_float(f)


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
        return ScalarNode(v, string_style_v3(v))
    if isinstance(v, float):
        return ScalarNode(_float_text(v), PLAIN)
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
            keys = sorted(v, key=_sort_key)
        else:
            keys = sorted(v, key=lambda k: (not isinstance(k, (int, float)), _key_text(k)))
        return MapNode([(to_node_v3(k) if not isinstance(k, str) else ScalarNode(k, string_style_v3(k)),
                         to_node_v3(v[k])) for k in keys])
    if isinstance(v, (list, tuple)):
        return SeqNode([to_node_v3(x) for x in v])
    raise JSONError(f"cannot marshal type: {getattr(v, 'go_type', type(v).__name__)}")


def marshal_v3(v: Any) -> str:
    """yaml.v3 `NewEncoder(w).SetIndent(2); Encode(v)` output (ending in "\\n")."""
    return Emitter(best_width=-1, best_indent=2, v3=True).emit_document(to_node_v3(v))
