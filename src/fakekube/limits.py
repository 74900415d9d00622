"""Size limits the real API server enforces, with its status codes and wording (Kubernetes 1.34).

- request bodies: 3 MiB (`MaxRequestBodyBytes`), refused with 413 before decoding;
- Secret data and ConfigMap data + binaryData: 1 MiB in total (`MaxSecretSize`), 422 Invalid;
- names: 253 characters for DNS-1123 subdomains, 63 for DNS labels; label values and the name
  part of label keys: 63 characters (the length message comes before the format message, as
  each is a separate cause on the real server).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fakekube.errors import ApiError

MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024
MAX_SECRET_SIZE = 1024 * 1024


def request_too_large(limit: int = MAX_REQUEST_BODY_BYTES) -> ApiError:
    """413 for a request body above the server's limit."""
    return ApiError(413, "RequestEntityTooLarge", f"Request entity too large: limit is {limit}")


def max_len_message(length: int) -> str:
    """The apimachinery wording for a string over `length` characters."""
    return f"must be no more than {length} characters"


def too_long_cause(field: str, limit: int) -> tuple[str, str, str]:
    """A FieldValueTooLong cause (the value itself is never echoed)."""
    unit = "byte" if limit == 1 else "bytes"
    return (field, "FieldValueTooLong", f"Too long: may not be more than {limit} {unit}")


def _decoded_len(value: Any) -> int:
    try:
        return len(base64.b64decode(str(value), validate=True))
    except (binascii.Error, ValueError):
        return len(str(value))


def data_size_causes(group: str, kind: str, obj: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The cause for a Secret or ConfigMap whose payload passes 1 MiB, if any."""
    if group:
        return []
    if kind == "Secret":
        data = obj.get("data") or {}
        total = sum(_decoded_len(v) for v in data.values()) if isinstance(data, dict) else 0
        return [too_long_cause("data", MAX_SECRET_SIZE)] if total > MAX_SECRET_SIZE else []
    if kind == "ConfigMap":
        data = obj.get("data") or {}
        binary = obj.get("binaryData") or {}
        total = sum(len(str(v).encode()) for v in data.values()) if isinstance(data, dict) else 0
        total += sum(_decoded_len(v) for v in binary.values()) if isinstance(binary, dict) else 0
        # the real server reports this against the whole object, printed as "[]"
        return [too_long_cause("[]", MAX_SECRET_SIZE)] if total > MAX_SECRET_SIZE else []
    return []
