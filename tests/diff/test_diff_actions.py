"""The diff actions as a library: client-side-apply releases, ownership changes, removals,
client-only dry runs, revisions and releases."""

from __future__ import annotations

import os

import httpx
import pytest

import fakekube
import pilothouse
from pilothouse.action.config import Configuration
from pilothouse.action.diff import DiffOptions, diff_release, diff_revision

CHART = os.path.join(os.path.dirname(os.path.abspath(__file__)), "charts", "web")


@pytest.fixture
def srv():
    with fakekube.serve(trace=True) as server:
        yield server


@pytest.fixture
def cfg(srv):
    return Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace="default", driver="secret")


def _live(srv, kind, name):
    return next((o for o in srv.store.objects(kind, "default") if o["metadata"]["name"] == name), None)


def test_client_side_apply_release_is_diffed_with_its_patch(srv, cfg):
    pilothouse.install(CHART, "csa", config=cfg, server_side=False)
    result = pilothouse.diff_upgrade("csa", CHART, values={"replicas": 2}, config=cfg)
    assert [(c.key, c.change) for c in result.changes] == [("default, csa-web, Deployment (apps)", "MODIFY")]
    assert [(f.path, f.before, f.after) for f in result.changes[0].fields] == [("spec.replicas", 1, 2)]
    pilothouse.upgrade("csa", CHART, values={"replicas": 2}, config=cfg)
    assert _live(srv, "Deployment", "csa-web")["spec"]["replicas"] == 2


def test_removed_objects_and_ownership_changes(srv, cfg):
    pilothouse.install(CHART, "web", values={"extra": True}, config=cfg)
    removed = pilothouse.diff_upgrade("web", CHART, values={"extra": False}, config=cfg)
    assert [(c.key, c.change) for c in removed.changes] == [("default, web-extra, ConfigMap (v1)", "REMOVE")]
    assert _live(srv, "ConfigMap", "web-extra") is not None, "a diff deletes nothing"

    # an object of the same name made by someone else: adopting it is an ownership change
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other-extra"}, "data": {"extra": "no"}}
    assert httpx.post(f"{srv.url}/api/v1/namespaces/default/configmaps", json=body).status_code == 201
    pilothouse.install(CHART, "other", config=cfg)
    adopt = pilothouse.diff_upgrade("other", CHART, values={"extra": True}, config=cfg, upgrade_options={
        "take_ownership": True})
    by_change = {(c.key, c.change): c for c in adopt.changes}
    owner = by_change[("default, other-extra, ConfigMap (v1)", "OWNERSHIP")]
    assert owner.records == [("-", "/"), ("+", "default/other")]
    modify = by_change[("default, other-extra, ConfigMap (v1)", "MODIFY")]
    assert ("data.extra", "no", "yes") in [(f.path, f.before, f.after) for f in modify.fields]


def test_client_dry_run_never_contacts_the_cluster(srv, cfg):
    srv.requests.clear()
    result = pilothouse.diff_upgrade("new", CHART, config=cfg, dry_run="client", install=True)
    assert {c.change for c in result.changes} == {"ADD"}
    assert len(result.changes) == 5
    assert srv.requests == []


def test_revisions_and_releases(srv, cfg):
    pilothouse.install(CHART, "a", config=cfg)
    pilothouse.upgrade("a", CHART, values={"color": "red"}, config=cfg)
    pilothouse.install(CHART, "b", values={"color": "green"}, config=cfg)
    rev = diff_revision(cfg, "a", 1, 2)
    assert sorted(c.key for c in rev.changes) == ["default, a-config, ConfigMap (v1)", "default, a-hook, ConfigMap (v1)"]
    assert diff_revision(cfg, "a", 2).changes == []
    rel = diff_release(cfg, "a", cfg, "b", DiffOptions())
    # matched by template file, so only the values differ (and the names)
    assert {c.change for c in rel.changes} == {"MODIFY"}
    assert sorted(c.key for c in rel.changes) == ["web/templates/all.yaml", "web/templates/all.yaml 2",
                                                  "web/templates/all.yaml 3", "web/templates/all.yaml 4",
                                                  "web/templates/hook.yaml"]
    config = next(c for c in rel.changes if c.key == "web/templates/all.yaml")
    assert [(f.path, f.before, f.after) for f in config.fields] == [
        ("data.color", "red", "green"), ("metadata.name", "a-config", "b-config")]


