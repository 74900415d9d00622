"""`pilot env`, `pilot version` and `pilot docs` against the real `helm`: same variables, same
order and quoting, the BuildInfo fields, the files Cobra's documentation generator writes."""

from __future__ import annotations

import shlex

import pytest
from helmdiff_cli import PILOT, both, isolated_env, run

ENV_LINES = [
    "env", "env HELM_NAMESPACE", "-n foo env HELM_NAMESPACE", "env -n foo HELM_NAMESPACE", "env --namespace=foo",
"--qps 2.5 env HELM_QPS", "--qps=1e3 env",
    "--burst-limit 7 env HELM_BURST_LIMIT", "--debug env HELM_DEBUG", "--debug=false env HELM_DEBUG",
    "env NOPE", "--kube-insecure-skip-tls-verify env", "--registry-config /x/r.json env HELM_REGISTRY_CONFIG",
    "--repository-config /x/repos.yaml env", "--repository-cache /x/cache env HELM_REPOSITORY_CACHE",
    "--content-cache /x/content env", "--kube-token T env HELM_KUBETOKEN", "--kube-apiserver https://k:6443 env",
    "--kube-ca-file /ca.pem env HELM_KUBECAFILE", "--kube-tls-server-name k.local env", "--kube-as-user me env",
    "--kube-context ctx env HELM_KUBECONTEXT", "--kubeconfig /k/config env", "--kubeconfig=/k/config env KUBECONFIG",
    "env --debug --qps=0.125", "env -- HELM_DEBUG", "--burst-limit=-1 env", "--qps=-3 env HELM_QPS",
]


@pytest.mark.parametrize("line", ENV_LINES)
def test_env_as_helm(tmp_path, line):
    helm, pilot = both(shlex.split(line), tmp_path)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


@pytest.mark.parametrize(("variables", "line"), [
    ({"HELM_NAMESPACE": "team"}, "env HELM_NAMESPACE"),
    ({"HELM_NAMESPACE": "team"}, "-n other env HELM_NAMESPACE"),
    ({"HELM_DEBUG": "1"}, "env HELM_DEBUG"),
    ({"HELM_DEBUG": "nonsense"}, "env HELM_DEBUG"),
    ({"HELM_MAX_HISTORY": "3"}, "env HELM_MAX_HISTORY"),
    ({"HELM_MAX_HISTORY": "x"}, "env HELM_MAX_HISTORY"),
    ({"HELM_BURST_LIMIT": "5"}, "env"),
    ({"HELM_QPS": "7.5"}, "env HELM_QPS"),
    ({"HELM_KUBEASGROUPS": ",a,b, "}, "env HELM_KUBEASGROUPS"),
    ({"HELM_KUBEINSECURE_SKIP_TLS_VERIFY": "true"}, "env"),
    ({"HELM_KUBECONTEXT": "c1", "HELM_KUBETOKEN": "t", "HELM_KUBEASUSER": "u"}, "env"),
    ({"HELM_PLUGINS": "/p1:/p2"}, "env HELM_PLUGINS"),
    ({"HELM_REPOSITORY_CONFIG": "/r.yaml", "HELM_REGISTRY_CONFIG": "/reg.json"}, "env"),
    ({"HELM_COLOR": "bad"}, "env"),
    ({"NO_COLOR": "1", "HELM_COLOR": "always"}, "env"),
    ({"HELM_CONTENT_CACHE": "/cc"}, "env HELM_CONTENT_CACHE"),
    ({"HELM_KUBEAPISERVER": "https://x", "HELM_KUBECAFILE": "/ca", "HELM_KUBETLS_SERVER_NAME": "n"}, "env"),
])
def test_env_variables_as_helm(tmp_path, variables, line):
    helm, pilot = both(shlex.split(line), tmp_path, variables)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


def test_namespace_of_the_kubeconfig_context(tmp_path):
    kubeconfig = tmp_path / "kc"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context:\n"
                          "    cluster: k\n    namespace: from-context\nclusters:\n- name: k\n  cluster:\n"
                          "    server: https://127.0.0.1:1\nusers: []\n")
    for line in ("env HELM_NAMESPACE", "-n flag env HELM_NAMESPACE"):
        helm, pilot = both(shlex.split(line), tmp_path, {"KUBECONFIG": str(kubeconfig)})
        assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


def test_repeated_group_flag_is_not_doubled(tmp_path):
    # Helm parses its global flags twice (once early, once with the command), so a repeated
    # string-array flag collects every value twice: "a,b,a,b". That is a Helm bug; Pilothouse
    # keeps each group once.
    helm, pilot = both(["--kube-as-group", "a", "--kube-as-group", "b", "env", "HELM_KUBEASGROUPS"], tmp_path)
    assert helm.out == "a,b,a,b\n"
    assert pilot.out == "a,b\n"


