"""The global flags reach the Kubernetes client: `pilot` and the real `helm` send the same
impersonation to the same namespaces of an API server named with --kube-apiserver, and keep a
bearer token to themselves over plain HTTP (the HELM_* variables do the same as the flags).
A small recording server stands in for the cluster."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helmdiff_cli import HELM, PILOT, isolated_env, run


class _Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:  # noqa: N802
        headers: dict[str, list[str]] = {}
        for key, value in self.headers.items():
            headers.setdefault(key.lower(), []).append(value)
        headers[":path"] = [self.path]
        type(self).seen.append(headers)
        if self.path.startswith("/version"):
            body = {"major": "1", "minor": "35", "gitVersion": "v1.35.0"}
        elif "/secrets" in self.path or "/configmaps" in self.path:
            body = {"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": []}
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def apiserver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Recorder.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _identity(requests: list[dict[str, list[str]]]) -> set[tuple[str, tuple[str, ...]]]:
    """What each request said about who is asking, and where it asked (secrets of which namespace)."""
    out = set()
    for r in requests:
        for key in ("authorization", "impersonate-user", "impersonate-group"):
            if key in r:
                out.add((key, tuple(r[key])))
        path = r[":path"][0]
        if "/secrets" in path:
            out.add(("secrets", (path.split("?")[0],)))
    return out


@pytest.mark.parametrize(("args", "variables"), [
    (["--kube-token", "T0K", "--kube-as-user", "alice", "--kube-as-group", "dev", "--kube-as-group", "ops"], {}),
    (["-n", "team", "--kube-token=abc"], {}),
    ([], {"HELM_KUBETOKEN": "envtoken", "HELM_KUBEASUSER": "bob", "HELM_NAMESPACE": "envns"}),
    (["--namespace", "flagns"], {"HELM_NAMESPACE": "envns"}),
])
def test_list_sends_what_helm_sends(apiserver, tmp_path, args, variables):
    env = isolated_env(tmp_path, variables)
    line = ["list", "--kube-apiserver", apiserver, *args]
    helm = run(HELM, line, env, tmp_path)
    helm_seen = list(_Recorder.seen)
    _Recorder.seen.clear()
    pilot = run(PILOT, line, env, tmp_path)
    pilot_seen = list(_Recorder.seen)
    assert (pilot.rc, pilot.out) == (helm.rc, helm.out), pilot.err
    # Helm parses its global flags twice and so sends each --kube-as-group twice (a Helm bug);
    # Pilothouse sends each group once
    theirs = {(k, tuple(dict.fromkeys(v))) for k, v in _identity(helm_seen)}
    assert _identity(pilot_seen) == theirs
    assert any("/secrets" in r[":path"][0] for r in pilot_seen)


def test_flags_after_the_command_and_before_it_are_the_same(apiserver, tmp_path):
    env = isolated_env(tmp_path)
    run(PILOT, ["--kube-token", "X", "list", "--kube-apiserver", apiserver, "-n", "a"], env, tmp_path)
    before = _identity(_Recorder.seen)
    _Recorder.seen.clear()
    run(PILOT, ["list", "-n", "a", "--kube-token=X", "--kube-apiserver=" + apiserver], env, tmp_path)
    assert _identity(_Recorder.seen) == before
    assert ("secrets", ("/api/v1/namespaces/a/secrets",)) in before


def test_tls_and_impersonation_settings_override_the_kubeconfig(tmp_path, monkeypatch):
    from pilothouse.kube.config import load_config

    kc = tmp_path / "kc"
    kc.write_text("apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context:\n"
                  "    cluster: k\n    user: u\nclusters:\n- name: k\n  cluster:\n    server: https://10.0.0.1:6443\n"
                  "    tls-server-name: from-file\nusers:\n- name: u\n  user:\n    as: file-user\n"
                  "    as-groups: [file-group]\n")
    for var in ("HELM_KUBEASUSER", "HELM_KUBEASGROUPS", "HELM_KUBETLS_SERVER_NAME", "HELM_KUBEINSECURE_SKIP_TLS_VERIFY"):
        monkeypatch.delenv(var, raising=False)
    cfg = load_config(str(kc))
    assert (cfg.impersonate, cfg.impersonate_groups, cfg.tls_server_name, cfg.insecure) == \
        ("file-user", ["file-group"], "from-file", False)
    # what --kube-as-user, --kube-as-group, --kube-tls-server-name, --kube-insecure-skip-tls-verify export
    monkeypatch.setenv("HELM_KUBEASUSER", "flag-user")
    monkeypatch.setenv("HELM_KUBEASGROUPS", "g1,g2")
    monkeypatch.setenv("HELM_KUBETLS_SERVER_NAME", "from-flag")
    monkeypatch.setenv("HELM_KUBEINSECURE_SKIP_TLS_VERIFY", "true")
    cfg = load_config(str(kc))
    assert (cfg.impersonate, cfg.impersonate_groups, cfg.tls_server_name, cfg.insecure) == \
        ("flag-user", ["g1", "g2"], "from-flag", True)


def test_flags_are_exported_only_while_the_command_runs(monkeypatch, capsys):
    import os

    from pilothouse.cli.main import main

    monkeypatch.delenv("HELM_KUBETOKEN", raising=False)
    assert main(["--kube-token", "secret", "env", "HELM_KUBETOKEN"]) == 0
    assert capsys.readouterr().out == "secret\n"
    assert "HELM_KUBETOKEN" not in os.environ
