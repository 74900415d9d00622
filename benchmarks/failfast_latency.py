"""How long after a failure shows on the server does `install --wait` give up? Pilothouse vs Helm.

For each broken chart of tests/sequencing/broken (bad image, crash loop, missing ConfigMap,
unschedulable, progress deadline, failed Job...), on a fresh fake API server with simulated
controllers: the time from the first failure the server shows (its first Warning event, or the
Deployment's ProgressDeadlineExceeded condition) to the exit of

- `pilot install --wait --wait-for-jobs --timeout=300s` (default --fail-grace of 2s), and
- `helm install --wait --wait-for-jobs --timeout=T` (the real Helm CLI; T is --helm-timeout).

Run: .venv/bin/python benchmarks/failfast_latency.py [--helm-timeout 20]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))
BROKEN = os.path.join(ROOT, "tests", "sequencing", "broken")


def measure(argv: list[str]) -> tuple[float | None, float, str]:
    """(seconds from the first failure to the exit, total seconds, last line of stderr)."""
    import fakekube

    with fakekube.serve(simulate=0.05) as srv:
        env = dict(os.environ, KUBECONFIG=srv.kubeconfig_path, HELM_DRIVER="secret",
                   PYTHONPATH=os.path.join(ROOT, "src"))
        start = time.monotonic()
        proc = subprocess.run(argv, env=env, capture_output=True, text=True)
        end = time.monotonic()
        fails = srv.api.controllers.failures
        first = min((t for t, _ in fails), default=None)
        line = (proc.stderr.strip().splitlines() or [""])[0]
        return (end - first if first is not None else None), end - start, line


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--helm-timeout", type=int, default=20)
    args = ap.parse_args()
    helm_bin = os.path.join(ROOT, ".venv", "bin", "helm")
    print(f"{'chart':<22} {'pilot: after failure':>21} {'helm: after failure':>20}  (helm --timeout={args.helm_timeout}s)")
    for chart in sorted(os.listdir(BROKEN)):
        path = os.path.join(BROKEN, chart)
        ours, _, line = measure([sys.executable, "-m", "pilothouse", "install", "b", path, "--wait",
                                 "--wait-for-jobs", "--timeout=300s", "--progress=none"])
        theirs = None
        if os.path.exists(helm_bin):
            theirs, _, _ = measure([helm_bin, "install", "b", path, "--wait", "--wait-for-jobs",
                                    f"--timeout={args.helm_timeout}s"])

        def fmt(v: float | None) -> str:
            return "n/a" if v is None else f"{v:6.2f}s"

        print(f"{chart:<22} {fmt(ours):>21} {fmt(theirs):>20}   {line[:110]}")


if __name__ == "__main__":
    main()
