"""Whether a release revision was applied in HIP-0025 order, as its stored record says.

HIP-0025 wants each release to remember whether sequencing was used, so that uninstall and
rollback follow the same order; it names no field for it. Pilothouse keeps it as a release label,
``pilothouse.io/sequenced: "true"``, stored with the record's other labels by every storage driver.
Helm reads such a record unchanged (to Helm it is one more custom label), and the release JSON stays
the same bytes Helm writes.
"""

from __future__ import annotations

from typing import Any

LABEL = "pilothouse.io/sequenced"
ORDERED = "ordered"
DEFAULT_WAIT = "hookOnly"


def mark(rel: Any, ordered: bool) -> None:
    """Record on ``rel`` whether it is applied in order (removes a mark inherited from an older revision)."""
    if ordered:
        rel.labels[LABEL] = "true"
    else:
        rel.labels.pop(LABEL, None)


def was_ordered(rel: Any) -> bool:
    """Whether ``rel`` was installed, upgraded or rolled back with ``--wait=ordered``."""
    return (getattr(rel, "labels", None) or {}).get(LABEL) == "true"


def effective_wait(wait: str, follow_record: bool, rel: Any) -> str:
    """The wait strategy to use on ``rel``: ``ordered`` when it was sequenced and none was asked for."""
    if follow_record and wait == DEFAULT_WAIT and was_ordered(rel):
        return ORDERED
    return wait
