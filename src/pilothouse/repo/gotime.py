"""Timestamps as Go's ``time.Time`` marshals them to JSON (RFC 3339 with nanoseconds)."""

from __future__ import annotations

from datetime import datetime


def rfc3339nano(moment: datetime | None = None) -> str:
    """``moment`` (default: now, local zone) as Go's ``time.RFC3339Nano``: fraction without
    trailing zeros, ``Z`` for UTC."""
    t = (moment or datetime.now()).astimezone()
    frac = f"{t.microsecond:06d}".rstrip("0")
    base = t.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if frac else "")
    off = t.utcoffset()
    if not off:
        return base + "Z"
    total = int(off.total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    return f"{base}{sign}{total // 3600:02d}:{total % 3600 // 60:02d}"
