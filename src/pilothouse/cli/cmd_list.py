"""`pilot list`: flags and output as `helm list` has them."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def uitable(rows: list[list[str]]) -> str:
    """Helm's output.EncodeTable: the uitable text and a newline."""
    from pilothouse.cli.uitable import render

    return render(rows) + "\n"


def chart_name(rel: Any) -> str:
    return f"{rel.chart_name}-{rel.chart_version}" if rel.chart_metadata else "MISSING"


def app_version(rel: Any) -> str:
    return rel.app_version if rel.chart_metadata else "MISSING"


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.cli.cmd_status import add_output_flag

    p = sub.add_parser("list", help="list releases", usage="pilot list [flags]")
    p.add_argument("-q", "--short", action="store_true", help="output short (quiet) listing format")
    p.add_argument("--no-headers", action="store_true", help="don't print headers in the table output")
    p.add_argument("--time-format", default="", help="format time using golang time formatter")
    p.add_argument("-d", "--date", action="store_true", help="sort by release date")
    p.add_argument("-r", "--reverse", action="store_true", help="reverse the sort order")
    for state in ("uninstalled", "superseded", "uninstalling", "deployed", "failed", "pending"):
        p.add_argument(f"--{state}", action="store_true", help=f"show {state} releases")
    p.add_argument("-A", "--all-namespaces", action="store_true", help="list releases across all namespaces")
    p.add_argument("-m", "--max", type=int, default=256, help="maximum number of releases to fetch")
    p.add_argument("--offset", type=int, default=0, help="next release index in the list")
    p.add_argument("-f", "--filter", default="", help="a regular expression; only matching release names are listed")
    p.add_argument("-l", "--selector", default="", help="label selector to filter on (=, ==, !=)")
    add_output_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.list import List
    from pilothouse.cli.cmd_status import config_from_args, write_json, write_yaml
    from pilothouse.release import timeutil

    cfg = config_from_args(args, all_namespaces=args.all_namespaces)
    rels = List(cfg, all_namespaces=args.all_namespaces, by_date=args.date, sort_reverse=args.reverse,
                limit=args.max, offset=args.offset, filter=args.filter, deployed=args.deployed,
                uninstalled=args.uninstalled, uninstalling=args.uninstalling, superseded=args.superseded,
                failed=args.failed, pending=args.pending, selector=args.selector).run()
    out = sys.stdout
    if args.short:
        names = [r.name for r in rels]
        if args.output == "json":
            write_json(out, names)
        elif args.output == "yaml":
            write_yaml(out, names)
        else:
            out.write("".join(n + "\n" for n in names))
        return 0
    elements = []
    for r in rels:
        updated = "-"
        if not timeutil.is_zero(r.info.last_deployed):
            updated = (timeutil.go_format(r.info.last_deployed, args.time_format) if args.time_format
                       else timeutil.go_string(r.info.last_deployed))
        elements.append({"name": r.name, "namespace": r.namespace, "revision": str(r.version), "updated": updated,
                         "status": r.info.status, "chart": chart_name(r), "app_version": app_version(r)})
    if args.output == "json":
        from pilothouse.release.gojson import Struct

        write_json(out, [Struct(e.items()) for e in elements])
    elif args.output == "yaml":
        write_yaml(out, elements)
    else:
        rows = [] if args.no_headers else [["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART",
                                            "APP VERSION"]]
        rows += [list(e.values()) for e in elements]
        out.write(uitable(rows))
    return 0
