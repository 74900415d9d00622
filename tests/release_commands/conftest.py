"""A fake API server per test, and `pilot` run in-process against it."""

from __future__ import annotations

import pytest

import fakekube


@pytest.fixture
def srv():
    with fakekube.serve(auto_ready=True) as server:
        yield server


@pytest.fixture
def pilot(srv, monkeypatch, capsys):
    from pilothouse.cli.main import main

    monkeypatch.setenv("KUBECONFIG", srv.kubeconfig_path)
    monkeypatch.delenv("HELM_DRIVER", raising=False)
    monkeypatch.delenv("HELM_NAMESPACE", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        rc = main(list(argv))
        out, err = capsys.readouterr()
        return rc, out, err

    return run
