"""Unreachable clusters: the messages are Go's (helm's), never Python's ([Errno 111], [SSL: ...])."""

from __future__ import annotations

import shlex

import pytest

KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "%s"}
contexts:
- name: c
  context: {cluster: c, user: u}
current-context: c
users:
- name: u
  user: {token: t}
"""

COMMANDS = [
    "list",
    "install r1 charts/web",
    "upgrade r1 charts/web",
    "status r1",
    "history r1",
    "uninstall r1",
    "rollback r1 1",
    "get all r1",
    "get values r1",
    "get manifest r1",
    "get metadata r1",
    "test r1",
]


def _kubeconfig(diff, server: str) -> dict[str, str]:
    path = diff.sides["a"].root / "unreachable.kubeconfig"
    path.write_text(KUBECONFIG % server)
    return {"KUBECONFIG": str(path)}


@pytest.mark.parametrize("line", COMMANDS)
def test_refused(diff, line):
    diff.check(shlex.split(line), env=_kubeconfig(diff, "https://127.0.0.1:1"))


def test_refused_upgrade_install(diff):
    # 4.2 asks for the history through the History action, which checks reachability first
    # (pkg/cmd/upgrade.go); 4.1.4 read the storage directly and failed on its first request
    def v42(r):
        import re

        return type(r)(r.out, re.sub(r'Get "https://127.0.0.1:1/api/v1/namespaces/default/secrets\?[^"]*"',
                                     'Get "https://127.0.0.1:1/version"', r.err), r.rc)

    diff.check(["upgrade", "r1", "charts/web", "--install"], env=_kubeconfig(diff, "https://127.0.0.1:1"), v42=v42)


@pytest.mark.parametrize("line", ["list", "install r1 charts/web", "status r1"])
def test_unknown_host(diff, line):
    diff.check(shlex.split(line), env=_kubeconfig(diff, "https://nosuch.invalid:6443"))


@pytest.mark.parametrize("line", ["list", "install r1 charts/web", "history r1"])
def test_tls_to_a_plain_http_server(diff, line):
    # the side's fake API server speaks plain HTTP
    server = diff.sides["a"].kube.url.replace("http://", "https://")
    diff.subs[server.removeprefix("https://")] = "$HOSTPORT"
    diff.check(shlex.split(line), env=_kubeconfig(diff, server))
