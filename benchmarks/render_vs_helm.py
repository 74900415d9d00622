"""Render every corpus case with Pilothouse and with Helm's own Go engine, in one process, side by side.

For each case: each side loads the chart and parses the values file once, then renders N times
(values decoded from the same JSON text, dependencies processed, values coalesced, schemas
validated, templates rendered — what Helm's `helm_render` entry point does). Prints both medians, the ratio ours/Helm per case, and the median
ratio over all cases (goal: ≤ 1.0). Also times `pilot template` as a whole process, with an empty
and with a warm template cache: on the `helm create` chart, and on the biggest complete corpus
chart against a whole process rendering it with Helm's engine; and peak memory rendering the
largest complete case (kube-prometheus-stack's vendored subcharts are missing from the corpus).

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
    """Median ms of Pilothouse rendering case ``c``.

    The same work as Helm's side: the chart is loaded once and the values file parsed once; each
    render decodes the values from the same JSON text Helm's entry point receives, then processes
    dependencies, coalesces, validates schemas and renders.
    """
    from pilothouse.action.render import prepare_render, render_files
    from pilothouse.chart import ValueOptions, load
    from pilothouse.goyaml import from_json, to_json

    chart = load(c.chart_dir)
    o = c.options
    values_json = to_json(ValueOptions(value_files=[c.values_file]).merge_values())

    def once() -> None:
        user = from_json(values_json)
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
        cold = _wall_ms([pilot, "template", "demo", chart], runs, cache=None)
        warm = _wall_ms([pilot, "template", "demo", chart], runs, cache="warm")
        print(f"\npilot template (created starter chart), whole process: {cold:.1f} ms cold, "
              f"{warm:.1f} ms with a warm template cache (python start-up alone {base:.1f} ms)")
    bench_big_chart_wall(runs)


def _wall_ms(cmd: list[str], runs: int, cache: str | None, cwd: str | None = None) -> float:
    """Median wall time of a command; `cache` None: every run starts with an empty template cache,
    "warm": one untimed run fills the cache first."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PILOTHOUSE_CACHE_DIR=os.path.join(tmp, "warm"))
        if cache == "warm":
            subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=cwd)
        for i in range(runs):
            if cache is None:
                env["PILOTHOUSE_CACHE_DIR"] = os.path.join(tmp, f"cold{i}")
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=cwd)
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench_big_chart_wall(runs: int) -> None:
    """`pilot template` of the biggest corpus chart it accepts as a whole process, with a cold and
    a warm template cache, against a whole process rendering it with Helm's Go engine."""
    complete = [c for c in cases("cases") if not c.missing_vendored()]
    complete.sort(key=lambda c: sum(len(t) for t in c.expected().values()), reverse=True)
    pilot = os.path.join(os.path.dirname(sys.executable), "pilot")
    for c in complete:
        o = c.options
        cmd = [pilot, "template", o["name"], c.chart_dir, "-f", c.values_file, "--namespace", o["namespace"]]
        if o.get("kube_version"):
            cmd += ["--kube-version", o["kube_version"]]
        for v in o.get("api_versions", ()):
            cmd += ["--api-versions", v]
        if o.get("is_upgrade"):
            cmd += ["--is-upgrade"]
        # `template` refuses a chart whose Chart.yaml names dependencies absent from charts/
        # (as `helm template` does); take the biggest chart it accepts.
        if subprocess.run(cmd, capture_output=True).returncode == 0:
            break
    else:
        return
    helm_code = (
        "import json, helm_python as h\n"
        "from helm_python import _native\n"
        f"chart = h.Chart.load({c.chart_dir!r})\n"
        f"text = open({c.values_file!r}, encoding='utf-8').read()\n"
        "vals = json.dumps(h.values_from_yaml(text) if text.strip() else {})\n"
        f"_native.call_string('helm_render', chart._raw(), vals, {json.dumps(o)!r})\n"
    )
    helm = _wall_ms([sys.executable, "-c", helm_code], runs, cache="warm")
    cold = _wall_ms(cmd, runs, cache=None)
    warm = _wall_ms(cmd, runs, cache="warm")
    print(f"pilot template {c.case_id} (biggest chart), whole process: cold template cache {cold:.0f} ms, "
          f"warm {warm:.0f} ms; Helm's engine, whole process: {helm:.0f} ms; "
          f"ratio ours/Helm cold {cold / helm:.2f}, warm {warm / helm:.2f}")


def bench_memory() -> None:
    """Peak RSS of rendering the largest complete corpus case in a fresh process."""
    complete = [c for c in cases("cases") if not c.missing_vendored()]
    if not complete:
        return
    c = max(complete, key=lambda c: sum(len(t) for t in c.expected().values()))
    tests_dir = os.path.join(HERE, "..", "tests")
    # VmHWM, not getrusage: ru_maxrss survives fork+exec, so a child forked from this (large)
    # benchmark process would report the parent's peak.
    code = (f"import sys; sys.path.insert(0, {tests_dir!r}); from corpus_cases import cases, render_case; "
            f"c=[x for x in cases('cases') if x.case_id=={c.case_id!r}][0]; render_case(c); "
            "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])")
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
