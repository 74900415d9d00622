"""The install flags Helm's `template` shares with `install` (template registers install's flags):
accepted so any `helm template` command line works, with no effect on the rendered output."""

from __future__ import annotations

import argparse


def add_template_install_flags(p: argparse.ArgumentParser) -> None:
    """Register install's cluster-side flags and the chart download's credential and TLS flags on
    template's parser, skipping any it already has."""
    from pilothouse.cli.chart_flags import add_missing_chart_path_flags
    from pilothouse.cli.labels_flag import LabelsAction as _Labels

    have = {opt for action in p._actions for opt in action.option_strings}
    no_effect = "accepted as helm template does; no effect on the rendered output"
    flags: list[tuple[tuple[str, ...], dict]] = [
        (("--create-namespace",), {"action": "store_true", "help": no_effect}),
        (("--disable-openapi-validation",), {"action": "store_true", "help": no_effect}),
        (("--force-conflicts",), {"action": "store_true", "help": no_effect}),
        (("--force-replace", "--force"), {"dest": "force_replace", "action": "store_true", "help": no_effect}),
        (("--hide-notes",), {"action": "store_true", "help": no_effect}),
        (("-l", "--labels"), {"action": _Labels, "default": {}, "help": no_effect}),
        (("--replace",), {"action": "store_true", "help": no_effect}),
        (("--rollback-on-failure", "--atomic"), {"dest": "rollback_on_failure", "action": "store_true",
                                                  "help": no_effect}),
        # a boolean on install (upgrade and rollback take "auto" too)
        (("--server-side",), {"action": "store_true", "default": True, "help": no_effect}),
        (("--take-ownership",), {"action": "store_true", "help": no_effect}),
        (("--timeout",), {"default": "5m0s", "help": no_effect}),
        (("--wait-for-jobs",), {"action": "store_true", "help": no_effect}),
    ]
    for names, kwargs in flags:
        if not any(n in have for n in names):
            p.add_argument(*names, **kwargs)
    add_missing_chart_path_flags(p)
