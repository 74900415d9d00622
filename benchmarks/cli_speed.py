"""Everyday commands as whole processes: `pilot` against the real `helm` binary, side by side.

Each command runs --runs times (after one warm-up run each, so both sides have warm OS and
on-disk caches) against one fake API server; the table gives the median wall time of each, the
ratio pilot/helm (goal <= 1.0) and each side's peak RSS (largest over the runs, from wait4).
Release commands read a release both tools installed; `install` installs a fresh release each run,
`upgrade` upgrades one release of its own per tool.

Run: .venv/bin/python benchmarks/cli_speed.py [--runs 5] [--only NAME ...]
Needs the chart corpus for the cert-manager case (PILOTHOUSE_CORPUS, default ../shared/corpus).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELM = str(ROOT / ".venv" / "bin" / "helm")
PILOT = [sys.executable, "-m", "pilothouse"]
CORPUS = Path(os.environ.get("PILOTHOUSE_CORPUS", ROOT / ".." / "shared" / "corpus")).resolve()


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one whole process."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        secs = time.perf_counter() - t0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            print(f"  ! {' '.join(cmd[-4:])}: exit {code}: {err.read().decode(errors='replace').strip()[:200]}")
    return secs, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import fakekube

    with tempfile.TemporaryDirectory(prefix="cli-speed-") as tmp_s, fakekube.serve(auto_ready=True) as srv:
        tmp = Path(tmp_s)
        # warm bytecode caches, as an installed package has (kept out of the source tree)
        env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_") and k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPYCACHEPREFIX=str(tmp / "pycache"))
        env.update(HOME=str(tmp / "home"), KUBECONFIG=srv.kubeconfig_path, HELM_CONFIG_HOME=str(tmp / "config"),
                   HELM_CACHE_HOME=str(tmp / "cache"), HELM_DATA_HOME=str(tmp / "data"),
                   PYTHONPATH=str(ROOT / "src"), TZ="UTC")
        starter = tmp / "starter"
        subprocess.run(PILOT + ["create", str(starter)], env=env, check=True, capture_output=True)
        certmanager = CORPUS / "charts" / "cert-manager"
        for tool, cmd in (("helm", [HELM]), ("pilot", PILOT)):
            subprocess.run(cmd + ["install", f"base-{tool}", str(starter), "-n", "default"], env=env, check=True,
                           capture_output=True)
        counter = itertools.count()

        def commands(tool: str) -> list[tuple[str, list[str]]]:
            base = "base-helm"  # every read command reads the same release
            return [
                ("template starter", ["template", "t", str(starter)]),
                ("template cert-manager", ["template", "cm", str(certmanager)]),
                ("install --dry-run", ["install", "dry", str(starter), "--dry-run=client"]),
                ("install", ["install", f"i-{tool}-{next(counter)}", str(starter), "-n", "default"]),
                ("upgrade", ["upgrade", f"base-{tool}", str(starter), "-n", "default", "--set",
                             f"replicaCount={next(counter) % 3 + 1}"]),
                ("list", ["list", "-n", "default"]),
                ("status", ["status", base, "-n", "default"]),
                ("history", ["history", base, "-n", "default"]),
                ("get values", ["get", "values", base, "-n", "default"]),
                ("show values", ["show", "values", str(starter)]),
                ("lint", ["lint", str(starter)]),
                ("--help", ["--help"]),
                ("version", ["version"]),
            ]

        names = [n for n, _ in commands("helm")]
        if args.only:
            names = [n for n in names if n in args.only]
        results: dict[tuple[str, str], tuple[float, float, int]] = {}
        for name in names:
            # alternate the tools run by run, so that load changes hit both alike
            samples: dict[str, tuple[list[float], list[float], list[int]]] = {"helm": ([], [], []), "pilot": ([], [], [])}
            for i in range(args.runs + 1):
                for tool, exe in (("helm", [HELM]), ("pilot", PILOT)):
                    secs, cpu, rss = run(exe + dict(commands(tool))[name], env)
                    if i:  # the first run warms caches
                        samples[tool][0].append(secs)
                        samples[tool][1].append(cpu)
                    samples[tool][2].append(rss)
            for tool, (walls, cpus, rsss) in samples.items():
                results[(name, tool)] = (statistics.median(walls), statistics.median(cpus), max(rsss))
        print(f"{'command':24s} {'helm s':>7s} {'pilot s':>7s} {'ratio':>6s}  {'helm cpu':>8s} {'pilot cpu':>9s} "
              f"{'ratio':>6s}  {'helm MiB':>8s} {'pilot MiB':>9s}")
        ratios, cpu_ratios = [], []
        for name in names:
            h, hc, hm = results[(name, "helm")]
            p, pc, pm = results[(name, "pilot")]
            ratios.append(p / h)
            cpu_ratios.append(pc / hc if hc else float("inf"))
            print(f"{name:24s} {h:7.3f} {p:7.3f} {p / h:6.2f}  {hc:8.3f} {pc:9.3f} {cpu_ratios[-1]:6.2f}  "
                  f"{hm / 1024:8.1f} {pm / 1024:9.1f}")
        print(f"wall: median ratio {statistics.median(ratios):.2f}, worst {max(ratios):.2f}; cpu: median ratio "
              f"{statistics.median(cpu_ratios):.2f}, worst {max(cpu_ratios):.2f}; {args.runs} runs per command "
              "(medians of whole processes, tools alternating; CPU = user + system from wait4; peak RSS)")


if __name__ == "__main__":
    main()
