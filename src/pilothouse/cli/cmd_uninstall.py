"""`pilot uninstall RELEASE...`: flags as `helm uninstall` has them."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.cli.cmd_install import add_wait_flags

    p = sub.add_parser("uninstall", help="uninstall a release", usage="pilot uninstall RELEASE_NAME [...] [flags]")
    p.add_argument("names", nargs="+", metavar="RELEASE_NAME")
    # Helm's uninstall has no --wait-for-jobs
    add_wait_flags(p, jobs=False)
    # no --wait: a release recorded as applied in order (HIP-0025) is handled in that order
    p.set_defaults(wait=None)
    p.add_argument("--dry-run", action="store_true", help="simulate a uninstall")
    p.add_argument("--no-hooks", action="store_true", help="prevent hooks from running during uninstallation")
    p.add_argument("--ignore-not-found", action="store_true", help='treat "release not found" as a success')
    p.add_argument("--keep-history", action="store_true", help="keep the release history, marked uninstalled")
    p.add_argument("--cascade", default="background", help='"background", "orphan" or "foreground"')
    p.add_argument("--description", default="", help="add a custom description")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.config import parse_duration
    from pilothouse.action.uninstall import Uninstall
    from pilothouse.cli.cmd_install import wait_strategy
    from pilothouse.cli.cmd_status import config_from_args
    from pilothouse.errors import UsageError

    if args.cascade not in ("background", "foreground", "orphan"):
        raise UsageError(f'invalid cascade value ({args.cascade}). Must be "background", "foreground", or "orphan"')
    from pilothouse.cli.progress_view import attach

    cfg = config_from_args(args)
    action = Uninstall(cfg, disable_hooks=args.no_hooks, dry_run=args.dry_run,
                       ignore_not_found=args.ignore_not_found, keep_history=args.keep_history,
                       wait=wait_strategy(args.wait or "hookOnly"), follow_recorded_order=args.wait is None,
                       timeout=parse_duration(args.timeout),
                       description=args.description, cascade=args.cascade)
    attach(cfg, args, action)
    for name in args.names:
        res = action.run(name)
        if res is not None and res.info:
            print(res.info)
        print(f'release "{name}" uninstalled')
    return 0
