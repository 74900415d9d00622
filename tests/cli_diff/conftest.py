"""Fixtures of the differential tests (see difftools.py): two sides per test, a chart repository
over HTTP and a docker-registry, all on free ports."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from difftools import CHARTS, HELM, Diff, _free_port, static_http

import fakekube


@pytest.fixture
def diff(tmp_path: Path) -> Iterator[Diff]:
    """Two sides, each with its own homes and fake API server (workloads become ready at once)."""
    with fakekube.serve(auto_ready=True) as ka, fakekube.serve(auto_ready=True) as kb:
        yield Diff(tmp_path, (ka, kb))


@pytest.fixture
def run_both(diff: Diff):
    """`run_both(argv, side=None, stdin=None, env=None)` → (helm Result, pilot Result)."""
    return diff.both


@pytest.fixture(scope="module")
def chart_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A chart repository (index.yaml and archives packaged by the real helm) over plain HTTP."""
    root = tmp_path_factory.mktemp("chart-repo")
    work = tmp_path_factory.mktemp("chart-repo-src")
    shutil.copytree(CHARTS, work / "charts")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(work)}
    for chart in ("web", "suite", "sub"):
        subprocess.run([str(HELM), "package", str(work / "charts" / chart), "-d", str(root)],
                       check=True, capture_output=True, env=env)
    # a second version of web, for --version and search --versions
    (work / "charts" / "web" / "Chart.yaml").write_text(
        (work / "charts" / "web" / "Chart.yaml").read_text().replace("version: 0.3.0", "version: 0.4.0-rc.1"))
    subprocess.run([str(HELM), "package", str(work / "charts" / "web"), "-d", str(root)],
                   check=True, capture_output=True, env=env)
    with static_http(root) as url:
        subprocess.run([str(HELM), "repo", "index", str(root), "--url", url],
                       check=True, capture_output=True, env=env)
        yield url


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``host:port`` of an anonymous docker-registry (Debian's distribution) on 127.0.0.1."""
    import httpx

    binary = shutil.which("docker-registry")
    assert binary, "docker-registry is not installed (see scripts/debian-packages.txt)"
    root = tmp_path_factory.mktemp("registry")
    port = _free_port()
    (root / "config.yml").write_text(
        "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {root / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n")
    proc = subprocess.Popen([binary, "serve", str(root / "config.yml")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    host = f"127.0.0.1:{port}"
    # waiting for a service to come up is not synchronisation between test steps: poll until it answers
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if httpx.get(f"http://{host}/v2/", timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "registry did not come up"
            time.sleep(0.05)
        yield host
    finally:
        proc.terminate()
        proc.wait(10)


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's reporter
    if Diff.compared:
        terminalreporter.write_line(f"cli_diff: {Diff.compared} command lines compared with the real helm")
