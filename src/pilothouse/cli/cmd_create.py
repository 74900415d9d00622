"""`pilot create NAME [-p STARTER]`."""

from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("create", help="create a new chart with the given name", usage="pilot create NAME [flags]")
    p.add_argument("name", metavar="NAME")
    p.add_argument("-p", "--starter", default="", help="the name or absolute path to Helm starter scaffold")
    p.add_argument("--chart-api-version", default="v2", help="chart API version to use (v2 or v3)")
    p.set_defaults(func=run)


def _starters_dir() -> str:
    base = os.environ.get("HELM_DATA_HOME") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share"), "helm")
    return os.path.join(base, "starters")


# Helm's feature gate for chart API v3: on when the variable is set to anything
CHART_V3_GATE = "HELM_EXPERIMENTAL_CHART_V3"


def run(args: argparse.Namespace) -> int:
    from pilothouse.chart.create import create, create_from
    from pilothouse.errors import ChartError

    print(f"Creating {args.name}")
    version = args.chart_api_version
    if version == "v3":
        if not os.environ.get(CHART_V3_GATE):
            raise ChartError("this feature has been marked as experimental and is not enabled by default. "
                             f"Please set {CHART_V3_GATE}=1 in your environment to use this feature")
    elif version not in ("v2", ""):
        raise ChartError(f"unsupported chart API version: {version} (supported: v2, v3)")
    name = os.path.basename(args.name.rstrip("/")) or args.name
    parent = os.path.dirname(args.name.rstrip("/")) or "."
    if args.starter:
        starter = args.starter if os.path.isabs(args.starter) else os.path.join(_starters_dir(), args.starter)
        create_from(name, parent, starter, version or "v2")
    else:
        create(name, parent, version or "v2")
    return 0
