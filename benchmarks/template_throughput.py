"""Throughput of the Go template engine on every template of the corpus charts.

Prints templates/second for: parsing and compiling (cold cache), parsing again (the compiled-code
cache, which is what repeated renders see), and executing each template with empty values
(templates that fail on empty values still count: their error path is timed too). The ratio
line compares a warm parse with a cold one in the same run.

    python benchmarks/template_throughput.py [CORPUS_CHARTS_DIR] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import sys
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
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(HERE, "..", "src"))
    import pilothouse.gotemplate as gt
    from pilothouse.gotemplate import ExecError, ParseError, TemplateSet
    from pilothouse.gotemplate.builtins import BUILTINS

    templates = collect(args.charts)
    total_bytes = sum(len(t) for _, t in templates)
    print(f"{len(templates)} templates, {total_bytes / 1e6:.2f} MB")

    def make() -> TemplateSet:
        ts = TemplateSet(missingkey="zero")
        ts.funcs = _AnyFuncs(BUILTINS)
        return ts

    best_cold = best_warm = best_exec = float("inf")
    parsed = failed_parse = 0
    for _ in range(args.rounds):
        gt._CACHE.clear()
        ts = make()
        t0 = time.perf_counter()
        parsed = failed_parse = 0
        for name, text in templates:
            try:
                ts.parse(name, text)
                parsed += 1
            except ParseError:
                failed_parse += 1
        best_cold = min(best_cold, time.perf_counter() - t0)

        ts = make()
        t0 = time.perf_counter()
        for name, text in templates:
            try:
                ts.parse(name, text)
            except ParseError:
                pass
        best_warm = min(best_warm, time.perf_counter() - t0)

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
        best_exec = min(best_exec, time.perf_counter() - t0)

    n = len(templates)
    print(
        f"parse+compile (cold): {n / best_cold:10.0f} templates/s  ({best_cold * 1000:.1f} ms; {failed_parse} parse errors)"
    )
    print(f"parse (cached code):  {n / best_warm:10.0f} templates/s  ({best_warm * 1000:.1f} ms)")
    print(
        f"execute, empty data:  {parsed / best_exec:10.0f} templates/s  ({best_exec * 1000:.1f} ms; {ok} without error)"
    )
    print(f"ratio cached/cold parse: {best_cold / best_warm:.1f}x")


if __name__ == "__main__":
    main()
