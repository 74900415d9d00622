"""`pilot lint [CHART...]`: Helm's lint report."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.cli.values_flags import add_values_flags

    p = sub.add_parser("lint", help="examine a chart for possible issues", usage="pilot lint PATH [flags]")
    p.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    p.add_argument("--strict", action="store_true", help="fail on lint warnings")
    p.add_argument("--with-subcharts", action="store_true", help="lint dependent charts")
    p.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    p.add_argument("--skip-schema-validation", action="store_true", help="if set, disables JSON schema validation")
    p.add_argument("--kube-version", default=None, help="Kubernetes version used for capabilities and deprecation checks")
    add_values_flags(p)
    p.set_defaults(func=run)


def make_renderer(kube_version: str | None, skip_schema_validation: bool) -> Any:
    """Render the way Helm's linter does: release "test-release", lint mode, schemas checked."""

    def render(chart: Any, values: dict[str, Any], namespace: str) -> dict[str, str]:
        from pilothouse.action.render import prepare_render
        from pilothouse.engine.render import Engine

        top = prepare_render(chart, values, name="test-release", namespace=namespace, kube_version=kube_version,
                             skip_schema_validation=skip_schema_validation, is_install=False)
        return Engine(lint_mode=True).render(chart, top)

    return render


def run(args: argparse.Namespace) -> int:
    from pilothouse.chart.lint import INFO, lint_chart
    from pilothouse.cli.values_flags import values_from_args
    from pilothouse.errors import PilothouseError

    paths = list(args.paths)
    if args.with_subcharts:
        for p in list(paths):
            paths.extend(_subchart_paths(p))
    vals = values_from_args(args)
    namespace = args.namespace or os.environ.get("HELM_NAMESPACE") or "default"
    render = make_renderer(args.kube_version, args.skip_schema_validation)
    out: list[str] = []
    failed = 0
    flagged = 0
    for path in paths:
        guard = _chart_yaml_error(path)
        if guard is not None:
            # Helm's guard before linting: the chart directory has no Chart.yaml
            flagged += 1
            failed += 1
            out.append(f"==> Linting {path}\nError {guard}\n\n")
            continue
        result = lint_chart(path, vals, namespace=namespace, strict=args.strict, render=render,
                            skip_schema_validation=args.skip_schema_validation, kube_version=args.kube_version)
        _lint_sequencing(result, path, render, vals, namespace)
        has_findings = any(m.severity > INFO for m in result.messages)
        if has_findings:
            flagged += 1
        if args.quiet and not has_findings:
            continue
        out.append(f"==> Linting {path}\n")
        for msg in result.messages:
            if not args.quiet or msg.severity > INFO:
                out.append(f"{msg}\n")
        if result.errors:
            failed += 1
        out.append("\n")
    sys.stdout.write("".join(out))
    summary = f"{len(paths)} chart(s) linted, {failed} chart(s) failed"
    if failed:
        raise PilothouseError(summary)
    if not args.quiet or flagged:
        print(summary)
    return 0


def _subchart_paths(top: str) -> list[str]:
    """What Go's filepath.Walk over ``top/charts`` finds, in its lexical order: the directory of each
    Chart.yaml, and each archive."""
    found: list[str] = []

    def walk(path: str) -> None:
        name = os.path.basename(path)
        if name == "Chart.yaml":
            found.append(os.path.dirname(path))
        elif path.endswith((".tgz", ".tar.gz")):
            found.append(path)
        if os.path.isdir(path) and not os.path.islink(path):
            try:
                entries = sorted(os.listdir(path))
            except OSError:
                return
            for entry in entries:
                walk(os.path.join(path, entry))

    walk(os.path.normpath(os.path.join(top, "charts")))
    return found


def _chart_yaml_error(path: str) -> str | None:
    """Helm's `unable to check Chart.yaml` error for a directory path without one, else None."""
    if path.endswith((".tgz", ".tar.gz")):
        return None
    target = os.path.join(os.path.normpath(path), "Chart.yaml")
    try:
        os.stat(target)
    except OSError as err:
        return f"unable to check Chart.yaml file in chart: stat {target}: {(err.strerror or str(err)).lower()}"
    return None

def _lint_sequencing(result: Any, path: str, render: Any, vals: dict[str, Any], namespace: str) -> None:
    """HIP-0025 ordering problems are errors: an install with --wait=ordered would refuse the chart."""
    from pilothouse.action.sequencing import lint_sequencing
    from pilothouse.chart.lint import ERROR, Message

    for problem in lint_sequencing(path, render, vals, namespace):
        msg = Message(ERROR, "templates/", f"sequencing: {problem}")
        result.messages.append(msg)
        result.errors.append(msg)
