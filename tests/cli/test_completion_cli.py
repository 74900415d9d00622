"""`pilot __complete` answers what the real `helm __complete` answers: commands with descriptions,
flags, flag values, chart references and versions from the repository cache, repositories, and
release names and revisions from a cluster (the fake API server), byte for byte on stdout and
stderr."""

from __future__ import annotations

import shlex
import subprocess

import pytest
from helmdiff_cli import PILOT, both, isolated_env

import fakekube

STATIC = [
    "''", "i", "ins", "list -o ''", "list --output ''", "list -o=", "list -o=j",
    "status -o ''", "--color ''", "--colour=''", "list --color ''", "docs --type ''", "completion ''",
    "completion b", "env ''", "env HELM_BIN ''", "env HELM_", "version ''", "repo ''", "get ''",
    "show ''", "help ''", "help re", "help repo ''", "foo bar ''", "list --bogus ''", "list -- -", "list --help ''",
    "create ''", "create x ''", "verify ''", "verify x ''", "repo add a ''", "repo add ''", "repo add a b ''",
    "registry ''", "registry login ''", "push ''", "push x ''", "-n foo ''",
    "list --debug=", "dependency ''", "search ''", "plugin uninstall ''", "lint ''", "package ''", "template ''",
    "install ''", "install a ''", "install --generate-name ''", "upgrade a ''", "upgrade a b ''", "pull ''",
    "pull x ''", "show values ''", "show values x ''", "repo remove ''", "repo update ''", "repo index ''",
    "plugin install ''", "plugin list ''", "repo list ''", "completion bash ''",
    "install --version ''", "install a b --version ''", "install --wait=",
    "--kube-as-group a --kube-as-group ''", "dep ''", "dep up ''", "inspect ''", "--debug ''", "-n",
    "version --", "env -", "history --m", "completion bash -", "docs -", "create -", "get values -", "--kube-c",
    "--kube-context ''", "status --revision ''", "env HELM_QPS ''", "help help ''", "search repo ''",
    "search hub ''",
]

# flag names only: the flags' one-line descriptions are Pilothouse's own words
FLAG_NAMES = [
    "-", "list --o", "status --r", "history --", "repo list -", "repo add --", "completion bash -", "lint -",
    "search repo -", "search hub -", "get all --", "get values -", "rollback --", "registry login -",
    "registry logout -", "plugin list -", "verify -", "package -", "pull --", "push --", "repo update --",
    "repo index --", "repo remove -", "create -", "version -", "env -", "docs -", "plugin uninstall -",
    "plugin package -", "plugin verify -", "plugin update -", "get hooks -", "get manifest -", "get notes -",
    "get metadata -", "help -", "-n x -", "--debug --k", "version --short --", "get values --all -",
]


@pytest.fixture
def repo_home(tmp_path):
    """Helm homes with one repository ("demo") whose index is in the cache."""
    return _write_repo_homes(tmp_path)


def _write_repo_homes(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "cache" / "repository").mkdir(parents=True)
    (tmp_path / "config" / "repositories.yaml").write_text(
        "apiVersion: v1\ngenerated: \"2024-01-01T00:00:00Z\"\nrepositories:\n"
        "- name: demo\n  url: http://127.0.0.1:1/charts\n- name: other\n  url: https://example.invalid/o\n")
    (tmp_path / "cache" / "repository" / "demo-index.yaml").write_text(
        "apiVersion: v1\nentries:\n  web:\n"
        "  - name: web\n    version: 1.1.0\n    appVersion: \"2.0\"\n    created: \"2024-03-05T10:00:00Z\"\n"
        "    urls: [web-1.1.0.tgz]\n"
        "  - name: web\n    version: 1.0.0\n    created: \"2023-11-20T08:00:00Z\"\n    deprecated: true\n"
        "    urls: [web-1.0.0.tgz]\n"
        "  db:\n  - name: db\n    version: 0.1.0\n    appVersion: \"9\"\n    urls: [db-0.1.0.tgz]\n"
        "generated: \"2024-01-01T00:00:00Z\"\n")
    (tmp_path / "cache" / "repository" / "demo-charts.txt").write_text("web\ndb\n")
    return tmp_path


def _compare(line: str, tmp, extra: dict[str, str] | None = None) -> None:
    helm, pilot = both(["__complete", *shlex.split(line)], tmp, extra)
    assert (pilot.rc, pilot.out, pilot.err) == (helm.rc, helm.out, helm.err)


@pytest.mark.parametrize("line", STATIC)
def test_static_completion_as_helm(tmp_path, line):
    _compare(line, tmp_path)


@pytest.mark.parametrize("line", FLAG_NAMES + ["''", "list -o ''", "repo ''"])
def test_no_descriptions_as_helm(tmp_path, line):
    helm, pilot = both(["__completeNoDesc", *shlex.split(line)], tmp_path)
    assert (pilot.rc, pilot.out, pilot.err) == (helm.rc, helm.out, helm.err)


REPO_LINES = [
    "install x ''", "install x d", "install x demo/", "install x demo/w", "install x o", "install x demo/web --version ''",
    "install x demo/web --version=", "install x other/web --version ''", "pull ''", "pull demo/", "show values ''",
    "show chart demo/ --version ''", "show chart demo/web --version ''", "upgrade rel demo/web --version ''",
    "repo remove ''", "repo remove demo ''", "repo update ''", "repo update other ''", "template x ''",
    "install --generate-name demo/web --version ''", "template -g ''", "pull demo/web --version ''",
    "install x oci", "install x oci://", "install x https", "install x ./",
]


