"""Chart archives: packaging a loaded chart into a ``.tgz`` and unpacking one safely.

`save` writes Helm's layout (``<name>/Chart.yaml``, ``Chart.lock``, ``values.yaml``,
``values.schema.json``, templates, other files, then every subchart unpacked under
``<name>/charts/<sub>/``) as a gzip stream carrying Helm's header extra field and the comment
``Helm``. Unlike Helm, the archive is reproducible: every entry gets the same modification time
(``SOURCE_DATE_EPOCH``, else 0), owner 0/0 with no user or group names, mode 0644, in a fixed
order, and the gzip header has no timestamp. Packaging the same chart twice gives the same bytes.

`expand` unpacks an archive under ``dest/<chart name>/``. It reads the archive through the
loader's checks (no absolute paths, no ``..``, no links or devices, bounded sizes and entry
count) and writes each file only after proving that its path stays inside the destination.
"""

from __future__ import annotations

import io
import json
import os
import struct
import tarfile
import zlib

from pilothouse.chart.model import APIVERSION_V1, APIVERSION_V2, Chart, Lock
from pilothouse.errors import ChartError

# Helm's gzip header extra field (FEXTRA) and comment; kept so archives look like Helm's.
_GZIP_EXTRA = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo="
_GZIP_COMMENT = b"Helm"


def source_date_epoch() -> int:
    """The fixed modification time of archive entries: ``SOURCE_DATE_EPOCH`` or 0."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        return max(int(raw), 0) if raw else 0
    except ValueError:
        raise ChartError(f"SOURCE_DATE_EPOCH is not a number of seconds: {raw!r}") from None


def lock_to_dict(lock: Lock) -> dict[str, object]:
    """Chart.lock as Helm serialises it."""
    return {
        "generated": lock.generated,
        "digest": lock.digest,
        "dependencies": [d.to_dict() if d is not None else None for d in lock.dependencies],
    }


def chart_yaml_bytes(chart: Chart) -> bytes:
    """The Chart.yaml Helm writes into an archive (apiVersion v1 charts drop ``dependencies``)."""
    from pilothouse import goyaml

    assert chart.metadata is not None
    data = chart.metadata.to_dict()
    if chart.metadata.api_version == APIVERSION_V1:
        data.pop("dependencies", None)
    return goyaml.to_yaml(data).encode("utf-8")


def _validate_name(name: str) -> None:
    if os.path.basename(name) != name or name in ("", ".", ".."):
        raise ChartError(f'"{name}" is not a valid chart name')


def _entries(chart: Chart, prefix: str, out: list[tuple[str, bytes]]) -> None:
    from pilothouse import goyaml

    name = chart.name()
    _validate_name(name)
    base = f"{prefix}{name}"
    out.append((f"{base}/Chart.yaml", chart_yaml_bytes(chart)))
    assert chart.metadata is not None
    if chart.metadata.api_version == APIVERSION_V2 and chart.lock is not None:
        out.append((f"{base}/Chart.lock", goyaml.to_yaml(lock_to_dict(chart.lock)).encode("utf-8")))
    for f in chart.raw:
        if f.name == "values.yaml":
            out.append((f"{base}/values.yaml", f.data))
    if chart.schema is not None:
        try:
            json.loads(chart.schema)
        except ValueError:
            raise ChartError("invalid JSON in values.schema.json") from None
        out.append((f"{base}/values.schema.json", chart.schema))
    for f in chart.templates:
        out.append((f"{base}/{f.name}", f.data))
    for f in chart.files:
        out.append((f"{base}/{f.name}", f.data))
    for dep in chart.dependencies():
        _entries(dep, f"{base}/charts/", out)


def _gzip(raw: bytes) -> bytes:
    """A gzip member with Helm's FEXTRA and FCOMMENT fields, MTIME 0 and OS "unknown", as Go writes it."""
    flags = 0x04 | 0x10
    header = b"\x1f\x8b\x08" + bytes([flags]) + struct.pack("<I", 0) + b"\x00\xff"
    header += struct.pack("<H", len(_GZIP_EXTRA)) + _GZIP_EXTRA + _GZIP_COMMENT + b"\x00"
    comp = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    body = comp.compress(raw) + comp.flush()
    trailer = struct.pack("<II", zlib.crc32(raw) & 0xFFFFFFFF, len(raw) & 0xFFFFFFFF)
    return header + body + trailer


