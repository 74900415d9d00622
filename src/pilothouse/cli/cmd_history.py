"""`pilot history RELEASE`: flags and output as `helm history` has them."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.cli.cmd_status import add_output_flag

    p = sub.add_parser("history", help="fetch release history", usage="pilot history RELEASE_NAME [flags]")
    p.add_argument("name", metavar="RELEASE_NAME")
    p.add_argument("--max", type=int, default=256, help="maximum number of revision to include in history")
    add_output_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.history import History
    from pilothouse.cli.cmd_list import app_version, chart_name, uitable
    from pilothouse.cli.cmd_status import config_from_args, write_json, write_yaml
    from pilothouse.release import timeutil
    from pilothouse.release.gojson import Struct

    hist = History(config_from_args(args), max=args.max).run(args.name)
    hist.reverse()  # oldest first, as Helm prints it
    out = sys.stdout
    items = []
    for r in hist:
        item = Struct([("revision", r.version)])
        if not timeutil.is_zero(r.info.last_deployed):
            item.append(("updated", r.info.last_deployed))
        item += [("status", r.info.status), ("chart", chart_name(r)), ("app_version", app_version(r)),
                 ("description", r.info.description)]
        items.append(item)
    if args.output == "json":
        write_json(out, items)
    elif args.output == "yaml":
        write_yaml(out, [dict(i) for i in items])
    else:
        rows = [["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"]]
        for r in hist:
            rows.append([str(r.version), timeutil.ansic(r.info.last_deployed), r.info.status, chart_name(r),
                         app_version(r), r.info.description])
        out.write(uitable(rows))
    return 0