VERSION_ERRORS = ["version --template {{.Nope}}", "version --template {{", "version --template '{{.Version'",
                  "version --template '{{template \"x\"}}'"]


@pytest.mark.parametrize("line", VERSION_ERRORS)
def test_version_template_errors_as_helm(tmp_path, line):
    helm, pilot = both(shlex.split(line), tmp_path)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


def test_version_fields_in_helms_order(tmp_path):
    env = isolated_env(tmp_path)
    out = run(PILOT, ["version"], env, tmp_path).out
    # Helm prints the BuildInfo struct with %#v: these fields, this order, Go-quoted
    assert out.startswith('version.BuildInfo{Version:"v')
    fields = [part.split(":", 1)[0] for part in out.strip()[len("version.BuildInfo{"):-1].split(", ")]
    assert fields == ["Version", "GitCommit", "GitTreeState", "GoVersion", "KubeClientVersion"]
    short = run(PILOT, ["version", "--short"], env, tmp_path).out
    assert out.startswith(f'version.BuildInfo{{Version:"{short.strip()}"')
    templ = run(PILOT, ["version", "--template", "{{.Version}}|{{.KubeClientVersion}}"], env, tmp_path).out
    # no newline after a template, as Helm; v1.36: Helm 4.2 is built with client-go v0.36 (its go.mod,
    # read by internal/version/clientgo.go), where the 4.1 oracle says v1.35
    assert templ == short.strip() + "|v1.36"


def test_version_template_kube_client_as_helm(tmp_path):
    helm, pilot = both(["version", "--template", "{{.KubeClientVersion}} {{printf \"%T\" .}}"], tmp_path)
    # the 4.1 oracle's client-go is v0.35; Helm 4.2's is v0.36 (see above)
    assert (pilot.rc, pilot.out) == (helm.rc, helm.out.replace("v1.35 ", "v1.36 ", 1))


@pytest.mark.parametrize(("kind", "ours_only"), [
    ("markdown", {"pilot_plugin_approve.md", "pilot_plugin_inspect.md"}),
    ("man", {"pilot-plugin-approve.1", "pilot-plugin-inspect.1"}),
    ("bash", set()),
])
def test_docs_file_names_as_helm(tmp_path, kind, ours_only):
    env = isolated_env(tmp_path)
    (tmp_path / "h").mkdir()
    (tmp_path / "p").mkdir()
    helm, pilot = both(["docs", "--type", kind, "--dir", "h"], tmp_path)
    assert (helm.rc, pilot.rc) == (0, 0)
    pilot = run(PILOT, ["docs", "--type", kind, "--dir", "p"], env, tmp_path)
    helm_names = {p.name.replace("helm", "pilot") for p in (tmp_path / "h").iterdir()}
    pilot_names = {p.name for p in (tmp_path / "p").iterdir()}
    # approve and inspect are Pilothouse's own plugin commands
    assert pilot_names == helm_names | ours_only


def test_markdown_page_layout_as_helm(tmp_path):
    (tmp_path / "h").mkdir()
    (tmp_path / "p").mkdir()
    env = isolated_env(tmp_path)
    from helmdiff_cli import HELM, normalise

    run(HELM, ["docs", "--dir", "h"], env, tmp_path)
    run(PILOT, ["docs", "--dir", "p"], env, tmp_path)
    for name in ("pilot_repo_add.md", "pilot_get.md", "pilot_version.md", "pilot_list.md"):
        ours = (tmp_path / "p" / name).read_text()
        theirs = normalise((tmp_path / "h" / name.replace("pilot", "helm")).read_text())
        # the same headings in the same order, the same usage block and SEE ALSO links
        assert [line for line in ours.splitlines() if line.startswith("#")][:-1] == \
            [line for line in theirs.splitlines() if line.startswith("#") and line != "### Synopsis"][:-1]
        assert [line for line in ours.splitlines() if line.startswith("* [")][1:] == \
            [line for line in theirs.splitlines() if line.startswith("* [")][1:]
        assert ours.split("```\n")[1] == theirs.split("```\n")[1] or "Synopsis" in theirs


@pytest.mark.parametrize("line", ["docs --type foo", "docs --dir /nonexistent/x", "docs --type=man --dir=/nonexistent"])
def test_docs_errors_as_helm(tmp_path, line):
    helm, pilot = both(shlex.split(line), tmp_path)
    # Cobra writes the leaves in name order: Pilothouse's own `apply` comes before Helm's first
    # (`completion bash`), so that is the file it fails to open
    err = helm.err.replace("pilot_completion_bash.md", "pilot_apply.md").replace("pilot-completion-bash.1",
                                                                                 "pilot-apply.1")
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, err, helm.out)
