"""The official Kubernetes Python client against fakekube: what a client of a real API server sees.

Expected behaviour is the real server's, as documented by Kubernetes (API concepts, server-side
apply, strategic merge patch) and as client libraries depend on it.
"""

from __future__ import annotations

import json
import threading

import pytest
from kubernetes import client, watch
from kubernetes.client.rest import ApiException


def _cm(name, labels=None, data=None, **meta):
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, **({"labels": labels} if labels else {}), **meta},
        "data": data or {"k": "v"},
    }


def _deploy(name, containers, replicas=1):
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}},
        },
    }


def _status(exc: ApiException) -> dict:
    return json.loads(exc.body)


def test_version_and_discovery(api_client):
    info = client.VersionApi(api_client).get_code()
    assert info.major == "1" and info.git_version.startswith("v1.")
    assert client.CoreApi(api_client).get_api_versions().versions == ["v1"]
    groups = {g.name: g.preferred_version.version for g in client.ApisApi(api_client).get_api_versions().groups}
    assert groups["apps"] == "v1" and groups["batch"] == "v1" and groups["rbac.authorization.k8s.io"] == "v1"
    kinds = {r.kind for r in client.AppsV1Api(api_client).get_api_resources().resources}
    assert {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"} <= kinds


def test_configmap_crud_and_server_fields(core):
    created = core.create_namespaced_config_map("default", _cm("app", data={"a": "1"}))
    meta = created.metadata
    assert meta.uid and meta.creation_timestamp and int(meta.resource_version) > 0
    got = core.read_namespaced_config_map("app", "default")
    assert got.data == {"a": "1"} and got.metadata.uid == meta.uid
    got.data["b"] = "2"
    replaced = core.replace_namespaced_config_map("app", "default", got)
    assert int(replaced.metadata.resource_version) > int(meta.resource_version)
    assert replaced.metadata.uid == meta.uid
    assert [c.metadata.name for c in core.list_namespaced_config_map("default").items] == ["app"]
    core.delete_namespaced_config_map("app", "default")
    with pytest.raises(ApiException) as err:
        core.read_namespaced_config_map("app", "default")
    assert err.value.status == 404
    body = _status(err.value)
    assert body["kind"] == "Status" and body["reason"] == "NotFound"
    assert body["message"] == 'configmaps "app" not found'
    assert body["details"] == {"name": "app", "kind": "configmaps"}


def test_not_found_message_names_the_group(apps):
    with pytest.raises(ApiException) as err:
        apps.read_namespaced_deployment("nope", "default")
    assert _status(err.value)["message"] == 'deployments.apps "nope" not found'


def test_conflicts(core):
    core.create_namespaced_config_map("default", _cm("c"))
    with pytest.raises(ApiException) as err:
        core.create_namespaced_config_map("default", _cm("c"))
    assert err.value.status == 409 and _status(err.value)["reason"] == "AlreadyExists"
    assert _status(err.value)["message"] == 'configmaps "c" already exists'

    stale = core.read_namespaced_config_map("c", "default")
    fresh = core.read_namespaced_config_map("c", "default")
    fresh.data = {"k": "newer"}
    core.replace_namespaced_config_map("c", "default", fresh)
    stale.data = {"k": "older"}
    with pytest.raises(ApiException) as err:
        core.replace_namespaced_config_map("c", "default", stale)
    assert err.value.status == 409
    body = _status(err.value)
    assert body["reason"] == "Conflict"
    assert body["message"] == (
        'Operation cannot be fulfilled on configmaps "c": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    assert core.read_namespaced_config_map("c", "default").data == {"k": "newer"}


def test_namespace_must_exist(core):
    with pytest.raises(ApiException) as err:
        core.create_namespaced_config_map("missing", _cm("x"))
    assert err.value.status == 404
    assert _status(err.value)["message"] == 'namespaces "missing" not found'
    core.create_namespace({"metadata": {"name": "missing"}})
    assert core.create_namespaced_config_map("missing", _cm("x")).metadata.namespace == "missing"
    assert core.read_namespace("missing").status.phase == "Active"


def test_invalid_objects_are_422(core, apps):
    with pytest.raises(ApiException) as err:
        core.create_namespaced_config_map("default", _cm("Bad_Name"))
    assert err.value.status == 422
    body = _status(err.value)
    assert body["reason"] == "Invalid"
    assert body["message"].startswith('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ')
    assert body["details"]["causes"][0]["field"] == "metadata.name"

    bad = _deploy("web", [{"name": "web", "image": "nginx"}])
    bad["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    with pytest.raises(ApiException) as err:
        apps.create_namespaced_deployment("default", bad)
    assert err.value.status == 422
    assert "`selector` does not match template `labels`" in _status(err.value)["message"]
    assert _status(err.value)["message"].startswith('Deployment.apps "web" is invalid: ')


def test_label_and_field_selectors(core):
    core.create_namespaced_config_map("default", _cm("a", {"app": "a", "tier": "web"}))
    core.create_namespaced_config_map("default", _cm("b", {"app": "b", "tier": "db"}))
    core.create_namespaced_config_map("default", _cm("c"))

    def names(**kw):
        return [c.metadata.name for c in core.list_namespaced_config_map("default", **kw).items]

    assert names(label_selector="app=a") == ["a"]
    assert names(label_selector="app in (a,b)") == ["a", "b"]
    assert names(label_selector="app notin (a)") == ["b", "c"]
    assert names(label_selector="!app") == ["c"]
    assert names(label_selector="app,tier!=web") == ["b"]
    assert names(field_selector="metadata.name=b") == ["b"]
    assert names(field_selector="metadata.name!=b") == ["a", "c"]
    with pytest.raises(ApiException) as err:
        names(field_selector="data.k=v")
    assert err.value.status == 400
    assert _status(err.value)["message"] == "field label not supported: data.k"


def test_list_across_namespaces_and_paging(core):
    core.create_namespace({"metadata": {"name": "other"}})
    for i in range(5):
        core.create_namespaced_config_map("default" if i % 2 else "other", _cm(f"c{i}"))
    every = core.list_config_map_for_all_namespaces()
    assert sorted(c.metadata.name for c in every.items) == [f"c{i}" for i in range(5)]
    page = core.list_config_map_for_all_namespaces(limit=2)
    seen = [c.metadata.name for c in page.items]
    while page.metadata._continue:
        page = core.list_config_map_for_all_namespaces(limit=2, _continue=page.metadata._continue)
        seen += [c.metadata.name for c in page.items]
    assert sorted(seen) == sorted(c.metadata.name for c in every.items) and len(seen) == 5


def test_generate_name_and_dry_run(core):
    made = core.create_namespaced_config_map("default", {"metadata": {"generateName": "job-"}, "data": {}})
    assert made.metadata.name.startswith("job-") and len(made.metadata.name) == len("job-") + 5
    core.create_namespaced_config_map("default", _cm("dry"), dry_run="All")
    with pytest.raises(ApiException):
        core.read_namespaced_config_map("dry", "default")
    core.create_namespaced_config_map("default", _cm("kept"))
    core.delete_namespaced_config_map("kept", "default", dry_run="All")
    assert core.read_namespaced_config_map("kept", "default").metadata.name == "kept"


def test_resource_version_is_global(core, apps):
    a = core.create_namespaced_config_map("default", _cm("one"))
    b = apps.create_namespaced_deployment("default", _deploy("web", [{"name": "web", "image": "nginx"}]))
    c = core.create_namespaced_secret("default", {"metadata": {"name": "s"}, "stringData": {"x": "y"}})
    rvs = [int(o.metadata.resource_version) for o in (a, b, c)]
    assert rvs == sorted(rvs) and len(set(rvs)) == 3
    assert c.data == {"x": "eQ=="} and c.type == "Opaque"


def test_server_side_apply(core):
    doc = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "test-cm", "labels": {"test-label": "test"}},
        "data": {"key": "some value"},
    }
    created = core.patch_namespaced_config_map(
        "test-cm", "default", doc, field_manager="kubectl", _content_type="application/apply-patch+yaml"
    )
    assert created.data == {"key": "some value"}
    (entry,) = created.metadata.managed_fields
    assert (entry.manager, entry.operation, entry.api_version, entry.fields_type) == ("kubectl", "Apply", "v1", "FieldsV1")
    # The example of the Kubernetes server-side apply documentation.
    assert entry.fields_v1 == {"f:metadata": {"f:labels": {"f:test-label": {}}}, "f:data": {"f:key": {}}}

    # A second manager changing the same field conflicts, unless it forces.
    other = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "test-cm"}, "data": {"key": "other"}}
    with pytest.raises(ApiException) as err:
        core.patch_namespaced_config_map(
            "test-cm", "default", other, field_manager="ci", _content_type="application/apply-patch+yaml"
        )
    assert err.value.status == 409
    body = _status(err.value)
    assert body["reason"] == "Conflict"
    assert body["message"] == 'Apply failed with 1 conflict: conflict with "kubectl": .data.key'
    assert body["details"]["causes"][0]["field"] == ".data.key"
    forced = core.patch_namespaced_config_map(
        "test-cm", "default", other, field_manager="ci", force=True, _content_type="application/apply-patch+yaml"
    )
    assert forced.data == {"key": "other"}
    owners = {e.manager: e.fields_v1 for e in forced.metadata.managed_fields}
    assert owners["ci"] == {"f:data": {"f:key": {}}}
    assert owners["kubectl"] == {"f:metadata": {"f:labels": {"f:test-label": {}}}}

    # The first manager drops its label from its configuration: the label goes away.
    core.patch_namespaced_config_map(
        "test-cm",
        "default",
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "test-cm"}},
        field_manager="kubectl",
        _content_type="application/apply-patch+yaml",
    )
    live = core.read_namespaced_config_map("test-cm", "default")
    assert live.metadata.labels is None and live.data == {"key": "other"}


