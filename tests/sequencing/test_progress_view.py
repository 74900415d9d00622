"""The CLI's drawing of progress events: a table redrawn in place on a terminal, lines elsewhere."""

from __future__ import annotations

import io

from pilothouse.cli.progress_view import PlainView, TableView, make_view
from pilothouse.kube.progress import ObjectStatus, PodLog, StepStarted


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_table_redrawn_in_place():
    out = Tty()
    view = make_view("auto", out)
    assert isinstance(view, TableView)
    view(StepStarted(1, 2, "app database", 2))
    view(ObjectStatus("Deployment", "default", "db", "InProgress", "Ready: 0/2", 0, 2, 0.0))
    first = out.getvalue()
    assert "step 1/2: app database" in first and "KIND" in first and "READY" in first and "AGE" in first
    row = next(line for line in first.splitlines() if " db " in line)
    assert "0/2" in row and "InProgress" in row
    view(ObjectStatus("Deployment", "default", "db", "InProgress", "", 1, 2, 1.0, failure="Pod db-0: ErrImagePull"))
    second = out.getvalue()[len(first):]
    # the cursor goes back up over the previous drawing (3 lines) and redraws it
    assert second.startswith("\x1b[3F")
    assert "Failed" in second and "! Pod db-0: ErrImagePull" in second


def test_pipe_gets_one_plain_line_per_change():
    out = io.StringIO()
    # without a terminal, plain lines for --wait=ordered; other waits print nothing, as helm does
    assert make_view("auto", out) is None
    view = make_view("auto", out, ordered=True)
    assert isinstance(view, PlainView)
    view(ObjectStatus("Job", "default", "migrate", "InProgress", "Job in progress", 0, 1, 0.0))
    view(PodLog("default", "migrate-x", "boom\n"))
    assert out.getvalue() == ("Job/migrate: InProgress 0/1 Job in progress [0s]\n"
                              "--- log of Pod default/migrate-x ---\nboom\n")
    assert "\x1b" not in out.getvalue()


def test_none_draws_nothing():
    assert make_view("none", Tty()) is None
