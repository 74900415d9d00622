"""Loading a chart from a directory, a ``.tgz`` file or archive bytes (Helm's ``loader`` package).

Directories are walked in sorted order (following symlinks) with ``.helmignore`` applied;
archives have their first path component stripped and are checked for unsafe paths and sizes.
Every file loses a leading UTF-8 BOM. Files are then sorted into the model: Chart.yaml,
Chart.lock, values.yaml, values.schema.json, requirements.yaml/.lock (apiVersion v1),
``templates/``, ``charts/`` (subcharts, as directories or archives) and everything else.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import stat
from datetime import UTC, datetime

from pilothouse.chart.ignore import HELMIGNORE, Rules
from pilothouse.chart.metadata import load_lock, load_metadata
from pilothouse.chart.model import APIVERSION_V1, Chart, File, Metadata, go_ext
from pilothouse.errors import ChartError, PilothouseError
from pilothouse.goyaml.values import load_values

MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024
MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 10_000
_BOM = b"\xef\xbb\xbf"
_DRIVE_PATH = re.compile(r"^[a-zA-Z]:/")


def load(path: str | os.PathLike[str] | bytes) -> Chart:
    """Load a chart from a directory, a chart archive file, or the bytes of an archive.

    Raises `ChartError` with Helm's message when the chart cannot be loaded or is invalid.
    """
    if isinstance(path, bytes):
        return load_archive(path)
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except OSError as err:
        raise ChartError(_os_message("stat", name, err)) from None
    if stat.S_ISDIR(st.st_mode):
        return load_dir(name)
    return load_file(name)


def load_dir(directory: str) -> Chart:
    """Load an unpacked chart directory."""
    top = os.path.abspath(directory)
    chart_yaml = os.path.join(top, "Chart.yaml")
    try:
        with open(chart_yaml, "rb") as fh:
            head = fh.read()
    except OSError as err:
        raise ChartError(f"unable to detect chart at {chart_yaml}: {_os_message('open', chart_yaml, err)}") from None
    try:
        api_version = load_metadata(head).api_version
    except PilothouseError as err:
        raise ChartError(f"cannot load Chart.yaml: {err}") from None
    if api_version not in ("v1", "v2", ""):
        raise ChartError("unsupported chart version")
    rules = Rules()
    ignore_file = os.path.join(top, HELMIGNORE)
    if os.path.exists(ignore_file):
        with open(ignore_file, encoding="utf-8", errors="surrogateescape") as fh:
            rules = Rules.parse(fh.read())
    rules.add_defaults()
    files: list[File] = []
    _walk(top, "", rules, files, set())
    return load_files(files)


def _walk(real: str, rel: str, rules: Rules, out: list[File], active: set[str]) -> None:
    """Walk like Helm's sympath.Walk: sorted names, symlinks followed (their target's kind decides)."""
    try:
        names = sorted(os.listdir(real))
    except OSError as err:
        raise ChartError(_os_message("open", real, err)) from None
    for entry in names:
        full = os.path.join(real, entry)
        n = f"{rel}{entry}"
        try:
            st = os.stat(full)
        except OSError as err:
            raise ChartError(f"error evaluating symlink {full}: {err.strerror.lower() if err.strerror else err}") \
                from None
        if stat.S_ISDIR(st.st_mode):
            if rules.ignore(n, True):
                continue
            target = os.path.realpath(full)
            if target in active:
                # a symlink cycle: Go would loop until the path is too long; stop with an error
                raise ChartError(f"error evaluating symlink {full}: too many levels of symbolic links")
            active.add(target)
            _walk(full, n + "/", rules, out, active)
            active.discard(target)
            continue
        if rules.ignore(n, False):
            continue
        if not stat.S_ISREG(st.st_mode):
            raise ChartError(f"cannot load irregular file {full} as it has file mode type bits set")
        if st.st_size > MAX_DECOMPRESSED_FILE_SIZE:
            raise ChartError(
                f'chart file "{entry}" is larger than the maximum file size {MAX_DECOMPRESSED_FILE_SIZE}'
            )
        try:
            with open(full, "rb") as fh:
                data = fh.read()
        except OSError as err:
            raise ChartError(f"error reading {n}: {_os_message('read', full, err)}") from None
        out.append(File(n, data.removeprefix(_BOM), datetime.fromtimestamp(st.st_mtime, UTC)))


def load_file(name: str) -> Chart:
    """Load a chart archive file (``.tgz``)."""
    try:
        with open(name, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        raise ChartError(_os_message("open", name, err)) from None
    head = raw[:512]
    if not head.startswith(b"\x1f\x8b\x08"):
        if name.endswith(".yml") or name.endswith(".yaml"):
            raise ChartError(f"file '{name}' seems to be a YAML file, but expected a gzipped archive")
        raise ChartError(f"file '{name}' does not appear to be a gzipped archive; got '{_content_type(head)}'")
    try:
        files = archive_files(raw)
    except _GzipHeaderError as err:
        raise ChartError(f"file '{name}' does not appear to be a valid chart file (details: {err})") from None
    except ChartError:
        raise ChartError("unable to load chart archive") from None
    return _load_detected(files)


def load_archive(data: bytes) -> Chart:
    """Load a chart from the bytes of a gzipped tar archive."""
    try:
        files = archive_files(data)
    except _GzipHeaderError as err:
        raise ChartError(f"stream does not appear to be a valid chart file (details: {err})") from None
    except ChartError as err:
        raise ChartError(f"unable to load chart archive: {err}") from None
    return _load_detected(files)


def _load_detected(files: list[File]) -> Chart:
    """Helm 4 peeks at apiVersion first: only v1/v2 charts are loadable."""
    for f in files:
        if f.name == "Chart.yaml":
            try:
                md = load_metadata(f.data)
            except PilothouseError as err:
                raise ChartError(f"cannot load Chart.yaml: {err}") from None
            if md.api_version not in ("v1", "v2", ""):
                raise ChartError("unsupported chart version")
            return load_files(files)
    raise ChartError("unable to detect chart version, no Chart.yaml found")


class _GzipHeaderError(Exception):
    def __str__(self) -> str:
        return "gzip: invalid header"


def archive_files(data: bytes) -> list[File]:
    """The files of a chart archive, first path component stripped, with Helm's safety checks."""
    import tarfile
    import zlib

    if not data.startswith(b"\x1f\x8b"):
        raise _GzipHeaderError()
    try:
        unzipped = _gunzip_bounded(data, MAX_DECOMPRESSED_CHART_SIZE + MAX_ARCHIVE_ENTRIES * 1024 + 1024 * 1024)
    except (OSError, EOFError, zlib.error) as err:
        raise ChartError(str(err)) from None
    files: list[File] = []
    remaining = MAX_DECOMPRESSED_CHART_SIZE
    try:
        tar = tarfile.open(fileobj=io.BytesIO(unzipped), mode="r:")
    except tarfile.TarError as err:
        raise ChartError(str(err)) from None
    with tar:
        for count, member in enumerate(tar, 1):
            if count > MAX_ARCHIVE_ENTRIES:
                raise ChartError(f"chart archive has more than {MAX_ARCHIVE_ENTRIES} entries")
            if member.isdir():
                continue
            if member.type in (tarfile.XHDTYPE, tarfile.XGLTYPE):
                continue
            # Go reads links and devices as empty files; refusing them keeps a crafted archive
            # from planting a link that a later extraction would follow
            if member.issym() or member.islnk():
                raise ChartError(f"chart illegally contains a link: {_q(member.name)}")
            if not member.isreg():
                raise ChartError(f"chart illegally contains a device, pipe or other special file: {_q(member.name)}")
            hname = member.name
            delim = "\\" if "\\" in hname else "/"
            parts = hname.split(delim)
            n = "/".join(parts[1:])
            if n.startswith("/"):
                raise ChartError("chart illegally contains absolute paths")
            n = posixpath.normpath(n) if n else "."
            if n == ".":
                raise ChartError(f"chart illegally contains content outside the base directory: {_q(hname)}")
            if n.startswith(".."):
                raise ChartError("chart illegally references parent directory")
            if _DRIVE_PATH.match(n):
                raise ChartError("chart contains illegally named files")
            if parts[0] == "Chart.yaml":
                raise ChartError("chart yaml not in base directory")
            if member.size > remaining:
                raise ChartError(f"decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}")
            if member.size > MAX_DECOMPRESSED_FILE_SIZE:
                raise ChartError(
                    f"decompressed chart file {_q(hname)} is larger than the maximum file size "
                    f"{MAX_DECOMPRESSED_FILE_SIZE}"
                )
            # links and devices carry no data in the archive: Go reads them as empty files
            fh = tar.extractfile(member) if member.isreg() else None
            content = fh.read() if fh is not None else b""
            remaining -= len(content)
            if len(content) < member.size or remaining <= 0:
                raise ChartError(f"decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}")
            files.append(File(n, content.removeprefix(_BOM), datetime.fromtimestamp(member.mtime, UTC)))
    if not files:
        raise ChartError("no files in chart archive")
    return files