def test_apply_merges_lists_by_key_and_requires_a_manager(apps):
    first = _deploy("web", [{"name": "web", "image": "nginx:1"}])
    apps.patch_namespaced_deployment("web", "default", first, field_manager="a", _content_type="application/apply-patch+yaml")
    sidecar = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {"template": {"spec": {"containers": [{"name": "log", "image": "busybox"}]}}},
    }
    merged = apps.patch_namespaced_deployment(
        "web", "default", sidecar, field_manager="b", _content_type="application/apply-patch+yaml"
    )
    assert [(c.name, c.image) for c in merged.spec.template.spec.containers] == [("web", "nginx:1"), ("log", "busybox")]
    with pytest.raises(ApiException) as err:
        apps.patch_namespaced_deployment("web", "default", sidecar, _content_type="application/apply-patch+yaml")
    assert err.value.status == 400


def test_strategic_merge_patch_merges_containers_by_name(apps):
    # The example of the Kubernetes task "Update API Objects in Place Using kubectl patch".
    apps.create_namespaced_deployment("default", _deploy("patch-demo", [{"name": "patch-demo-ctr", "image": "nginx"}], 2))
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "patch-demo-ctr-2", "image": "redis"}]}}}}
    patched = apps.patch_namespaced_deployment("patch-demo", "default", patch)
    assert [c.name for c in patched.spec.template.spec.containers] == ["patch-demo-ctr", "patch-demo-ctr-2"]
    # A JSON merge patch replaces the list instead.
    merged = apps.patch_namespaced_deployment(
        "patch-demo", "default", patch, _content_type="application/merge-patch+json"
    )
    assert [c.name for c in merged.spec.template.spec.containers] == ["patch-demo-ctr-2"]
    # JSON patch (RFC 6902).
    ops = [{"op": "replace", "path": "/spec/replicas", "value": 3}]
    assert apps.patch_namespaced_deployment("patch-demo", "default", ops).spec.replicas == 3
    assert merged.metadata.generation < apps.read_namespaced_deployment("patch-demo", "default").metadata.generation


