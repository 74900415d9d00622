"""`pilot install` and `pilot upgrade` take charts straight from an OCI registry, as `helm` does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from repotools import make_chart, pilot

import fakekube


def test_install_and_upgrade_from_oci(tmp_path: Path, registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    for version in ("1.0.0", "1.1.0"):
        pilot("package", str(make_chart(tmp_path / f"src-{version}", "ocichart", version)), "-d", str(tmp_path))
        assert pilot("push", str(tmp_path / f"ocichart-{version}.tgz"), f"oci://{registry}/apps", "--plain-http") == 0
    ref = f"oci://{registry}/apps/ocichart"
    with fakekube.serve(auto_ready=True) as srv:
        kube = ["--kubeconfig", srv.kubeconfig_path, "-n", "default"]
        capsys.readouterr()
        assert pilot("install", "rel", ref, "--version", "1.0.0", "--plain-http", *kube) == 0
        assert pilot("upgrade", "rel", ref, "--plain-http", *kube) == 0
        assert pilot("history", "rel", "-o", "json", *kube) == 0
        out = capsys.readouterr().out
        history = json.loads(out.splitlines()[-1])
        assert [(h["revision"], h["chart"], h["status"]) for h in history] == [
            (1, "ocichart-1.0.0", "superseded"), (2, "ocichart-1.1.0", "deployed")]
        names = [o["metadata"]["name"] for o in srv.store.objects("ConfigMap", "default")]
        assert "rel-ocichart" in names
