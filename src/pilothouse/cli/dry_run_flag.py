"""The --dry-run flag of install, upgrade, rollback and template as Helm 4 reads it.

The flag is a string whose bare form (`--dry-run`, no value) stands for the word "unset"; the old
boolean spellings still work but are reported as deprecated (a WARN log line), and `template`, which
always simulates, refuses the values that would mean "do it for real".
"""

from __future__ import annotations

# what a bare --dry-run stands for (pflag's NoOptDefVal)
BARE = "unset"

RELEASE_USAGE = (
    'simulates the operation without persisting changes. Must be one of: "none" (default), "client", or "server". '
    "'--dry-run=none' executes the operation normally and persists changes (no simulation). "
    "'--dry-run=client' simulates the operation client-side only and avoids cluster connections. "
    "'--dry-run=server' simulates the operation on the server, requiring cluster connectivity.")
TEMPLATE_USAGE = (
    'simulates the operation either client-side or server-side. Must be either: "client", or "server". '
    "'--dry-run=client simulates the operation client-side only and avoids cluster connections. "
    "'--dry-run=server' simulates/validates the operation on the server, requiring cluster connectivity.")


def dry_run_value(value: str | None, *, template: bool = False) -> str:
    """Helm's ``cmdGetDryRunFlagStrategy``: "none", "client" or "server" for the flag's value; logs Helm's
    deprecation warnings.

    Resolving an already resolved value again gives it back without a warning.
    """
    from pilothouse import slog
    from pilothouse.cli.pflag import go_quote, parse_bool
    from pilothouse.errors import PilothouseError

    if value is None:
        value = "client" if template else "none"
    if value == BARE:
        slog.warn("--dry-run is deprecated and should be replaced with '--dry-run=client'")
        return "client"
    if value in ("client", "server"):
        return value
    try:
        # Helm reads the old boolean spellings with strconv.ParseBool
        real = value == "none" or not parse_bool(value)
    except ValueError:
        raise PilothouseError(f'invalid dry-run value ({go_quote(value)}). Must be "none", "server", or "client"') \
            from None
    if real and template:
        raise PilothouseError(f'invalid dry-run value ({go_quote(value)}). Must be "server" or "client"')
    if value == "none":
        return value
    result = "none" if real else "client"
    slog.warn(f"boolean '--dry-run={value}' flag is deprecated and must be replaced with '--dry-run={result}'")
    return result