def test_status_subresource(apps):
    apps.create_namespaced_deployment("default", _deploy("web", [{"name": "web", "image": "nginx"}]))
    live = apps.read_namespaced_deployment("web", "default")
    assert live.status is None or live.status.ready_replicas is None
    # Writes to the main resource ignore status...
    apps.patch_namespaced_deployment("web", "default", {"status": {"readyReplicas": 1}})
    assert apps.read_namespaced_deployment("web", "default").status.ready_replicas is None
    # ...and writes to /status change only status.
    apps.patch_namespaced_deployment_status("web", "default", {"status": {"readyReplicas": 1}, "spec": {"replicas": 9}})
    live = apps.read_namespaced_deployment("web", "default")
    assert live.status.ready_replicas == 1 and live.spec.replicas == 1


def test_watch_sees_changes(srv, core):
    core.create_namespaced_config_map("default", _cm("before", {"w": "1"}))
    rv = core.list_namespaced_config_map("default").metadata.resource_version
    seen: list[tuple[str, str]] = []
    ready = threading.Event()

    def run():
        w = watch.Watch()
        for ev in w.stream(core.list_namespaced_config_map, "default", resource_version=rv, timeout_seconds=5):
            seen.append((ev["type"], ev["object"].metadata.name))
            ready.set()
            if len(seen) == 3:
                w.stop()

    t = threading.Thread(target=run)
    t.start()
    core.create_namespaced_config_map("default", _cm("after"))
    core.patch_namespaced_config_map("after", "default", {"data": {"k": "2"}})
    core.delete_namespaced_config_map("after", "default")
    t.join(10)
    assert seen == [("ADDED", "after"), ("MODIFIED", "after"), ("DELETED", "after")]


