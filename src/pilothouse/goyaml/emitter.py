"""`toYaml`: sigs.k8s.io/yaml.Marshal, i.e. Go json.Marshal → yaml.v2 Unmarshal → yaml.v2 Marshal.

The JSON step decides the data (struct fields by json tags, numbers re-typed: integral
JSON numbers become ints, others floats); yaml.v2's encoder decides key order (its
"natural" sort) and the requested scalar styles; `emitcore` writes the text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from pilothouse.gotemplate.gostrconv import format_float
from pilothouse.goyaml.emitcore import DOUBLE, LITERAL, PLAIN, Emitter, MapNode, Node, ScalarNode, SeqNode
from pilothouse.goyaml.errors import JSONError
from pilothouse.goyaml.gojson import JSONNumber, json_tree
from pilothouse.goyaml.resolve import resolve, resolves_to_string

_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


def is_base60_float(s: str) -> bool:
    """yaml.v2's isBase60Float: `12:30`-like text that YAML 1.1 readers take as a number."""
    if not s or not (s[0] in "+-" or "0" <= s[0] <= "9") or ":" not in s:
        return False
    return _BASE60.fullmatch(s) is not None


def _is_digit(c: str) -> bool:
    return unicodedata.category(c) == "Nd"


def natural_less(a: str, b: str, *, v3: bool = False) -> bool:
    """yaml.v2 `keyList.Less` for two string keys (letters after non-letters, digit runs by value).

    With `v3`, yaml.v3's variant: right after a digit, a letter sorts before a non-letter.
    """
    digits = False
    n = min(len(a), len(b))
    for i in range(n):
        ca, cb = a[i], b[i]
        if ca == cb:
            digits = v3 and _is_digit(ca)
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


def _natural_sort_key(v3: bool) -> Callable[[str], Any]:
    def cmp(a: str, b: str) -> int:
        return -1 if natural_less(a, b, v3=v3) else (1 if natural_less(b, a, v3=v3) else 0)

    return functools.cmp_to_key(cmp)


natural_sort_key = _natural_sort_key(False)
natural_sort_key_v3 = _natural_sort_key(True)

# yaml.v3 reads these as strings (YAML 1.2) but still quotes them for YAML 1.1 readers.
_OLD_BOOLS = frozenset("y Y yes Yes YES on On ON n N no No NO off Off OFF".split())


def string_style(s: str, *, v3: bool = False) -> str:
    """The style yaml.v2's (or, with `v3`, yaml.v3's) encoder requests for a string in block
    context (the emitter may still change it)."""
    if "\n" in s:
        return LITERAL
    if resolves_to_string(s) and not is_base60_float(s) and not (v3 and s in _OLD_BOOLS):
        return PLAIN
    return DOUBLE


def _number_text(text: str) -> str:
    # yaml.v2 reads the JSON number back with its resolver: ints stay ints, the rest floats.
    _tag, value = resolve("", text)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return text
    if isinstance(value, int):
        return str(value)
    return float_text(value)


_SPECIAL_FLOATS = {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}


def float_text(f: float) -> str:
    """A float64 as the yaml encoders write it: Go's shortest %g, or .inf, -.inf, .nan."""
    s = format_float(f)
    return _SPECIAL_FLOATS.get(s, s)


def to_node(v: Any) -> Node:
    """A JSON-model value (from `json_tree`) as the node tree yaml.v2's encoder emits."""
    if v is None:
        return ScalarNode("null", PLAIN)
    if v is True:
        return ScalarNode("true", PLAIN)
    if v is False:
        return ScalarNode("false", PLAIN)
    if isinstance(v, JSONNumber):
        return ScalarNode(_number_text(v), PLAIN)
    if isinstance(v, str):
        return ScalarNode(v, string_style(v))
    if isinstance(v, dict):
        keys = sorted(v, key=natural_sort_key)
        return MapNode([(ScalarNode(k, string_style(k)), to_node(v[k])) for k in keys])
    return SeqNode([to_node(x) for x in v])


def marshal(v: Any) -> str:
    """sigs.k8s.io/yaml.Marshal(v) as text (ending in "\\n").

    Raises JSONError("error marshaling into JSON: ...") when Go's json.Marshal fails.
    """
    try:
        tree = json_tree(v)
    except JSONError as e:
        raise JSONError(f"error marshaling into JSON: {e}") from None
    return Emitter(best_width=80).emit_document(to_node(tree))
