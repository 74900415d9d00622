"""Unpacking plugin archives (``.tgz``) with every size bounded before it is read.

A plugin archive is hostile input. Python's ``tarfile`` reads a PAX or GNU long-name header
whole, however large it says it is, and trusts the declared sizes; so the archive is read here
with a small streaming reader instead, and refused with a clear error when:

* it holds anything but regular files and directories (links, devices, FIFOs, sparse files), as
  Helm's installer refuses them;
* a name is absolute, climbs out with ``..``, holds ``:``, a backslash-escape, a control
  character, or is nested deeper than `MAX_DEPTH`;
* a PAX or long-name header is over 1 MiB (Go's ``archive/tar`` refuses these as "header field
  too long");
* it expands past `MAX_TOTAL_BYTES`, one file past `MAX_FILE_BYTES`, or it has more than
  `MAX_ENTRIES` entries (a gzip bomb stops at the limit, not at the end of the disk);
* one path is both a file and a directory.
"""

from __future__ import annotations

import gzip
import os
import zlib
from typing import BinaryIO

from pilothouse.errors import PluginError

MAX_ARCHIVE_BYTES = 256 << 20  # compressed size of a plugin archive
MAX_TOTAL_BYTES = 256 << 20  # everything it expands to
MAX_FILE_BYTES = 128 << 20  # one file (a Go plugin's .wasm is tens of MiB)
MAX_ENTRIES = 10_000
MAX_DEPTH = 128
MAX_SPECIAL_BYTES = 1 << 20  # Go's archive/tar maxSpecialFileSize
_BLOCK = 512


class _Stream:
    """The decompressed archive, read in exact amounts; gzip and read errors become PluginError."""

    def __init__(self, raw: BinaryIO) -> None:
        self.gz = gzip.GzipFile(fileobj=raw, mode="rb")

    def read(self, n: int) -> bytes:
        try:
            data = self.gz.read(n)
        except (OSError, EOFError, zlib.error) as err:
            raise PluginError(f"cannot read plugin archive: {err}") from None
        return data

    def exact(self, n: int) -> bytes:
        data = self.read(n)
        if len(data) != n:
            raise PluginError("cannot read plugin archive: unexpected end of archive")
        return data

    def skip(self, n: int) -> None:
        while n > 0:
            got = self.read(min(n, 1 << 20))
            if not got:
                raise PluginError("cannot read plugin archive: unexpected end of archive")
            n -= len(got)


def _padding(size: int) -> int:
    return -size % _BLOCK


def _octal(field: bytes, what: str) -> int:
    if field and field[0] & 0x80:  # GNU base-256
        val = int.from_bytes(bytes([field[0] & 0x7F]) + field[1:], "big")
        return val
    text = field.split(b"\0", 1)[0].strip(b" \0")
    if not text:
        return 0
    try:
        return int(text, 8)
    except ValueError:
        raise PluginError(f"cannot read plugin archive: invalid {what} field in a tar header") from None


def _checksum_ok(block: bytes) -> bool:
    stored = _octal(block[148:156], "checksum")
    unsigned = sum(block[:148]) + 8 * 32 + sum(block[156:])
    signed = sum((b - 256 if b > 127 else b) for b in block[:148]) + 8 * 32 + sum(
        (b - 256 if b > 127 else b) for b in block[156:])
    return stored in (unsigned, signed)


def _pax_records(data: bytes) -> dict[str, str]:
    """PAX ``"%d %s=%s\\n"`` records."""
    out: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        sp = data.find(b" ", pos)
        if sp < 0:
            break
        try:
            length = int(data[pos:sp])
        except ValueError:
            raise PluginError("cannot read plugin archive: archive/tar: invalid tar header (PAX record)") from None
        if length <= 0 or pos + length > len(data):
            raise PluginError("cannot read plugin archive: archive/tar: invalid tar header (PAX record)")
        rec = data[sp + 1:pos + length]
        pos += length
        if not rec.endswith(b"\n") or b"=" not in rec:
            raise PluginError("cannot read plugin archive: archive/tar: invalid tar header (PAX record)")
        key, _, val = rec[:-1].partition(b"=")
        out[key.decode("utf-8", "surrogateescape")] = val.decode("utf-8", "surrogateescape")
    return out


def _shown(name: str) -> str:
    from pilothouse.plugin.safetext import escape

    return escape(name if len(name) <= 200 else name[:200] + "...")


def _check_name(raw: str) -> list[str]:
    name = raw.replace("\\", "/")
    if "\0" in name or any(ord(c) < 0x20 or c == "\x7f" for c in name):
        raise PluginError(f"illegal file path in plugin archive: {_shown(raw)} (control characters)")
    if name.startswith("/") or ":" in name or ".." in name.split("/"):
        raise PluginError(f"illegal file path in plugin archive: {_shown(raw)}")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if len(parts) > MAX_DEPTH:
        raise PluginError(f"illegal file path in plugin archive: {_shown(raw)} (nested more than {MAX_DEPTH} deep)")
    return parts


