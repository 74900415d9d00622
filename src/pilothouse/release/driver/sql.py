"""The SQL driver: release records in PostgreSQL, in Helm's tables (``HELM_DRIVER=sql``).

Tables ``releases_v1`` (one row per revision: key, type, body = base64(gzip(json)), name,
namespace, version, status, owner, createdAt, modifiedAt) and ``custom_labels_v1``, created by
the same two migrations Helm runs (recorded in ``gorp_migrations``, so Helm and Pilothouse share
one database). The connection string is libpq's (``HELM_DRIVER_SQL_CONNECTION_STRING``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from pilothouse.errors import ReleaseError
from pilothouse.release.codec import decode_release, encode_release
from pilothouse.release.driver.base import (
    ReleaseExistsError,
    ReleaseNotFoundError,
    filter_system_labels,
)
from pilothouse.release.model import Release

RELEASES = "releases_v1"
LABELS = "custom_labels_v1"
_SYSTEM_COLUMNS = {"modifiedAt": "modifiedat", "createdAt": "createdat", "version": "version", "status": "status",
                   "owner": "owner", "name": "name"}

_MIGRATIONS = [
    ("init", f"""
CREATE TABLE {RELEASES} (
    key VARCHAR(90),
    type VARCHAR(64) NOT NULL,
    body TEXT NOT NULL,
    name VARCHAR(64) NOT NULL,
    namespace VARCHAR(64) NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    owner TEXT NOT NULL,
    createdAt INTEGER NOT NULL,
    modifiedAt INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(key, namespace)
);
CREATE INDEX ON {RELEASES} (key, namespace);
CREATE INDEX ON {RELEASES} (version);
CREATE INDEX ON {RELEASES} (status);
CREATE INDEX ON {RELEASES} (owner);
CREATE INDEX ON {RELEASES} (createdAt);
CREATE INDEX ON {RELEASES} (modifiedAt);
GRANT ALL ON {RELEASES} TO PUBLIC;
ALTER TABLE {RELEASES} ENABLE ROW LEVEL SECURITY;
"""),
    ("custom_labels", f"""
