"""Decoding the Kubernetes protobuf encoding of request bodies.

client-go's typed clients (which Helm's release storage uses) send Secrets and ConfigMaps as
`application/vnd.kubernetes.protobuf`: the bytes `k8s\\0` followed by a `runtime.Unknown` message
that wraps the object's own message. Answers may be JSON (clients accept it), so only decoding is
needed, and only for the kinds such clients write. Field numbers are those of the Kubernetes API's
generated `.proto` definitions.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

from fakekube.errors import bad_request, unsupported_media

MAGIC = b"k8s\x00"

_TIME = "time"
_PRECONDITIONS = {1: ("uid", "string"), 2: ("resourceVersion", "string")}
_OWNER_REF = {
    1: ("kind", "string"),
    3: ("name", "string"),
    4: ("uid", "string"),
    5: ("apiVersion", "string"),
    6: ("controller", "bool"),
    7: ("blockOwnerDeletion", "bool"),
}
_FIELDS_V1 = {1: ("Raw", "bytes")}
_MANAGED = {
    1: ("manager", "string"),
    2: ("operation", "string"),
    3: ("apiVersion", "string"),
    4: ("time", _TIME),
    6: ("fieldsType", "string"),
    7: ("fieldsV1", _FIELDS_V1),
    8: ("subresource", "string"),
}
_OBJECT_META = {
    1: ("name", "string"),
    2: ("generateName", "string"),
    3: ("namespace", "string"),
    4: ("selfLink", "string"),
    5: ("uid", "string"),
    6: ("resourceVersion", "string"),
    7: ("generation", "int"),
    8: ("creationTimestamp", _TIME),
    9: ("deletionTimestamp", _TIME),
    10: ("deletionGracePeriodSeconds", "int"),
    11: ("labels", ("map", "string")),
    12: ("annotations", ("map", "string")),
    13: ("ownerReferences", ("repeated", _OWNER_REF)),
    14: ("finalizers", ("repeated", "string")),
    17: ("managedFields", ("repeated", _MANAGED)),
}
MESSAGES: dict[tuple[str, str], dict[int, tuple[str, Any]]] = {
    ("v1", "Secret"): {
        1: ("metadata", _OBJECT_META),
        2: ("data", ("map", "bytes")),
        3: ("type", "string"),
        4: ("stringData", ("map", "string")),
        5: ("immutable", "bool"),
    },
    ("v1", "ConfigMap"): {
        1: ("metadata", _OBJECT_META),
        2: ("data", ("map", "string")),
        3: ("binaryData", ("map", "bytes")),
        4: ("immutable", "bool"),
    },
    ("v1", "DeleteOptions"): {
        1: ("gracePeriodSeconds", "int"),
        2: ("preconditions", _PRECONDITIONS),
        3: ("orphanDependents", "bool"),
        4: ("propagationPolicy", "string"),
        5: ("dryRun", ("repeated", "string")),
    },
}
MESSAGES[("meta.k8s.io/v1", "DeleteOptions")] = MESSAGES[("v1", "DeleteOptions")]


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if i >= len(buf):
            raise bad_request("protobuf: unexpected end of data")
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def _fields(buf: bytes) -> list[tuple[int, int, Any]]:
    """(field number, wire type, raw value) of each field in a message."""
    out = []
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 2:
            n, i = _varint(buf, i)
            value, i = buf[i : i + n], i + n
        elif wire == 1:
            value, i = buf[i : i + 8], i + 8
        elif wire == 5:
            value, i = buf[i : i + 4], i + 4
        else:
            raise bad_request(f"protobuf: unsupported wire type {wire}")
        out.append((num, wire, value))
    return out


def _scalar(kind: Any, raw: Any) -> Any:
    if kind == "string":
        return raw.decode("utf-8")
    if kind == "bytes":
        return base64.b64encode(raw).decode()
    if kind == "bool":
        return bool(raw)
    if kind == "int":
        return raw - (1 << 64) if raw >= 1 << 63 else raw
    if kind == _TIME:
        fields = {n: v for n, _, v in _fields(raw)}
        seconds = fields.get(1, 0)
        if not seconds:
            return None
        stamp = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == _FIELDS_V1:
        import json

        fields = {n: v for n, _, v in _fields(raw)}
        return json.loads(fields.get(1, b"{}") or b"{}")
    if isinstance(kind, dict):
        return decode_message(raw, kind)
    raise bad_request(f"protobuf: cannot decode {kind!r}")


def decode_message(buf: bytes, spec: dict[int, tuple[str, Any]]) -> dict[str, Any]:
    """A message as the JSON object the same value has in the API."""
    out: dict[str, Any] = {}
    for num, _, raw in _fields(buf):
        if num not in spec:
            continue
        name, kind = spec[num]
        if isinstance(kind, tuple) and kind[0] == "map":
            entry = {n: v for n, _, v in _fields(raw)}
            out.setdefault(name, {})[entry.get(1, b"").decode()] = _scalar(kind[1], entry.get(2, b"" if kind[1] != "bool" else 0))
        elif isinstance(kind, tuple) and kind[0] == "repeated":
            out.setdefault(name, []).append(_scalar(kind[1], raw))
        else:
            value = _scalar(kind, raw)
            if value in ("", 0, None, False) and kind != "bool":
                continue
            out[name] = value
    return out


def decode(body: bytes) -> dict[str, Any]:
    """The object in a `k8s\\0`-prefixed protobuf body; 415 for kinds this server cannot decode."""
    if not body.startswith(MAGIC):
        raise bad_request("protobuf: missing the k8s envelope prefix")
    envelope = {n: v for n, _, v in _fields(body[len(MAGIC):])}
    type_meta = {n: v.decode() for n, _, v in _fields(envelope.get(1, b""))}
    api_version, kind = type_meta.get(1, ""), type_meta.get(2, "")
    spec = MESSAGES.get((api_version, kind))
    if spec is None:
        raise unsupported_media(["application/json", "application/yaml"])
    obj = decode_message(envelope.get(2, b""), spec)
    if kind != "DeleteOptions":
        obj = {"apiVersion": api_version, "kind": kind, **obj}
    return obj
