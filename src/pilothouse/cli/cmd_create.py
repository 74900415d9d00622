"""`pilot create NAME [-p STARTER]`."""

from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("create", help="create a new chart with the given name", usage="pilot create NAME [flags]")
    p.add_argument("name", metavar="NAME")
    p.add_argument("-p", "--starter", default="", help="the name or absolute path to Helm starter scaffold")
    p.set_defaults(func=run)


def _starters_dir() -> str:
    base = os.environ.get("HELM_DATA_HOME") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share"), "helm")
    return os.path.join(base, "starters")


def run(args: argparse.Namespace) -> int:
    from pilothouse.chart.create import create, create_from

    print(f"Creating {args.name}")
    name = os.path.basename(args.name.rstrip("/")) or args.name
    parent = os.path.dirname(args.name.rstrip("/")) or "."
    if args.starter:
        starter = args.starter if os.path.isabs(args.starter) else os.path.join(_starters_dir(), args.starter)
        create_from(name, parent, starter)
    else:
        create(name, parent)
    return 0
