"""--dry-run on install, upgrade, rollback, template and uninstall: the bare flag and the old boolean
spellings give Helm's deprecation warning (a WARN log line) and act as the value they stand for;
values that mean nothing are refused with Helm's message. Compared with the real helm, each side
against its own fake API server."""

from __future__ import annotations

import shlex

import pytest

W = "charts/web"

VALUES = ["", "=unset", "=true", "=1", "=T", "=false", "=0", "=none", "=client", "=server", "=bogus", "="]

RELEASE_COMMANDS = [
    ("", f"install r1 {W} --dry-run{{v}}"),
    (f"install r1 {W}", f"upgrade r1 {W} --dry-run{{v}}"),
    ("", f"upgrade --install r1 {W} --dry-run{{v}}"),
    (f"install r1 {W}\nupgrade r1 {W} --set replicas=2", "rollback r1 1 --dry-run{v}"),
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize(("setup", "command"), RELEASE_COMMANDS, ids=lambda x: x.split(" ")[0] if x else "-")
def test_release_commands_dry_run_values(diff, setup: str, command: str, value: str) -> None:
    for line in filter(None, setup.splitlines()):
        diff.setup(shlex.split(line))
    diff.check(shlex.split(command.format(v=value)))
    # what each left in the cluster: a dry run stores nothing, `none` and `false` do the work
    diff.check(["history", "r1", "-o", "json"])


# template always simulates: none/false are refused (=server is the template command's own matter)
@pytest.mark.parametrize("value", [v for v in VALUES if v != "=server"])
def test_template_dry_run_values(diff, value: str) -> None:
    diff.check(["template", "r1", W, f"--dry-run{value}"])


def test_bare_dry_run_takes_no_separate_value(diff) -> None:
    # pflag: a flag with a no-value default never takes the next word as its value
    diff.check(["install", "r1", "--dry-run", "client", W])
    diff.check(["template", "--dry-run", "server", W])


@pytest.mark.parametrize("value", ["", "=true", "=false", "=bogus"])
def test_uninstall_dry_run_is_boolean(diff, value: str) -> None:
    diff.setup(["install", "r1", W])
    diff.check(["uninstall", "r1", f"--dry-run{value}"])
    diff.check(["list", "-a", "-o", "json"])
