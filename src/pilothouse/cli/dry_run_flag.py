"""The ``--dry-run`` flag of install, upgrade, rollback and template, read as Helm 4.2 reads it."""

from __future__ import annotations

DRY_RUN_NO_VALUE = "unset"  # what a bare ``--dry-run`` stands for, as Helm's flag has it


def dry_run_value(value: str | None, *, template: bool = False) -> str:
    """Helm's ``cmdGetDryRunFlagStrategy``: the strategy a ``--dry-run`` value asks for, warning (as Helm
    does) when it is the deprecated bare flag or a boolean. ``template`` is always a dry run: "none" and
    false are refused there."""
    from pilothouse import slog
    from pilothouse.cli.pflag import go_quote
    from pilothouse.errors import UsageError

    if value in ("client", "server"):
        return value
    if value is None or value == "none":
        if template:
            raise UsageError(f'invalid dry-run value ({go_quote(value or "none")}). Must be "server" or "client"')
        return "none"
    if value == DRY_RUN_NO_VALUE:
        slog.warn("--dry-run is deprecated and should be replaced with '--dry-run=client'")
        return "client"
    if value in ("1", "t", "T", "TRUE", "true", "True"):
        result = "client"
    elif value in ("0", "f", "F", "FALSE", "false", "False"):
        result = "none"
    else:
        raise UsageError(f'invalid dry-run value ({go_quote(value)}). Must be "none", "server", or "client"')
    if template and result == "none":
        raise UsageError(f'invalid dry-run value ({go_quote(value)}). Must be "server" or "client"')
    slog.warn(f"boolean '--dry-run={value}' flag is deprecated and must be replaced with '--dry-run={result}'")
    return result
