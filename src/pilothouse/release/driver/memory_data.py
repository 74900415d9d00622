"""``HELM_MEMORY_DRIVER_DATA``: releases preloaded into the memory driver, as Helm does.

With ``HELM_DRIVER=memory``, Helm reads every file named in ``HELM_MEMORY_DRIVER_DATA`` (a
``:``-separated list), each a YAML or JSON list of releases in Helm's release JSON shape, and
stores them before the command runs. Helm does this for every command and stops the process on
the first unreadable file with a log line, as `log.Fatal` prints it through Helm's logger;
`FatalDataError` carries that line.
"""

from __future__ import annotations

import os
from typing import Any

from pilothouse.errors import PilothouseError

ENV = "HELM_MEMORY_DRIVER_DATA"
# a bound on what one data file may hold: these are test and demo fixtures, not a database
MAX_FILE_BYTES = 64 * 1024 * 1024


class FatalDataError(PilothouseError):
    """A data file could not be read or stored: Helm logs the reason and exits with status 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        from pilothouse.slog import line

        self.log_line = line("INFO", message)


def _os_error(path: str, err: OSError) -> str:
    """os.ReadFile's error: Go's texts are the C library's, in lower case; a directory fails at read."""
    text = (err.strerror or str(err)).lower()
    op = "read" if isinstance(err, IsADirectoryError) else "open"
    return f"{op} {path}: {text}"


def read_releases(path: str) -> list[Any]:
    """The releases one data file holds (Release objects), or `FatalDataError` with Helm's words."""
    from pilothouse.goyaml.reader import YAMLError, unmarshal
    from pilothouse.release.model import Release

    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise FatalDataError("Unable to read memory driver data" + _os_error(path, err)) from None
    if len(data) > MAX_FILE_BYTES:
        raise FatalDataError(f"Unable to read memory driver data{path}: file is larger than {MAX_FILE_BYTES} bytes")
    try:
        items = unmarshal(data, "list")
    except YAMLError as err:
        msg = str(err).replace("[]interface {}", "[]*v1.Release")
        raise FatalDataError("Unable to unmarshal memory driver data: " + msg) from None
    out = []
    for item in items:
        if item is None:
            continue  # a JSON null is a nil *Release, which Go's decoder leaves out of nothing: skip it
        if not isinstance(item, dict):
            kind = {str: "string", bool: "bool", list: "array"}.get(type(item), "number")
            raise FatalDataError("Unable to unmarshal memory driver data: error unmarshaling JSON: while decoding "
                                 f"JSON: json: cannot unmarshal {kind} into Go value of type v1.Release")
        out.append(Release.from_dict(item))
    return out


def _signature(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


# the releases of the data files last read, under the files' names and stat signatures: Helm reads
# them once per command, and so does pilot although both the start-up check and the command's
# configuration ask for them
_last: dict[tuple[Any, ...], list[Any]] = {}


def data_releases() -> list[Any]:
    """Every release of the data files, in order, checked as Helm stores them (a revision given twice
    stops the command); the files are read again only when they have changed."""
    from pilothouse.release.driver.memory import Memory

    paths = os.environ.get(ENV, "").split(":")
    key = tuple((path, _signature(path)) for path in paths)
    if key not in _last:
        scratch, releases = Memory(), []
        for path in paths:
            for rel in read_releases(path):
                _store(scratch, rel)
                releases.append(rel)
        _last.clear()
        _last[key] = releases
    return _last[key]


def _store(driver: Any, rel: Any) -> None:
    from pilothouse.release.storage import make_key

    try:
        driver.create(make_key(rel.name, rel.version), rel)
    except PilothouseError as err:
        raise FatalDataError(str(err)) from None


def preload(driver: Any, namespace: str) -> None:
    """Store the releases of every data file in ``driver``, then look in ``namespace`` again."""
    for rel in data_releases():
        _store(driver, rel)
    driver.set_namespace(namespace)


def check_files() -> None:
    """Helm loads the data before any command runs: a file it cannot use stops every command."""
    data_releases()
