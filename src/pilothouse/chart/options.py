"""User-supplied values: ``-f``, ``--set-json``, ``--set``, ``--set-string``, ``--set-file``,
``--set-literal`` (Helm's ``values.Options``).

The order is fixed by kind, not by command-line position: files first (deep-merged, later
files win), then each ``--set*`` kind in turn, written into the same map in place.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pilothouse.chart import strvals
from pilothouse.errors import ValuesError
from pilothouse.goyaml.values import load_values, merge_maps

FileReader = Callable[[str], bytes]


def read_file(path: str) -> bytes:
    """Read a values source: ``-`` is stdin, ``http(s)://`` is fetched, anything else is a file."""
    if path.strip() == "-":
        return sys.stdin.buffer.read()
    scheme = path.split("://", 1)[0].lower() if "://" in path else ""
    if scheme in ("http", "https"):
        import httpx

        try:
            resp = httpx.get(path, follow_redirects=True, timeout=120)
        except httpx.HTTPError as err:
            from pilothouse.kube.neterrors import describe

            # worded as Go's HTTP client words it (Helm's getter): Get "URL": dial tcp ...: connection refused
            raise ValuesError(describe(err, "GET", path)) from None
        if resp.status_code != 200:
            raise ValuesError(f"failed to fetch {path} : {resp.status_code} {resp.reason_phrase}")
        return resp.content
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise ValuesError(f"open {path}: no such file or directory") from None
    except IsADirectoryError:
        raise ValuesError(f"read {path}: is a directory") from None
    except OSError as err:
        raise ValuesError(f"open {path}: {(err.strerror or str(err)).lower()}") from None


# Values deeper than this are refused wherever they come from: YAML files stop here already (the
# YAML parser's own limit); JSON is checked before it is decoded (Go's decoder allows 10,000).
MAX_VALUES_DEPTH = 1000


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (strings skipped), without parsing it."""
    depth = deepest = 0
    in_str = escaped = False
    for ch in text:
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif ch in "]}":
            depth -= 1
    return deepest


@dataclass
class ValueOptions:
    """The values a user gave on the command line, in Helm's flag kinds."""

    value_files: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    string_values: list[str] = field(default_factory=list)
    file_values: list[str] = field(default_factory=list)
    json_values: list[str] = field(default_factory=list)
    literal_values: list[str] = field(default_factory=list)
    reader: FileReader = read_file

    def merge_values(self) -> dict[str, Any]:
        """One map of user values, built in Helm's fixed order; raises `ValuesError`."""
        import json

        base: dict[str, Any] = {}
        for path in self.value_files:
            base = merge_maps(base, load_values(self.reader(path), filename=path))
        for value in self.json_values:
            trimmed = value.strip()
            if json_depth(trimmed) > MAX_VALUES_DEPTH:
                shown = value if len(value) <= 1024 else value[:1024] + "..."
                raise ValuesError(f"failed parsing --set-json data {shown}: nested more than {MAX_VALUES_DEPTH} "
                                  "levels deep")
            if trimmed.startswith("{"):
                try:
                    obj = json.loads(trimmed, parse_int=float, parse_constant=_reject_constant)
                except ValueError:
                    raise ValuesError(f"failed parsing --set-json data JSON: {value}") from None
                if not isinstance(obj, dict):
                    raise ValuesError(f"failed parsing --set-json data JSON: {value}")
                base = merge_maps(base, obj)
            else:
                try:
                    strvals.parse_json(value, base)
                except ValuesError:
                    raise ValuesError(f"failed parsing --set-json data {value}") from None
        for value in self.values:
            try:
                strvals.parse_into(value, base)
            except ValuesError as err:
                raise ValuesError(f"failed parsing --set data: {err}") from None
        for value in self.string_values:
            try:
                strvals.parse_into_string(value, base)
            except ValuesError as err:
                raise ValuesError(f"failed parsing --set-string data: {err}") from None
        for value in self.file_values:
            try:
                strvals.parse_into_file(value, base, self._content)
            except ValuesError as err:
                raise ValuesError(f"failed parsing --set-file data: {err}") from None
        for value in self.literal_values:
            try:
                strvals.parse_literal_into(value, base)
            except ValuesError as err:
                raise ValuesError(f"failed parsing --set-literal data: {err}") from None
        return base

    def _content(self, path: str) -> str:
        return self.reader(path).decode("utf-8", errors="surrogateescape")


def _reject_constant(name: str) -> Any:
    raise ValueError(name)
