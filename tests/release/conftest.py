"""Fixtures: a fake API server, the real Helm SDK pointed at it, a private PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile

import pytest

import fakekube

sys.path.insert(0, os.path.dirname(__file__))


@pytest.fixture
def srv():
    with fakekube.serve() as server:
        yield server


@pytest.fixture
def kube(srv):
    from pilothouse.kube.client import KubeClient

    with KubeClient.from_kubeconfig(srv.kubeconfig_path, namespace="default") as client:
        yield client


@pytest.fixture
def helm(srv):
    """The real Helm v4 SDK, talking to the same fake server."""
    from helmsdk import Helm

    def make(driver: str = "secret", namespace: str = "default"):
        return Helm(kubeconfig_path=srv.kubeconfig_path, namespace=namespace, storage_driver=driver)

    return make


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: use its own account then
    if os.geteuid() == 0:
        return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd)]
    return cmd


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for ver in sorted(os.listdir("/usr/lib/postgresql"), reverse=True) if os.path.isdir("/usr/lib/postgresql") else []:
        cand = f"/usr/lib/postgresql/{ver}/bin/{name}"
        if os.path.exists(cand):
            return cand
    raise RuntimeError(f"{name} not found: install the Debian 'postgresql' package")


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server on a free port; yields a libpq connection string."""
    tmp = tempfile.mkdtemp(prefix="pilot-pg-")
    data = os.path.join(tmp, "data")
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    port = _free_port()
    subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", data, "-A", "trust", "-U", "pilot", "--no-sync", "-E",
                                 "UTF8"]), check=True, capture_output=True)
    opts = f"'-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off'"
    subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", data, "-o", opts, "-w", "-l", os.path.join(tmp, "log"),
                                 "start"]), check=True, capture_output=True)
    try:
        yield f"host=127.0.0.1 port={port} user=pilot dbname=postgres sslmode=disable"
    finally:
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", data, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def pgdb(postgres):
    """A fresh database in the session's server."""
    import uuid

    import psycopg

    name = "t" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield postgres.replace("dbname=postgres", f"dbname={name}")
