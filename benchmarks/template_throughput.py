"""Throughput of the Go template engine on every template of the corpus charts.

Prints templates/second for: parsing and compiling with no cache at all (cold), the same while
filling an empty disk cache, loading every template from a warm disk cache (what a new
`pilot template` process sees on its second run; timed in a fresh process), parsing again in
the same process (the in-memory compiled code, which repeated renders see), and executing each
freshly compiled template with empty values (templates that fail on empty values still count:
their error path is timed too). The
ratio line compares the cached rates with the cold one, measured in the same run.

    python benchmarks/template_throughput.py [CORPUS_CHARTS_DIR] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CHARTS = os.path.join(HERE, "..", "..", "shared", "corpus", "charts")


class _AnyFuncs(dict):
    """A function map that claims every name (except the break/continue keywords)."""

    def __contains__(self, name: object) -> bool:
        return name not in ("break", "continue")

    def get(self, name: Any, default: Any = None) -> Any:
        return dict.get(self, name, _stub)


def _stub(*args: Any) -> str:
    return ""


def collect(charts_dir: str) -> list[tuple[str, str]]:
    """(name, text) of every file under a templates/ folder of every chart."""
    out = []
    for root, _, files in os.walk(charts_dir):
        if "templates" not in root.split(os.sep):
            continue
        for f in sorted(files):
            if f.endswith((".yaml", ".yml", ".tpl", ".txt")):
                path = os.path.join(root, f)
                with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                    out.append((os.path.relpath(path, charts_dir), fh.read()))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("charts", nargs="?", default=DEFAULT_CHARTS)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(HERE, "..", "src"))
    import pilothouse.gotemplate as gt
    from pilothouse.gotemplate import ExecError, ParseError, TemplateSet
    from pilothouse.gotemplate.builtins import BUILTINS

    templates = collect(args.charts)
    if args.load_only:
        # child process: time parsing everything with the cache directory it was given
        ts = TemplateSet(missingkey="zero")
        ts.funcs = _AnyFuncs(BUILTINS)
        t0 = time.perf_counter()
        for name, text in templates:
            try:
                ts.parse(name, text)
            except ParseError:
                pass
        print(time.perf_counter() - t0)
        return
    total_bytes = sum(len(t) for _, t in templates)
    print(f"{len(templates)} templates, {total_bytes / 1e6:.2f} MB")

    def make() -> TemplateSet:
        ts = TemplateSet(missingkey="zero")
        ts.funcs = _AnyFuncs(BUILTINS)
        return ts

    def parse_all(ts: TemplateSet) -> tuple[float, int]:
        failed = 0
        t0 = time.perf_counter()
        for name, text in templates:
            try:
                ts.parse(name, text)
            except ParseError:
                failed += 1
        return time.perf_counter() - t0, failed

    best = dict.fromkeys(("cold", "fill", "disk", "memory", "exec"), float("inf"))
    failed_parse = ok = 0
    saved_env = os.environ.get("PILOTHOUSE_CACHE_DIR")
    try:
        for _ in range(args.rounds):
            # cold: no compiled code anywhere (disk cache off)
            os.environ["PILOTHOUSE_CACHE_DIR"] = ""
            gt._CACHE.clear()
            elapsed, failed_parse = parse_all(make())
            best["cold"] = min(best["cold"], elapsed)
            # the same process parsing again: compiled code held in memory
            ts = make()
            best["memory"] = min(best["memory"], parse_all(ts)[0])
            with tempfile.TemporaryDirectory() as tmp:
                # first run with an empty disk cache: compiles and writes every entry
                os.environ["PILOTHOUSE_CACHE_DIR"] = tmp
                gt._CACHE.clear()
                best["fill"] = min(best["fill"], parse_all(make())[0])
                # a new process with a warm disk cache: nothing in memory, everything on disk
                out = subprocess.run(
                    [sys.executable, __file__, args.charts, "--load-only"],
                    check=True,
                    capture_output=True,
                    text=True,
                    env=dict(os.environ, PILOTHOUSE_CACHE_DIR=tmp),
                ).stdout
                best["disk"] = min(best["disk"], float(out))
            gt._CACHE.clear()

            ok = 0
            t0 = time.perf_counter()
            for name, _ in templates:
                if not ts.has(name):
                    continue
                try:
                    ts.execute(name, {"Values": {}, "Release": {}, "Chart": {}, "Capabilities": {}})
                    ok += 1
                except ExecError:
                    pass
            best["exec"] = min(best["exec"], time.perf_counter() - t0)
    finally:
        if saved_env is None:
            os.environ.pop("PILOTHOUSE_CACHE_DIR", None)
        else:
            os.environ["PILOTHOUSE_CACHE_DIR"] = saved_env

    n = len(templates)
    parsed = n - failed_parse

    def line(label: str, key: str, count: int = n, extra: str = "") -> None:
        print(f"{label:34} {count / best[key]:10.0f} templates/s  ({best[key] * 1000:.1f} ms{extra})")

    line("parse+compile, no cache (cold):", "cold", extra=f"; {failed_parse} parse errors")
    line("parse+compile, filling disk cache:", "fill")
    line("load from warm disk cache:", "disk")
    line("in-memory compiled code:", "memory")
    line("execute, empty data:", "exec", parsed, f"; {ok} without error")
    print(f"ratio warm-disk/cold: {best['cold'] / best['disk']:.1f}x faster; "
          f"in-memory/cold: {best['cold'] / best['memory']:.1f}x faster")


if __name__ == "__main__":
    main()
