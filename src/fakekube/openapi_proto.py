"""`/openapi/v2` in protobuf, as clients ask for it (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`):
the Swagger 2.0 document of `openapi.v2_document` encoded as gnostic's `openapi.v2.Document`.

Only what that document holds is encoded: info, paths with their operations (operation id, query
parameters, responses, vendor extensions), and definitions (schemas with type, description,
properties, items and vendor extensions). Vendor extension values travel as YAML text, as
kube-openapi writes them. Field numbers are those of gnostic's OpenAPIv2.proto.
"""

from __future__ import annotations

from typing import Any

import yaml

# what clients ask for has an "@", which Go's mime parser refuses in an answer: the API server answers
# with the same type spelled with a dot
CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _bytes_field(num: int, data: bytes) -> bytes:
    return _varint(num << 3 | 2) + _varint(len(data)) + data


def _str(num: int, text: str) -> bytes:
    return _bytes_field(num, text.encode()) if text else b""


def _bool(num: int, value: bool) -> bytes:
    return _varint(num << 3) + b"\x01" if value else b""


def _any_yaml(value: Any) -> bytes:
    """gnostic `Any` holding a YAML rendering of the value (field 2)."""
    return _str(2, yaml.safe_dump(value, default_flow_style=False, sort_keys=False))


def _extensions(num: int, obj: dict[str, Any]) -> bytes:
    out = b""
    for key, value in obj.items():
        if key.startswith("x-"):
            out += _bytes_field(num, _str(1, key) + _bytes_field(2, _any_yaml(value)))
    return out


def _schema(s: dict[str, Any]) -> bytes:
    out = _str(1, s.get("$ref", "")) + _str(2, s.get("format", "")) + _str(4, s.get("description", ""))
    for name in s.get("required") or []:
        out += _str(19, name)
    extra = s.get("additionalProperties")
    if isinstance(extra, dict):
        out += _bytes_field(21, _bytes_field(1, _schema(extra)))
    elif isinstance(extra, bool):
        out += _bytes_field(21, _varint(2 << 3) + (b"\x01" if extra else b"\x00"))
    typ = s.get("type")
    if typ:
        types = typ if isinstance(typ, list) else [typ]
        out += _bytes_field(22, b"".join(_str(1, t) for t in types))
    items = s.get("items")
    if isinstance(items, dict):
        out += _bytes_field(23, _bytes_field(1, _schema(items)))
    props = s.get("properties")
    if isinstance(props, dict):
        out += _bytes_field(25, b"".join(_bytes_field(1, _str(1, k) + _bytes_field(2, _schema(v)))
                                         for k, v in props.items()))
    return out + _extensions(31, s)


def _parameter(p: dict[str, Any]) -> bytes:
    # ParametersItem.parameter → Parameter.non_body_parameter → NonBodyParameter.query_parameter_sub_schema
    sub = (_bool(1, bool(p.get("required"))) + _str(2, p.get("in", "query")) + _str(4, p.get("name", ""))
           + _str(6, p.get("type", "")) + _bool(20, bool(p.get("uniqueItems"))))
    return _bytes_field(1, _bytes_field(2, _bytes_field(3, sub)))


def _operation(op: dict[str, Any]) -> bytes:
    out = _str(3, op.get("description", "")) + _str(5, op.get("operationId", ""))
    for p in op.get("parameters") or []:
        out += _bytes_field(8, _parameter(p))
    codes = b""
    for code, resp in (op.get("responses") or {}).items():
        response = _str(1, resp.get("description", ""))
        codes += _bytes_field(1, _str(1, str(code)) + _bytes_field(2, _bytes_field(1, response)))
    out += _bytes_field(9, codes)
    return out + _extensions(13, op)


_METHODS = {"get": 2, "put": 3, "post": 4, "delete": 5, "options": 6, "head": 7, "patch": 8}


def encode_document(doc: dict[str, Any]) -> bytes:
    """gnostic's `openapi.v2.Document` for a Swagger 2.0 document."""
    info = doc.get("info") or {}
    out = _str(1, doc.get("swagger", "2.0"))
    out += _bytes_field(2, _str(1, info.get("title", "")) + _str(2, info.get("version", "")))
    paths = b""
    for path, ops in (doc.get("paths") or {}).items():
        item = b"".join(_bytes_field(_METHODS[m], _operation(op)) for m, op in ops.items() if m in _METHODS)
        paths += _bytes_field(2, _str(1, path) + _bytes_field(2, item))
    out += _bytes_field(8, paths)
    defs = b"".join(_bytes_field(1, _str(1, name) + _bytes_field(2, _schema(schema)))
                    for name, schema in (doc.get("definitions") or {}).items())
    out += _bytes_field(9, defs)
    return out