class _Tree:
    """What has been extracted so far: each path is a file or a directory, never both."""

    def __init__(self, dest: str) -> None:
        self.dest = dest
        self.kinds: dict[tuple[str, ...], str] = {}

    def _claim(self, parts: tuple[str, ...], kind: str, raw: str) -> None:
        for i in range(1, len(parts)):
            if self.kinds.setdefault(parts[:i], "dir") != "dir":
                raise PluginError(f"plugin archive: {_shown('/'.join(parts[:i]))} is both a file and a directory")
        have = self.kinds.setdefault(parts, kind)
        if have != kind:
            raise PluginError(f"plugin archive: {_shown(raw)} is both a file and a directory")

    def mkdir(self, parts: list[str], raw: str) -> None:
        if not parts:
            return
        self._claim(tuple(parts), "dir", raw)
        os.makedirs(os.path.join(self.dest, *parts), exist_ok=True)

    def claim_file(self, parts: list[str], raw: str) -> str:
        """The path to write the file ``parts`` to (its parent directories made)."""
        if not parts:
            raise PluginError(f"illegal file path in plugin archive: {_shown(raw)} (not a file name)")
        self._claim(tuple(parts), "file", raw)
        if len(parts) > 1:
            os.makedirs(os.path.join(self.dest, *parts[:-1]), exist_ok=True)
        return os.path.join(self.dest, *parts)


def extract_stream(raw: BinaryIO, dest: str) -> None:
    """Unpack a gzip-compressed tar from ``raw`` into the (empty) directory ``dest``."""
    head = raw.read(2)
    if head != b"\x1f\x8b":
        raise PluginError("plugin archive is not a gzip file")
    raw.seek(0)
    s = _Stream(raw)
    tree = _Tree(dest)
    total = entries = 0
    pax: dict[str, str] = {}
    long_name: str | None = None
    try:
        while True:
            block = s.read(_BLOCK)
            if len(block) == 0 or block == b"\0" * len(block):
                break  # end of archive (two zero blocks, or simply the end of the stream)
            if len(block) != _BLOCK:
                raise PluginError("cannot read plugin archive: unexpected end of archive")
            if not _checksum_ok(block):
                raise PluginError("cannot read plugin archive: archive/tar: invalid tar header")
            entries += 1
            if entries > MAX_ENTRIES:
                raise PluginError(f"plugin archive has more than {MAX_ENTRIES} entries; refusing to unpack it")
            typ = block[156:157]
            size = _octal(block[124:136], "size")
            if typ in (b"x", b"g", b"L", b"K") and size > MAX_SPECIAL_BYTES:
                what = {b"x": "PAX", b"g": "global PAX", b"L": "GNU long name", b"K": "GNU long link"}[typ]
                raise PluginError(f"cannot read plugin archive: archive/tar: header field too long "
                                  f"({what} header of {size} bytes; at most {MAX_SPECIAL_BYTES})")
            # every byte the archive makes us read counts, headers and skipped data included
            total += size
            if total > MAX_TOTAL_BYTES:
                raise PluginError(f"plugin archive expands to more than {MAX_TOTAL_BYTES} bytes; refusing to unpack it")
            if typ in (b"x", b"g", b"L", b"K"):
                data = s.exact(size)
                s.skip(_padding(size))
                if typ == b"x":
                    pax = _pax_records(data)
                elif typ == b"L":
                    long_name = data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
                continue
            if "size" in pax:
                try:
                    size = int(pax["size"])
                except ValueError:
                    raise PluginError("cannot read plugin archive: archive/tar: invalid tar header (PAX size)") from None
                if size < 0:
                    raise PluginError("cannot read plugin archive: archive/tar: invalid tar header (PAX size)")
                total += size
            name = pax.get("path") or long_name
            if name is None:
                name = block[0:100].split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
                if block[257:263] == b"ustar\0":  # POSIX ustar (GNU tar uses these bytes for times)
                    prefix = block[345:500].split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
                    if prefix:
                        name = f"{prefix}/{name}"
            pax, long_name = {}, None
            mode = _octal(block[100:108], "mode")
            parts = _check_name(name)
            if typ == b"5":
                tree.mkdir(parts, name)
                s.skip(size + _padding(size))
            elif typ in (b"0", b"\0", b"7"):
                if size > MAX_FILE_BYTES:
                    raise PluginError(f"plugin archive: {_shown(name)} is {size} bytes; a file may be at most "
                                      f"{MAX_FILE_BYTES} bytes")
                if total > MAX_TOTAL_BYTES:
                    raise PluginError(f"plugin archive expands to more than {MAX_TOTAL_BYTES} bytes "
                                      f"(at {_shown(name)}); refusing to unpack it")
                path = tree.claim_file(parts, name)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
                with os.fdopen(fd, "wb") as fh:
                    left = size
                    while left:
                        chunk = s.read(min(left, 1 << 20))
                        if not chunk:
                            raise PluginError("cannot read plugin archive: unexpected end of archive")
                        fh.write(chunk)
                        left -= len(chunk)
                os.chmod(path, mode & 0o777)
                s.skip(_padding(size))
            else:
                kinds = {b"1": "hard link", b"2": "symbolic link", b"3": "character device", b"4": "block device",
                         b"6": "FIFO", b"S": "sparse file"}
                kind = kinds.get(typ, f"type {typ!r}")
                raise PluginError(f"unknown type ({kind}) in plugin archive for {_shown(name)}: only regular "
                                  "files and directories are allowed")
    except OSError as err:
        raise PluginError(f"cannot unpack plugin archive: {err.strerror or err}") from None


def extract_file(path: str, dest: str) -> None:
    """Unpack the plugin archive at ``path`` into ``dest``; refuses one larger than `MAX_ARCHIVE_BYTES`."""
    try:
        size = os.path.getsize(path)
        if size > MAX_ARCHIVE_BYTES:
            raise PluginError(f"plugin archive is {size} bytes; at most {MAX_ARCHIVE_BYTES} are accepted")
        with open(path, "rb") as fh:
            extract_stream(fh, dest)
    except OSError as err:
        raise PluginError(f"cannot read plugin archive {path}: {err.strerror or err}") from None
