"""`pilot status`: Helm 4 always lists the release's live resources, as `kubectl get` tables by kind."""

from __future__ import annotations

import json
import os

from commands_helpers import CHARTS

from pilothouse.cli.kubetable import TablePrinter, resources_block

SUITE = os.path.join(CHARTS, "suite")


def _created(srv, kind: str, name: str) -> str:
    obj = next(o for o in srv.store.objects(kind, "default") if o["metadata"]["name"] == name)
    return obj["metadata"]["creationTimestamp"]


def test_status_table_lists_resources_by_kind(pilot, srv):
    pilot("install", "web", SUITE)
    rc, out, _ = pilot("status", "web")
    assert rc == 0
    cm, dep = _created(srv, "ConfigMap", "web-config"), _created(srv, "Deployment", "web-web")
    # one header per run of tables with the same columns; each object is its own tab-aligned table
    # (cells padded by 3, at least 6 wide: cli-runtime's tab writer, as the real helm prints it); the related-pods table has no rows, so prints nothing
    block = ("DESCRIPTION: Install complete\nRESOURCES:\n"
             "==> v1/ConfigMap\nNAME         CREATED AT\n"
             f"web-config   {cm}\n\n"
             "==> v1/Deployment\n"
             f"web-web   {dep}\n\n"
             "==> v1/Pod(related)\n\n"
             # the test hooks have not run yet, so the suite prints nothing
             "\nNOTES:\nThanks for installing web.\n")
    assert out.endswith(block)


def test_status_shows_related_pods_and_helm3_flags_change_nothing(pilot, srv):
    from pilothouse.action.config import Configuration

    pilot("install", "web", SUITE)
    cfg = Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace="default")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-web-abc12", "labels": {"app": "web"}},
           "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
    cfg.kube.request("POST", "/api/v1/namespaces/default/pods", body=pod)
    _, plain, _ = pilot("status", "web")
    _, flagged, _ = pilot("status", "web", "--show-resources", "--show-desc")
    assert plain == flagged
    created = _created(srv, "Pod", "web-web-abc12")
    assert f"==> v1/Pod(related)\nweb-web-abc12   {created}\n\n" in plain


def test_status_json_has_whole_objects_and_no_chart(pilot):
    pilot("install", "web", SUITE)
    _, out, _ = pilot("status", "web", "-o", "json")
    rel = json.loads(out)
    assert "chart" not in rel
    res = rel["info"]["resources"]
    assert sorted(res) == ["v1/ConfigMap", "v1/Deployment", "v1/Pod(related)"]
    assert res["v1/ConfigMap"][0]["data"] == {"a": "1"}
    assert res["v1/Deployment"][0]["kind"] == "Deployment"
    assert res["v1/Pod(related)"][0]["kind"] == "PodList"


def test_status_revision(pilot):
    pilot("install", "web", SUITE)
    pilot("upgrade", "web", SUITE, "--set", "replicas=2")
    _, out, _ = pilot("status", "web", "--revision", "1")
    assert "REVISION: 1\n" in out and "STATUS: superseded\n" in out and "DESCRIPTION: Install complete\n" in out
    _, out, _ = pilot("status", "web")
    assert "REVISION: 2\n" in out and "DESCRIPTION: Upgrade complete\n" in out


def _table(columns, rows):
    return {"kind": "Table", "columnDefinitions": [{"name": n, "priority": p} for n, p in columns],
            "rows": [{"cells": r} for r in rows]}


def test_table_printer_follows_kubectl():
    p = TablePrinter()
    # a wide-only column (priority 1) is hidden; a multi-line cell shows its first line and "..."
    first = _table([("Name", 0), ("Ready", 0), ("Node", 1), ("Age", 0)],
                   [["a-very-long-pod-name", "1/1", "n1", "5m"], ["b", "line1\nline2", "n2", "1h"]])
    assert p.print_obj(first) == ("NAME                   READY      AGE\n"
                                  "a-very-long-pod-name   1/1        5m\n"
                                  "b                      line1...   1h\n")
    # same columns again: no header; other columns: a header again; no rows and new columns: nothing
    assert p.print_obj(_table([("Name", 0), ("Ready", 0), ("Node", 1), ("Age", 0)], [["c", 2, "x", True]])) == \
        "c     2     true\n"
    assert p.print_obj(_table([("Name", 0), ("Data", 0)], [])) == ""
    assert p.print_obj(_table([("Name", 0), ("Data", 0)], [["cm", 3]])) == "NAME   DATA\ncm     3\n"


def test_resources_block_layout():
    t = _table([("Name", 0)], [["x"]])
    assert resources_block({"v1/Service": [t], "v1/ConfigMap": [t]}) == (
        "RESOURCES:\n==> v1/ConfigMap\nNAME\nx\n\n==> v1/Service\nx\n\n\n")
