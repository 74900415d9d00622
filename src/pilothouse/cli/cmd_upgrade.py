"""`pilot upgrade RELEASE CHART`: flags as `helm upgrade` has them."""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.cli.cmd_install import add_release_flags
    from pilothouse.cli.cmd_template import add_render_flags

    p = sub.add_parser("upgrade", help="upgrade a release", usage="pilot upgrade [RELEASE] [CHART] [flags]")
    p.add_argument("release", metavar="RELEASE")
    p.add_argument("chart", metavar="CHART")
    add_render_flags(p, naming=False)
    add_release_flags(p, upgrade=True)
    p.add_argument("-i", "--install", action="store_true", help="run an install if the release does not exist")
    p.add_argument("--reset-values", action="store_true", help="reset the values to the ones built into the chart")
    p.add_argument("--reuse-values", action="store_true", help="reuse the last release's values and merge overrides")
    p.add_argument("--reset-then-reuse-values", action="store_true",
                   help="reset to the chart's values, apply the last release's values, then overrides")
    p.add_argument("--history-max", type=int, default=int(os.environ.get("HELM_MAX_HISTORY", "10") or 10),
                   help="limit the maximum number of revisions saved per release (0: no limit)")
    p.add_argument("--cleanup-on-fail", action="store_true", help="delete new resources of a failed upgrade")
    p.add_argument("--plan", default=None, metavar="FILE",
                   help="save what the upgrade would do to FILE (JSON, or YAML by extension) and change nothing; "
                        "`pilot apply FILE` performs it")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.config import parse_duration, post_renderer_func
    from pilothouse.action.upgrade import Upgrade
    from pilothouse.cli.chart_loading import load_release_chart, warn_if_deprecated
    from pilothouse.cli.cmd_install import build_install, dry_run_value, wait_strategy
    from pilothouse.cli.cmd_status import config_from_args, print_release
    from pilothouse.cli.cmd_template import locate_chart
    from pilothouse.cli.values_flags import values_from_args
    from pilothouse.errors import PilothouseError, ReleaseError
    from pilothouse.release.driver.base import ReleaseNotFoundError

    cfg = config_from_args(args)
    # read once, as Helm's RunE does before anything else: its warnings come first
    dry = args.dry_run = dry_run_value(args.dry_run)
    if getattr(args, "plan", None):
        from pilothouse.cli.cmd_apply import save_plan

        vals = values_from_args(args)
        chart = load_release_chart(locate_chart(args, args.chart), dependency_update=args.dependency_update,
                                   keyring=args.keyring)
        return save_plan(cfg, args, chart, vals)
    if args.install:
        from pilothouse.action.history import History
        from pilothouse.cli.cmd_template import located_with_debug_lines
        from pilothouse.release.model import UNINSTALLED

        # as Helm: the History action (which checks the cluster first), before the chart is looked at
        try:
            hist = History(cfg, max=1).run(args.release)
        except ReleaseNotFoundError:
            hist = []
        uninstalled = bool(hist) and hist[0].info.status == UNINSTALLED
        if not hist or uninstalled:
            if args.output == "table":
                print(f'Release "{args.release}" does not exist. Installing it now.')
            # Helm's runInstall, whose errors upgrade returns as they are (no INSTALLATION FAILED)
            path = located_with_debug_lines(args, args.chart)
            vals = values_from_args(args)
            chart = load_release_chart(path, dependency_update=args.dependency_update, keyring=args.keyring,
                                       install=True)
            inst = build_install(cfg, args, args.release)
            inst.server_side = args.server_side != "false"
            inst.replace = uninstalled
            rel = inst.run(chart, vals)
            print_release(sys.stdout, rel, args.output, hide_notes=args.hide_notes, debug=_debug(), stored=False,
                  chart=chart)
            return 0
    path = locate_chart(args, args.chart)
    vals = values_from_args(args)
    chart = load_release_chart(path, dependency_update=args.dependency_update, keyring=args.keyring)
    if chart.metadata is not None and chart.metadata.dependencies:
        from pilothouse.action.render import check_dependencies

        # Helm's upgrade command checks them before the action runs: the error is not an UPGRADE FAILED
        check_dependencies(chart)
    warn_if_deprecated(chart)
    action = Upgrade(
        cfg, namespace=cfg.namespace, dry_run=dry, wait=wait_strategy(args.wait), wait_for_jobs=args.wait_for_jobs,
        timeout=parse_duration(args.timeout), rollback_on_failure=args.rollback_on_failure,
        cleanup_on_fail=args.cleanup_on_fail, disable_hooks=args.no_hooks, server_side=args.server_side,
        force_conflicts=args.force_conflicts, force_replace=args.force_replace, take_ownership=args.take_ownership,
        reset_values=args.reset_values, reuse_values=args.reuse_values,
        reset_then_reuse_values=args.reset_then_reuse_values, max_history=args.history_max,
        description=args.description, labels=dict(args.labels), sub_notes=args.render_subchart_notes,
        skip_schema_validation=args.skip_schema_validation, enable_dns=args.enable_dns, hide_secret=args.hide_secret,
        post_renderer=post_renderer_func(args.post_renderer, args.post_renderer_args),
        policies=args.policy, policy_mode=args.policy_mode)
    from pilothouse.cli.progress_view import attach

    attach(cfg, args, action)
    try:
        rel = action.run(args.release, chart, vals)
    except PilothouseError as err:
        raise ReleaseError(f"UPGRADE FAILED: {err}") from None
    if args.output == "table":
        print(f'Release "{args.release}" has been upgraded. Happy Helming!')
    print_release(sys.stdout, rel, args.output, hide_notes=args.hide_notes, debug=_debug(), stored=False,
                  chart=chart)
    return 0


def _debug() -> bool:
    from pilothouse import slog

    return slog.debug_enabled()
