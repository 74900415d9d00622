"""Reading YAML as Go's yaml.v2 does, and then as sigs.k8s.io/yaml hands it to Helm.

PyYAML's libyaml parser supplies the events (yaml.v2 is a port of libyaml, so syntax
errors carry the same problem texts); composing nodes, resolving scalars and decoding
into Go values is done here the way yaml.v2 does it: anchors may be redefined, merge keys
overwrite in order, timestamps stay strings, duplicate keys are allowed (the last wins).
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

from pilothouse.gotemplate.gostrconv import format_float
from pilothouse.goyaml.errors import GoYAMLFailure, YAMLError
from pilothouse.goyaml.gosyntax import go_sharp_v, go_type_name
from pilothouse.goyaml.resolve import (
    BINARY_TAG,
    MERGE_TAG,
    NULL_TAG,
    TIMESTAMP_TAG,
    ResolveError,
    resolve,
)
from pilothouse.yamlimport import import_yaml

_SCALAR, _SEQ, _MAP, _ALIAS = 0, 1, 2, 3


class _Node:
    __slots__ = ("kind", "tag", "implicit", "value", "children", "alias", "line", "column")

    def __init__(self, kind: int, line: int, column: int) -> None:
        self.kind = kind
        self.tag = ""
        self.implicit = False
        self.value = ""
        self.children: list[_Node] = []
        self.alias: _Node | None = None
        self.line = line
        self.column = column


class V2Map(dict):
    """A yaml.v2 map[interface{}]interface{}: keys are stored as (Go kind, key) to keep
    `1`, `1.0` and `true` apart, as Go does; values are (key, value) pairs."""

    def items_go(self) -> list[tuple[Any, Any]]:
        return list(self.values())


def _key_id(k: Any) -> tuple[str, Any]:
    if isinstance(k, bool):
        return ("bool", k)
    if isinstance(k, float):
        return ("float", k)
    if isinstance(k, int):
        return ("int", k)
    return (type(k).__name__, k)


# ---------------------------------------------------------------------------------------------
# Parsing: libyaml events → nodes of the first document


def _events(data: str | bytes) -> Any:
    from yaml._yaml import CParser

    return CParser(data)


def _parse_error(err: Exception) -> GoYAMLFailure:
    """yaml.v2's `parser.fail()`: pick the line the way Go does (0-based marks, +1 for scanner errors)."""
    import yaml

    problem = getattr(err, "problem", None) or "unknown problem parsing YAML content"
    pmark = getattr(err, "problem_mark", None)
    cmark = getattr(err, "context_mark", None)
    line = 0
    column = None
    if pmark is not None and pmark.line != 0:
        line = pmark.line
        if isinstance(err, yaml.scanner.ScannerError):
            line += 1
    elif cmark is not None and cmark.line != 0:
        line = cmark.line
    if pmark is not None:
        column = pmark.column + 1
    if isinstance(err, yaml.reader.ReaderError):
        return GoYAMLFailure(f"yaml: {err.reason}")
    where = f"line {line}: " if line else ""
    return GoYAMLFailure(f"yaml: {where}{problem}", line or None, column)


