"""What waiting reports while it runs. The library only emits these; the CLI draws them.

A callback (``Callable[[object], None]``) receives, in order: `StepStarted` when a group of
objects starts (``--wait=ordered``), `ObjectStatus` each time an object's status changes,
`PodLog` with the log of a failing Pod (when logs were asked for), and `StepDone` when a group
is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[object], None]


@dataclass
class ObjectStatus:
    """One object's state as the waiter sees it."""

    kind: str
    namespace: str
    name: str
    status: str
    message: str
    ready: int
    total: int
    since: float
    failure: str = ""
    events: list[str] = field(default_factory=list)


@dataclass
class StepStarted:
    """A batch of objects is being applied (``label``: its resource groups)."""

    index: int
    count: int
    label: str
    objects: int


@dataclass
class StepDone:
    """A batch is ready."""

    index: int
    count: int
    label: str


@dataclass
class PodLog:
    """The recent log of a failing Pod."""

    namespace: str
    pod: str
    text: str


def emit(progress: Progress | None, event: object) -> None:
    """Hand ``event`` to ``progress``; a failing display never stops a deployment."""
    if progress is None:
        return
    try:
        progress(event)
    except Exception:  # noqa: BLE001 - a drawing bug must not abort a release
        return
