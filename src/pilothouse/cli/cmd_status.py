"""`pilot status RELEASE`, and the release printer install/upgrade/get all share (Helm's statusPrinter)."""

from __future__ import annotations

import argparse
import sys
from typing import IO, Any


def add_output_flag(p: argparse.ArgumentParser) -> None:
    """``-o/--output table|json|yaml``."""
    from pilothouse.cli.flag_values import checked, output_format

    checked(p.add_argument("-o", "--output", default="table", help="prints the output in the specified format. "
                           "Allowed values: table, json, yaml"), output_format)


def check_output(fmt: str) -> None:
    if fmt not in ("table", "json", "yaml"):
        from pilothouse.errors import UsageError

        raise UsageError(f'invalid argument "{fmt}" for "-o, --output" flag: invalid format type')


def config_from_args(args: argparse.Namespace, *, all_namespaces: bool = False) -> Any:
    """The action Configuration the global flags describe."""
    from pilothouse.action.config import Configuration

    return Configuration.from_env(namespace=args.namespace, kubeconfig=args.kubeconfig,
                                  kube_context=args.kube_context, all_namespaces=all_namespaces)


def write_json(out: IO[str], data: Any) -> None:
    """Go's json.Encoder: compact, HTML-escaped, one trailing newline."""
    from pilothouse.release.gojson import encode

    out.write(encode(data) + "\n")


def write_yaml(out: IO[str], data: Any) -> None:
    """sigs.k8s.io/yaml.Marshal of a JSON value."""
    from pilothouse.goyaml import to_yaml

    out.write(to_yaml(data))


def release_json_value(rel: Any) -> Any:
    """The release as the plain JSON value Go would marshal (for YAML output)."""
    import json

    return json.loads(rel.to_json())


def print_release(out: IO[str], rel: Any, fmt: str = "table", *, debug: bool = False, show_metadata: bool = False,
                  stored: bool = True,
                  hide_notes: bool = False, chart: Any = None) -> None:
    """Helm's statusPrinter in the three output formats.

    ``chart`` is the chart a release was just made from: Helm prints that in-memory release, whose
    chart still has its subcharts (a stored one has none), so they take part in COMPUTED VALUES.
    """
    from pilothouse.release import timeutil

    if rel is None:
        return
    if fmt == "json":
        out.write(rel.to_json() + "\n")
        return
    if fmt == "yaml":
        write_yaml(out, release_json_value(rel))
        return
    out.write(f"NAME: {rel.name}\n")
    if not timeutil.is_zero(rel.info.last_deployed):
        out.write(f"LAST DEPLOYED: {timeutil.ansic(rel.info.last_deployed)}\n")
    out.write(f"NAMESPACE: {rel.namespace}\n")
    out.write(f"STATUS: {rel.info.status}\n")
    out.write(f"REVISION: {rel.version}\n")
    if show_metadata:
        out.write(f"CHART: {rel.chart_name}\nVERSION: {rel.chart_version}\nAPP_VERSION: {rel.app_version}\n")
    out.write(f"DESCRIPTION: {rel.info.description}\n")
    if rel.info.resources:
        from pilothouse.cli.kubetable import resources_block

        out.write(resources_block(rel.info.resources))
    tests = [h for h in rel.hooks if "test" in h.events]
    if not tests:
        out.write("TEST SUITE: None\n")
    else:
        for h in tests:
            run = h.last_run or {}
            if timeutil.is_zero(run.get("started_at") or ""):
                continue
            out.write(f"TEST SUITE:     {h.name}\nLast Started:   {timeutil.ansic(run.get('started_at') or '')}\n"
                      f"Last Completed: {timeutil.ansic(run.get('completed_at') or '')}\n"
                      f"Phase:          {run.get('phase') or ''}\n")
    if debug:
        from pilothouse.chart import coalesce_values

        out.write("USER-SUPPLIED VALUES:\n")
        # an empty config is left out of the stored record: read back, it is a nil map (null)
        empty = {} if not stored or rel.config_given else None
        write_yaml(out, rel.config or empty)
        out.write("\nCOMPUTED VALUES:\n")
        write_yaml(out, dict(coalesce_values(rel.chart_object() if chart is None else chart, rel.config)))
        out.write("\n")
    if rel.info.description.lower() == "dry run complete" or debug:
        out.write("HOOKS:\n")
        for h in rel.hooks:
            out.write(f"---\n# Source: {h.path}\n{h.manifest}\n")
        out.write(f"MANIFEST:\n{rel.manifest}\n")
    if not hide_notes and rel.info.notes:
        out.write(f"NOTES:\n{rel.info.notes.strip()}\n")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="display the status of the named release", usage="pilot status RELEASE_NAME")
    p.add_argument("name", metavar="RELEASE_NAME")
    p.add_argument("--revision", type=int, default=0, help="display the status of the named release with revision")
    # Helm 3 flags Helm 4 dropped (it always shows the description and the resources): still accepted
    # so Helm 3 scripts run, hidden from help as Helm 4 has no such flags
    p.add_argument("--show-resources", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--show-desc", action="store_true", help=argparse.SUPPRESS)
    add_output_flag(p)
    p.add_argument("--drift", action="store_true", help="also compare the release's objects with the live cluster "
                   "(exit 2 on drift; see pilot drift)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.status import Status

    # tables for the human format, whole objects for json/yaml, as kubectl get does
    rel = Status(config_from_args(args), version=args.revision,
                 show_resources_table=args.output == "table").run(args.name)
    rel.chart = None  # status leaves the chart out of its output
    print_release(sys.stdout, rel, args.output)
    if getattr(args, "drift", False):
        from pilothouse.cli.cmd_drift import EXIT_DRIFT, drift_from_args, write_drift

        args.drift_ignore, args.drift_ignore_manager, args.drift_correct = [], [], False
        args.drift_no_user_config = False
        result = drift_from_args(config_from_args(args), args, args.name)
        sys.stdout.write("DRIFT:\n")
        write_drift(sys.stdout, result, output="diff")
        return EXIT_DRIFT if result.has_drift else 0
    return 0
