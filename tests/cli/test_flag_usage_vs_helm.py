"""Every command's flags, as its `--help` lists them, are Helm 4.2's: the same names, shorthands,
value types, defaults and usage lines. The oracle is the real helm (4.1.4); where Helm 4.2's source
words or shows a flag differently, the change is applied to helm's text here and says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli.helmdiff_cli import HELM, PILOT, PILOT_ONLY, flag_lines, isolated_env, normalise, run

# Pilothouse's own flags beyond helmdiff_cli's list: plugin capability grants (wasm plugins)
OWN_FLAGS = {name.lstrip("-") for name in PILOT_ONLY if name.startswith("--")} | {"yes"}

# Helm 4.2's wording of --wait (pkg/cmd/flags.go changed after 4.1)
WAIT_41 = ("if specified, wait until resources are ready (up to --timeout). Values: 'watcher', 'hookOnly', and "
           "'legacy'.")
WAIT_42 = ("wait until resources are ready (up to --timeout). Use '--wait' alone for 'watcher' strategy, or specify "
           "one of: 'watcher', 'hookOnly', 'legacy'. Default when flag is omitted: 'hookOnly'.")
# 4.2 tells how to wait for finalizers on uninstall's --cascade
CASCADE_42 = ' Use "foreground" with --wait to ensure resources with finalizers are fully deleted before returning.'
# 4.2 deprecates and hides these on template ("no effect for 'helm template'")
HIDDEN_42 = {"template": {"hide-notes", "render-subchart-notes"}}

# words that stay "helm" in pilot's help: Helm's annotations on resources, Helm's hub
KEEP = ("helm annotations", "hub.helm.sh")


def _commands() -> list[str]:
    """Every command path helm's help tree lists (help itself left out)."""
    env = isolated_env(Path("/nonexistent-home"))
    out: list[str] = []
    todo = [""]
    while todo:
        path = todo.pop(0)
        if path:
            out.append(path)
        res = run(HELM, [*path.split(), "--help"], env, Path("/"))
        section = False
        for line in res.out.splitlines():
            if line.startswith("Available Commands:"):
                section = True
                continue
            if section and not line.strip():
                break
            if section and line.split()[0] not in ("help",):
                todo.append(f"{path} {line.split()[0]}".strip())
    return out


def as_in_42(command: str, flags: dict[str, str]) -> dict[str, str]:
    out = {}
    for name, text in flags.items():
        if name in HIDDEN_42.get(command, ()):
            continue
        if name == "wait":
            assert WAIT_41 in text, text
            text = text.replace(WAIT_41, WAIT_42)
        if command == "uninstall" and name == "cascade":
            text = text.replace("Defaults to background.", "Defaults to background." + CASCADE_42)
        out[name] = text
    return out


COMMANDS = _commands()


def test_the_walk_found_helms_commands() -> None:
    assert {"install", "upgrade", "show all", "repo add", "plugin package", "completion fish"} <= set(COMMANDS)
    assert len(COMMANDS) > 50


@pytest.mark.parametrize("command", COMMANDS)
def test_flags_as_helm_42_lists_them(command: str, tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    helm = run(HELM, [*command.split(), "--help"], env, tmp_path)
    pilot = run(PILOT, [*command.split(), "--help"], env, tmp_path)
    assert helm.rc == pilot.rc == 0, pilot.err
    want = as_in_42(command, flag_lines(normalise(helm.out, (str(tmp_path), *KEEP))))
    have = {k: v for k, v in flag_lines(pilot.out).items() if k in want or k not in OWN_FLAGS}
    assert want, helm.out
    missing = sorted(set(want) - set(have))
    extra = sorted(set(have) - set(want))
    assert (missing, extra) == ([], []), "flags helm 4.2 has that pilot lacks, and pilot's beyond helm's"
    differ = {k: (want[k], have[k]) for k in want if want[k] != have[k]}
    assert differ == {}


@pytest.mark.parametrize(("argv", "flag"), [
    (["uninstall", "r1", "--wait-for-jobs"], "--wait-for-jobs"),
    (["test", "r1", "--hide-notes"], "--hide-notes"),
    (["template", "charts/web", "--hide-secret"], "--hide-secret"),
])
def test_flags_helm_42_does_not_have_are_unknown(argv: list[str], flag: str, tmp_path: Path) -> None:
    # checked in Helm 4.2's source: uninstall and test declare no such flag; --hide-secret is
    # install's and upgrade's own, not among the install flags template shares
    env = isolated_env(tmp_path)
    helm = run(HELM, argv, env, tmp_path)
    pilot = run(PILOT, argv, env, tmp_path)
    assert helm.rc == pilot.rc == 1
    assert pilot.err == normalise(helm.err) == f"Error: unknown flag: {flag}\n"


def test_install_server_side_is_a_boolean(tmp_path: Path) -> None:
    # a boolean flag never takes the next word as its value; "auto" is upgrade's and rollback's
    env = isolated_env(tmp_path)
    for argv in (["install", "r1", "charts/web", "--server-side", "false"],
                 ["install", "r1", "charts/web", "--server-side=auto"]):
        helm = run(HELM, argv, env, tmp_path)
        pilot = run(PILOT, argv, env, tmp_path)
        assert (pilot.rc, pilot.err) == (helm.rc, normalise(helm.err)), argv
