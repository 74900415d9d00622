"""`pilot list` reads metadata, then only the records it prints; its output is the real `helm list`'s.

Releases are made by the real helm CLI (deployed, superseded, failed, uninstalled, with labels, in
two namespaces) and, for paging, written directly in bulk; each flag combination is run by both
CLIs on the same fake server and the outputs compared byte for byte.
"""

from __future__ import annotations

import pytest
from scale_helpers import big_chart, env_for, helm, pilot

FLAG_SETS = [
    [], ["--deployed"], ["--failed"], ["--superseded"], ["--uninstalled"], ["--pending"],
    ["--uninstalling"], ["--deployed", "--failed"], ["-r"], ["-d"], ["-d", "-r"], ["-m", "2"],
    ["-m", "2", "--offset", "1"], ["--offset", "10"], ["-f", "^a"], ["-f", "b+"], ["-l", "team=red"],
    ["-l", "team!=red"], ["-l", "status=deployed"], ["-l", "team"], ["-q"], ["-o", "json"],
    ["-o", "yaml"], ["-r", "-m", "3"], ["--superseded", "--deployed"], ["--time-format", "2006-01-02"],
    ["--no-headers"], ["-l", "team in (red,blue)"], ["-l", "!team"],
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import fakekube

    tmp = tmp_path_factory.mktemp("fastlist")
    with fakekube.serve() as srv:
        env = env_for(tmp / "home", srv.kubeconfig_path, TZ="UTC")
        chart = big_chart(tmp, name="app", payload=100)
        bad = big_chart(tmp / "bad", name="bad", payload=100)
        (bad / "templates" / "svc.yaml").write_text(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-svc\nspec:\n  ports: []\n")

        def run(*args):
            return helm(env, *args)

        srv.store.create(srv.store.resolve("Namespace"), None, {"metadata": {"name": "other"}})
        assert run("install", "alpha", str(chart), "-n", "default", "--labels", "team=red").returncode == 0
        assert run("upgrade", "alpha", str(chart), "-n", "default", "--set", "greeting=x").returncode == 0
        assert run("install", "bravo", str(chart), "-n", "other", "--labels", "team=blue").returncode == 0
        assert run("upgrade", "bravo", str(chart), "-n", "other").returncode == 0
        assert run("upgrade", "bravo", str(chart), "-n", "other").returncode == 0
        assert run("install", "bbb", str(chart), "-n", "default").returncode == 0
        assert run("uninstall", "bbb", "-n", "default", "--keep-history").returncode == 0
        assert run("install", "broken", str(bad), "-n", "default").returncode != 0  # a failed release
        # (no name in two namespaces: Helm's unstable sort orders those differently from run to run)
        assert run("install", "delta", str(chart), "-n", "other").returncode == 0
        assert run("install", "charlie", str(chart), "-n", "other", "--labels", "team=red").returncode == 0
        yield srv, env


@pytest.mark.parametrize("flags", FLAG_SETS, ids=lambda f: " ".join(f) or "none")
@pytest.mark.parametrize("scope", [["-A"], ["-n", "other"], ["-n", "default"]], ids=lambda s: " ".join(s))
def test_same_output_as_helm(cluster, flags, scope):
    srv, env = cluster
    want = helm(env, "list", *scope, *flags)
    got = pilot(env, "list", *scope, *flags)
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout), got.stderr


def test_list_reads_metadata_and_only_the_printed_records(cluster):
    srv, env = cluster
    srv.requests.clear()
    srv._http.trace = srv.requests
    try:
        out = pilot(env, "list", "-A", "-m", "2")
    finally:
        srv._http.trace = None
    assert out.returncode == 0
    from urllib.parse import parse_qs, urlsplit

    secrets = [r for r in srv.requests if "/secrets" in r[1]]
    meta = [r for r in secrets if "as=PartialObjectMetadataList" in r[2]]
    full = [r for r in secrets if r not in meta]
    assert meta and all(parse_qs(urlsplit(r[1]).query)["labelSelector"] == ["owner=helm"] for r in meta)
    # the two printed records come in one list selecting just their names and revisions
    assert len(full) == 1
    assert parse_qs(urlsplit(full[0][1]).query)["labelSelector"] == [
        "owner=helm,name in (alpha,bbb),version in (1,2)"]


def test_paged_listing_of_many_releases_matches_helm(srv, tmp_path):
    from pilothouse.kube.client import KubeClient
    from pilothouse.release.driver.kubeobjects import Secrets

    env = env_for(tmp_path / "home", srv.kubeconfig_path, TZ="UTC")
    chart = big_chart(tmp_path, name="app", payload=100)
    assert helm(env, "install", "seed", str(chart), "-n", "default").returncode == 0
    with KubeClient.from_kubeconfig(srv.kubeconfig_path, namespace="default") as kube:
        drv = Secrets(kube, "default")
        seed = drv.get("sh.helm.release.v1.seed.v1")
        for i in range(420):
            for rev in (1, 2, 3):
                rel = seed.copy()
                rel.name, rel.version = f"r{i:04d}", rev
                rel.info.status = "deployed" if rev == 3 else "superseded"
                drv.create(f"sh.helm.release.v1.r{i:04d}.v{rev}", rel)
    for flags in ([], ["-m", "0"], ["-m", "1000", "-r"], ["--superseded", "-m", "0", "--offset", "700"]):
        want = helm(env, "list", "-A", *flags)
        got = pilot(env, "list", "-A", *flags)
        assert got.stdout == want.stdout, flags
    assert len(pilot(env, "list", "-A", "-m", "0").stdout.splitlines()) == 422
