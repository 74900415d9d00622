"""What `pilot NAME` does when NAME is not a built-in command: run a `cli/v1` plugin.

Plugins are registered as Helm 4.1+ does: in load order, and a plugin whose command name
clashes with a built-in command stops the registration of every plugin after it.
HELM_NO_PLUGINS=1 turns plugins off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from pilothouse.errors import UsageError


def _unknown(name: str) -> UsageError:
    return UsageError(f'unknown command "{name}" for "pilot"\nRun \'pilot --help\' for usage.')


def cli_plugins() -> dict[str, object]:
    """command name -> cli/v1 plugin, as they would be registered."""
    if os.environ.get("HELM_NO_PLUGINS") == "1":
        return {}
    from pilothouse.cli.main import ALIASES, COMMANDS
    from pilothouse.plugin.loader import find_plugins
    from pilothouse.plugin.types.cli import command_name

    out: dict[str, object] = {}
    for plugin in find_plugins():
        if plugin.type != "cli/v1":
            continue
        cmd = command_name(plugin)
        if cmd in COMMANDS or cmd in ALIASES or cmd in ("help", "completion", "env", "docs"):
            print(f'Error: failed to load plugins: plugin "{plugin.name}" conflicts with the '
                  f'existing command "{cmd}"', file=sys.stderr)
            break
        out.setdefault(cmd, plugin)
    return out


def run_plugin_command(name: str, argv: Sequence[str]) -> int:
    """Run the cli/v1 plugin called ``name``; ``argv`` is the whole command line after `pilot`."""
    plugin = cli_plugins().get(name)
    if plugin is None:
        raise _unknown(name)
    from pilothouse.plugin.env import HelmSettings
    from pilothouse.plugin.types import cli

    args = list(argv)
    args.pop(args.index(name))
    settings = HelmSettings.from_environ()
    settings.helm_bin = sys.argv[0] if sys.argv and sys.argv[0] else "pilot"
    return cli.run(plugin, args, settings)  # type: ignore[arg-type]
