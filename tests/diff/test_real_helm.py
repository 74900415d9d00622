"""Releases installed by the real `helm` CLI are diffed, planned, applied and checked for drift by
`pilot`; and the server-side dry run `pilot diff` relies on gives the object the real `kubectl
apply --server-side --dry-run=server` gets from the same server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import fakekube

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELM = os.path.join(REPO, ".venv", "bin", "helm")
KUBECTL = os.path.join(REPO, ".venv", "bin", "kubectl-1.35")
PILOT = os.path.join(REPO, ".venv", "bin", "pilot")
CHART = os.path.join(os.path.dirname(os.path.abspath(__file__)), "charts", "web")

for tool in (HELM, KUBECTL):
    if not os.path.exists(tool):
        pytest.skip(f"{tool} is missing: run scripts/setup-helm-cli.sh; these tests were NOT run",
                    allow_module_level=True)


@pytest.fixture
def cluster(tmp_path):
    with fakekube.serve(auto_ready=True) as srv:
        env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path, HELM_CONFIG_HOME=str(tmp_path / "config"),
                   HELM_CACHE_HOME=str(tmp_path / "cache"), HELM_DATA_HOME=str(tmp_path / "data"),
                   HELM_DIFF_COLOR="false")
        env.pop("HELM_DRIVER", None)

        def run(*args, tool=PILOT):
            return subprocess.run([tool, *args], env=env, capture_output=True, text=True, timeout=300)

        res = run("install", "h", CHART, "--disable-openapi-validation", tool=HELM)
        assert res.returncode == 0, res.stderr
        yield srv, run


def test_diff_upgrade_of_a_helm_release(cluster):
    srv, run = cluster
    res = run("diff", "upgrade", "h", CHART, "--set", "replicas=2", "--no-color")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("default, h-web, Deployment (apps) has changed:\n")
    assert "-   replicas: 1\n+   replicas: 2\n" in res.stdout
    assert "Service" not in res.stdout and "ConfigMap" not in res.stdout

    res = run("diff", "upgrade", "h", CHART, "--set", "replicas=2", "--output", "simple", "--detailed-exitcode")
    assert res.returncode == 2
    assert res.stdout == ("default, h-web, Deployment (apps) to be changed.\n"
                          "Plan: 0 to add, 1 to change, 0 to destroy, 0 to change ownership.\n")

    res = run("diff", "upgrade", "h", CHART, "--detailed-exitcode")
    assert (res.returncode, res.stdout) == (0, "")


def test_secrets_hooks_and_new_objects(cluster):
    srv, run = cluster
    res = run("diff", "upgrade", "h", CHART, "--set", "password=letmein,color=red,extra=true", "--no-color")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "default, h-extra, ConfigMap (v1) has been added:\n" in out
    assert "default, h-hook, ConfigMap (v1) has changed:\n" in out
    assert "-   password: '-------- # (7 bytes)'\n+   password: '++++++++ # (7 bytes)'\n" in out
    assert "hunter2" not in out and "letmein" not in out and "aHVudGVyMg" not in out
    decoded = run("diff", "upgrade", "h", CHART, "--set", "password=letmein", "--show-secrets-decoded").stdout
    assert "-   password: hunter2\n+   password: letmein\n" in decoded
    suppressed = run("diff", "upgrade", "h", CHART, "--set", "password=letmein", "-q").stdout
    assert "+ Changes suppressed on sensitive content of type Secret" in suppressed


def test_plan_and_apply_a_helm_release(cluster, tmp_path):
    srv, run = cluster
    plan = tmp_path / "plan.json"
    res = run("upgrade", "h", CHART, "--set", "replicas=3,password=s3cret", "--plan", str(plan))
    assert res.returncode == 0, res.stderr
    doc = json.loads(plan.read_text())
    assert doc["computedAgainstRevision"] == 1 and doc["revision"] == 2
    assert {o["name"] for o in doc["objects"]} == {"h-web", "h-config", "h-secret"}
    assert all(o["resourceVersion"] for o in doc["objects"])
    human = json.dumps(doc["summary"])
    assert "s3cret" not in human and "hunter2" not in human
    assert {s["object"] for s in doc["summary"]} == {"default, h-web, Deployment (apps)", "default, h-secret, Secret (v1)"}
    assert len(srv.store.objects("Secret", "default")) == 2  # nothing written: the release record and h-secret

    res = run("apply", str(plan))
    assert res.returncode == 0, res.stderr
    deploy = next(o for o in srv.store.objects("Deployment", "default") if o["metadata"]["name"] == "h-web")
    assert deploy["spec"]["replicas"] == 3
    history = run("history", "h", "-o", "json", tool=HELM)
    assert [(r["revision"], r["status"]) for r in json.loads(history.stdout)] == [(1, "superseded"), (2, "deployed")]

    # stale: the real helm upgrades the release after the plan was made
    stale = tmp_path / "stale.yaml"
    assert run("upgrade", "h", CHART, "--set", "replicas=5", "--plan", str(stale)).returncode == 0
    assert run("upgrade", "h", CHART, "--set", "replicas=4", "--reuse-values", tool=HELM).returncode == 0
    res = run("apply", str(stale))
    assert res.returncode == 3
    assert 'release "h": revision 3 (deployed), the plan was made against revision 2' in res.stderr
    assert "Deployment default/h-web: resourceVersion" in res.stderr
    history = run("history", "h", "-o", "json", tool=HELM)
    assert len(json.loads(history.stdout)) == 3


def test_drift_of_a_helm_release(cluster):
    srv, run = cluster
    res = run("drift", "h")
    assert (res.returncode, res.stdout) == (0, 'No drift: the 4 objects of release "h" match revision 1.\n')
    patch = run("patch", "deployment", "h-web", "-p", '{"spec":{"replicas":5}}', tool=KUBECTL)
    assert patch.returncode == 0, patch.stderr
    res = run("drift", "h", "--no-color")
    assert res.returncode == 2
    assert "default, h-web, Deployment (apps) has drifted (changed by: kubectl-patch):\n" in res.stdout
    assert "-   replicas: 5\n+   replicas: 1\n" in res.stdout
    assert run("status", "h", "--drift").returncode == 2
    assert run("drift", "h", "--ignore", "spec.replicas").returncode == 0
    assert run("drift", "h", "--ignore-manager", "kubectl-patch").returncode == 0
    fixed = run("drift", "h", "--correct")
    assert "Corrected default, h-web, Deployment (apps): restored spec.replicas" in fixed.stdout
    assert run("drift", "h").returncode == 0
    assert len(json.loads(run("history", "h", "-o", "json", tool=HELM).stdout)) == 1


def test_diff_rollback_and_revision(cluster):
    srv, run = cluster
    assert run("upgrade", "h", CHART, "--set", "color=red", tool=HELM).returncode == 0
    res = run("diff", "rollback", "h", "1", "--no-color")
    assert res.returncode == 0, res.stderr
    assert "default, h-config, ConfigMap (v1) has changed:\n" in res.stdout
    assert '-   color: red\n+   color: blue\n' in res.stdout
    res = run("diff", "revision", "h", "1", "2", "--no-color")
    assert res.returncode == 0, res.stderr
    assert '-   color: "blue"\n+   color: "red"\n' in res.stdout
    assert run("diff", "revision", "h", "1", "2", "--detailed-exitcode").returncode == 2


def test_missing_release_is_a_clear_error(cluster):
    srv, run = cluster
    res = run("diff", "upgrade", "nope", CHART)
    assert res.returncode == 1
    assert res.stderr.startswith('Error: release "nope" does not exist; use --install')
    res = run("diff", "upgrade", "nope", CHART, "--install", "--output", "simple")
    assert res.returncode == 0
    assert "Plan: 5 to add, 0 to change, 0 to destroy, 0 to change ownership." in res.stdout


def test_dry_run_matches_kubectl(tmp_path):
    from pilothouse.kube.client import KubeClient
    from pilothouse.kube.dryrun import dry_apply, fetch_live

    with fakekube.serve() as srv:
        env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path)
        assert subprocess.run([HELM, "install", "h", CHART, "--disable-openapi-validation"], env=env,
                              capture_output=True, timeout=300).returncode == 0
        manifest = subprocess.run([HELM, "template", "h", CHART, "--set", "replicas=4,color=green,extra=true"],
                                  env=env, capture_output=True, text=True, timeout=300).stdout
        path = tmp_path / "m.yaml"
        path.write_text(manifest)
        res = subprocess.run([KUBECTL, "apply", "--server-side", "--dry-run=server", "-o", "json", "--validate=false",
                              "--field-manager", "helm", "--force-conflicts", "--show-managed-fields", "-f",
                              str(path)], env=env, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        doc = json.loads(res.stdout)
        theirs = doc["items"] if doc.get("kind") == "List" else [doc]
        with KubeClient.from_kubeconfig(srv.kubeconfig_path) as kube:
            resources = kube.build(manifest)
            ours = dry_apply(kube, resources, fetch_live(kube, resources))
        assert len(theirs) == len(resources) == 6
        for obj in theirs:
            key = next(r.key() for r in resources if r.kind == obj["kind"] and r.name == obj["metadata"]["name"])
            mine = json.loads(json.dumps(ours[key]))
            for o in (mine, obj):
                for entry in o["metadata"].get("managedFields") or []:
                    entry.pop("time")
                if "resourceVersion" not in o["metadata"]:  # created by the dry run: fresh identity each time
                    o["metadata"].pop("uid")
                    o["metadata"].pop("creationTimestamp")
            assert mine == obj, obj["metadata"]["name"]
        # and nothing was stored
        assert not [o for o in srv.store.objects("ConfigMap", "default") if o["metadata"]["name"] == "h-extra"]


CORPUS_CHARTS = ["hello-world--default", "prometheus-node-exporter--default", "kube-state-metrics--default",
                 "metrics-server--default", "istio-gateway--default"]


@pytest.mark.parametrize("case_id", CORPUS_CHARTS, ids=[c.split("--")[0] for c in CORPUS_CHARTS])
def test_corpus_release_installed_by_helm_shows_no_diff_and_no_drift(case_id, tmp_path):
    from corpus_helpers import PRESENT, case_by_id, ensure_extra_kinds, ensure_namespace

    if not PRESENT:
        pytest.skip("the chart corpus is absent (set PILOTHOUSE_CORPUS); NOT run")
    case = case_by_id(case_id)
    ns = case.options["namespace"]
    with fakekube.serve(auto_ready=True) as srv:
        ensure_namespace(srv, ns)
        ensure_extra_kinds(srv)
        env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path, HELM_CONFIG_HOME=str(tmp_path / "config"),
                   HELM_CACHE_HOME=str(tmp_path / "cache"), HELM_DATA_HOME=str(tmp_path / "data"))
        env.pop("HELM_DRIVER", None)

        def run(*args, tool=PILOT):
            return subprocess.run([tool, *args], env=env, capture_output=True, text=True, timeout=300)

        res = run("install", "rel", case.chart_dir, "-n", ns, "-f", case.values_file, "--disable-openapi-validation",
                  tool=HELM)
        assert res.returncode == 0, res.stderr
        res = run("diff", "upgrade", "rel", case.chart_dir, "-n", ns, "-f", case.values_file, "--detailed-exitcode")
        assert (res.returncode, res.stdout, res.stderr) == (0, "", "")
        res = run("drift", "rel", "-n", ns)
        assert res.returncode == 0, res.stdout + res.stderr
        plan = tmp_path / "plan.json"
        res = run("upgrade", "rel", case.chart_dir, "-n", ns, "-f", case.values_file, "--plan", str(plan))
        assert res.returncode == 0, res.stderr
        assert run("apply", str(plan)).returncode == 0
        history = json.loads(run("history", "rel", "-n", ns, "-o", "json", tool=HELM).stdout)
        assert [h["status"] for h in history] == ["superseded", "deployed"]