CREATE TABLE {LABELS} (
    releaseKey VARCHAR(64),
    releaseNamespace VARCHAR(67),
    key VARCHAR(317),
    value VARCHAR(63)
);
CREATE INDEX ON {LABELS} (releaseKey, releaseNamespace);
GRANT ALL ON {LABELS} TO PUBLIC;
ALTER TABLE {LABELS} ENABLE ROW LEVEL SECURITY;
"""),
]


class SQL:
    """Records in a PostgreSQL database."""

    name = "SQL"

    def __init__(self, connection_string: str, namespace: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise ReleaseError("the SQL storage driver needs the 'psycopg' package (pip install 'pilothouse[sql]')") \
                from None
        try:
            self.db = psycopg.connect(connection_string, autocommit=True)
        except psycopg.Error as err:
            raise ReleaseError(f"failed to connect to the SQL database: {err}") from None
        self.namespace = namespace
        self._ensure_schema()

    def close(self) -> None:
        self.db.close()

    def _ensure_schema(self) -> None:
        with self.db.transaction():
            self.db.execute("CREATE TABLE IF NOT EXISTS gorp_migrations (id text NOT NULL PRIMARY KEY, "
                            "applied_at timestamp with time zone)")
            done = {r[0] for r in self.db.execute("SELECT id FROM gorp_migrations").fetchall()}
            for mid, sql in _MIGRATIONS:
                if mid in done:
                    continue
                self.db.execute(sql)
                self.db.execute("INSERT INTO gorp_migrations (id, applied_at) VALUES (%s, now())", (mid,))

    def _labels(self, key: str, namespace: str) -> dict[str, str]:
        rows = self.db.execute(f"SELECT key, value FROM {LABELS} WHERE releasekey = %s AND releasenamespace = %s",
                               (key, namespace)).fetchall()
        return filter_system_labels({k: v for k, v in rows})

    def get(self, key: str) -> Release:
        row = self.db.execute(f"SELECT body FROM {RELEASES} WHERE key = %s AND namespace = %s",
                              (key, self.namespace)).fetchone()
        if row is None:
            raise ReleaseNotFoundError()
        rel = decode_release(row[0])
        rel.labels = self._labels(key, self.namespace)
        return rel

    def _rows(self, where: list[str], args: list[Any]) -> list[tuple[str, str, str]]:
        if self.namespace:
            where.append("namespace = %s")
            args.append(self.namespace)
        sql = f"SELECT key, namespace, body FROM {RELEASES}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.db.execute(sql, args).fetchall()

    def list(self, keep: Callable[[Release], bool]) -> list[Release]:
        out = []
        for key, ns, body in self._rows(["owner = %s"], ["helm"]):
            try:
                rel = decode_release(body)
            except ReleaseError:
                continue
            rel.labels = self._labels(key, ns)
            rel.labels.update(name=rel.name, owner="helm", status=rel.info.status, version=str(rel.version))
            if keep(rel):
                out.append(rel)
        return out

    def query(self, labels: Mapping[str, str]) -> list[Release]:
        where, args = [], []
        for k in sorted(labels):
            col = _SYSTEM_COLUMNS.get(k)
            if col is None:
                raise ReleaseError(f"unknown label {k}")
            where.append(f"{col} = %s")
            args.append(int(labels[k]) if col in ("version", "createdat", "modifiedat") else labels[k])
        out = []
        for key, ns, body in self._rows(where, args):
            try:
                rel = decode_release(body)
            except ReleaseError:
                continue
            rel.labels = self._labels(key, ns)
            out.append(rel)
        if not out:
            raise ReleaseNotFoundError()
        return out

    def create(self, key: str, rel: Release) -> None:
        import psycopg

        ns = rel.namespace or "default"
        self.namespace = ns
        body = encode_release(rel)
        try:
            with self.db.transaction():
                self.db.execute(
                    f"INSERT INTO {RELEASES} (key, type, body, name, namespace, version, status, owner, createdat) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (key, "helm.sh/release.v1", body, rel.name, ns, rel.version, rel.info.status, "helm",
                     int(time.time())))
                for k, v in filter_system_labels(rel.labels).items():
                    self.db.execute(f"INSERT INTO {LABELS} (releasekey, releasenamespace, key, value) "
                                    "VALUES (%s, %s, %s, %s)", (key, ns, k, v))
        except psycopg.errors.UniqueViolation:
            raise ReleaseExistsError() from None
        except psycopg.Error as err:
            raise ReleaseError(f"failed to store release in SQL database: {err}") from None

    def update(self, key: str, rel: Release) -> None:
        import psycopg

        ns = rel.namespace or "default"
        self.namespace = ns
        try:
            self.db.execute(
                f"UPDATE {RELEASES} SET body = %s, name = %s, version = %s, status = %s, owner = %s, modifiedat = %s "
                "WHERE key = %s AND namespace = %s",
                (encode_release(rel), rel.name, rel.version, rel.info.status, "helm", int(time.time()), key, ns))
        except psycopg.Error as err:
            raise ReleaseError(f"failed to update release in SQL database: {err}") from None

    def delete(self, key: str) -> Release:
        with self.db.transaction():
            row = self.db.execute(f"SELECT body FROM {RELEASES} WHERE key = %s AND namespace = %s",
                                  (key, self.namespace)).fetchone()
            if row is None:
                raise ReleaseNotFoundError()
            rel = decode_release(row[0])
            self.db.execute(f"DELETE FROM {RELEASES} WHERE key = %s AND namespace = %s", (key, self.namespace))
            rel.labels = self._labels(key, self.namespace)
            self.db.execute(f"DELETE FROM {LABELS} WHERE releasekey = %s AND releasenamespace = %s",
                            (key, self.namespace))
        return rel
