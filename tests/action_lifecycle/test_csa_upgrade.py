"""A release written by Helm 3 (client-side apply) upgraded by ``pilot upgrade``.

Helm keeps client-side apply for such releases under ``--server-side=auto`` and sends three-way
strategic merge patches: what another controller added to a container survives the upgrade, while
what the previous manifest had and the new one dropped goes away.
"""

from __future__ import annotations

import os

import pytest
from lifecycle_helpers import CHART

from pilothouse.cli.main import main

CSA_CHART = os.path.join(os.path.dirname(CHART), "csa")


@pytest.fixture
def pilot(srv, monkeypatch, capsys):
    monkeypatch.setenv("KUBECONFIG", srv.kubeconfig_path)
    monkeypatch.delenv("HELM_DRIVER", raising=False)
    monkeypatch.delenv("HELM_NAMESPACE", raising=False)

    def run(*argv: str) -> str:
        rc = main(list(argv))
        out, err = capsys.readouterr()
        assert rc == 0, err
        return out

    return run


def _deployment(srv, name: str) -> dict:
    return next(o for o in srv.store.objects("Deployment", "default") if o["metadata"]["name"] == name)


@pytest.mark.parametrize("recorded_method", ["", "csa"], ids=["helm3-record", "csa-record"])
def test_upgrade_of_a_client_side_release_keeps_what_a_controller_added(srv, cfg, pilot, recorded_method):
    pilot("install", "web", CSA_CHART, "--server-side=false")
    rel = cfg.releases.last("web")
    assert rel.apply_method == "csa"
    # Helm 3 wrote no apply method at all.
    rel.apply_method = recorded_method
    cfg.releases.update(rel)

    # Another controller injects an env var and resource limits into the web container.
    from pilothouse.kube.client import KubeClient

    with KubeClient.from_kubeconfig(srv.kubeconfig_path) as kube:
        rt = kube.resource_type("apps/v1", "Deployment")
        kube.patch(rt, "default", "web-web", [
            {"op": "add", "path": "/spec/template/spec/containers/0/env/-", "value": {"name": "INJECTED", "value": "1"}},
            {"op": "add", "path": "/spec/template/spec/containers/0/resources", "value": {"limits": {"memory": "64Mi"}}},
        ], "json")

    srv.requests.clear()
    pilot("upgrade", "web", CSA_CHART, "--set", "image=nginx:1.28", "--set", "sidecar=false")

    patches = [(m, ctype) for m, path, _, ctype in srv.requests if m == "PATCH" and "/deployments/web-web" in path]
    assert patches == [("PATCH", "application/strategic-merge-patch+json")]
    assert cfg.releases.last("web").apply_method == "csa"
    (web,) = _deployment(srv, "web-web")["spec"]["template"]["spec"]["containers"]
    assert web["image"] == "nginx:1.28"
    assert web["env"] == [{"name": "MODE", "value": "nginx:1.28"}, {"name": "INJECTED", "value": "1"}]
    assert web["resources"] == {"limits": {"memory": "64Mi"}}


def test_helm_upgrades_the_same_client_side_release_to_the_same_objects(srv, pilot):
    import helm_python as helm

    from pilothouse.kube.client import KubeClient

    for name in ("byhelm", "bypilot"):
        pilot("install", name, CSA_CHART, "--server-side=false")
    with KubeClient.from_kubeconfig(srv.kubeconfig_path) as kube:
        rt = kube.resource_type("apps/v1", "Deployment")
        for name in ("byhelm", "bypilot"):
            kube.patch(rt, "default", f"{name}-web", [
                {"op": "add", "path": "/spec/template/spec/containers/0/env/-",
                 "value": {"name": "INJECTED", "value": "1"}},
                {"op": "add", "path": "/spec/template/spec/containers/1/resources",
                 "value": {"requests": {"cpu": "10m"}}},
            ], "json")

    srv.requests.clear()
    new_values = {"image": "nginx:1.28", "sidecar": False}
    helm_cfg = helm.Config(kubeconfig_path=srv.kubeconfig_path, namespace="default", storage_driver="secret")
    assert helm_cfg.upgrade(CSA_CHART, "byhelm", new_values, timeout=30)["revision"] == 2
    pilot("upgrade", "bypilot", CSA_CHART, "--set", "image=nginx:1.28", "--set", "sidecar=false")

    for name in ("byhelm", "bypilot"):
        sent = [ctype for m, path, _, ctype in srv.requests if m == "PATCH" and f"/deployments/{name}-web" in path]
        assert sent == ["application/strategic-merge-patch+json"], name
    by_helm = _deployment(srv, "byhelm-web")["spec"]["template"]["spec"]
    by_pilot = _deployment(srv, "bypilot-web")["spec"]["template"]["spec"]
    assert by_pilot == by_helm
    assert [c["name"] for c in by_pilot["containers"]] == ["web"]
    assert by_pilot["containers"][0]["env"][-1] == {"name": "INJECTED", "value": "1"}
