"""What Helm checks while it parses a command line, before the arguments are looked at: flags declared
mutually exclusive (Cobra's MarkFlagsMutuallyExclusive) and the values of -o/--output and --wait (their
flag types' Set, the --post-renderer plugin included): pilot against helm."""

from __future__ import annotations

import shlex

import pytest

W = "charts/web"

# (setup run on both sides with helm, the command compared)
LINES = [
    ("", f"install r1 {W} --force-replace --force-conflicts"),
    ("", f"install r1 {W} --force --force-conflicts"),
    ("", f"install r1 {W} --force --force-conflicts --force-replace"),
    ("", f"install r1 {W} --force-conflicts=false --force-replace"),
    ("", f"install r1 {W} --force --force-replace --dry-run=client"),
    ("", "install --force-replace --force-conflicts"),
    ("", f"install r1 {W} --force-conflicts --force-replace -o bogus"),
    (f"install r1 {W}", f"upgrade r1 {W} --force-conflicts --force"),
    (f"install r1 {W}", f"upgrade r1 {W} --force-conflicts --force-replace"),
    (f"install r1 {W}", "rollback r1 --force-replace --force-conflicts"),
    (f"install r1 {W}", "rollback r1 --force-conflicts --force"),
    ("", f"template r1 {W} --validate --dry-run=client"),
    ("", f"template r1 {W} --dry-run --validate"),
    # values checked as they are parsed: before the missing arguments, with the warnings of --wait=BOOL
    ("", "install -o bogus"),
    ("", "install --output=JSON"),
    ("", "upgrade -o x"),
    ("", "status -o bogus"),
    ("", "history -o wide"),
    ("", "list -o x"),
    ("", "get values -o x"),
    ("", f"install r1 {W} --wait=true --dry-run=client"),
    ("", f"install r1 {W} --wait=false --dry-run=client -o json"),
    ("", f"template r1 {W} --wait=true"),
    ("", "uninstall --wait=true"),
    ("", "rollback --wait=false"),
    # the post-renderer plugin is looked up when the flag is read
    ("", f"install r1 {W} --post-renderer nope"),
    ("", "install --post-renderer nope"),
    ("", f"template r1 {W} --post-renderer nope"),
    (f"install r1 {W}", f"upgrade r1 {W} --post-renderer nope"),
    ("", f"install r1 {W} --post-renderer= --dry-run=client"),
]


@pytest.mark.parametrize(("setup", "line"), LINES)
def test_exclusive_flags_as_helm(diff, setup, line):
    for step in filter(None, setup.splitlines()):
        diff.setup(shlex.split(step))
    diff.check(shlex.split(line))
