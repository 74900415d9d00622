"""`diff upgrade` of a 500-object release against the fake API server, beside `pilot upgrade` itself.

For each run, on a fresh fake server: install the release (500 objects of common kinds), then
time `DiffUpgrade` (server-side dry run of every object, live objects read) and the `Upgrade` it
predicts, each with the number of API requests the server counted. The reference is the upgrade
measured in the same run; the goal is diff ≤ 1.5× the upgrade's time. A drift check of the
upgraded release is reported too.

Run: .venv/bin/python benchmarks/diff_scale.py [--resources N] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from install_scale import make_chart  # noqa: E402


def run_once(chart_dir: str) -> dict[str, float]:
    import fakekube
    from pilothouse.action.config import Configuration
    from pilothouse.action.diff import DiffUpgrade
    from pilothouse.action.drift import Drift
    from pilothouse.action.install import Install
    from pilothouse.action.upgrade import Upgrade
    from pilothouse.chart import load

    out: dict[str, float] = {}
    with fakekube.serve(trace=True) as srv:
        cfg = Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace="default", driver="secret")
        Install(cfg, release_name="bench").run(load(chart_dir), {})
        srv.requests.clear()
        t = time.perf_counter()
        result = DiffUpgrade(cfg).run("bench", load(chart_dir), {"generation": 2})
        out["diff_s"] = time.perf_counter() - t
        out["diff_requests"] = len(srv.requests)
        out["diff_changes"] = len(result.changes)
        srv.requests.clear()
        t = time.perf_counter()
        Upgrade(cfg, max_history=10).run("bench", load(chart_dir), {"generation": 2})
        out["upgrade_s"] = time.perf_counter() - t
        out["upgrade_requests"] = len(srv.requests)
        srv.requests.clear()
        t = time.perf_counter()
        drift = Drift(cfg, use_user_config=False).run("bench")
        out["drift_s"] = time.perf_counter() - t
        out["drift_requests"] = len(srv.requests)
        assert not drift.has_drift
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    opts = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="diff-scale-")
    try:
        chart = make_chart(tmp, opts.resources)
        runs = [run_once(chart) for _ in range(opts.repeat)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"diff upgrade vs upgrade of a {opts.resources}-object release against the fake API server "
          f"(median of {opts.repeat}; requests counted by the server)")
    print(f"{'':12}{'time':>10}{'requests':>10}")
    for name in ("diff", "upgrade", "drift"):
        print(f"{name:12}{med[name + '_s']:>9.3f}s{med[name + '_requests']:>10.0f}")
    print(f"objects shown changed by the diff: {med['diff_changes']:.0f}")
    ratio = med["diff_s"] / med["upgrade_s"]
    print(f"diff/upgrade time ratio: {ratio:.2f} (goal ≤ 1.50: {'met' if ratio <= 1.5 else 'NOT met'}); "
          f"requests ratio: {med['diff_requests'] / med['upgrade_requests']:.2f}")


if __name__ == "__main__":
    main()
