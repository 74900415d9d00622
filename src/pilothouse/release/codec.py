"""A release record's storage form: ``base64(gzip(json))``, as Helm's drivers write and read it."""

from __future__ import annotations

import base64
import binascii
import gzip
import io

from pilothouse.errors import ReleaseError
from pilothouse.release.model import Release

_GZIP_MAGIC = b"\x1f\x8b\x08"


def encode_release(rel: Release) -> str:
    """JSON, gzip at best compression (Go's header: no name, mtime 0), standard base64."""
    buf = io.BytesIO()
    # GzipFile (unlike gzip.compress) writes OS byte 255 as Go's compress/gzip does
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(rel.to_json().encode("utf-8"))
    return base64.b64encode(buf.getvalue()).decode("ascii")


def decode_release(data: str | bytes) -> Release:
    """The inverse of `encode_release`; records stored before compression (plain JSON) are read too."""
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as err:
        raise ReleaseError(f"illegal base64 data in release record: {err}") from None
    if len(raw) > 3 and raw[:3] == _GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise ReleaseError(f"corrupt release record: {err}") from None
    return Release.from_json(raw)
