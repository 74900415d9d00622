"""Cobra finds its hidden ``__complete`` / ``__completeNoDesc`` command after global flags too
(``helm --repository-config F __complete repo remove ''``), and the flags given before it then
apply to the completion: `pilot` answers those command lines as the real `helm` does."""

from __future__ import annotations

import shlex

import pytest
from helmdiff_cli import both

REPOS = ("apiVersion: v1\nrepositories:\n- name: alpha\n  url: http://127.0.0.1:1/a\n"
         "- name: beta\n  url: http://127.0.0.1:1/b\n- name: gamma\n  url: https://example.invalid/g\n")

LINES = [
    "--repository-config repos.yaml __complete repo remove ''",
    "--repository-config repos.yaml __completeNoDesc repo remove ''",
    "--repository-config=repos.yaml __completeNoDesc repo remove al",
    "--repository-config repos.yaml --repository-cache cache __completeNoDesc repo remove alpha ''",
    "--repository-config repos.yaml __complete repo update beta ''",
    "--debug --repository-config repos.yaml __completeNoDesc repo remove ''",
    "-n team __complete repo ''",
    # a flag's value that happens to read "__complete" is a value, not the command
    "--namespace __complete repo list",
    "--repository-config repos.yaml __complete --bogus repo remove ''",
]


@pytest.mark.parametrize("line", LINES)
def test_completion_after_global_flags_as_helm(tmp_path, line):
    (tmp_path / "repos.yaml").write_text(REPOS)
    helm, pilot = both(shlex.split(line), tmp_path)
    assert (pilot.rc, pilot.out, pilot.err) == (helm.rc, helm.out, helm.err)
