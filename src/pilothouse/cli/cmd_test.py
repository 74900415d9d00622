"""`pilot test RELEASE`: run a release's test hooks, as `helm test` does."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("test", help="run tests for a release", usage="pilot test [RELEASE] [flags]")
    p.add_argument("name", metavar="RELEASE")
    p.add_argument("--timeout", default="5m0s", help="time to wait for any individual Kubernetes operation")
    p.add_argument("--logs", action="store_true", help="dump the logs from test pods (after all tests are complete)")
    from pilothouse.cli.cmd_template import _csv

    # a string slice, as Helm's: comma-separated values, repeatable
    p.add_argument("--filter", action="append", default=[], type=_csv,
                   help="name=test1 selects a test, !name=test1 excludes one (repeatable, or comma-separated)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.config import parse_duration
    from pilothouse.action.release_testing import ReleaseTesting, parse_filters
    from pilothouse.cli.cmd_status import config_from_args, print_release
    from pilothouse.errors import PilothouseError, ReleaseError

    include, exclude = parse_filters([item for group in args.filter for item in group])
    cfg = config_from_args(args)
    action = ReleaseTesting(cfg, timeout=parse_duration(args.timeout), include=include, exclude=exclude)
    run_err: PilothouseError | None = None
    try:
        rel = action.run(args.name)
    except PilothouseError as err:
        rel = getattr(err, "release", None)
        if rel is None:
            raise
        run_err = err
    # the release is shown (and logs dumped) even when a test failed; the failure is the exit status
    out = sys.stdout
    from pilothouse import slog

    print_release(out, rel, "table", debug=bool(getattr(args, "debug", False)) or slog.debug_enabled(), hide_notes=True)
    if args.logs:
        out.write("\n")
        try:
            action.pod_logs(out, rel)
        except PilothouseError as log_err:
            if run_err is not None:
                raise ReleaseError(f"{run_err}\n{log_err}") from None
            raise
    if run_err is not None:
        raise run_err
    return 0
