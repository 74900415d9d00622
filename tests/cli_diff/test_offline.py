"""Offline commands (template, show, lint, create, package, dependency, verify): pilot against helm."""

from __future__ import annotations

import shlex

import pytest
from difftools import out_plus, replaced

C = "charts/web"
LINES = [
    # template
    f"template {C}",
    f"template r1 {C}",
    f"template r1 {C} -n other",
    f"template r1 {C} --namespace other --set replicas=3",
    f"template r1 {C} --set message=hi,replicas=2",
    f"template r1 {C} --set-string replicas=2",
    f"template r1 {C} --set image.tag=latest --set image.repository=busybox",
    f"template r1 {C} --show-only templates/app.yaml",
    f"template r1 {C} -s templates/nope.yaml",
    f"template r1 {C} --skip-tests",
    f"template r1 {C} --no-hooks",
    f"template r1 {C} --include-crds",
    f"template r1 {C} --is-upgrade",
    f"template r1 {C} --kube-version 1.30.0",
    f"template r1 {C} --kube-version nonsense",
    f"template r1 {C} --api-versions foo/v1",
    f"template r1 {C} -a foo/v1/Bar",
    f"template r1 {C} --name-template abc",
    f"template {C} --generate-name",
    f"template r1 {C} --output-dir out",
    f"template r1 {C} --output-dir out --release-name",
    f"template r1 {C} --set-json image={{\"tag\":\"x\"}}",
    f"template r1 {C} --set-json nonsense",
    f"template r1 {C} --set a.b.c=1 --show-only templates/app.yaml",
    f"template r1 {C} --set replicas",
    f"template r1 {C} -f nope.yaml",
    f"template r1 {C} --version 0.3.0",
    "template r1 charts/suite",
    "template r1 charts/suite --skip-tests",
    "template r1 charts/plain --show-only templates/a.yaml",
    "template r1 charts/plain --show-only templates/c.yaml",
    "template r1 charts/suite --no-hooks",
    "template r1 charts/nope",
    "template r1 /nonexistent/chart",
    "template a b c",
    f"template R1 {C}",
    f"template r1_bad {C}",
    f"template {'x' * 60} {C}",
    f"template r1 {C} --dependency-update",
    f"template r1 {C} --set-file message=charts/web/README.md",
    f"template r1 {C} --set-file message=nope.txt",
    # show
    f"show chart {C}",
    f"show values {C}",
    f"show readme {C}",
    f"show all {C}",
    f"show crds {C}",
    f"show values {C} --jsonpath {{.image}}",
    f"show values {C} --jsonpath {{.image.tag}}",
    f"show values {C} --jsonpath {{.nope}}",
    "show chart charts/suite",
    "show values charts/suite",
    "show all charts/suite",
    "show readme charts/suite",
    "show chart charts/parent",
    "show all charts/parent",
    "show chart charts/nope",
    "inspect chart charts/web",
    "inspect values charts/web",
    # lint
    f"lint {C}",
    f"lint {C} --strict",
    f"lint {C} --quiet",
    f"lint {C} --set replicas=2",
    "lint charts/suite",
    "lint charts/parent",
    "lint charts/parent --with-subcharts",
    "lint charts/sub",
    "lint charts/nope",
    f"lint {C} charts/suite",
    f"lint {C} charts/nope",
    f"lint {C} --kube-version 1.20.0",
    f"lint {C} -f nope.yaml",
    # dependency
    "dependency list charts/parent",
    "dependency list charts/web",
    "dependency list charts/nope",
    "dep list charts/parent",
    "dependency list charts/parent --max-col-width 5",
    # package (into the side's own directory)
    f"package {C}",
    f"package {C} -d out",
    f"package {C} --version 9.9.9",
    f"package {C} --app-version 2.0",
    f"package {C} --version 9.9.9 --app-version 2.0 -d out",
    "package charts/nope",
    f"package {C} --version notsemver",
    "package charts/suite charts/sub",
    # verify
    "verify charts/web",
    "verify nope.tgz",
]


@pytest.mark.parametrize("line", LINES)
def test_offline_line(diff, line):
    diff.check(shlex.split(line))


_A_KEEPS_ITS_NEWLINE = replaced("out", "name: r1-a\ndata: {}\n---", "name: r1-a\ndata: {}\n\n---")

