"""Writes the hostile chart archives in hostile/ (run once; the files are committed).

Each archive is a valid gzip tar that starts like a real chart, plus one trick."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

HERE = Path(__file__).parent / "hostile"
CHART_YAML = b"apiVersion: v2\nname: demo\nversion: 0.1.0\n"


def _file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _special(tar: tarfile.TarFile, name: str, kind: bytes, target: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
        info.devmajor, info.devminor = 1, 3
    tar.addfile(info)


def write(name: str, build) -> None:  # noqa: ANN001 - a small script
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        _file(tar, "demo/Chart.yaml", CHART_YAML)
        build(tar)
    (HERE / name).write_bytes(gzip.compress(buf.getvalue(), mtime=0))


def main() -> None:
    HERE.mkdir(exist_ok=True)
    write("traversal.tgz", lambda t: _file(t, "demo/../../../evil.txt", b"pwned\n"))
    write("absolute.tgz", lambda t: _file(t, "demo//tmp/evil.txt", b"pwned\n"))
    write("symlink.tgz", lambda t: _special(t, "demo/templates/passwd", tarfile.SYMTYPE, "/etc/passwd"))
    write("hardlink.tgz", lambda t: _special(t, "demo/templates/passwd", tarfile.LNKTYPE, "/etc/passwd"))
    write("device.tgz", lambda t: _special(t, "demo/templates/null", tarfile.CHRTYPE))
    write("fifo.tgz", lambda t: _special(t, "demo/templates/pipe", tarfile.FIFOTYPE))
    write("big-file.tgz", lambda t: _file(t, "demo/files/big.bin", b"\0" * (5 * 1024 * 1024 + 1)))

    def many_big(t: tarfile.TarFile) -> None:
        for i in range(21):
            _file(t, f"demo/files/part{i}.bin", b"\0" * (5 * 1024 * 1024))

    write("too-large.tgz", many_big)

    def many(t: tarfile.TarFile) -> None:
        for i in range(10_001):
            _file(t, f"demo/files/f{i}.txt", b"")

    write("too-many-entries.tgz", many)


if __name__ == "__main__":
    main()
