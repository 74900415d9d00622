"""Repository commands against a chart repository served over HTTP on a free port, and charts
taken from it by every command that takes one (repo/chart, --repo URL, a chart URL)."""

from __future__ import annotations

import shlex

import pytest

ADD = "repo add demo {url}"

# (setup lines, the command compared); {url} is the repository's URL
LINES = [
    ("", "repo add demo {url}"),
    ("", "repo add demo {url}/"),
    ("", "repo add demo {url} --force-update"),
    ("", "repo add demo http://127.0.0.1:1"),
    ("", "repo add demo {url}/nothing-here"),
    ("", "repo list"),
    ("", "repo list -o json"),
    ("", "repo update"),
    ("", "repo remove demo"),
    (ADD, "repo add demo {url}"),
    (ADD, "repo add demo {url} --force-update"),
    (ADD, "repo add other {url}"),
    (ADD, "repo list"),
    (ADD, "repo ls"),
    (ADD, "repo list -o json"),
    (ADD, "repo list -o yaml"),
    (ADD, "repo list -o table"),
    (ADD, "repo update"),
    (ADD, "repo update demo"),
    (ADD, "repo update nope"),
    (ADD, "repo remove demo"),
    (ADD, "repo rm demo"),
    (ADD, "repo remove nope"),
    (ADD, "repo remove demo nope"),
    (ADD, "search repo web"),
    (ADD, "search repo demo/"),
    (ADD, "search repo"),
    (ADD, "search repo web --versions"),
    (ADD, "search repo web --devel"),
    (ADD, "search repo web --version 0.3.0"),
    (ADD, "search repo web --version '>1'"),
    (ADD, "search repo web -o json"),
    (ADD, "search repo web -o yaml"),
    (ADD, "search repo web -l"),
    (ADD, "search repo nope"),
    (ADD, "search repo 'w.b' --regexp"),
    (ADD, "search repo web --max-col-width 10"),
    (ADD, "search repo web --fail-on-no-result"),
    (ADD, "search repo nope --fail-on-no-result"),
    ("", "search repo web"),
    (ADD, "show chart demo/web"),
    (ADD, "show values demo/web"),
    (ADD, "show readme demo/web"),
    (ADD, "show all demo/web"),
    (ADD, "show chart demo/web --version 0.3.0"),
    (ADD, "show chart demo/web --devel"),
    (ADD, "show chart demo/web --version 9.9.9"),
    (ADD, "show chart demo/nope"),
    (ADD, "show chart nope/web"),
    ("", "show chart web --repo {url}"),
    ("", "show values suite --repo {url}"),
    ("", "show chart web --repo {url} --version 0.4.0-rc.1"),
    ("", "show chart nope --repo {url}"),
    ("", "show chart {url}/web-0.3.0.tgz"),
    ("", "show chart {url}/nope-0.3.0.tgz"),
    (ADD, "template r1 demo/web"),
    (ADD, "template r1 demo/web --version 0.3.0 --set replicas=2"),
    (ADD, "template r1 demo/suite"),
    ("", "template r1 web --repo {url}"),
    ("", "template r1 {url}/web-0.3.0.tgz"),
    (ADD, "pull demo/web"),
    (ADD, "pull demo/web --version 0.3.0"),
    (ADD, "pull demo/web --devel"),
    (ADD, "pull demo/web --untar"),
    (ADD, "pull demo/web --untar --untardir out"),
    (ADD, "pull demo/web -d out"),
    (ADD, "pull demo/nope"),
    (ADD, "pull demo/web --version 9"),
    ("", "pull web --repo {url}"),
    ("", "pull {url}/web-0.3.0.tgz"),
    ("", "pull {url}/web-0.3.0.tgz --untar"),
    ("", "pull web"),
    (ADD, "install r1 demo/web"),
    (ADD, "install r1 demo/web --version 0.3.0 --set message=x"),
    ("", "install r1 web --repo {url}"),
    ("", "install r1 {url}/web-0.3.0.tgz"),
    (f"{ADD}\ninstall r1 demo/web", "upgrade r1 demo/web --version 0.4.0-rc.1"),
    (f"{ADD}\ninstall r1 demo/web", "upgrade r1 demo/web --devel"),
    (f"{ADD}\ninstall r1 demo/web", "upgrade r1 web --repo {url}"),
]


def no_fallback_warning(r):
    """Helm 4.2 warns about falling back to the closest version only for an exact version asked
    for, not for a range such as --devel's ">0.0.0-0" (isVersionRange, pkg/repo/v1/index.go)."""
    kept = [x for x in r.err.splitlines(keepends=True) if "falling back to closest available version" not in x]
    return type(r)(r.out, "".join(kept), r.rc)


@pytest.mark.parametrize(("setup", "line"), LINES)
def test_repo_line(diff, chart_repo, setup, line):
    diff.subs[chart_repo] = "$REPO"
    for cmd in filter(None, setup.format(url=chart_repo).splitlines()):
        diff.setup(shlex.split(cmd))
    diff.check(shlex.split(line.format(url=chart_repo)), v42=no_fallback_warning)


def test_repo_index(diff, chart_repo):
    for side in "ab":
        d = diff.sides[side].work / "idx"
        d.mkdir()
        (diff.sides[side].work / "charts" / "web").rename(d / "web")
    diff.setup(["package", "idx/web", "-d", "idx"])
    diff.check(["repo", "index", "idx", "--url", "https://charts.example.org/x"])
    a, b = ((diff.sides[s].work / "idx" / "index.yaml").read_text() for s in "ab")
    stamp = __import__("re").compile(r"(created|generated): .*")
    assert stamp.sub(r"\1: T", b) == stamp.sub(r"\1: T", a)