def test_chart_crds_not_yet_installed_are_shown_with_include_crds(srv, cfg, tmp_path):
    import shutil

    chart = tmp_path / "web"
    shutil.copytree(CHART, chart)
    (chart / "crds").mkdir()
    (chart / "crds" / "widget.yaml").write_text(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
        "  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names:\n"
        "    kind: Widget\n    plural: widgets\n    singular: widget\n    listKind: WidgetList\n  versions:\n"
        "    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n"
        "          type: object\n          x-kubernetes-preserve-unknown-fields: true\n")
    pilothouse.install(CHART, "w", config=cfg)
    plain = pilothouse.diff_upgrade("w", str(chart), config=cfg)
    assert plain.changes == []
    with_crds = pilothouse.diff_upgrade("w", str(chart), config=cfg, options=DiffOptions(include_crds=True))
    assert [(c.key, c.change) for c in with_crds.changes] == [
        ("default, widgets.example.com, CustomResourceDefinition (apiextensions.k8s.io)", "ADD")]


def test_drift_ignore_annotation_on_the_object(srv, cfg, tmp_path):
    import shutil

    chart = tmp_path / "web"
    shutil.copytree(CHART, chart)
    text = (chart / "templates" / "all.yaml").read_text()
    (chart / "templates" / "all.yaml").write_text(text.replace(
        "  name: {{ .Release.Name }}-web\nspec:\n  replicas:",
        "  name: {{ .Release.Name }}-web\n  annotations:\n    pilothouse.io/drift-ignore: spec.replicas\n"
        "spec:\n  replicas:", 1))
    pilothouse.install(str(chart), "ann", config=cfg)
    for patch in ({"spec": {"replicas": 7}}, {"spec": {"template": {"spec": {"containers": [
            {"name": "web", "image": "nginx:edited"}]}}}}):
        resp = httpx.patch(f"{srv.url}/apis/apps/v1/namespaces/default/deployments/ann-web", json=patch,
                           params={"fieldManager": "someone"},
                           headers={"Content-Type": "application/strategic-merge-patch+json"})
        assert resp.status_code == 200, resp.text
    found = pilothouse.drift("ann", config=cfg, use_user_config=False)
    assert [(f.path, f.before, f.after) for e in found.entries for f in e.fields] == [
        ("spec.template.spec.containers[name=web].image", "nginx:edited", "nginx:1.25")]
    assert found.entries[0].managers == ["someone"]


def test_drift_deleted_object_and_secret_are_reported_and_corrected(srv, cfg):
    pilothouse.install(CHART, "d", config=cfg)
    assert httpx.delete(f"{srv.url}/api/v1/namespaces/default/configmaps/d-config").status_code == 200
    resp = httpx.patch(f"{srv.url}/api/v1/namespaces/default/secrets/d-secret",
                       json={"data": {"password": "c3dvcmRmaXNo"}}, params={"fieldManager": "rotator"},
                       headers={"Content-Type": "application/merge-patch+json"})
    assert resp.status_code == 200, resp.text
    found = pilothouse.drift("d", config=cfg, use_user_config=False)
    states = {(e.kind, e.name): e for e in found.entries}
    assert set(states) == {("ConfigMap", "d-config"), ("Secret", "d-secret")}
    assert states[("ConfigMap", "d-config")].state == "deleted"
    secret = states[("Secret", "d-secret")]
    assert secret.managers == ["rotator"]
    text = "\n".join(t for _, t in secret.records)
    assert "swordfish" not in text and "c3dvcmRmaXNo" not in text and "hunter2" not in text
    assert ("-", "  password: '-------- # (9 bytes)'") in secret.records
    fixed = pilothouse.drift("d", config=cfg, use_user_config=False, correct=True)
    assert all(e.restored for e in fixed.entries)
    assert _live(srv, "ConfigMap", "d-config")["data"] == {"color": "blue"}
    assert _live(srv, "Secret", "d-secret")["data"] == {"password": "aHVudGVyMg=="}
    assert pilothouse.drift("d", config=cfg, use_user_config=False).entries == []