def archive_bytes(chart: Chart) -> bytes:
    """The bytes of the chart's ``.tgz``; validates the chart first (raises `ChartError`)."""
    try:
        chart.validate()
    except ChartError as err:
        raise ChartError(f"chart validation: {err}") from None
    entries: list[tuple[str, bytes]] = []
    _entries(chart, "", entries)
    mtime = source_date_epoch()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = mtime
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.type = tarfile.REGTYPE
            tar.addfile(info, io.BytesIO(data))
    return _gzip(buf.getvalue())


def save(chart: Chart, out_dir: str) -> str:
    """Write ``<out_dir>/<name>-<version>.tgz`` and return that path, as Go's filepath.Join gives it
    (Helm's ``chartutil.Save``: relative when ``out_dir`` is)."""
    data = archive_bytes(chart)
    assert chart.metadata is not None
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise ChartError(f"is not a directory: {out_dir}")
    os.makedirs(out_dir, exist_ok=True)
    filename = os.path.normpath(os.path.join(out_dir, f"{chart.name()}-{chart.metadata.version}.tgz"))
    from pilothouse.repo.paths import atomic_write

    try:
        atomic_write(filename, data)
    except OSError as err:
        # a hostile Chart.yaml can name an archive no file system accepts (a 100 KB version)
        raise ChartError(f"open {filename}: {(err.strerror or str(err)).lower()}") from None
    return filename


def secure_join(root: str, rel: str) -> str:
    """``root/rel`` resolved lexically and through existing symlinks, refused if it leaves ``root``."""
    root_real = os.path.realpath(root)
    target = os.path.realpath(os.path.join(root_real, rel))
    if target != root_real and not target.startswith(root_real + os.sep):
        raise ChartError(f"chart file {rel!r} would be written outside of {root}")
    return target


def expand(dest: str, data: bytes) -> str:
    """Unpack archive ``data`` into ``dest/<chart name>/`` and return that directory (Helm's ``Expand``)."""
    from pilothouse.chart.loader import archive_files
    from pilothouse.chart.metadata import load_metadata

    try:
        files = archive_files(data)
    except ChartError:
        raise
    except Exception as err:  # noqa: BLE001 - a malformed gzip header and the like
        raise ChartError(f"unable to read chart archive: {err}") from None
    name = ""
    for f in files:
        if f.name == "Chart.yaml":
            name = load_metadata(f.data).name
    if not name:
        raise ChartError("chart name not specified")
    if name in (".", ".."):
        raise ChartError(f'chart name "{name}" is not allowed')
    if os.path.basename(name) != name or "/" in name or "\\" in name:
        raise ChartError(f'chart name "{name}" must not contain path separators')
    os.makedirs(dest, exist_ok=True)
    chart_dir = secure_join(dest, name)
    if chart_dir == os.path.realpath(dest):
        raise ChartError(f'chart name "{name}" resolves to the extraction root')
    # every path is checked before anything is written, so a refused archive leaves no files
    targets = []
    for f in files:
        path = secure_join(dest, f"{name}/{f.name}")
        if not path.startswith(chart_dir + os.sep):
            raise ChartError(f"chart file {f.name!r} would be written outside of {chart_dir}")
        targets.append((path, f.data))
    for path, body in targets:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.islink(path):
            raise ChartError(f"refusing to write through the symbolic link {path}")
        with open(path, "wb") as fh:
            fh.write(body)
    return chart_dir
