"""The flags of waiting and its progress display, apart from the display itself: registering a
command's flags must not import the Kubernetes side (``pilot --help`` and parse errors stay light)."""

from __future__ import annotations

import argparse


def add_progress_flags(p: argparse.ArgumentParser) -> None:
    """``--sequence-annotations``, ``--fail-grace``, ``--logs``, ``--progress``."""
    p.add_argument("--sequence-annotations", default="",
                   help="with --wait=ordered, also order by other tools' annotations: kapp, argocd (comma-separated)")
    p.add_argument("--fail-grace", default="2s",
                   help="how long a failure (image pull, crash loop, unschedulable...) must last before the wait "
                        "stops")
    p.add_argument("--logs", action="store_true", help="print the logs of failing Pods while waiting")
    p.add_argument("--progress", default="auto", choices=("auto", "table", "plain", "none"),
                   help="how to show waiting: auto (a live table on a terminal; elsewhere plain lines with "
                        "--wait=ordered, nothing otherwise, as helm), table, plain, or none")
