"""Helm's chart path options (addChartPathOptionsFlags) for commands that take a chart reference
and did not register them yet: where to find the chart and how to reach its server."""

from __future__ import annotations

import argparse


def add_missing_chart_path_flags(p: argparse.ArgumentParser) -> None:
    """Register --repo, credentials and TLS flags, --plain-http, --verify and --keyring on ``p``,
    skipping any the command already has."""
    have = {opt for action in p._actions for opt in action.option_strings}
    flags: list[tuple[str, dict]] = [
        ("--verify", {"action": "store_true", "help": "verify the package before using it"}),
        ("--keyring", {"default": "", "help": "location of public keys used for verification"}),
        ("--repo", {"default": "", "help": "chart repository url where to locate the requested chart"}),
        ("--username", {"default": "", "help": "chart repository username where to locate the requested chart"}),
        ("--password", {"default": "", "help": "chart repository password where to locate the requested chart"}),
        ("--cert-file", {"default": "", "help": "identify HTTPS client using this SSL certificate file"}),
        ("--key-file", {"default": "", "help": "identify HTTPS client using this SSL key file"}),
        ("--insecure-skip-tls-verify", {"action": "store_true",
                                        "help": "skip tls certificate checks for the chart download"}),
        ("--plain-http", {"action": "store_true", "help": "use insecure HTTP connections for the chart download"}),
        ("--ca-file", {"default": "", "help": "verify certificates of HTTPS-enabled servers using this CA bundle"}),
        ("--pass-credentials", {"action": "store_true", "help": "pass credentials to all domains"}),
    ]
    for name, kwargs in flags:
        if name not in have:
            p.add_argument(name, **kwargs)
