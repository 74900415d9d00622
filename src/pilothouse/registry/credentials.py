"""Registry logins in Helm's credential file: docker ``config.json`` format (``auths.<host>.auth``).

Helm reads its own file (``HELM_REGISTRY_CONFIG``) and falls back to Docker's
(``$DOCKER_CONFIG/config.json`` or ``~/.docker/config.json``); logins are written to Helm's.
External credential stores named by ``credsStore`` are not consulted.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from pilothouse.errors import RepoError


def server_address(host: str) -> str:
    """The key a registry's login is stored under (Docker Hub has its historical one)."""
    if host in ("docker.io", "registry-1.docker.io", "index.docker.io"):
        return "https://index.docker.io/v1/"
    return host


def _read(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise RepoError(f"failed to read the registry config {path}: {err}") from None
    if not data.strip():
        return {}
    try:
        doc = json.loads(data)
    except ValueError as err:
        raise RepoError(f"failed to decode the registry config {path}: {err}") from None
    return doc if isinstance(doc, dict) else {}


def _docker_config() -> str:
    base = os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")
    return os.path.join(base, "config.json")


class CredentialStore:
    """Get, put and delete logins; ``path`` is Helm's file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def get(self, host: str) -> tuple[str, str] | None:
        """(username, password) for ``host``, from Helm's file and then Docker's, or None."""
        key = server_address(host)
        for path in (self.path, _docker_config()):
            entry = (_read(path).get("auths") or {}).get(key)
            if not isinstance(entry, dict):
                continue
            if entry.get("identitytoken"):
                return "<token>", str(entry["identitytoken"])
            auth = entry.get("auth")
            if auth:
                try:
                    user, _, pw = base64.b64decode(auth).decode("utf-8").partition(":")
                except ValueError:
                    raise RepoError(f"invalid auth entry for {key} in {path}") from None
                return user, pw
            if entry.get("username"):
                return str(entry["username"]), str(entry.get("password", ""))
        return None

    def put(self, host: str, username: str, password: str) -> None:
        """Store a login (the file is created with mode 0600)."""
        from pilothouse.repo.paths import atomic_write

        doc = _read(self.path)
        auths = doc.setdefault("auths", {})
        key = server_address(host)
        if username == "<token>":
            auths[key] = {"identitytoken": password}
        else:
            auths[key] = {"auth": base64.b64encode(f"{username}:{password}".encode()).decode()}
        atomic_write(self.path, json.dumps(doc, indent="\t").encode("utf-8"), 0o600)

    def delete(self, host: str) -> bool:
        """Forget the login of ``host``; False when there was none."""
        from pilothouse.repo.paths import atomic_write

        doc = _read(self.path)
        auths = doc.get("auths") or {}
        if server_address(host) not in auths:
            return False
        del auths[server_address(host)]
        atomic_write(self.path, json.dumps(doc, indent="\t").encode("utf-8"), 0o600)
        return True
