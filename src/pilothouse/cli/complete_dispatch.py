"""Finding Cobra's hidden ``__complete`` command behind global flags.

Cobra locates a subcommand by skipping the flags in front of it (``stripFlags``), so
``helm --repository-config F __complete install …`` is a completion request whose words still hold
the global flags; only the ``__complete`` word itself is removed.
"""

from __future__ import annotations

from collections.abc import Sequence

_NAMES = ("__complete", "__completeNoDesc")


def completion_request(argv: Sequence[str]) -> tuple[str, list[str]] | None:
    """``(command, words)`` when ``argv`` asks for completions, else None."""
    if not argv:
        return None
    if argv[0] in _NAMES:
        return argv[0], list(argv[1:])
    from pilothouse.cli.global_flags import global_flags

    flags = global_flags()
    takes_value = {f"--{f.name}" for f in flags if not f.no_opt}
    takes_value |= {f"-{f.shorthand}" for f in flags if f.shorthand and not f.no_opt}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _NAMES:
            return arg, list(argv[:i]) + list(argv[i + 1:])
        if arg == "--" or not arg.startswith("-") or arg == "-":
            return None  # the first word that is not a flag names another command
        i += 2 if arg in takes_value else 1
    return None
