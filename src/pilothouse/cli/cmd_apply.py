"""`pilot apply PLAN`: perform an upgrade saved by `pilot upgrade --plan PLAN`.

Exits 3 (and changes nothing) when the release or any object the plan touches changed since
the plan was made; the objects that moved are listed.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("apply", help="perform an upgrade saved with upgrade --plan", usage="pilot apply [PLAN] [flags]")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--wait", nargs="?", const="watcher", default="hookOnly",
                   help='wait until resources are ready: "watcher", "legacy" or "hookOnly" (default)')
    p.add_argument("--timeout", default="5m0s", help="time to wait for any individual Kubernetes operation")
    p.add_argument("--force-conflicts", action="store_true", help="server-side apply forces changes against conflicts")
    p.add_argument("--history-max", type=int, default=10, help="limit the number of revisions saved per release")
    p.add_argument("-o", "--output", default="table", help="prints the output in the specified format (table, json, yaml)")
    p.set_defaults(func=run)


def save_plan(cfg: Any, args: argparse.Namespace, chart: Any, vals: dict[str, Any]) -> int:
    """`pilot upgrade --plan FILE`: compute the upgrade, write the plan, print its summary."""
    from pilothouse.action.config import post_renderer_func
    from pilothouse.action.plan import make_plan, write_plan

    plan = make_plan(cfg, args.release, chart, vals, reset_values=args.reset_values, reuse_values=args.reuse_values,
                     reset_then_reuse_values=args.reset_then_reuse_values, server_side=args.server_side,
                     upgrade_options={"skip_schema_validation": args.skip_schema_validation,
                                      "enable_dns": args.enable_dns, "sub_notes": args.render_subchart_notes,
                                      "take_ownership": args.take_ownership, "disable_hooks": args.no_hooks,
                                      "post_renderer": post_renderer_func(args.post_renderer,
                                                                          args.post_renderer_args)})
    write_plan(args.plan, plan)
    doc = plan.document
    counts: dict[str, int] = {}
    for entry in doc["summary"]:
        counts[entry["change"]] = counts.get(entry["change"], 0) + 1
    for entry in doc["summary"]:
        print(f"{entry['object']} {entry['change']}")
    print(f"Plan: {counts.get('ADD', 0)} to add, {counts.get('MODIFY', 0)} to change, {counts.get('REMOVE', 0)} to "
          f"destroy, {counts.get('OWNERSHIP', 0)} to change ownership.")
    print(f'Saved the upgrade of release "{doc["release"]}" to revision {doc["revision"]} in {args.plan}; '
          f"run `pilot apply {args.plan}` to perform it.")
    return 0


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.config import parse_duration
    from pilothouse.action.plan import apply_plan, read_plan
    from pilothouse.cli.cmd_install import wait_strategy
    from pilothouse.cli.cmd_status import check_output, config_from_args, print_release
    from pilothouse.errors import PilothouseError, ReleaseError

    check_output(args.output)
    doc = read_plan(args.plan)
    if args.namespace is None:
        args.namespace = doc["namespace"]
    cfg = config_from_args(args)
    try:
        rel = apply_plan(cfg, doc, wait=wait_strategy(args.wait), timeout=parse_duration(args.timeout),
                         force_conflicts=args.force_conflicts, max_history=args.history_max)
    except ReleaseError as err:
        if getattr(err, "exit_code", 1) != 1:
            raise
        raise ReleaseError(f"UPGRADE FAILED: {err}") from None
    except PilothouseError:
        raise
    if args.output == "table":
        print(f'Release "{doc["release"]}" has been upgraded. Happy Helming!')
    print_release(sys.stdout, rel, args.output)
    return 0
