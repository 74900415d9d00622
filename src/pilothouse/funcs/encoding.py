"""Sprig's hashing and base64/base32 functions.

Decoding follows Go's encoding/base64 and encoding/base32 exactly, because Sprig returns
the *error text* as the function's result (`b64dec "!"` prints
`illegal base64 data at input byte 0`), so the reported byte offset is visible output.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable
from typing import Any

from pilothouse.funcs.gounicode import from_bytes, to_bytes
from pilothouse.gotemplate.gotypes import gofunc

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_MAP = {ord(c): i for i, c in enumerate(_B64)}
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_MAP = {ord(c): i for i, c in enumerate(_B32)}
_PAD = ord("=")
_NL = (ord("\n"), ord("\r"))


class _Corrupt(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def _b64_quantum(src: bytes, si: int, out: bytearray) -> int:
    """Go's base64 decodeQuantum for the padded standard alphabet; returns the new offset."""
    dbuf = [0, 0, 0, 0]
    dlen = 4
    j = 0
    trailing: int | None = None
    while j < 4:
        if si == len(src):
            if j == 0:
                return si
            raise _Corrupt(si - j)
        c = src[si]
        si += 1
        v = _B64_MAP.get(c)
        if v is not None:
            dbuf[j] = v
            j += 1
            continue
        if c in _NL:
            continue
        if c != _PAD:
            raise _Corrupt(si - 1)
        if j in (0, 1):
            raise _Corrupt(si - 1)
        if j == 2:
            while si < len(src) and src[si] in _NL:
                si += 1
            if si == len(src):
                raise _Corrupt(len(src))
            if src[si] != _PAD:
                raise _Corrupt(si - 1)
            si += 1
        while si < len(src) and src[si] in _NL:
            si += 1
        if si < len(src):
            trailing = si
        dlen = j
        break
    val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3]
    out += val.to_bytes(3, "big")[: dlen - 1]
    if trailing is not None:
        raise _Corrupt(trailing)
    return si


def go_b64decode(s: str) -> bytes:
    """base64.StdEncoding.DecodeString; raises ValueError with Go's message."""
    src = to_bytes(s)
    out = bytearray()
    si = 0
    try:
        while si < len(src):
            nsi = _b64_quantum(src, si, out)
            if nsi == si:
                break
            si = nsi
    except _Corrupt as e:
        raise ValueError(f"illegal base64 data at input byte {e.offset}") from None
    return bytes(out)


def go_b32decode(s: str) -> bytes:
    """base32.StdEncoding.DecodeString; raises ValueError with Go's message."""
    src = bytes(b for b in to_bytes(s) if b not in _NL)
    olen = len(src)
    out = bytearray()
    pos = 0
    end = False
    try:
        while pos < olen and not end:
            dbuf = [0] * 8
            dlen = 8
            j = 0
            while j < 8:
                if pos == olen:
                    raise _Corrupt(olen - (olen - pos) - j)
                c = src[pos]
                pos += 1
                left = olen - pos
                if c == _PAD and j >= 2 and left < 8:
                    if left + j < 7:
                        raise _Corrupt(olen)
                    for k in range(7 - j):
                        if left > k and src[pos + k] != _PAD:
                            raise _Corrupt(olen - left + k - 1)
                    dlen, end = j, True
                    if dlen in (1, 3, 6):
                        raise _Corrupt(olen - left - 1)
                    break
                v = _B32_MAP.get(c)
                if v is None:
                    raise _Corrupt(olen - left - 1)
                dbuf[j] = v
                j += 1
            val = 0
            for d in dbuf:
                val = val << 5 | d
            nbytes = {8: 5, 7: 4, 5: 3, 4: 2, 2: 1}[dlen]
            out += val.to_bytes(5, "big")[:nbytes]
    except _Corrupt as e:
        raise ValueError(f"illegal base32 data at input byte {e.offset}") from None
    return bytes(out)


@gofunc("string")
def b64enc(v: str) -> str:
    """base64 (standard, padded) of the string's bytes."""
    return base64.b64encode(to_bytes(v)).decode("ascii")


@gofunc("string")
def b64dec(v: str) -> str:
    """Decoded text, or Go's error text when the input is not valid base64."""
    try:
        return from_bytes(go_b64decode(v))
    except ValueError as e:
        return str(e)


@gofunc("string")
def b32enc(v: str) -> str:
    """base32 (standard, padded) of the string's bytes."""
    return base64.b32encode(to_bytes(v)).decode("ascii")


@gofunc("string")
def b32dec(v: str) -> str:
    """Decoded text, or Go's error text when the input is not valid base32."""
    try:
        return from_bytes(go_b32decode(v))
    except ValueError as e:
        return str(e)


@gofunc("string")
def sha1sum(s: str) -> str:
    """Lower-case hex SHA-1."""
    import hashlib

    return hashlib.sha1(to_bytes(s)).hexdigest()


@gofunc("string")
def sha256sum(s: str) -> str:
    """Lower-case hex SHA-256."""
    import hashlib

    return hashlib.sha256(to_bytes(s)).hexdigest()


@gofunc("string")
def sha512sum(s: str) -> str:
    """Lower-case hex SHA-512."""
    import hashlib

    return hashlib.sha512(to_bytes(s)).hexdigest()


@gofunc("string")
def adler32sum(s: str) -> str:
    """Adler-32 checksum in decimal."""
    return str(zlib.adler32(to_bytes(s)))


FUNCS: dict[str, Callable[..., Any]] = {
    "sha1sum": sha1sum,
    "sha256sum": sha256sum,
    "sha512sum": sha512sum,
    "adler32sum": adler32sum,
    "b64enc": b64enc,
    "b64dec": b64dec,
    "b32enc": b32enc,
    "b32dec": b32dec,
}
