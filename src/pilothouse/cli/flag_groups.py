"""Cobra's mutually exclusive flag groups (``MarkFlagsMutuallyExclusive``) of Helm's commands.

Cobra checks them after the arguments and before the command runs, group by group in the sorted
order of the groups' names (the flag names as declared, joined by a space), and reports the first
group with more than one flag given.
"""

from __future__ import annotations

from collections.abc import Sequence

from pilothouse.errors import UsageError

# command path -> its groups, each as Helm declares it
EXCLUSIVE: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {
    ("install",): (("force-replace", "force-conflicts"), ("force", "force-conflicts")),
    ("upgrade",): (("force-replace", "force-conflicts"), ("force", "force-conflicts")),
    ("rollback",): (("force-replace", "force-conflicts"), ("force", "force-conflicts")),
    ("template",): (("validate", "dry-run"),),
}


def validate_flag_groups(path: Sequence[str], given: set[str]) -> None:
    """Cobra's ``ValidateFlagGroups`` for the exclusive groups: ``given`` holds the names of the flags set."""
    groups = {" ".join(g): g for g in EXCLUSIVE.get(tuple(path), ())}
    for key in sorted(groups):
        both = sorted(n for n in groups[key] if n in given)
        if len(both) > 1:
            raise UsageError(f"if any flags in the group [{key}] are set none of the others can be; "
                             f"[{' '.join(both)}] were all set")
