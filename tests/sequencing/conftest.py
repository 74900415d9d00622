"""A fake API server with simulated controllers per test, and `pilot` run in-process against it."""

from __future__ import annotations

import pytest

import fakekube


@pytest.fixture
def sim():
    # controllers tick in the background so that a waiting client sees progress; tests assert the
    # order of what happened, never how long it took
    with fakekube.serve(simulate=0.02) as server:
        yield server


@pytest.fixture
def pilot(sim, monkeypatch, capsys):
    from pilothouse.cli.main import main

    monkeypatch.setenv("KUBECONFIG", sim.kubeconfig_path)
    monkeypatch.delenv("HELM_DRIVER", raising=False)
    monkeypatch.delenv("HELM_NAMESPACE", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        rc = main(list(argv))
        out, err = capsys.readouterr()
        return rc, out, err

    return run

