"""`pilot rollback --description` and the revision a rollback records, as Helm 4.2 has them.

Helm 4.1 has neither (the oracle binary is 4.1.4), so the expected values come from Helm 4.2's source:
pkg/cmd/rollback.go (the flag and its length check before anything else) and pkg/action/rollback.go
(MaxDescriptionLength = 256 runes; the new revision's Info.Description and Info.RollbackRevision)."""

from __future__ import annotations

import json

import pytest
from lifecycle_helpers import CHART


@pytest.fixture
def pilot(srv, pilot_in_process):
    run = pilot_in_process(srv)
    assert run("install", "web", CHART)[0] == 0
    assert run("upgrade", "web", CHART, "--set", "color=blue")[0] == 0
    return run


def _history(pilot) -> list[tuple[int, str, str]]:
    rc, out, _ = pilot("history", "web", "-o", "json")
    assert rc == 0
    return [(h["revision"], h["status"], h["description"]) for h in json.loads(out)]


def test_description_is_the_new_revisions(pilot):
    rc, out, err = pilot("rollback", "web", "1", "--description", "Reverting due to bug in version 2")
    assert (rc, out, err) == (0, "Rollback was a success! Happy Helming!\n", "")
    assert _history(pilot)[-1] == (3, "deployed", "Reverting due to bug in version 2")


def test_without_description_the_default_stays(pilot):
    assert pilot("rollback", "web")[0] == 0
    assert _history(pilot)[-1] == (3, "deployed", "Rollback to 1")


def test_rollback_revision_is_recorded(pilot):
    assert pilot("rollback", "web", "1")[0] == 0
    rc, out, _ = pilot("status", "web", "-o", "json")
    info = json.loads(out)["info"]
    # the field sits between status and notes (Go's struct order) and only on a rollback's revision
    assert info["rollback_revision"] == 1
    keys = list(info)
    assert keys.index("status") + 1 == keys.index("rollback_revision")
    rc, out, _ = pilot("status", "web", "--revision", "2", "-o", "json")
    assert "rollback_revision" not in json.loads(out)["info"]


def test_too_long_a_description_changes_nothing(pilot):
    rc, out, err = pilot("rollback", "web", "1", "--description", "a" * 257)
    assert (rc, out, err) == (1, "", "Error: description must be 256 characters or less, got 257\n")
    assert [r for r, _, _ in _history(pilot)] == [1, 2]


def test_length_counts_characters_not_bytes(pilot):
    # 256 two-byte characters are 512 bytes: Helm counts runes (utf8.RuneCountInString)
    assert pilot("rollback", "web", "1", "--description", "é" * 256)[0] == 0
    assert _history(pilot)[-1][2] == "é" * 256
    rc, _, err = pilot("rollback", "web", "1", "--description", "é" * 257)
    assert rc == 1 and err == "Error: description must be 256 characters or less, got 257\n"
