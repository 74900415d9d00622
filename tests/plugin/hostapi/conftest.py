"""Fixtures for the host API tests: the shipped plugins built from source, a probe that calls
every host function, a fake API server with its request log, and a Vault-style KV server."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostapi_helpers import EXAMPLES, HERE, Vault, builds

import fakekube


@pytest.fixture(scope="session")
def baseline_wasm() -> Path:
    return builds.clang_build([EXAMPLES / "policy-baseline-c" / "policy.c"], "c-baseline", wasi=False,
                              exports=["helm_plugin_main"])


@pytest.fixture(scope="session")
def vault_wasm() -> Path:
    return builds.go_build(EXAMPLES / "values-vault-go", "go-vault")


@pytest.fixture(scope="session")
def report_wasm() -> Path:
    return builds.go_build(EXAMPLES / "report-go", "go-report")


@pytest.fixture(scope="session")
def probe_wasm() -> Path:
    return builds.wat_build(HERE / "fixtures" / "probe.wat", "hostapi-probe")


@pytest.fixture
def srv():
    with fakekube.serve(trace=True) as server:
        yield server


@pytest.fixture
def kenv(srv, helm_home, monkeypatch) -> dict[str, str]:
    """The environment of a `pilot` run against the fake API server (also set in this process)."""
    env = {**helm_home.env(), "KUBECONFIG": srv.kubeconfig_path, "HELM_DRIVER": "secret",
           "PILOTHOUSE_WASM_CACHE": str(builds.BUILD_CACHE / "wasmtime")}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return env


@pytest.fixture
def vault():
    v = Vault("s.hunter2", {"secret/app": {"password": "pa55word", "user": "admin"},
                            **{f"secret/bulk{i}": {"v": f"value-{i}"} for i in range(100)}})
    yield v
    v.close()




@pytest.fixture(scope="session")
def c_cred_wasm() -> Path:
    return builds.clang_build([HERE / "fixtures" / "cred.c"], "hostapi-c-cred", wasi=False,
                              exports=["helm_plugin_main"])


@pytest.fixture(scope="session")
def answer_wasm() -> Path:
    return builds.wat_build(HERE / "fixtures" / "answer.wat", "hostapi-answer")
