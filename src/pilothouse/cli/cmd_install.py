"""`pilot install [NAME] CHART`: flags as `helm install` has them (shared with upgrade)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pilothouse.cli.dry_run_flag import dry_run_value
from pilothouse.cli.labels_flag import LabelsAction as _Labels

__all__ = ["add_release_flags", "build_install", "dry_run_value", "register", "run", "wait_strategy"]


def add_wait_flags(p: argparse.ArgumentParser, *, jobs: bool = True) -> None:
    """``--wait[=strategy]``, ``--wait-for-jobs`` (unless not ``jobs``), ``--timeout``."""
    from pilothouse.cli.flag_values import checked, wait_input

    checked(p.add_argument("--wait", nargs="?", const="watcher", default="hookOnly",
                           help="wait until resources are ready (up to --timeout): watcher, hookOnly, legacy or "
                                "ordered (HIP-0025 sequencing)"), wait_input)
    if jobs:
        p.add_argument("--wait-for-jobs", action="store_true", help="with --wait, also wait for Jobs to complete")
    p.add_argument("--timeout", default="5m0s", help="time to wait for any individual Kubernetes operation")
    from pilothouse.cli.progress_flags import add_progress_flags

    add_progress_flags(p)


def wait_strategy(value: str) -> str:
    from pilothouse.errors import UsageError

    if value == "true":
        return "watcher"
    if value == "false":
        return "hookOnly"
    if value not in ("watcher", "hookOnly", "legacy", "ordered"):
        raise UsageError(f'invalid argument "{value}" for "--wait" flag: invalid wait input "{value}". Valid inputs '
                         "are watcher, hookOnly, legacy, and ordered")
    return value


def add_release_flags(p: argparse.ArgumentParser, *, upgrade: bool = False) -> None:
    """Flags install and upgrade share, beyond rendering."""
    from pilothouse.cli.cmd_status import add_output_flag

    add_wait_flags(p)
    from pilothouse.cli.dry_run_flag import BARE, RELEASE_USAGE

    p.add_argument("--dry-run", nargs="?", const=BARE, default="none", help=RELEASE_USAGE)
    p.add_argument("--create-namespace", action="store_true", help="create the release namespace if not present")
    p.add_argument("--force-replace", "--force", dest="force_replace", action="store_true",
                   help="force resource updates by replacement")
    p.add_argument("--force-conflicts", action="store_true", help="server-side apply forces changes against conflicts")
    p.add_argument("--rollback-on-failure", "--atomic", dest="rollback_on_failure", action="store_true",
                   help="undo the operation on failure (implies --wait=watcher)")
    p.add_argument("--skip-crds", action="store_true", help="no CRDs will be installed")
    p.add_argument("-l", "--labels", action=_Labels, default={}, help="labels added to the release record")
    p.add_argument("--take-ownership", action="store_true", help="adopt existing resources whoever owns them")
    p.add_argument("--hide-notes", action="store_true", help="do not show notes in the output")
    # install's and upgrade's own: Helm's template has no --hide-secret
    p.add_argument("--hide-secret", action="store_true", help="hide Kubernetes Secrets in the output (dry-run only)")
    p.add_argument("--disable-openapi-validation", action="store_true", help="accepted for compatibility")
    add_output_flag(p)
    from pilothouse.cli.chart_flags import add_missing_chart_path_flags

    # where the chart comes from: --repo, credentials and TLS reach the chart download
    add_missing_chart_path_flags(p)
    if upgrade:
        p.add_argument("--server-side", default="auto", help='"true", "false" or "auto" (follow the previous revision)')
    else:
        # a boolean on install, as in Helm (upgrade's takes "auto" too)
        p.add_argument("--server-side", action="store_true", default=True, help="object updates run in the server")
        p.add_argument("--replace", action="store_true", help="reuse the name of a deleted or failed release")


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.cli.cmd_template import add_render_flags

    p = sub.add_parser("install", help="install a chart", usage="pilot install [NAME] [CHART] [flags]")
    p.add_argument("args", nargs="*", metavar="[NAME] CHART")
    add_render_flags(p)
    add_release_flags(p)
    p.set_defaults(func=run)


def _bool(value: str, flag: str) -> bool:
    from pilothouse.errors import UsageError

    if value.lower() in ("true", "1", "t"):
        return True
    if value.lower() in ("false", "0", "f"):
        return False
    raise UsageError(f'invalid argument "{value}" for "{flag}" flag: strconv.ParseBool: parsing "{value}": '
                     "invalid syntax")


def build_install(cfg: Any, args: argparse.Namespace, name: str) -> Any:
    """An `Install` action from install/upgrade --install flags (``args.dry_run`` already resolved)."""
    from pilothouse.action.config import parse_duration, post_renderer_func
    from pilothouse.action.install import Install
    from pilothouse.cli.progress_view import attach

    server_side = getattr(args, "server_side", True)
    if isinstance(server_side, bool):
        server_side = "true" if server_side else "false"
    action = Install(
        cfg, release_name=name, namespace=cfg.namespace, dry_run=args.dry_run,
        create_namespace=args.create_namespace, wait=wait_strategy(args.wait), wait_for_jobs=args.wait_for_jobs,
        timeout=parse_duration(args.timeout), rollback_on_failure=args.rollback_on_failure,
        replace=getattr(args, "replace", False), disable_hooks=args.no_hooks, skip_crds=args.skip_crds,
        server_side=server_side == "auto" or _bool(server_side, "--server-side"),
        force_conflicts=args.force_conflicts, force_replace=args.force_replace, take_ownership=args.take_ownership,
        description=args.description, labels=dict(args.labels), sub_notes=args.render_subchart_notes,
        skip_schema_validation=args.skip_schema_validation, enable_dns=args.enable_dns, hide_secret=args.hide_secret,
        # Helm 4.2's install and upgrade have no --kube-version/--api-versions: other callers may set them
        kube_version=getattr(args, "kube_version", None),
        api_versions=[v for a in getattr(args, "api_versions", []) for v in a.split(",") if v],
        post_renderer=post_renderer_func(args.post_renderer, args.post_renderer_args),
        policies=args.policy, policy_mode=args.policy_mode)
    attach(cfg, args, action)
    return action


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.template import release_name_and_chart
    from pilothouse.cli.chart_loading import load_release_chart
    from pilothouse.cli.cmd_status import config_from_args, print_release
    from pilothouse.cli.cmd_template import located_with_debug_lines
    from pilothouse.cli.values_flags import values_from_args
    from pilothouse.errors import PilothouseError, ReleaseError

    # resolved once, before the chart is looked at: its deprecation warning comes first, as in Helm
    args.dry_run = dry_run_value(args.dry_run)
    # everything Helm's runInstall does fails as "INSTALLATION FAILED: ...": naming, locating the
    # chart, merging values, loading it and checking its dependencies
    try:
        name, chart_ref = release_name_and_chart(args.args, generate_name=args.generate_name,
                                                 name_template=args.name_template)
        chart_path = located_with_debug_lines(args, chart_ref)
        vals = values_from_args(args)
        chart = load_release_chart(chart_path, dependency_update=args.dependency_update, keyring=args.keyring,
                                   install=True)
    except PilothouseError as err:
        raise ReleaseError(f"INSTALLATION FAILED: {err}") from None
    cfg = config_from_args(args)
    action = build_install(cfg, args, name)
    try:
        rel = action.run(chart, vals)
    except PilothouseError as err:
        raise ReleaseError(f"INSTALLATION FAILED: {err}") from None
    print_release(sys.stdout, rel, args.output, hide_notes=args.hide_notes, debug=_debug(), stored=False,
                  chart=chart)
    return 0


def _debug() -> bool:
    from pilothouse import slog

    return slog.debug_enabled()