def _compose_documents(data: str | bytes, first_only: bool) -> list[_Node | None]:
    yaml = import_yaml()
    from yaml.events import (
        AliasEvent,
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    parser = _events(data)
    docs: list[_Node | None] = []
    try:
        parser.get_event()  # StreamStart
        while True:
            ev = parser.get_event()
            if type(ev) is StreamEndEvent:
                break
            if type(ev) is not DocumentStartEvent:  # pragma: no cover - libyaml guarantees it
                raise GoYAMLFailure("yaml: unexpected event")
            anchors: dict[str, _Node] = {}
            stack: list[_Node] = []
            root: _Node | None = None
            while True:
                ev = parser.get_event()
                t = type(ev)
                if t is DocumentEndEvent:
                    break
                mark = ev.start_mark
                if t is ScalarEvent:
                    n = _Node(_SCALAR, mark.line, mark.column)
                    n.value = ev.value
                    n.tag = ev.tag or ""
                    n.implicit = bool(ev.implicit[0])
                    if ev.anchor is not None:
                        anchors[ev.anchor] = n
                elif t is SequenceStartEvent or t is MappingStartEvent:
                    n = _Node(_SEQ if t is SequenceStartEvent else _MAP, mark.line, mark.column)
                    n.tag = ev.tag or ""
                    if ev.anchor is not None:
                        anchors[ev.anchor] = n
                elif t is AliasEvent:
                    n = _Node(_ALIAS, mark.line, mark.column)
                    n.value = ev.anchor
                    n.alias = anchors.get(ev.anchor)
                    if n.alias is None:
                        raise GoYAMLFailure(f"yaml: unknown anchor '{ev.anchor}' referenced")
                elif t is SequenceEndEvent or t is MappingEndEvent:
                    n = stack.pop()
                    if not stack:
                        root = n
                    continue
                else:  # pragma: no cover
                    continue
                if stack:
                    stack[-1].children.append(n)
                elif n.kind in (_SCALAR, _ALIAS):
                    root = n
                if n.kind in (_SEQ, _MAP):
                    stack.append(n)
            docs.append(root)
            if first_only:
                break
    except yaml.YAMLError as err:
        raise _parse_error(err) from None
    return docs


# ---------------------------------------------------------------------------------------------
# Decoding: nodes → yaml.v2 values into interface{}


class _Decoder:
    def __init__(self) -> None:
        self.active_aliases: set[int] = set()
        self.decode_count = 0
        self.alias_count = 0
        self.alias_depth = 0

    def decode(self, n: _Node) -> Any:
        self.decode_count += 1
        if self.alias_depth > 0:
            self.alias_count += 1
        if self.alias_count > 100 and self.decode_count > 1000 and (
            self.alias_count / self.decode_count > _allowed_alias_ratio(self.decode_count)
        ):
            raise GoYAMLFailure("yaml: document contains excessive aliasing")
        if n.kind == _ALIAS:
            return self.alias(n, None)
        if n.kind == _SCALAR:
            if n.tag == NULL_TAG:
                return None
            return self.scalar(n)
        if n.kind == _MAP:
            out = V2Map()
            self.mapping_into(n, out)
            return out
        return [self.decode(c) for c in n.children]

    def alias(self, n: _Node, into: V2Map | None) -> Any:
        if id(n) in self.active_aliases:
            raise GoYAMLFailure(f"yaml: anchor '{n.value}' value contains itself")
        self.active_aliases.add(id(n))
        self.alias_depth += 1
        try:
            assert n.alias is not None
            if into is not None:
                self.count_node(n.alias)
                if n.alias.kind == _MAP:
                    self.mapping_into(n.alias, into)
                return into
            return self.decode(n.alias)
        finally:
            self.alias_depth -= 1
            self.active_aliases.discard(id(n))

    def count_node(self, n: _Node) -> None:
        self.decode_count += 1
        if self.alias_depth > 0:
            self.alias_count += 1

    def scalar(self, n: _Node) -> Any:
        if n.tag == "" and not n.implicit:
            return n.value
        try:
            tag, value = resolve(n.tag, n.value)
        except ResolveError as e:
            raise GoYAMLFailure(f"yaml: {e}") from None
        if tag == BINARY_TAG:
            try:
                raw = base64.b64decode(n.value.replace("\n", "").replace("\r", ""), validate=True)
            except (binascii.Error, ValueError):
                raise GoYAMLFailure("yaml: !!binary value contains invalid base64 data") from None
            return raw.decode("utf-8", errors="replace")
        if tag == TIMESTAMP_TAG:
            return n.value
        return value

    def mapping_into(self, n: _Node, out: V2Map) -> None:
        ch = n.children
        for i in range(0, len(ch) - 1, 2):
            kn, vn = ch[i], ch[i + 1]
            if kn.kind == _SCALAR and kn.value == "<<" and (kn.implicit or kn.tag == MERGE_TAG):
                self.merge(vn, out)
                continue
            k = self.decode(kn)
            if isinstance(k, (dict, list)):
                raise GoYAMLFailure(f"yaml: invalid map key: {go_sharp_v(_to_plain(k))}")
            v = self.decode(vn)
            out[_key_id(k)] = (k, v)

    def merge(self, n: _Node, out: V2Map) -> None:
        if n.kind == _MAP:
            self.count_node(n)
            self.mapping_into(n, out)
        elif n.kind == _ALIAS:
            if n.alias is not None and n.alias.kind != _MAP:
                raise GoYAMLFailure("yaml: map merge requires map or sequence of maps as the value")
            self.alias(n, out)
        elif n.kind == _SEQ:
            for c in reversed(n.children):
                if c.kind == _ALIAS:
                    if c.alias is not None and c.alias.kind != _MAP:
                        raise GoYAMLFailure("yaml: map merge requires map or sequence of maps as the value")
                    self.alias(c, out)
                elif c.kind != _MAP:
                    raise GoYAMLFailure("yaml: map merge requires map or sequence of maps as the value")
                else:
                    self.count_node(c)
                    self.mapping_into(c, out)
        else:
            raise GoYAMLFailure("yaml: map merge requires map or sequence of maps as the value")


def _allowed_alias_ratio(count: int) -> float:
    low, high = 400_000, 4_000_000
    if count <= low:
        return 0.99
    if count >= high:
        return 0.10
    return 0.99 - 0.89 * ((count - low) / (high - low))


def _to_plain(v: Any) -> Any:
    """A yaml.v2 value with V2Maps turned into plain dicts (colliding keys: the last wins)."""
    if isinstance(v, V2Map):
        return {k: _to_plain(x) for k, x in v.values()}
    if isinstance(v, list):
        return [_to_plain(x) for x in v]
    return v


def _decode_v2(data: str | bytes, first_only: bool = True) -> list[Any]:
    docs = _compose_documents(data, first_only)
    return [None if d is None else _Decoder().decode(d) for d in docs]


def load_yaml_v2(text: str | bytes) -> Any:
    """yaml.v2 `Unmarshal` into interface{}: the first document with yaml.v2's own types
    (ints stay ints, map keys keep their types). Errors raise YAMLError ("yaml: ...")."""
    try:
        docs = _decode_v2(text)
    except GoYAMLFailure as e:
        raise YAMLError(str(e), e.line, e.column) from None
    return _to_plain(docs[0]) if docs else None


# ---------------------------------------------------------------------------------------------
# sigs.k8s.io/yaml: yaml.v2 value → JSON-able value → encoding/json value


def _json_key(k: Any, v: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, int) and -(1 << 63) <= k < (1 << 63):
        return str(k)
    if isinstance(k, float):
        s = format_float(k, "g", -1, 32)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s)
    kt = "%!s(<nil>)" if k is None else go_type_name(k)
    raise GoYAMLFailure(f"unsupported map key of type: {kt}, key: {go_sharp_v(k)}, value: {go_sharp_v(_to_plain(v))}")


