"""`pilot drift RELEASE`: the release's objects against the live cluster; exit 2 on drift.

Also used by `pilot status --drift`. ``--correct`` re-applies the drifted objects (no new revision).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any

EXIT_DRIFT = 2


def add_drift_flags(p: argparse.ArgumentParser, *, prefix: str = "") -> None:
    """Ignore rules and correction (``prefix`` names them under `pilot status`)."""
    p.add_argument(f"--{prefix}ignore", dest="drift_ignore", action="append", default=[], metavar="PATH",
                   help="ignore a JSON path (e.g. spec.replicas or Deployment:spec.replicas); repeatable")
    p.add_argument(f"--{prefix}ignore-manager", dest="drift_ignore_manager", action="append", default=[],
                   metavar="NAME", help="ignore fields owned by this field manager; repeatable")
    p.add_argument(f"--{prefix}no-user-config", dest="drift_no_user_config", action="store_true",
                   help="do not read ignore rules from $HELM_CONFIG_HOME/pilothouse/drift.yaml")
    p.add_argument("--correct", dest="drift_correct", action="store_true",
                   help="re-apply drifted and deleted objects (no new revision)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("drift", help="compare a release's objects with the live cluster",
                       usage="pilot drift [RELEASE] [flags]")
    p.add_argument("release", metavar="RELEASE")
    add_drift_flags(p)
    p.add_argument("-o", "--output", default="diff", choices=("diff", "simple", "json"), help="diff, simple or json")
    p.add_argument("--show-secrets", action="store_true", help="do not redact secret values in the output")
    p.add_argument("--no-color", action="store_true", help="remove colors from the output")
    p.add_argument("--color", action="store_true", help="color the output")
    p.set_defaults(func=run)


def drift_from_args(cfg: Any, args: argparse.Namespace, name: str) -> Any:
    from pilothouse.action.drift import Drift

    return Drift(cfg, ignore_paths=list(args.drift_ignore), ignore_managers=list(args.drift_ignore_manager),
                 use_user_config=not args.drift_no_user_config, correct=args.drift_correct,
                 show_secrets=getattr(args, "show_secrets", False)).run(name)


def _entry_json(e: Any) -> dict[str, Any]:
    return {"api": e.api_version, "kind": e.kind, "namespace": e.namespace, "name": e.name, "state": e.state,
            "managers": e.managers, "restored": e.restored,
            "fields": [{"path": f.path, "live": f.before, "release": f.after} for f in e.fields]}


def write_drift(out: IO[str], result: Any, *, output: str = "diff", color: bool = False) -> None:
    """Print a `DriftResult`."""
    from pilothouse.cli.diff_output import _c

    if output == "json":
        out.write(json.dumps({"release": result.release, "namespace": result.namespace,
                              "revision": result.revision, "checked": result.checked,
                              "drifted": [_entry_json(e) for e in result.entries]}, indent=2) + "\n")
        return
    for e in result.entries:
        if e.state == "deleted":
            out.write(_c(f"{e.key} has been deleted", "red", color) + "\n")
            continue
        by = f" (changed by: {', '.join(e.managers)})" if e.managers else ""
        out.write(_c(f"{e.key} has drifted{by}:", "yellow", color) + "\n")
        if output == "simple":
            for f in e.fields:
                out.write(f"  {f.path}\n")
            continue
        for delta, text in e.records:
            if delta == "+":
                out.write(_c("+ " + text, "green", color) + "\n")
            elif delta == "-":
                out.write(_c("- " + text, "red", color) + "\n")
    changed = sum(1 for e in result.entries if e.state == "changed")
    deleted = len(result.entries) - changed
    if result.entries:
        out.write(f"Drift: {changed} changed, {deleted} deleted of {result.checked} objects of release "
                  f'"{result.release}" (revision {result.revision}).\n')
    else:
        out.write(f'No drift: the {result.checked} objects of release "{result.release}" match revision '
                  f"{result.revision}.\n")
    for e in result.entries:
        if e.restored:
            what = "recreated" if e.state == "deleted" else "restored " + ", ".join(f.path for f in e.fields)
            out.write(f"Corrected {e.key}: {what}\n")


def run(args: argparse.Namespace) -> int:
    from pilothouse.cli.cmd_status import config_from_args
    from pilothouse.cli.diff_output import use_color

    cfg = config_from_args(args)
    result = drift_from_args(cfg, args, args.release)
    write_drift(sys.stdout, result, output=args.output, color=use_color(args.no_color, args.color))
    return EXIT_DRIFT if result.has_drift and not result.corrected else 0
