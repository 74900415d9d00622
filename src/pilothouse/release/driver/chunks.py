"""Release records too big for one Secret or ConfigMap, split over several objects of the driver.

The layout (documented in docs/storage.md) follows Helm's own proposal for multi-Secret releases:
the first piece keeps the record's key as its name, piece i > 1 is named ``<key>.<i>``; every
piece has the type and the system labels a one-object record has, plus ``chunk`` (its number),
``chunks`` (how many) and ``chunksum`` (a digest of the whole encoded record). Concatenating the
``release`` data of pieces 1..N in order gives exactly what a one-object record holds.

Writes put pieces 2..N first and the first piece last, so a record becomes visible only once every
piece exists. A record whose pieces are missing, or carry another digest, or concatenate to text
of another digest, is half-written: it is never decoded, and `orphans` finds leftover pieces.
"""

from __future__ import annotations

import hashlib
import os
import signal
from typing import Any

# What the API server accepts in one Secret's or ConfigMap's data (MaxSecretSize).
MAX_PIECE = 1024 * 1024
CHUNK, CHUNKS, CHUNKSUM = "chunk", "chunks", "chunksum"
LABELS = (CHUNK, CHUNKS, CHUNKSUM)
# Tests set this to k so that the process kills itself right after writing its k-th piece.
KILL_HOOK = "PILOTHOUSE_TEST_KILL_AFTER_CHUNK"


def split(encoded: str, size: int = MAX_PIECE) -> list[str]:
    """The pieces of an encoded record: one when it fits, as Helm would store it."""
    if len(encoded) <= size:
        return [encoded]
    return [encoded[i:i + size] for i in range(0, len(encoded), size)]


def digest(encoded: str) -> str:
    """The label value naming one write of a record (40 hex digits, under the 63 allowed)."""
    return hashlib.sha256(encoded.encode("ascii")).hexdigest()[:40]


def piece_name(key: str, index: int) -> str:
    """The object name of piece ``index`` (1-based) of the record under ``key``."""
    return key if index == 1 else f"{key}.{index}"


def piece_labels(index: int, count: int, checksum: str) -> dict[str, str]:
    """The labels a piece carries besides the record's own."""
    return {CHUNK: str(index), CHUNKS: str(count), CHUNKSUM: checksum}


def labels_of(obj: dict[str, Any]) -> dict[str, str]:
    return dict((obj.get("metadata") or {}).get("labels") or {})


def count_of(obj: dict[str, Any]) -> int:
    """How many pieces the record whose first piece is ``obj`` has (1 for a plain record)."""
    labels = labels_of(obj)
    if CHUNKSUM not in labels:
        return 1
    try:
        return max(1, int(labels.get(CHUNKS, "1")))
    except ValueError:
        return 0  # unreadable: treated as half-written


def is_tail(obj: dict[str, Any]) -> bool:
    """True for piece 2..N of a chunked record (never a record by itself)."""
    labels = labels_of(obj)
    return CHUNKSUM in labels and labels.get(CHUNK, "1") != "1"


def head_name(obj: dict[str, Any]) -> str:
    """The first piece's name for a tail piece."""
    name = (obj.get("metadata") or {}).get("name") or ""
    return name.rpartition(".")[0]


def assemble(head: dict[str, Any], tails: dict[str, dict[str, Any]], encoded_of: Any) -> str | None:
    """The whole encoded record, or None when the write that made it did not finish.

    ``tails`` maps object name → object for the pieces at hand; ``encoded_of`` reads a piece's text.
    """
    count = count_of(head)
    if count == 1:
        return encoded_of(head)
    if count < 1 or count > 4096:
        return None
    checksum = labels_of(head).get(CHUNKSUM, "")
    key = (head.get("metadata") or {}).get("name") or ""
    parts = [encoded_of(head)]
    for i in range(2, count + 1):
        piece = tails.get(piece_name(key, i))
        if piece is None or labels_of(piece).get(CHUNKSUM) != checksum:
            return None
        parts.append(encoded_of(piece))
    whole = "".join(parts)
    return whole if digest(whole) == checksum else None


_written = 0


def wrote_piece() -> None:
    """Count one piece written; the test hook SIGKILLs this process after its k-th piece write."""
    global _written
    _written += 1
    at = os.environ.get(KILL_HOOK)
    if at and at.isdigit() and int(at) == _written:
        os.kill(os.getpid(), signal.SIGKILL)
