"""What `pilot NAME` does when NAME is not a built-in command: run a `cli/v1` plugin.

Until plugins are wired in, an unknown name is a usage error, as in Helm.
"""

from __future__ import annotations

from collections.abc import Sequence

from pilothouse.errors import UsageError


def run_plugin_command(name: str, argv: Sequence[str]) -> int:
    """Run the cli/v1 plugin called ``name`` with the arguments after it."""
    raise UsageError(f'unknown command "{name}" for "pilot"\nRun \'pilot --help\' for usage.')
