"""`pilot diff upgrade|rollback|revision|release`: flags and output as the helm-diff plugin has them.

With ``--detailed-exitcode`` the command exits 2 when there are changes.
"""

from __future__ import annotations

import argparse
import sys

EXIT_CHANGES = 2


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid argument {value!r} for \"-D, --find-renames\"") from None


def add_diff_flags(p: argparse.ArgumentParser) -> None:
    """helm-diff's output flags, shared by every sub-command (and `pilot drift`)."""
    from pilothouse.cli.diff_output import FORMATS

    p.add_argument("-q", "--suppress-secrets", action="store_true", help="suppress secrets in the output")
    p.add_argument("--show-secrets", action="store_true", help="do not redact secret values in the output")
    p.add_argument("--show-secrets-decoded", action="store_true", help="decode secret values in the output")
    p.add_argument("--suppress", action="append", default=[], metavar="KIND",
                   help="suppress the kinds listed in the diff output (repeatable)")
    p.add_argument("-C", "--context", type=int, default=-1, help="output NUM lines of context around changes")
    p.add_argument("--output", default="diff", choices=FORMATS, help="diff, simple, template, json, dyff, structured")
    p.add_argument("--strip-trailing-cr", action="store_true", help="strip trailing carriage return on input")
    p.add_argument("-D", "--find-renames", type=_float, default=0.0,
                   help="detect renames when at most this fraction of lines changed (0: off)")
    p.add_argument("--suppress-output-line-regex", action="append", default=[],
                   help="a regex to suppress diff output lines that match (repeatable)")
    p.add_argument("--normalize-manifests", action="store_true", help="normalize manifests before the diff")
    p.add_argument("--detailed-exitcode", action="store_true", help="exit 2 when there are changes")
    p.add_argument("--no-color", action="store_true", help="remove colors from the output")
    p.add_argument("--color", action="store_true", help="color the output")
    p.add_argument("--include-tests", action="store_true", help="include helm test hooks")


def diff_options(args: argparse.Namespace) -> object:
    from pilothouse.action.diff import DiffOptions

    kinds = list(args.suppress)
    if args.suppress_secrets:
        kinds.append("Secret")
    return DiffOptions(show_secrets=args.show_secrets, show_secrets_decoded=args.show_secrets_decoded,
                       suppressed_kinds=kinds, suppressed_output_line_regex=list(args.suppress_output_line_regex),
                       normalize_manifests=args.normalize_manifests, find_renames=args.find_renames,
                       strip_trailing_cr=args.strip_trailing_cr, include_tests=args.include_tests,
                       include_hooks=not getattr(args, "no_hooks", False),
                       include_crds=getattr(args, "include_crds", False), context=args.context)


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.cli.cmd_template import add_render_flags

    p = sub.add_parser("diff", help="show what an upgrade, a rollback or another revision would change",
                       usage="pilot diff [command] [flags]")
    kids = p.add_subparsers(dest="diff_command", metavar="COMMAND")

    up = kids.add_parser("upgrade", help="what upgrading a release would change",
                         usage="pilot diff upgrade [RELEASE] [CHART] [flags]")
    up.add_argument("release", metavar="RELEASE")
    up.add_argument("chart", metavar="CHART")
    add_render_flags(up)
    add_diff_flags(up)
    up.add_argument("--install", "--allow-unreleased", dest="install", action="store_true",
                    help="diff a release that does not exist yet as an install")
    up.add_argument("--reset-values", action="store_true", help="reset the values to the ones built into the chart")
    up.add_argument("--reuse-values", action="store_true", help="reuse the last release's values and merge overrides")
    up.add_argument("--reset-then-reuse-values", action="store_true",
                    help="reset to the chart's values, apply the last release's values, then overrides")
    up.add_argument("--include-crds", action="store_true", help="include the chart's CRDs in the diff")
    up.add_argument("--three-way-merge", action="store_true",
                    help="accepted for compatibility: the diff always compares the live objects")
    up.add_argument("--dry-run", nargs="?", const="client", default="server",
                    help='"server" (default: server-side dry run) or "client" (no cluster access, diff as install)')
    up.add_argument("--server-side", default="auto", help='"true", "false" or "auto" as `pilot upgrade`')
    up.add_argument("--take-ownership", action="store_true", help="show adoption of objects of other releases")
    up.add_argument("--disable-validation", action="store_true", help="accepted for compatibility")
    up.add_argument("--disable-openapi-validation", action="store_true", help="accepted for compatibility")
    up.set_defaults(func=run_upgrade)

    rb = kids.add_parser("rollback", help="what rolling back a release would change",
                         usage="pilot diff rollback [RELEASE] [REVISION] [flags]")
    rb.add_argument("release", metavar="RELEASE")
    rb.add_argument("revision", metavar="REVISION", type=int)
    add_diff_flags(rb)
    rb.add_argument("--no-hooks", action="store_true", help="disable diffing of hooks")
    rb.add_argument("--three-way-merge", action="store_true", help="accepted for compatibility")
    rb.set_defaults(func=run_rollback)

    rv = kids.add_parser("revision", help="the difference between two revisions of a release",
                         usage="pilot diff revision [RELEASE] [REVISION1] [REVISION2] [flags]")
    rv.add_argument("release", metavar="RELEASE")
    rv.add_argument("revisions", metavar="REVISION", type=int, nargs="+")
    add_diff_flags(rv)
    rv.add_argument("--no-hooks", action="store_true", help="disable diffing of hooks")
    rv.set_defaults(func=run_revision)

    rl = kids.add_parser("release", help="the difference between two releases",
                         usage="pilot diff release [RELEASE1] [RELEASE2] [flags]")
    rl.add_argument("releases", metavar="RELEASE", nargs="+")
    add_diff_flags(rl)
    rl.add_argument("--no-hooks", action="store_true", help="disable diffing of hooks")
    rl.set_defaults(func=run_release)
    p.set_defaults(func=lambda args: _missing(p))


