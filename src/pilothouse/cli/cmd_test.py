"""`pilot test RELEASE`: run a release's test hooks, as `helm test` does."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("test", help="run tests for a release", usage="pilot test [RELEASE] [flags]")
    p.add_argument("name", metavar="RELEASE")
    p.add_argument("--timeout", default="5m0s", help="time to wait for any individual Kubernetes operation")
    p.add_argument("--logs", action="store_true", help="dump the logs from test pods")
    p.add_argument("--filter", action="append", default=[], help="name=test1 selects, !name=test1 excludes")
    p.add_argument("--hide-notes", action="store_true", help="do not show notes in the output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.config import parse_duration
    from pilothouse.action.release_testing import ReleaseTesting
    from pilothouse.cli.cmd_status import config_from_args, print_release
    from pilothouse.errors import PilothouseError

    include, exclude = [], []
    for group in args.filter:
        for item in group.split(","):
            item = item.strip()
            if item.startswith("!name="):
                exclude.append(item[len("!name="):])
            elif item.startswith("name="):
                include.append(item[len("name="):])
    action = ReleaseTesting(config_from_args(args), timeout=parse_duration(args.timeout), include=include,
                            exclude=exclude, logs=args.logs)
    try:
        rel = action.run(args.name)
    except PilothouseError as err:
        rel = getattr(err, "release", None)
        if rel is not None:
            print_release(sys.stdout, rel, "table", hide_notes=args.hide_notes)
        raise
    print_release(sys.stdout, rel, "table", hide_notes=args.hide_notes)
    return 0
