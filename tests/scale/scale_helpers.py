"""Shared by the scale tests: the real helm CLI, isolated homes, charts with big records."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELM = ROOT / ".venv" / "bin" / "helm"
SRC = ROOT / "src"


def big_chart(where: Path, name: str = "big", payload: int = 1_100_000, seed: int = 1, version: str = "0.1.0") -> Path:
    """A chart with an incompressible file of `payload` bytes, so its release record is about that big."""
    chart = where / name
    (chart / "templates").mkdir(parents=True, exist_ok=True)
    (chart / "files").mkdir(exist_ok=True)
    (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n")
    (chart / "values.yaml").write_text("greeting: hi\n")
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n"
        "  greeting: {{ .Values.greeting | quote }}\n")
    (chart / "files" / "blob.bin").write_bytes(random.Random(seed).randbytes(payload))
    return chart


def env_for(home: Path, kubeconfig: str, **extra: str) -> dict[str, str]:
    """An environment with helm/pilot state under `home` and the fake server's kubeconfig."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_")}
    env.update(
        HOME=str(home),
        KUBECONFIG=kubeconfig,
        HELM_CONFIG_HOME=str(home / "config"),
        HELM_CACHE_HOME=str(home / "cache"),
        HELM_DATA_HOME=str(home / "data"),
        PYTHONPATH=str(SRC),
    )
    env.update(extra)
    return env


def helm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real helm CLI."""
    return subprocess.run([str(HELM), *args], env=env, capture_output=True, text=True, timeout=300)


def pilot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run pilot from this checkout's sources."""
    return subprocess.run([sys.executable, "-m", "pilothouse", *args], env=env, capture_output=True, text=True,
                          timeout=300)
