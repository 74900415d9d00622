"""Running one command line under the real `helm` and under `pilot`, side by side.

Both get the same isolated HELM_* homes, HOME and working directory; their outputs are
compared after replacing the program name (``helm`` -> ``pilot``) and nothing else.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELM = ROOT / ".venv" / "bin" / "helm"
PILOT = ROOT / ".venv" / "bin" / "pilot"


@dataclass
class Outcome:
    """What a command line did."""

    rc: int
    out: str
    err: str


def isolated_env(tmp: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """An environment with fresh Helm homes under ``tmp`` and no HELM_* from the caller."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HELM_", "KUBECONFIG", "NO_COLOR", "PILOTHOUSE_"))}
    for sub in ("config", "cache", "data"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    env.update(HELM_CONFIG_HOME=str(tmp / "config"), HELM_CACHE_HOME=str(tmp / "cache"),
               HELM_DATA_HOME=str(tmp / "data"), HOME=str(tmp), KUBECONFIG=str(tmp / "no-kubeconfig"),
               PYTHONPATH=str(ROOT / "src"))
    env.update(extra or {})
    return env


def run(binary: Path, args: list[str], env: dict[str, str], cwd: Path) -> Outcome:
    """Run ``binary args`` and capture everything."""
    res = subprocess.run([str(binary), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120,
                         check=False)
    return Outcome(res.returncode, res.stdout, res.stderr)


# the program's name as a word of its own (file names such as helm_repo_add.md included)
_HELM_WORD = re.compile(r"(?<![A-Za-z0-9])helm(?![A-Za-z0-9])")


def normalise(text: str, keep: tuple[str, ...] = ()) -> str:
    """Helm's output as `pilot` would say it: the program name replaced (not inside ``keep``)."""
    text = text.replace(str(HELM), str(PILOT))
    for i, k in enumerate(keep):
        text = text.replace(k, f"\x00{i}\x00")
    text = _HELM_WORD.sub("pilot", text)
    for i, k in enumerate(keep):
        text = text.replace(f"\x00{i}\x00", k)
    return text


# Pilothouse's own top-level commands (plans, helm-diff's commands, drift): listed where Helm lists
# its commands (root help, completion), a difference on purpose
PILOT_ONLY = ("apply", "diff", "drift",
              # and flags of its own: policy gates, values references, waiting with fail-fast and progress
              "--policy", "--policy-mode", "--resolve", "--fail-grace", "--logs", "--progress",
              "--sequence-annotations", "--plan", "--drift")


def without_pilot_only(text: str) -> str:
    """``text`` without the lines that list one of Pilothouse's own commands."""
    return "".join(line for line in text.splitlines(keepends=True)
                   if (line.split() or [""])[0].split("\t")[0] not in PILOT_ONLY)


def both(args: list[str], tmp: Path, extra_env: dict[str, str] | None = None) -> tuple[Outcome, Outcome]:
    """(helm's outcome normalised, pilot's outcome) for the same command line."""
    env = isolated_env(tmp, extra_env)
    helm = run(HELM, args, env, tmp)
    pilot = run(PILOT, args, env, tmp)
    keep = (str(tmp),)
    pilot = Outcome(pilot.rc, without_pilot_only(pilot.out), without_pilot_only(pilot.err))
    return Outcome(helm.rc, normalise(helm.out, keep), normalise(helm.err, keep)), pilot


def usage_part(text: str) -> str:
    """A help text from its ``Usage:`` line on, without the command's own ``Flags:`` section
    (long descriptions and flag wordings are not compared)."""
    idx = text.find("Usage:")
    tail = text[idx:] if idx >= 0 else text
    sections = tail.split("\n\n")
    return "\n\n".join(s for s in sections if not s.startswith("Flags:"))


_FLAG_LINE = re.compile(r"^\s+(?:-([A-Za-z]), )?--([a-z0-9][a-z0-9-]*)(.*)$")


def flag_lines(help_text: str) -> dict[str, str]:
    """The command's own flags (the "Flags:" section), by long name: shorthand, type, usage and
    default, with the column padding collapsed."""
    flags: dict[str, str] = {}
    section = False
    for line in help_text.splitlines():
        if line.startswith("Flags:"):
            section = True
            continue
        if section and not line.strip():
            break
        if section and (m := _FLAG_LINE.match(line)):
            flags[m.group(2)] = f"{m.group(1) or ''} " + re.sub(r"\s{2,}", "  ", m.group(3).strip())
    return flags