def _gunzip_bounded(data: bytes, limit: int) -> bytes:
    """gzip.decompress that stops once more than ``limit`` bytes come out (a gzip bomb)."""
    import zlib

    out = bytearray()
    rest = data
    while rest:
        d = zlib.decompressobj(wbits=31)
        chunk = d.decompress(rest, limit + 1 - len(out))
        out += chunk
        if len(out) > limit:
            raise ChartError(f"decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}")
        while d.unconsumed_tail:
            out += d.decompress(d.unconsumed_tail, limit + 1 - len(out))
            if len(out) > limit:
                raise ChartError(
                    f"decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}")
        if not d.eof:
            raise EOFError("unexpected EOF")
        rest = d.unused_data.lstrip(b"\x00")
        if rest and not rest.startswith(b"\x1f\x8b"):
            break
    return bytes(out)


def load_files(files: list[File]) -> Chart:
    """Build a chart (and its subcharts) from its files; Helm's ``LoadFiles``."""
    c = Chart()
    subcharts: dict[str, list[File]] = {}
    for f in files:
        c.raw.append(File(f.name, f.data, f.modtime))
        if f.name == "Chart.yaml":
            if c.metadata is None:
                c.metadata = Metadata()
            try:
                load_metadata(f.data, into=c.metadata)
            except PilothouseError as err:
                raise ChartError(f"cannot load Chart.yaml: {err}") from None
            if not c.metadata.api_version:
                c.metadata.api_version = APIVERSION_V1
            c.modtime = f.modtime
    for f in files:
        name = f.name
        if name == "Chart.yaml":
            continue
        if name == "Chart.lock":
            try:
                c.lock = load_lock(f.data)
            except PilothouseError as err:
                raise ChartError(f"cannot load Chart.lock: {err}") from None
        elif name == "values.yaml":
            try:
                c.values = load_values(f.data)
            except PilothouseError as err:
                raise ChartError(f"cannot load values.yaml: {err}") from None
        elif name == "values.schema.json":
            c.schema = f.data
            c.schema_modtime = f.modtime
        elif name == "requirements.yaml":
            if c.metadata is None:
                c.metadata = Metadata()
            if c.metadata.api_version != APIVERSION_V1:
                _warn('Warning: Dependencies are handled in Chart.yaml since apiVersion "v2". '
                      "We recommend migrating dependencies to Chart.yaml.")
            try:
                load_metadata(f.data, into=c.metadata, filename=name)
            except PilothouseError as err:
                raise ChartError(f"cannot load requirements.yaml: {err}") from None
            if c.metadata.api_version == APIVERSION_V1:
                c.files.append(File(name, f.data, f.modtime))
        elif name == "requirements.lock":
            try:
                c.lock = load_lock(f.data, filename=name)
            except PilothouseError as err:
                raise ChartError(f"cannot load requirements.lock: {err}") from None
            if c.metadata is None:
                c.metadata = Metadata()
            if c.metadata.api_version != APIVERSION_V1:
                _warn('Warning: Dependency locking is handled in Chart.lock since apiVersion "v2". '
                      "We recommend migrating to Chart.lock.")
            if c.metadata.api_version == APIVERSION_V1:
                c.files.append(File(name, f.data, f.modtime))
        elif name.startswith("templates/"):
            c.templates.append(File(name, f.data, f.modtime))
        elif name.startswith("charts/"):
            if go_ext(name) == ".prov":
                c.files.append(File(name, f.data, f.modtime))
                continue
            rest = name[len("charts/"):]
            cname = rest.split("/", 1)[0]
            subcharts.setdefault(cname, []).append(File(rest, f.data, f.modtime))
        else:
            c.files.append(File(name, f.data, f.modtime))
    if c.metadata is None:
        raise ChartError("Chart.yaml file is missing")
    c.validate()
    # Go walks a map here (random order); sorted names make the order reproducible
    for n in sorted(subcharts):
        sub_files = subcharts[n]
        if n[:1] in ("_", "."):
            continue
        if go_ext(n) == ".tgz" and sub_files[0].name != n:
            raise ChartError(f"error unpacking subchart tar in {c.name()}: expected {n}, got {sub_files[0].name}")
        try:
            if go_ext(n) == ".tgz":
                try:
                    sc = load_files(archive_files(sub_files[0].data))
                except _GzipHeaderError as err:
                    raise ChartError(str(err)) from None
            else:
                buff = []
                for f in sub_files:
                    parts = f.name.split("/", 1)
                    if len(parts) < 2:
                        continue
                    buff.append(File(parts[1], f.data, f.modtime))
                sc = load_files(buff)
        except ChartError as err:
            raise ChartError(f"error unpacking subchart {n} in {c.name()}: {err}") from None
        c.add_dependency(sc)
    return c


def _warn(message: str) -> None:
    import sys

    print(message, file=sys.stderr)


def _q(text: str) -> str:
    from pilothouse.gotemplate.gostrconv import quote as go_quote

    return go_quote(text)


def _os_message(op: str, name: str, err: OSError) -> str:
    reason = (err.strerror or str(err)).lower()
    if op == "stat":
        return f"stat {name}: {reason}"
    return f"{op} {name}: {reason}"


def _content_type(head: bytes) -> str:
    """The few answers of Go's http.DetectContentType a chart file realistically gets."""
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    stripped = head.lstrip(b"\t\n\x0c\r ")
    if stripped[:1] == b"<":
        return "text/xml; charset=utf-8"
    if any(b < 0x20 and b not in (9, 10, 12, 13, 27) for b in head):
        return "application/octet-stream"
    if head.startswith(b"\xef\xbb\xbf"):
        return "text/plain; charset=utf-8"
    return "text/plain; charset=utf-8"
