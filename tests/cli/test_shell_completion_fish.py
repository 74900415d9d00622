"""`pilot completion fish` really completes in fish: the script is loaded into the real shell, fish
is asked what it would offer for a command line, and the answer is compared with what fish offers
for the same line with `helm completion fish` loaded and the real helm."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helmdiff_cli import HELM, PILOT, PILOT_ONLY, isolated_env, normalise

FISH = shutil.which("fish")

LINES = [
    "pilot ins", "pilot ", "pilot repo a", "pilot list --outp", "pilot list -o ", "pilot status x --output y",
    "pilot list --output=j", "pilot -n ns sta", "pilot version ", "pilot completion ", "pilot show ",
    "pilot get values --", "pilot install rel de", "pilot install rel demo/", "pilot repo remove ",
    "pilot env HELM_C", "pilot help re", "pilot --colo", "pilot --color ", "pilot template x --dry-run=",
    "pilot list --time-format ", "pilot install r c --wait=", "pilot completion fish --",
]


def _world(tmp_path: Path) -> dict[str, str]:
    env = isolated_env(tmp_path)
    (tmp_path / "config" / "repositories.yaml").write_text(
        "apiVersion: v1\nrepositories:\n- name: demo\n  url: http://127.0.0.1:1/charts\n")
    (tmp_path / "cache" / "repository").mkdir(parents=True, exist_ok=True)
    (tmp_path / "cache" / "repository" / "demo-charts.txt").write_text("web\ndb\n")
    # files fish offers where the command leaves completion to the shell
    (tmp_path / "work" / "charts").mkdir(parents=True)
    (tmp_path / "work" / "web-0.1.0.tgz").write_text("")
    return env


def _script(binary: Path, shell: str, env: dict[str, str], tmp_path: Path) -> Path:
    res = subprocess.run([str(binary), "completion", shell], env=env, capture_output=True, text=True, check=True)
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / f"{binary.name}.{shell}"
    path.write_text(res.stdout)
    return path


def _fish_offers(binary: Path, env: dict[str, str], tmp_path: Path, line: str) -> list[str]:
    assert FISH, "fish is not installed (see scripts/debian-packages.txt)"
    script = _script(binary, "fish", env, tmp_path / "scripts")
    env = dict(env, PATH=f"{binary.parent}:{env.get('PATH', '')}")
    line = line.replace("pilot", binary.name, 1)
    # `complete -C` asks fish's completion machinery for the candidates of a command line
    res = subprocess.run([FISH, "--no-config", "-c", 'source $argv[1]; complete -C $argv[2]', script, line],
                         env=env, capture_output=True, text=True, check=False, timeout=120, cwd=tmp_path / "work")
    assert res.returncode == 0, res.stderr
    return [w for w in res.stdout.split("\n") if w]


def _own(candidates: list[str]) -> list[str]:
    """Candidates without Pilothouse's own commands and flags."""
    return [c for c in candidates if c.split("\t")[0] not in PILOT_ONLY]


@pytest.mark.parametrize("line", LINES)
def test_fish_offers_what_helms_script_offers(tmp_path: Path, line: str) -> None:
    env = _world(tmp_path)
    helm = _fish_offers(HELM, env, tmp_path, line)
    pilot = _fish_offers(PILOT, env, tmp_path, line)
    assert _own(pilot) == [normalise(c, (str(tmp_path),)) for c in helm]


def test_fish_completes_a_command_name(tmp_path: Path) -> None:
    env = _world(tmp_path)
    assert _fish_offers(PILOT, env, tmp_path, "pilot ins") == ["install\tinstall a chart"]


def test_fish_asks_again_for_each_line(tmp_path: Path) -> None:
    # one shell, two <TAB>s: the second line's choices, not the first's kept over
    env = _world(tmp_path)
    script = _script(PILOT, "fish", env, tmp_path / "scripts")
    env = dict(env, PATH=f"{PILOT.parent}:{env.get('PATH', '')}")
    res = subprocess.run([FISH or "fish", "--no-config", "-c",
                          "source $argv[1]; complete -C 'pilot ins'; echo sep; complete -C 'pilot repo a'", script],
                         env=env, capture_output=True, text=True, check=True, timeout=120, cwd=tmp_path / "work")
    assert res.stdout == "install\tinstall a chart\nsep\nadd\tadd a chart repository\n"
