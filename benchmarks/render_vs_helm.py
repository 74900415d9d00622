"""Render every corpus case with Pilothouse and with Helm's own Go engine, in one process, side by side.

For each case: the chart is loaded once by each side, then rendered N times (values parsed,
dependencies processed, values coalesced, schemas validated, templates rendered — what Helm's
`helm_render` entry point does). Prints both medians, the ratio ours/Helm per case, and the median
ratio over all cases (goal: ≤ 1.0). Also times `pilot template` on the `helm create` chart as a
whole process, and peak memory rendering the largest complete case
(kube-prometheus-stack's vendored subcharts are missing from the corpus).

    .venv/bin/python benchmarks/render_vs_helm.py [--runs 5] [CASE ...]

Needs helm-python-sdk (a benchmark/test-only reference; Pilothouse never imports it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

from corpus_cases import ABSENT_REASON, PRESENT, cases  # noqa: E402


def _median_ms(fn, runs: int) -> float:
    fn()  # warm: compiled templates cached, as in a long-lived process
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def time_helm(c, runs: int) -> float:
    """Median ms of Helm's own engine rendering case ``c`` (chart loaded once)."""
    import helm_python as h
    from helm_python import _native

    values_text = open(c.values_file, encoding="utf-8").read()
    chart = h.Chart.load(c.chart_dir)
    vals = json.dumps(h.values_from_yaml(values_text) if values_text.strip() else {})
    opts = json.dumps(c.options)
    try:
        return _median_ms(lambda: _native.call_string("helm_render", chart._raw(), vals, opts), runs)
    finally:
        chart.close()


def time_ours(c, runs: int) -> float:
    """Median ms of Pilothouse rendering case ``c`` (chart loaded once, values read each time)."""
    from pilothouse.action.render import prepare_render, render_files
    from pilothouse.chart import ValueOptions, load

    chart = load(c.chart_dir)
    o = c.options

    def once() -> None:
        user = ValueOptions(value_files=[c.values_file]).merge_values()
        top = prepare_render(chart, user, name=o["name"], namespace=o["namespace"],
                             revision=o.get("revision", 1), is_upgrade=o.get("is_upgrade", False),
                             kube_version=o.get("kube_version"), api_versions=o.get("api_versions", ()))
        render_files(chart, top)

    return _median_ms(once, runs)


def bench_cases(selected: list[str], runs: int) -> list[float]:
    ratios = []
    print(f"{'case':45} {'helm ms':>9} {'ours ms':>9} {'ratio':>7}")
    for c in cases("cases"):
        if selected and c.case_id not in selected:
            continue
        if c.missing_vendored():
            print(f"{c.case_id:45} not run: the corpus lacks its vendored subcharts {c.missing_vendored()}")
            continue
        helm_ms = time_helm(c, runs)
        try:
            ours_ms = time_ours(c, runs)
        except Exception as err:  # a failing case is reported, not timed
            print(f"{c.case_id:45} {helm_ms:9.2f} {'error':>9}  {type(err).__name__}: {str(err)[:60]}")
            continue
        ratio = ours_ms / helm_ms
        ratios.append(ratio)
        print(f"{c.case_id:45} {helm_ms:9.2f} {ours_ms:9.2f} {ratio:7.2f}")
    if ratios:
        print(f"\nmedian ratio ours/helm over {len(ratios)} cases: {statistics.median(ratios):.2f}")
    return ratios


def bench_cli_wall(runs: int) -> None:
    """`pilot template` on a freshly created starter chart, whole process, vs Python start-up alone."""
    pilot = os.path.join(os.path.dirname(sys.executable), "pilot")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([pilot, "create", os.path.join(tmp, "starter")], check=True, capture_output=True)
        chart = os.path.join(tmp, "starter")

        def wall(cmd: list[str]) -> float:
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                subprocess.run(cmd, check=True, capture_output=True)
                times.append((time.perf_counter() - t0) * 1000)
            return statistics.median(times)

        base = wall([sys.executable, "-c", "pass"])
        tmpl = wall([pilot, "template", "demo", chart])
        print(f"\npilot template (created starter chart), whole process: {tmpl:.1f} ms "
              f"(python start-up alone {base:.1f} ms)")


def bench_memory() -> None:
    """Peak RSS of rendering the largest complete corpus case in a fresh process."""
    complete = [c for c in cases("cases") if not c.missing_vendored()]
    if not complete:
        return
    c = max(complete, key=lambda c: sum(len(t) for t in c.expected().values()))
    tests_dir = os.path.join(HERE, "..", "tests")
    code = (f"import resource,sys; sys.path.insert(0, {tests_dir!r}); from corpus_cases import cases, render_case; "
            f"c=[x for x in cases('cases') if x.case_id=={c.case_id!r}][0]; render_case(c); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    print(f"peak RSS rendering {c.case_id}: {int(out.strip()) / 1024:.1f} MiB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    if not PRESENT:
        print(ABSENT_REASON)
        return 1
    bench_cases(a.cases, a.runs)
    if not a.cases:
        bench_cli_wall(a.runs)
        bench_memory()
    return 0


if __name__ == "__main__":
    sys.exit(main())
