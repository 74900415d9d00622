"""`pilot version`."""

from __future__ import annotations

import argparse
import platform

from pilothouse import __version__


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("version", help="print the version information")
    p.add_argument("--short", action="store_true", help="print the version number")
    p.add_argument("--template", default=None, help="template for version string format")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.short:
        print(f"v{__version__}")
    else:
        print(f'version.BuildInfo{{Version:"v{__version__}", Python:"{platform.python_version()}", '
              f'HelmCompat:"v4.2"}}')
    return 0
