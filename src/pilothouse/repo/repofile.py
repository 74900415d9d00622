"""``repositories.yaml``: the chart repositories a user has added (Helm's ``repo.File``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

from pilothouse.errors import RepoError
from pilothouse.repo.getter import RepoCredentials


@dataclass
class Entry(RepoCredentials):
    """One configured repository, with Helm's JSON field names."""

    name: str = ""
    url: str = ""

    _JSON = {
        "name": "name", "url": "url", "username": "username", "password": "password",
        "cert_file": "certFile", "key_file": "keyFile", "ca_file": "caFile",
        "insecure_skip_tls_verify": "insecure_skip_tls_verify", "pass_credentials_all": "pass_credentials_all",
    }

    def to_dict(self) -> dict[str, Any]:
        """Every field, as Helm writes them (no omitempty), in Helm's order."""
        return {key: getattr(self, name) for name, key in self._JSON.items()}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Entry:
        """Read an entry; keys match case-insensitively, as Go's JSON decoding does."""
        e = cls()
        lower = {str(k).lower(): v for k, v in doc.items()}
        for f in fields(cls):
            val = lower.get(cls._JSON[f.name].lower())
            if val is None:
                continue
            setattr(e, f.name, bool(val) if f.type in ("bool", bool) else str(val))
        return e


class RepoFile:
    """The repositories file: apiVersion, generated, and the entries in order."""

    def __init__(self) -> None:
        from pilothouse.repo.gotime import rfc3339nano

        self.api_version = "v1"
        self.generated = rfc3339nano()
        self.repositories: list[Entry] = []

    @classmethod
    def load(cls, path: str, *, missing_ok: bool = True) -> RepoFile:
        """Read ``path``; a missing file gives an empty list (or raises when ``missing_ok`` is false)."""
        from pilothouse.repo.yamlload import load

        rf = cls()
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            if missing_ok:
                return rf
            raise RepoError(f"couldn't load repositories file ({path}): open {path}: no such file or directory") \
                from None
        except OSError as err:
            raise RepoError(f"couldn't load repositories file ({path}): {err}") from None
        try:
            doc = load(data) or {}
        except ValueError as err:
            raise RepoError(f"couldn't load repositories file ({path}): {err}") from None
        if not isinstance(doc, dict):
            raise RepoError(f"couldn't load repositories file ({path}): not a map")
        rf.api_version = str(doc.get("apiVersion") or "")
        rf.generated = str(doc.get("generated") or "")
        rf.repositories = [Entry.from_dict(r) for r in doc.get("repositories") or [] if isinstance(r, dict)]
        return rf

    def has(self, name: str) -> bool:
        return self.get(name) is not None

    def get(self, name: str) -> Entry | None:
        """The entry named ``name``, or None."""
        return next((e for e in self.repositories if e.name == name), None)

    def update(self, *entries: Entry) -> None:
        """Replace entries with the same name, append the others."""
        for e in entries:
            for i, cur in enumerate(self.repositories):
                if cur.name == e.name:
                    self.repositories[i] = e
                    break
            else:
                self.repositories.append(e)

    def remove(self, name: str) -> bool:
        """Drop the entry named ``name``; False when there was none."""
        before = len(self.repositories)
        self.repositories = [e for e in self.repositories if e.name != name]
        return len(self.repositories) != before

    def to_yaml(self) -> str:
        """The file's text, as Helm writes it."""
        from pilothouse import goyaml

        return goyaml.to_yaml({"apiVersion": self.api_version, "generated": self.generated,
                               "repositories": [e.to_dict() for e in self.repositories]})

    def write(self, path: str, mode: int = 0o600) -> None:
        """Write the file (mode 0600: it may hold passwords)."""
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        from pilothouse.repo.paths import atomic_write

        atomic_write(path, self.to_yaml().encode("utf-8"), mode)
