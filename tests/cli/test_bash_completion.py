"""`pilot completion bash` really completes in bash: the script is sourced into a real bash, the
shell's completion variables are set as bash sets them on <TAB>, the registered function is
called, and COMPREPLY is what the user would be offered."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helmdiff_cli import PILOT, isolated_env

BASH = shutil.which("bash") or "/bin/bash"


@pytest.fixture
def script(tmp_path):
    env = isolated_env(tmp_path)
    res = subprocess.run([str(PILOT), "completion", "bash"], env=env, capture_output=True, text=True, check=True)
    path = tmp_path / "pilot.bash"
    path.write_text(res.stdout)
    return path, env


def _tab(script, line: str) -> list[str]:
    """What bash offers for ``line`` with the cursor at its end."""
    path, env = script
    env = dict(env, PATH=f"{PILOT.parent}:{env.get('PATH', '')}")
    driver = (
        f"source {path}\n"
        "spec=$(complete -p pilot)\n"
        'fn=$(sed -E "s/.*-F ([^ ]+) .*/\\1/" <<< "$spec")\n'
        'COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}\n'
        "read -r -a COMP_WORDS <<< \"$COMP_LINE\"\n"
        'if [[ "$COMP_LINE" == *" " ]]; then COMP_WORDS+=(""); fi\n'
        "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        "COMPREPLY=()\n"
        '"$fn" pilot "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    res = subprocess.run([BASH, "--norc", "--noprofile", "-c", driver, "bash", line], env=env,
                         capture_output=True, text=True, check=False, timeout=120)
    assert res.returncode == 0, res.stderr
    return [w for w in res.stdout.split("\n") if w]


def test_registered_for_pilot(script):
    path, env = script
    res = subprocess.run([BASH, "--norc", "-c", f"source {path}; complete -p pilot"], env=env, capture_output=True,
                         text=True, check=True)
    assert res.stdout.startswith("complete -o default -F ")
    assert res.stdout.rstrip().endswith(" pilot")


def test_command_name(script):
    assert _tab(script, "pilot ins") == ["install"]


def test_all_commands_from_nothing(script):
    words = _tab(script, "pilot ")
    assert {"install", "upgrade", "template", "repo", "help", "completion", "env"} <= set(words)
    assert "docs" not in words  # hidden, as in Helm


def test_subcommand(script):
    assert _tab(script, "pilot repo a") == ["add"]


def test_flag_names(script):
    assert _tab(script, "pilot list --outp") == ["--output"]


def test_flag_value(script):
    assert _tab(script, "pilot list -o ") == ["json", "table", "yaml"]
    assert _tab(script, "pilot status x --output y") == ["yaml"]


def test_flag_value_after_equals(script):
    # bash splits --output=j at '='; the script completes the value part
    assert _tab(script, "pilot list --output=j") == ["json"]


def test_global_flag_before_command(script):
    assert _tab(script, "pilot -n ns sta") == ["status"]


def test_chart_references_from_repositories(script, tmp_path):
    (tmp_path / "config" / "repositories.yaml").write_text(
        "apiVersion: v1\nrepositories:\n- name: demo\n  url: http://127.0.0.1:1/charts\n")
    (tmp_path / "cache" / "repository").mkdir(parents=True, exist_ok=True)
    (tmp_path / "cache" / "repository" / "demo-charts.txt").write_text("web\ndb\n")
    assert _tab(script, "pilot install rel de") == ["demo/"]
    assert sorted(_tab(script, "pilot install rel demo/")) == ["demo/db", "demo/web"]


def test_no_more_arguments_offers_nothing(script):
    # Helm's hint "_activeHelp_ ..." is not a choice
    assert _tab(script, "pilot version ") == []


@pytest.mark.parametrize("shell", ["zsh", "fish", "powershell"])
def test_other_shells_ask_pilot(tmp_path, shell):
    # no zsh, fish or pwsh on the test machines: check what the scripts ask for, not how the shell runs them
    env = isolated_env(tmp_path)
    with_desc = subprocess.run([str(PILOT), "completion", shell], env=env, capture_output=True, text=True, check=True)
    no_desc = subprocess.run([str(PILOT), "completion", shell, "--no-descriptions"], env=env, capture_output=True,
                             text=True, check=True)
    assert "__complete " in with_desc.stdout
    assert "__completeNoDesc" not in with_desc.stdout
    assert "__completeNoDesc" in no_desc.stdout
    assert "pilot" in with_desc.stdout