@pytest.mark.parametrize("line", REPO_LINES)
def test_chart_and_repo_completion_as_helm(repo_home, line):
    _compare(line, repo_home)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A fake API server holding release "rel" (two revisions) and "other" in namespace default."""
    tmp = tmp_path_factory.mktemp("cluster")
    with fakekube.serve(auto_ready=True) as srv:
        env = isolated_env(tmp, {"KUBECONFIG": srv.kubeconfig_path})
        subprocess.run([str(PILOT), "create", "mychart"], env=env, cwd=tmp, check=True, capture_output=True)
        for args in (["install", "rel", "./mychart"], ["upgrade", "rel", "./mychart"],
                     ["install", "other", "./mychart", "-n", "team", "--create-namespace"]):
            res = subprocess.run([str(PILOT), *args], env=env, cwd=tmp, capture_output=True, text=True, check=False)
            assert res.returncode == 0, res.stderr
        yield tmp, srv.kubeconfig_path


RELEASE_LINES = [
    "status ''", "status r", "history ''", "uninstall ''", "uninstall rel ''", "rollback ''", "rollback rel ''",
    "get values ''", "get values rel --revision ''", "get all rel --revision ''", "status rel --revision ''",
    "upgrade ''", "test ''", "-n team status ''", "status -n team ''", "--namespace=team uninstall ''",
    "get manifest ''", "get notes rel ''", "history rel ''", "rollback rel 1 ''", "-n ''", "--namespace ''",
    "status -n ''", "list --namespace=''", "-n t",
    # under --debug, compListReleases says what it completes on stderr (cobra.CompDebugln)
    "status --debug r", "--debug history ''", "uninstall --debug=false ''", "rollback --debug ''",
    "get notes --debug=true re",
]


@pytest.mark.parametrize("line", RELEASE_LINES)
def test_release_completion_as_helm(cluster, tmp_path, line):
    home, kubeconfig = cluster
    _compare(line, tmp_path, {"KUBECONFIG": kubeconfig})


def test_unreachable_cluster_offers_nothing(tmp_path):
    # no kubeconfig at all: Helm answers no releases and the default directive
    for line in ("status ''", "uninstall ''", "rollback rel ''"):
        _compare(line, tmp_path)


def test_kube_contexts_as_helm(tmp_path):
    kc = tmp_path / "kc"
    kc.write_text("apiVersion: v1\nkind: Config\ncurrent-context: a\ncontexts:\n"
                  "- name: a\n  context: {cluster: ca, user: u}\n- name: b\n  context: {cluster: cb, user: u}\n"
                  "clusters:\n- name: ca\n  cluster: {server: 'https://127.0.0.1:1'}\n"
                  "- name: cb\n  cluster: {server: 'https://127.0.0.1:2'}\nusers:\n- name: u\n  user: {}\n")
    helm, pilot = both(["__complete", "--kube-context", ""], tmp_path, {"KUBECONFIG": str(kc)})
    # Helm walks a Go map: its order varies from run to run, so compare the lines as a set
    assert sorted(pilot.out.splitlines()) == sorted(helm.out.splitlines())
    assert pilot.err == helm.err


# Cobra finds `__complete` as any command, after global flags and their values; those flags then
# apply to the completion (here the repository config and cache given as flags, not in the homes).
FLAGS_FIRST = [
    "--repository-config {c}/repositories.yaml --repository-cache {r} __complete pull demo/web --version ''",
    "--repository-cache {r} --repository-config={c}/repositories.yaml __complete show chart demo/web --version ''",
    "--repository-config {c}/repositories.yaml --repository-cache {r} __complete template x demo/web bad --version ''",
    "--namespace x --repository-config {c}/repositories.yaml --repository-cache {r} __completeNoDesc install x d",
    "-n ns __completeNoDesc list --o",
    "--kube-context __complete __complete ''",
    "--repository-config {c}/repositories.yaml __complete",
    "--repository-config {c}/repositories.yaml --repository-cache {r} __complete install x demo/web --version ''",
    "--repository-config={c}/repositories.yaml --repository-cache {r} __complete install x demo/",
    "-n ns --repository-config {c}/repositories.yaml --repository-cache {r} __completeNoDesc upgrade r demo/web "
    "--version ''",
    "--repository-config {c}/repositories.yaml --repository-cache {r} __complete install demo/web --version ''",
    "--repository-config {c}/repositories.yaml list __complete",
    "--repository-cache {r} __completeNoDesc install x demo/web --version ''",
    "--debug __complete list -o ''",
    "-n __complete __complete ''",
    "--kube-context x __complete version ''",
    "--repository-config {c}/repositories.yaml __complete repo remove ''",
    "--repository-config {c}/repositories.yaml __completeNoDesc repo remove ''",
    "--repository-config={c}/repositories.yaml __completeNoDesc repo remove de",
    "--repository-config {c}/repositories.yaml --repository-cache {r} __completeNoDesc repo remove demo ''",
    "--repository-config {c}/repositories.yaml __complete repo update other ''",
    "--debug --repository-config {c}/repositories.yaml __completeNoDesc repo remove ''",
    "-n team __complete repo ''",
    # a flag's value that happens to read "__complete" is a value, not the command
    "--namespace __complete repo list",
    "--repository-config {c}/repositories.yaml __complete --bogus repo remove ''",
]


@pytest.mark.parametrize("line", FLAGS_FIRST)
def test_global_flags_before_complete_as_helm(tmp_path, line):
    homes = tmp_path / "elsewhere"
    homes.mkdir()
    _write_repo_homes(homes)
    argv = shlex.split(line.format(c=homes / "config", r=homes / "cache" / "repository"))
    helm, pilot = both(argv, tmp_path)
    assert (pilot.rc, pilot.out, pilot.err) == (helm.rc, helm.out, helm.err)
