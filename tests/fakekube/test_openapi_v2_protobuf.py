"""`/openapi/v2` in gnostic's protobuf: what kubectl and helm download when a server has no
`/openapi/v3` (here: switched off). The real clients parse it and go on with their work."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import fakekube
from fakekube.api import Response

BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  replicas: %d
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
"""


@pytest.fixture
def v2_only():
    with fakekube.serve(auto_ready=True, trace=True) as srv:
        served = srv.api._openapi

        def without_v3(req, rest):
            if rest[:1] == ["v3"]:
                return Response(404, "404 page not found\n", "text/plain; charset=utf-8")
            return served(req, rest)

        srv.api._openapi = without_v3
        yield srv


def _v2_protobuf_requests(srv) -> int:
    return sum(1 for m, path, accept, _ in srv.requests
               if path.startswith("/openapi/v2") and "protobuf" in accept)


def test_kubectl_validates_and_merges_with_the_v2_document(v2_only):
    env = dict(os.environ, KUBECONFIG=v2_only.kubeconfig_path)
    kubectl = str(BIN / "kubectl-1.35")
    first = subprocess.run([kubectl, "apply", "-f", "-"], input=DEPLOYMENT % 1, env=env, capture_output=True,
                           text=True, timeout=300)
    assert (first.returncode, first.stdout, first.stderr) == (0, "deployment.apps/d created\n", "")
    second = subprocess.run([kubectl, "apply", "-f", "-"], input=DEPLOYMENT % 2, env=env, capture_output=True,
                            text=True, timeout=300)
    assert (second.returncode, second.stdout, second.stderr) == (0, "deployment.apps/d configured\n", "")
    assert _v2_protobuf_requests(v2_only) >= 2
    assert v2_only.store.find(v2_only.store.resolve("Deployment"), "default", "d")["spec"]["replicas"] == 2


def test_helm_installs_with_the_v2_document(v2_only, tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "KUBECONFIG": v2_only.kubeconfig_path}
    chart = Path(__file__).resolve().parents[1] / "cli_diff" / "charts" / "web"
    res = subprocess.run([str(BIN / "helm"), "install", "r1", str(chart)], env=env, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    assert _v2_protobuf_requests(v2_only) >= 1