def test_watch_from_scratch_lists_existing_objects(core):
    core.create_namespaced_config_map("default", _cm("old"))
    events = list(watch.Watch().stream(core.list_namespaced_config_map, "default", timeout_seconds=1))
    assert [(e["type"], e["object"].metadata.name) for e in events] == [("ADDED", "old")]


def test_owner_references_cascade(core):
    owner = core.create_namespaced_config_map("default", _cm("owner"))
    ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner.metadata.uid}
    core.create_namespaced_config_map("default", _cm("child", ownerReferences=[ref]))
    core.create_namespaced_config_map("default", _cm("orphan", ownerReferences=[ref]))
    core.delete_namespaced_config_map("owner", "default", propagation_policy="Background")
    assert {c.metadata.name for c in core.list_namespaced_config_map("default").items} == set()

    owner = core.create_namespaced_config_map("default", _cm("owner2"))
    ref["uid"], ref["name"] = owner.metadata.uid, "owner2"
    core.create_namespaced_config_map("default", _cm("kept", ownerReferences=[ref]))
    core.delete_namespaced_config_map("owner2", "default", propagation_policy="Orphan")
    kept = core.read_namespaced_config_map("kept", "default")
    assert not kept.metadata.owner_references


def test_finalizers_hold_deletion(core):
    core.create_namespaced_config_map("default", _cm("held", finalizers=["example.com/hold"]))
    core.delete_namespaced_config_map("held", "default")
    held = core.read_namespaced_config_map("held", "default")
    assert held.metadata.deletion_timestamp is not None
    core.patch_namespaced_config_map("held", "default", {"metadata": {"finalizers": None}}, _content_type="application/merge-patch+json")
    with pytest.raises(ApiException) as err:
        core.read_namespaced_config_map("held", "default")
    assert err.value.status == 404


def test_custom_resources(api_client):
    ext = client.ApiextensionsV1Api(api_client)
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "subresources": {"status": {}},
                    "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
                }
            ],
        },
    }
    made = ext.create_custom_resource_definition(crd)
    conds = {c.type: c.status for c in made.status.conditions}
    assert conds["Established"] == "True" and conds["NamesAccepted"] == "True"
    resources = client.CustomObjectsApi(api_client).get_api_resources("example.com", "v1").resources
    assert [(r.name, r.kind, r.namespaced) for r in resources if "/" not in r.name] == [("widgets", "Widget", True)]

    custom = client.CustomObjectsApi(api_client)
    body = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w1"}, "spec": {"size": 3}}
    custom.create_namespaced_custom_object("example.com", "v1", "default", "widgets", body)
    got = custom.get_namespaced_custom_object("example.com", "v1", "default", "widgets", "w1")
    assert got["spec"] == {"size": 3} and got["metadata"]["generation"] == 1
    listed = custom.list_namespaced_custom_object("example.com", "v1", "default", "widgets")
    assert [i["metadata"]["name"] for i in listed["items"]] == ["w1"]
    assert listed["items"][0]["kind"] == "Widget"

    ext.delete_custom_resource_definition("widgets.example.com")
    with pytest.raises(ApiException) as err:
        custom.list_namespaced_custom_object("example.com", "v1", "default", "widgets")
    assert err.value.status == 404


def test_yaml_bodies_and_the_admin_endpoint(srv, apps):
    import urllib.request

    doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n"
    req = urllib.request.Request(
        srv.url + "/api/v1/namespaces/default/configmaps",
        data=doc.encode(),
        method="POST",
        headers={"Content-Type": "application/yaml", "Accept": "application/yaml"},
    )
    with urllib.request.urlopen(req) as resp:
        assert resp.status == 201 and resp.headers["Content-Type"] == "application/yaml"
        assert "name: from-yaml" in resp.read().decode()

    apps.create_namespaced_deployment("default", _deploy("web", [{"name": "web", "image": "nginx"}], 2))
    req = urllib.request.Request(
        srv.url + "/_fakekube/ready",
        data=json.dumps({"kind": "Deployment", "namespace": "default", "name": "web"}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(req).close()
    status = apps.read_namespaced_deployment("web", "default").status
    assert status.available_replicas == 2 and status.ready_replicas == 2
    assert {c.type: c.status for c in status.conditions}["Available"] == "True"