def _jsonable(v: Any) -> Any:
    """convertToJSONableObject, then the float64 retyping of a json.Marshal/Unmarshal round trip."""
    if isinstance(v, V2Map):
        return {_json_key(k, x): _jsonable(x) for k, x in v.values()}
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return float(v)
    return v


def _check_json_floats(v: Any) -> None:
    """json.Marshal's first NaN/Inf in its own walk order (map keys sorted) is an error."""
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise GoYAMLFailure(f"json: unsupported value: {format_float(v)}")
    elif isinstance(v, dict):
        for k in sorted(v, key=lambda s: s.encode("utf-8", "surrogatepass")):
            _check_json_floats(v[k])
    elif isinstance(v, list):
        for x in v:
            _check_json_floats(x)


_JSON_KIND = {bool: "bool", str: "string", float: "number", list: "array", dict: "object"}


def unmarshal(text: str | bytes, target: str = "any") -> Any:
    """sigs.k8s.io/yaml.Unmarshal of the first document into `target`.

    target "any" is interface{}, "map" map[string]interface{}, "list" []interface{}. A null
    document gives None for "any" and an empty map or list otherwise.
    """
    try:
        docs = _decode_v2(text)
        value = _jsonable(docs[0] if docs else None)
        _check_json_floats(value)
    except GoYAMLFailure as e:
        raise YAMLError(f"error converting YAML to JSON: {e}", e.line, e.column) from None
    if target == "any":
        return value
    want, gotype = (dict, "map[string]interface {}") if target == "map" else (list, "[]interface {}")
    if value is None:
        return want()
    if not isinstance(value, want):
        kind = _JSON_KIND[type(value)]
        raise YAMLError(
            f"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type {gotype}"
        )
    return value


def load_yaml(text: str | bytes, *, filename: str | None = None) -> Any:
    """sigs.k8s.io/yaml.Unmarshal into interface{}: Helm's way of reading YAML.

    First document only; YAML 1.1 scalars (yes/no/on/off → bool, 0755 octal); map keys
    become strings; every number becomes a float; NaN/Inf values are an error. Errors raise
    YAMLError with Go's text. `filename`, when given, prefixes the message as
    "failed to parse FILE: ...".
    """
    try:
        return unmarshal(text, "any")
    except YAMLError as e:
        if filename is None:
            raise
        raise YAMLError(f"failed to parse {filename}: {e}", e.line, e.column) from None
