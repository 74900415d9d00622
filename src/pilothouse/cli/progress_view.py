"""Drawing the progress of a wait: a live table on a terminal, one plain line per change elsewhere.

The library reports `pilothouse.kube.progress` events; this module is the only place that draws
them. Output goes to stderr so that ``-o json``/``-o yaml`` on stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from typing import IO, Any

from pilothouse.kube.progress import ObjectStatus, PodLog, StepDone, StepStarted

_MAX_ROWS = 40


def _age(seconds: float) -> str:
    s = int(seconds)
    return f"{s}s" if s < 120 else f"{s // 60}m{s % 60}s"


class PlainView:
    """One line per change, for logs and CI."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._lock = threading.Lock()

    def __call__(self, ev: object) -> None:
        with self._lock:
            if isinstance(ev, StepStarted):
                self.out.write(f"step {ev.index}/{ev.count}: applying {ev.objects} object(s): {ev.label}\n")
            elif isinstance(ev, StepDone):
                self.out.write(f"step {ev.index}/{ev.count}: ready: {ev.label}\n")
            elif isinstance(ev, ObjectStatus):
                fail = f" FAILED: {ev.failure}" if ev.failure else ""
                self.out.write(f"{ev.kind}/{ev.name}: {ev.status} {ev.ready}/{ev.total} {ev.message}{fail} "
                               f"[{_age(ev.since)}]\n")
            elif isinstance(ev, PodLog):
                self.out.write(f"--- log of Pod {ev.namespace}/{ev.pod} ---\n{ev.text}")
                if ev.text and not ev.text.endswith("\n"):
                    self.out.write("\n")
            self.out.flush()


class TableView:
    """A table of the awaited objects, redrawn in place (ANSI cursor movement)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.rows: dict[tuple[str, str, str], ObjectStatus] = {}
        self.first: dict[tuple[str, str, str], float] = {}
        self.header = ""
        self.drawn = 0
        self._lock = threading.Lock()

    def _draw(self) -> None:
        lines = [self.header] if self.header else []
        lines.append(f"{'KIND':<22} {'NAME':<40} {'READY':>7}  {'STATUS':<11} {'AGE':>6}")
        now = time.monotonic()
        rows = list(self.rows.items())
        for key, ev in rows[-_MAX_ROWS:]:
            status = "Failed" if ev.failure else ev.status
            lines.append(f"{ev.kind[:22]:<22} {ev.name[:40]:<40} {f'{ev.ready}/{ev.total}':>7}  {status:<11} "
                         f"{_age(now - self.first[key]):>6}")
            if ev.failure:
                lines.append(f"  ! {ev.failure}"[:160])
        if len(rows) > _MAX_ROWS:
            lines.append(f"  ... and {len(rows) - _MAX_ROWS} more")
        if self.drawn:
            self.out.write(f"\x1b[{self.drawn}F")
        for line in lines:
            self.out.write(f"\x1b[2K{line}\n")
        self.out.write("\x1b[J")
        self.drawn = len(lines)
        self.out.flush()

    def __call__(self, ev: object) -> None:
        with self._lock:
            if isinstance(ev, StepStarted):
                # the finished step's table stays on screen; the new step draws below it
                self.drawn = 0
                self.header = f"step {ev.index}/{ev.count}: {ev.label}"
                self.rows.clear()
            elif isinstance(ev, StepDone):
                self.header = f"step {ev.index}/{ev.count}: ready: {ev.label}"
            elif isinstance(ev, ObjectStatus):
                key = (ev.kind, ev.namespace, ev.name)
                self.first.setdefault(key, time.monotonic() - ev.since)
                self.rows[key] = ev
            elif isinstance(ev, PodLog):
                if self.drawn:
                    self.out.write(f"\x1b[{self.drawn}F\x1b[J")
                    self.drawn = 0
                self.out.write(f"--- log of Pod {ev.namespace}/{ev.pod} ---\n{ev.text}\n")
            else:
                return
            self._draw()


def make_view(mode: str, out: IO[str] | None = None, *, ordered: bool = False) -> Any:
    """The view for ``--progress``: auto is the table on a terminal; without one, plain lines for
    ``--wait=ordered`` and nothing otherwise, so that a script reading what `helm` writes to stderr
    (Helm prints nothing while it waits) sees the same from `pilot`."""
    out = out or sys.stderr
    if mode == "none":
        return None
    if mode == "table" or (mode == "auto" and out.isatty() and os.environ.get("TERM") != "dumb"):
        return TableView(out)
    if mode == "auto" and not ordered:
        return None
    return PlainView(out)


def attach(cfg: Any, args: argparse.Namespace, action: Any = None) -> None:
    """Configure waiting from the flags: progress view, fail-fast grace, logs, sequencing conventions."""
    from pilothouse.action.config import parse_duration
    from pilothouse.action.sequencing import parse_conventions

    cfg.progress = make_view(getattr(args, "progress", "auto") or "auto",
                             ordered=getattr(args, "wait", None) == "ordered")
    cfg.fail_grace = parse_duration(getattr(args, "fail_grace", "2s") or "0s")
    cfg.pod_logs = bool(getattr(args, "logs", False))
    if action is not None:
        action.sequence_annotations = parse_conventions(getattr(args, "sequence_annotations", "") or None)
