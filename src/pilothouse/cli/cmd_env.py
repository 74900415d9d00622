"""`pilot env [NAME]`: the HELM_* settings in use, as `helm env` prints them."""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("env", help="pilot client environment information")
    p.add_argument("names", nargs="*")
    p.set_defaults(func=run)


def env_vars() -> dict[str, str]:
    """``settings.EnvVars()``: every variable with the value the flags and environment give it."""
    from pilothouse.cli.global_flags import color_mode  # noqa: F401 - keeps HELM_COLOR handling in one place
    from pilothouse.cli.pflag import parse_bool, parse_float, parse_int
    from pilothouse.plugin.env import HelmSettings

    env = os.environ
    s = HelmSettings.from_environ()
    # Helm's --kubeconfig default ("") replaces what it read from KUBECONFIG: only the flag shows
    s.kubeconfig = env.get("HELM_KUBECONFIG", "")
    s.helm_bin = sys.argv[0] if sys.argv and sys.argv[0] else "pilot"
    try:
        s.debug = parse_bool(env.get("HELM_DEBUG", ""))
    except ValueError:
        s.debug = False
    try:
        s.kube_insecure_skip_tls_verify = parse_bool(env.get("HELM_KUBEINSECURE_SKIP_TLS_VERIFY", "false"))
    except ValueError:
        s.kube_insecure_skip_tls_verify = False
    groups = env.get("HELM_KUBEASGROUPS", "").strip(", ")
    s.kube_as_groups = groups.split(",") if groups else []
    for attr, var, parse, default in (("max_history", "HELM_MAX_HISTORY", parse_int, 10),
                                      ("burst_limit", "HELM_BURST_LIMIT", parse_int, 100)):
        try:
            setattr(s, attr, int(parse(env[var])) if var in env else default)
        except ValueError:
            setattr(s, attr, default)
    try:
        s.qps = parse_float(env["HELM_QPS"], 32) if "HELM_QPS" in env else 0.0
    except ValueError:
        s.qps = 0.0
    return s.env_vars()


def run(args: argparse.Namespace) -> int:
    values = env_vars()
    if args.names:
        # an unknown name prints an empty line, as Go's map lookup gives ""
        print(values.get(args.names[0], ""))
        return 0
    for key in sorted(values):
        print(f'{key}="{values[key]}"')
    return 0
