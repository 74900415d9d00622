"""`pilot <global flags> __complete ...` answers as `helm` does: Cobra finds its hidden completion command
as it finds any other, so global flags may come first and then apply while completing."""

from __future__ import annotations

import shlex

import pytest
from helmdiff_cli import both


@pytest.fixture
def homes(tmp_path):
    """A repositories file and a repository cache that only the flags point at."""
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
        "generated: \"2024-01-01T00:00:00Z\"\n")
    return tmp_path


LINES = [
    "--repository-config {h}/config/repositories.yaml __complete repo remove ''",
    "--repository-config={h}/config/repositories.yaml --repository-cache {h}/cache/repository "
    "__complete pull demo/web --version ''",
    "--repository-cache {h}/cache/repository __completeNoDesc install x demo/web --version ''",
    "--debug __complete list -o ''",
    "-n __complete __complete ''",
    "--kube-context x __complete version ''",
]


@pytest.mark.parametrize("line", LINES)
def test_global_flags_before_complete_as_helm(homes, tmp_path_factory, line):
    # the environment's homes are elsewhere: only the flags lead to the repositories
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    helm, pilot = both(shlex.split(line.format(h=homes)), elsewhere)
    assert (pilot.rc, pilot.out, pilot.err) == (helm.rc, helm.out, helm.err)
    assert pilot.out.endswith((":4\n", ":0\n", ":1\n")), pilot.out
