"""`pilot rollback RELEASE [REVISION]`: flags as `helm rollback` has them."""

from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.cli.cmd_install import add_wait_flags

    p = sub.add_parser("rollback", help="roll back a release to a previous revision",
                       usage="pilot rollback <RELEASE> [REVISION] [flags]")
    p.add_argument("release", metavar="RELEASE")
    p.add_argument("revision", nargs="?", default=None, metavar="REVISION")
    add_wait_flags(p)
    # no --wait: a release recorded as applied in order (HIP-0025) is handled in that order
    p.set_defaults(wait=None)
    from pilothouse.cli.dry_run_flag import BARE, RELEASE_USAGE

    p.add_argument("--dry-run", nargs="?", const=BARE, default="none", help=RELEASE_USAGE)
    p.add_argument("--force-replace", "--force", dest="force_replace", action="store_true",
                   help="force resource updates by replacement")
    p.add_argument("--force-conflicts", action="store_true", help="server-side apply forces changes against conflicts")
    p.add_argument("--server-side", default="auto", help='"true", "false" or "auto"')
    p.add_argument("--no-hooks", action="store_true", help="prevent hooks from running during rollback")
    p.add_argument("--cleanup-on-fail", action="store_true", help="delete new resources of a failed rollback")
    p.add_argument("--history-max", type=int, default=int(os.environ.get("HELM_MAX_HISTORY", "10") or 10),
                   help="limit the maximum number of revisions saved per release (0: no limit)")
    p.add_argument("--policy", action="append", default=[], help="a policy/v1 plugin to check the manifests with "
                   "(repeatable)")
    p.add_argument("--policy-mode", default="enforce", choices=("enforce", "audit"),
                   help="enforce: a deny stops the operation; audit: report and go on")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.config import parse_duration
    from pilothouse.action.rollback import Rollback
    from pilothouse.cli.cmd_install import dry_run_value, wait_strategy
    from pilothouse.cli.cmd_status import config_from_args
    from pilothouse.errors import UsageError

    version = 0
    if args.revision is not None:
        try:
            version = int(args.revision)
        except ValueError:
            raise UsageError(f'could not convert revision to a number: strconv.Atoi: parsing "{args.revision}": '
                             "invalid syntax") from None
    from pilothouse.cli.progress_view import attach

    cfg = config_from_args(args)
    attach(cfg, args)
    Rollback(cfg, version=version, dry_run=dry_run_value(args.dry_run),
             wait=wait_strategy(args.wait or "hookOnly"), follow_recorded_order=args.wait is None,
             wait_for_jobs=args.wait_for_jobs, timeout=parse_duration(args.timeout),
             disable_hooks=args.no_hooks, server_side=args.server_side, force_conflicts=args.force_conflicts,
             force_replace=args.force_replace, cleanup_on_fail=args.cleanup_on_fail,
             max_history=args.history_max, policies=args.policy, policy_mode=args.policy_mode).run(args.release)
    print("Rollback was a success! Happy Helming!")
    return 0