# Where Helm 4.2's source differs from the 4.1.4 binary: the expected output is 4.1.4's, changed
V42 = {
    # --show-only re-splits the output; 4.2 keeps the last document's trailing newline
    f"template r1 {C} -s templates/hook.yaml": out_plus("\n"),
    f"template r1 {C} -s templates/app.yaml -s templates/hook.yaml": out_plus("\n"),
    "template r1 charts/suite --show-only templates/tests.yaml": out_plus("\n"),
    # 4.2 quotes the command with single quotes (pkg/cmd/install.go)
    "template r1 charts/parent": replaced("err", "`pilot dependency build`", "'pilot dependency build'"),
    # a template file's trailing newline stays on its last document in 4.2
    # (a.yaml's document is followed by another, c.yaml's is last and trimmed, the hook b.yaml is
    # printed with its newline and one more)
    "template r1 charts/plain": lambda r: out_plus("\n")(_A_KEEPS_ITS_NEWLINE(r)),
    "template r1 charts/plain --no-hooks": lambda r: _A_KEEPS_ITS_NEWLINE(r),
    # --show-only splits again: only the last document keeps its trailing whitespace
    "template r1 charts/plain --show-only templates/b.yaml": out_plus("\n\n"),
}


@pytest.mark.parametrize("line", sorted(V42))
def test_offline_line_as_helm_4_2(diff, line):
    diff.check(shlex.split(line), v42=V42[line])


CREATE = [
    "create newchart",
    "create newchart --starter nope",
    # 4.2 writes the overwrite warnings to stderr (pkg/chart/v2/util/create.go), 4.1.4 to stdout
    "create a/b/c",
]


@pytest.mark.parametrize("line", CREATE)
def test_create(diff, line):
    diff.check(shlex.split(line))
    _same_files(diff)


def test_create_over_an_existing_chart(diff):
    def warnings_on_stderr(r):
        lines = r.out.splitlines(keepends=True)
        return type(r)(lines[0], "".join(lines[1:]) + r.err, r.rc)

    diff.check(["create", "charts/web"], v42=warnings_on_stderr)
    _same_files(diff)


def _same_files(diff):
    """The same files, and charts that render the same (the scaffold's comments are written in
    Pilothouse's own words, so the files' bytes differ on purpose)."""
    a, b = (diff.sides[s].work for s in "ab")
    files_a = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    files_b = sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file())
    assert files_b == files_a
    charts = sorted({p.parent for p in b.rglob("Chart.yaml")})
    for chart in charts:
        rel = str(chart.relative_to(b))
        for flags in ([], ["--set", "ingress.enabled=true,autoscaling.enabled=true,httpRoute.enabled=true"]):
            h = diff.run("helm", ["template", "r", rel, *flags], "a")
            p = diff.run("helm", ["template", "r", rel, *flags], "b")
            assert p.triple() == h.triple(), rel


@pytest.mark.parametrize("line", [f"template r1 {C}", f"show all {C}", f"lint {C}", f"template {C} --show-only templates/app.yaml"])
def test_packaged_chart(diff, line):
    diff.setup(["package", C])
    diff.check(shlex.split(line.replace(C, "web-0.3.0.tgz")))


def test_dependency_update_then_list(diff):
    diff.check(["dependency", "update", "charts/parent"])
    diff.check(["dependency", "list", "charts/parent"])
    diff.check(["dependency", "build", "charts/parent"])
    # the subchart's template file ends with no newline, so 4.1.4 and 4.2 agree here
    diff.check(["template", "r", "charts/parent"])


DEBUG_LINES = [
    f"template r1 {C} --debug",
    "template r1 charts/suite --debug --skip-tests",
    "template r1 {corpus}/helmtest-invalid-yaml",
    "template r1 {corpus}/helmtest-invalid-yaml --debug",
    "template r1 {corpus}/helmtest-schema",
    "template r1 {corpus}/helmtest-schema --debug",
    "template r1 {corpus}/helmtest-schema-negative",
    # (the corpus' subchart test chart is not here: its files end with newlines, which 4.2 keeps,
    # and it prints the default Kubernetes version, 1.35 in helm 4.1.4 and 1.36 in Helm 4.2)
    f"template r1 {C} --debug --kube-version 1.30.0",
    "template r1 {corpus}/helmtest-subchart --show-only charts/subchart1/templates/service.yaml",
    f"template r1 {C} --devel --debug",
    "lint {corpus}/helmtest-schema-negative",
    "lint {corpus}/helmtest-subchart --with-subcharts",
    "lint {corpus}/helmtest-three-level-umbrella --with-subcharts",
    "lint {corpus}/helmtest-invalid-yaml",
]


@pytest.mark.parametrize("line", DEBUG_LINES)
def test_debug_and_corpus_line(diff, line):
    import os

    from corpus_cases import ABSENT_REASON, CORPUS

    charts = os.path.join(CORPUS, "charts")
    assert os.path.isdir(charts), ABSENT_REASON
    diff.check(shlex.split(line.format(corpus=charts)))