def _missing(p: argparse.ArgumentParser) -> int:
    from pilothouse.errors import PilothouseError

    raise PilothouseError('"pilot diff" requires a command: upgrade, rollback, revision or release')


def _finish(args: argparse.Namespace, result: object) -> int:
    from pilothouse.cli.diff_output import use_color, write_report

    opts = diff_options(args)
    write_report(sys.stdout, result.changes, output=args.output,  # type: ignore[attr-defined]
                 suppressed=opts.suppressed_kinds, context=args.context,  # type: ignore[attr-defined]
                 color=use_color(args.no_color, args.color))
    if args.detailed_exitcode and result.has_changes:  # type: ignore[attr-defined]
        return EXIT_CHANGES
    return 0


def run_upgrade(args: argparse.Namespace) -> int:
    from pilothouse.action.config import post_renderer_func
    from pilothouse.action.diff import DiffUpgrade
    from pilothouse.cli.chart_loading import load_release_chart
    from pilothouse.cli.cmd_status import config_from_args
    from pilothouse.cli.cmd_template import locate_chart
    from pilothouse.cli.values_flags import values_from_args
    from pilothouse.errors import PilothouseError

    dry = args.dry_run
    if dry in ("true", ""):
        dry = "client"
    elif dry == "false":
        dry = "server"
    if dry not in ("client", "server"):
        raise PilothouseError(f'invalid dry-run value ({args.dry_run}). Must be "server" or "client"')
    cfg = config_from_args(args)
    vals = values_from_args(args)
    chart = load_release_chart(locate_chart(args, args.chart), dependency_update=args.dependency_update,
                               keyring=args.keyring)
    action = DiffUpgrade(
        cfg, options=diff_options(args), dry_run=dry, install=args.install or dry == "client",  # type: ignore[arg-type]
        reset_values=args.reset_values or dry == "client", reuse_values=args.reuse_values,
        reset_then_reuse_values=args.reset_then_reuse_values, server_side=args.server_side,
        upgrade_options={"skip_schema_validation": args.skip_schema_validation, "enable_dns": args.enable_dns,
                         "sub_notes": args.render_subchart_notes, "take_ownership": args.take_ownership,
                         "disable_hooks": args.no_hooks,
                         "post_renderer": post_renderer_func(args.post_renderer, args.post_renderer_args)})
    return _finish(args, action.run(args.release, chart, vals))


def run_rollback(args: argparse.Namespace) -> int:
    from pilothouse.action.diff import diff_rollback
    from pilothouse.cli.cmd_status import config_from_args

    cfg = config_from_args(args)
    return _finish(args, diff_rollback(cfg, args.release, args.revision, diff_options(args)))  # type: ignore[arg-type]


def run_revision(args: argparse.Namespace) -> int:
    from pilothouse.action.diff import diff_revision
    from pilothouse.cli.cmd_status import config_from_args
    from pilothouse.errors import PilothouseError

    if len(args.revisions) > 2:
        raise PilothouseError("Too many arguments to Command. Minimum 2, maximum 3")
    cfg = config_from_args(args)
    revs = list(args.revisions) + [0]
    return _finish(args, diff_revision(cfg, args.release, revs[0], revs[1], diff_options(args)))  # type: ignore[arg-type]


def run_release(args: argparse.Namespace) -> int:
    from pilothouse.action.diff import diff_release
    from pilothouse.cli.cmd_status import config_from_args
    from pilothouse.errors import PilothouseError

    if len(args.releases) != 2:
        raise PilothouseError("Please provide exactly two release names to compare")
    cfg = config_from_args(args)
    return _finish(args, diff_release(cfg, args.releases[0], cfg, args.releases[1], diff_options(args)))  # type: ignore[arg-type]
