"""The command line as Helm's Cobra/pflag parse it, checked against the real `helm` side by side:
the same command line, the same HELM_* homes; stdout, stderr and exit code must be equal once
``helm`` is read as ``pilot``. These lines fail (or print help) before any chart or cluster is
touched, so they need neither.
"""

from __future__ import annotations

import shlex

import pytest
from helmdiff_cli import both, usage_part

UNKNOWN_COMMANDS = [
    "instal", "deps", "lst", "foo", "stauts", "upgrad", "rollbak", "templte", "pul", "verison", "xyz abc",
    "--debug foo", "-n ns foo", "foo --debug", "Install", "hisotry", "depp", "sho", "regitry", "plugn", "repos",
]

MISSING_OR_EXTRA_ARGS = [
    "template", "install", "upgrade", "upgrade a", "upgrade a b c", "status", "status a b", "history",
    "history a b", "test", "test a b", "rollback", "uninstall", "lint", "pull", "push", "push a", "create",
    "create a b", "verify", "verify a b", "get all", "get hooks", "get manifest", "get metadata", "get notes",
    "get values", "get values a b", "repo add", "repo add x", "repo add x y z", "repo index", "repo index a b",
    "repo remove", "repo list x", "show all", "show chart", "show values", "show readme", "show crds",
    "show values a b", "registry login", "registry logout", "plugin install", "plugin package", "plugin verify",
    "dependency list a b", "dependency build a b", "dependency update a b", "env a b", "version x", "list x",
    "completion bash x", "completion zsh x", "completion fish x", "completion powershell x", "docs x",
    "inspect values", "dep ls a b", "hist", "un", "del", "ls x", "fetch", "repo rm", "repo ls x",
    "plugin add", "-n x status", "status --debug", "--namespace=x history",
]

UNKNOWN_FLAGS = [
    "template --nope", "template -Z", "install --nope a b", "upgrade -Z a b", "list --nope", "list -Z",
    "status --nope x", "history -Z x", "version --nope", "env --nope", "repo add --nope a b", "repo list -Z",
    "get values --nope x", "show chart --nope x", "lint --nope .", "package --nope .", "pull --nope x",
    "--nope version", "-Z version", "version --debug --nope", "list -qZ", "list -nfoo -zz", "rollback --nope a",
    "uninstall --nope a", "create --nope x", "verify --nope x", "search repo --nope", "search hub --nope",
    "dependency list --nope", "plugin list --nope", "registry login --nope h", "completion bash --nope",
    "repo --nope", "get --nope", "--bad=flag list", "list ---x", "list --=x", "list --",
]

BAD_VALUES = [
    "list --max=abc", "list --max abc", "list -m 1x", "list --offset=x", "list -m 99999999999999999999",
    "list --max=0x", "list --max=1_0", "install --timeout 5 a b", "install --timeout=5 a b",
    "upgrade --timeout=1q a b", "upgrade --timeout=abc a b", "rollback --timeout=x a", "uninstall --timeout 5 a",
    "uninstall --timeout=1.5 a", "test --timeout=3 a", "install --timeout=-1x a b", "install --timeout=. a b",
    "--burst-limit=x version", "--burst-limit 1.5 version", "--qps=abc version", "--qps=1,5 version",
    "--debug=maybe version", "--debug=yes version", "--kube-insecure-skip-tls-verify=yes version",
"template --skip-tests=2 x", "list -o bogus", "list --output=xml",
    "history --max=abc x", "status -o bogus x", "search hub --max-col-width=-1", "search hub --max-col-width=x",
    "search repo --max-col-width=-1 x", "repo update --timeout=10", "repo add --timeout=5 a b",
    "--debug=2 list", "list --short=maybe", "get values --revision=x a", "status --revision=one a",
]

NEEDS_ARGUMENT = [
    "list -n", "list --namespace", "template --set", "-n", "--kube-context", "status --revision", "list -o",
    "list --max", "template -f", "--kubeconfig", "install a b --timeout", "version --template", "repo add a b --username",
    "--burst-limit", "--qps", "list -m",
]

DEPRECATED = [
    "install --atomic", "install --force", "upgrade --atomic a", "upgrade --force a", "rollback --force",
    "template --validate", "install --atomic --force",
]

COLOR = ["--color=bad version", "--colour bad version", "--color=never --nope"]


@pytest.mark.parametrize("line", UNKNOWN_COMMANDS + MISSING_OR_EXTRA_ARGS + UNKNOWN_FLAGS + BAD_VALUES
                         + NEEDS_ARGUMENT + DEPRECATED + COLOR)
def test_same_as_helm(tmp_path, line):
    helm, pilot = both(shlex.split(line), tmp_path)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


HELP = [
    "--help", "-h", "help", "help install", "install --help", "install -h", "repo --help", "repo", "get", "show",
    "dep", "search", "registry", "completion", "help foo", "help repo add", "repo add --help",
    "status -h", "list --help", "version --help", "env --help", "get values --help", "help get", "help completion",
    "template --help --debug", "--debug list --help", "-n x upgrade -h", "repo foo", "get foo", "show --help",
    "help show values", "dependency --help", "completion bash --help", "search hub --help", "search repo --help",
    "plugin install --help", "registry login --help", "uninstall --help", "rollback --help", "history --help",
    "pull --help", "push --help", "lint --help", "package --help", "create --help", "verify --help",
    "test --help", "upgrade --help", "", "--debug", "-n foo",
    # Cobra adds the help flag only to the command it runs: while finding it, --help takes the next word
    "--help install", "-h install", "repo --help add", "completion --help bash", "--help --color=bad",
    "help help", "help --help", "help -h repo", "help repo --help", "install --help=false", "-hn x",
    "list -h=false x", "--debug=true --help", "list --help=maybe", "repo add -h a b", "help dep up",
    "help --debug list", "-- install",
]


@pytest.mark.parametrize("line", HELP)
def test_help_usage_as_helm(tmp_path, line):
    helm, pilot = both(shlex.split(line), tmp_path)
    assert pilot.rc == helm.rc
    assert pilot.err == helm.err
    assert usage_part(pilot.out) == usage_part(helm.out)
