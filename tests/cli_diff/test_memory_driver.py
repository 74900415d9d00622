"""`HELM_DRIVER=memory` with `HELM_MEMORY_DRIVER_DATA`: releases preloaded from files, commands that
work on memory alone (a printing kube client), and Helm's fatal log line for a file it cannot use.
pilot and the real helm run the same command lines on the same data files."""

from __future__ import annotations

import base64
import json

import pytest
from difftools import Diff

MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  colour: blue\n"
HOOK = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\n  annotations:\n    \"helm.sh/hook\": test\n"


def _release(name: str, version: int, status: str, *, namespace: str = "default", notes: str = "",
             deployed: str = "2024-03-01T10:00:00Z", chart_version: str = "1.2.0") -> dict:
    return {
        "name": name,
        "namespace": namespace,
        "version": version,
        "info": {"first_deployed": "2024-03-01T10:00:00Z", "last_deployed": deployed, "status": status,
                 "description": f"{status} by a fixture", **({"notes": notes} if notes else {})},
        "chart": {"metadata": {"name": "shop", "version": chart_version, "appVersion": "7.1", "apiVersion": "v2"},
                  "templates": [{"name": "templates/cm.yaml", "data": base64.b64encode(MANIFEST.encode()).decode()}],
                  "values": {"colour": "red"}},
        "config": {"colour": "blue"},
        "manifest": MANIFEST,
        "hooks": [{"name": "probe", "kind": "Pod", "path": "shop/templates/probe.yaml", "manifest": HOOK,
                   "events": ["test"], "last_run": {"phase": ""}}],
    }


RELEASES = [
    _release("shop", 1, "superseded", deployed="2024-03-01T10:00:00Z"),
    _release("shop", 2, "deployed", deployed="2024-03-02T11:30:00Z", notes="Open the shop at :8080"),
    _release("cart", 1, "failed", deployed="2024-03-03T09:15:00Z", chart_version="0.9.1"),
    _release("audit", 1, "deployed", namespace="ops", deployed="2024-02-28T08:00:00Z"),
]


def _data(diff: Diff, name: str, content: str) -> None:
    for side in diff.sides.values():
        (side.work / name).write_text(content)


@pytest.fixture
def mem(diff: Diff) -> Diff:
    _data(diff, "rels.json", json.dumps(RELEASES))
    _data(diff, "more.yaml", "- name: extra\n  namespace: default\n  version: 3\n  info: {status: pending-upgrade}\n"
                             "  chart: {metadata: {name: shop, version: 2.0.0}}\n")
    _data(diff, "notlist.yaml", "name: shop\n")
    _data(diff, "broken.yaml", "- name: [unclosed\n")
    _data(diff, "scalar.yaml", "- 42\n")
    return diff


ENV = {"HELM_DRIVER": "memory", "HELM_MEMORY_DRIVER_DATA": "rels.json"}
READS = [
    "list", "list -a", "list -A", "list -o json", "list -o yaml", "list --failed", "list -n ops", "list -q",
    "history shop", "history shop -o json", "status shop", "status shop -o yaml", "status cart",
    "get values shop", "get values shop --all", "get manifest shop", "get notes shop", "get hooks shop",
    "get metadata shop", "get all shop --revision 1", "status nope", "history nope",
    "__complete status ''", "__complete history s", "__complete rollback shop ''",
]


@pytest.mark.parametrize("line", READS)
def test_reads_from_preloaded_releases(mem: Diff, line: str) -> None:
    mem.check(line.split() if "''" not in line else [*line.replace(" ''", "").split(), ""], env=ENV)


CHANGES = [
    "uninstall shop", "uninstall shop --keep-history", "uninstall shop cart", "rollback shop 1",
    "rollback shop", "rollback cart 3", "upgrade shop charts/web", "upgrade cart charts/web",
    "upgrade --install fresh charts/web", "install fresh charts/web", "install shop charts/web",
    "install fresh charts/web --dry-run=client", "test shop", "install fresh charts/web -n ops",
]


@pytest.mark.parametrize("line", CHANGES)
def test_changes_happen_in_memory_only(mem: Diff, line: str) -> None:
    """The release commands succeed or fail as helm's do, and the cluster is left untouched."""
    mem.check(line.split(), env=ENV)
    for side in mem.sides.values():
        for kind in ("Secret", "ConfigMap", "Deployment", "Service", "Pod", "Namespace"):
            made = [o for o in side.kube.store.objects(kind) if kind != "Namespace"
                    or o["metadata"]["name"] not in ("default", "kube-system", "kube-public", "kube-node-lease")]
            assert made == [], (line, kind)


@pytest.mark.parametrize("data", ["rels.json:more.yaml", "missing.json", "", "notlist.yaml", "broken.yaml",
                                  "scalar.yaml", "rels.json:rels.json", "."])
@pytest.mark.parametrize("line", ["list -a", "version --short", "__complete list ''"])
def test_data_files_are_read_before_any_command(mem: Diff, data: str, line: str) -> None:
    """Every command loads the data first; a file Helm cannot use stops it with Helm's log line."""
    argv = line.split() if "''" not in line else [*line.replace(" ''", "").split(), ""]
    env = {"HELM_DRIVER": "memory", "HELM_MEMORY_DRIVER_DATA": data}
    if argv[0] != "version":
        mem.check(argv, env=env)
        return
    h, p = mem.both(argv, env=env)  # the versions differ; what the data does may not
    assert (p.err, p.rc) == (h.err, h.rc)
    assert (p.out == "") == (h.out == "")


@pytest.mark.parametrize("line", ["install fresh charts/web", "upgrade shop charts/web", "upgrade -i fresh charts/web",
                                  "list", "uninstall shop", "rollback shop 1"])
def test_without_a_cluster(mem: Diff, line: str) -> None:
    """Only discovery needs the cluster: a dead one fails installs and upgrades with discovery's error,
    and every other command works on memory alone."""
    mem.check(line.split(), env={**ENV, "KUBECONFIG": "no-such-kubeconfig"})
