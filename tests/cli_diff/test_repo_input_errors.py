"""Inputs that Go's libraries judge, answered as helm answers them: search patterns in Go's regexp
(RE2) syntax with Go's error texts, repository URLs as Go's url.Parse and dialer take them, and
`package`'s bare report of a dependency missing from charts/."""

from __future__ import annotations

import shlex

import pytest

ADD = "repo add demo {url}"

PATTERNS = [
    "'w.b'", "'^web'", "'(?i)WEB'", "'b\\$'", "'[a-z]+b'", "'\\d'", "'\\pL+'",
    # syntax Python's re takes and Go's regexp refuses: the error, not a result
    "'(?=w)'", "'w++'", "'(?P=x)'", "'\\Z'",
    # syntax errors worded as Go words them
    "'w['", "'w('", "'w)'", "'*'", "'w**'", "'w{2000}'", "'\\8'", "'[z-a]'", "'\\'",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_search_regexp_as_helm(diff, chart_repo, pattern):
    diff.subs[chart_repo] = "$REPO"
    diff.setup(shlex.split(ADD.format(url=chart_repo)))
    diff.check(shlex.split(f"search repo {pattern} --regexp"))


URLS = [
    "http://127.0.0.1:3469155", "http://127.0.0.1:65536/charts", "http://[::1]:99999", "http://127.0.0.1:abc",
    "http://%zz", "http://127.0.0.1:1:2", "http://a b", "HTTP://127.0.0.1:1",
]


@pytest.mark.parametrize("url", URLS)
def test_repo_add_url_as_helm(diff, url):
    diff.check(["repo", "add", "x", url])


def test_repo_update_with_unusable_urls_as_helm(diff):
    for side in diff.sides.values():
        (side.root / "config" / "repositories.yaml").write_text(
            "apiVersion: v1\nrepositories:\n- name: far\n  url: http://127.0.0.1:3469155\n")
    diff.check(["repo", "update"])
    for side in diff.sides.values():
        (side.root / "config" / "repositories.yaml").write_text(
            "apiVersion: v1\nrepositories:\n- name: far\n  url: http://127.0.0.1:3469155\n"
            "- name: bad\n  url: http://127.0.0.1:abc\n")
    diff.check(["repo", "update"])


def test_package_reports_the_missing_dependency_bare(diff):
    # charts/parent declares "sub" and has no charts/ directory
    diff.check(["package", "charts/parent"])
    diff.check(["package", "charts/parent", "-d", "out"])


def test_repo_update_messages_of_concurrent_failures_stay_whole(diff):
    """Repositories are updated concurrently (in helm too, so the order of the messages varies):
    each message comes out whole, never run into another one."""
    names = ["r1", "r2", "r3", "r4", "r5", "r6"]
    for side in diff.sides.values():
        (side.root / "config" / "repositories.yaml").write_text(
            "apiVersion: v1\nrepositories:\n" + "".join(f"- name: {n}\n  url: http://127.0.0.1:3469155\n" for n in names))
    h, p = diff.both(["repo", "update"])

    def blocks(text):
        head, *rest = text.split("...Unable")
        return head, sorted(rest)

    assert (p.rc, p.err) == (h.rc, h.err)
    assert blocks(p.out) == blocks(h.out)
