"""Times as Helm's release records hold them: Go `time.Time` in RFC 3339 with nanoseconds.

Records keep times as the exact text Go wrote (so a record read and written back is unchanged);
these helpers make new ones and turn them into the forms `helm` prints.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta, timezone

ZERO_TIME = "0001-01-01T00:00:00Z"

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$")


def _offset_text(seconds: int) -> str:
    if seconds == 0:
        return "Z"
    sign = "+" if seconds > 0 else "-"
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def format_rfc3339nano(dt: datetime, nanos: int | None = None) -> str:
    """Go's RFC3339Nano layout: fraction with trailing zeros trimmed, ``Z`` for a zero offset."""
    if dt.tzinfo is None:
        dt = dt.astimezone()
    ns = dt.microsecond * 1000 if nanos is None else nanos
    frac = f".{ns:09d}".rstrip("0") if ns else ""
    off = dt.utcoffset() or timedelta(0)
    # Go writes the year with four digits (0001 for the zero time); strftime's %Y does not pad
    return (f"{dt.year:04d}-" + dt.strftime("%m-%dT%H:%M:%S") + frac.rstrip(".")
            + _offset_text(int(off.total_seconds())))


def now() -> str:
    """The current local time as Go's `time.Now()` marshals to JSON."""
    ns = time.time_ns()
    dt = datetime.fromtimestamp(ns // 1_000_000_000).astimezone()
    return format_rfc3339nano(dt, ns % 1_000_000_000)


def parse(text: str) -> tuple[datetime, int] | None:
    """(datetime, nanoseconds) of an RFC 3339 time; None for '' or a malformed text."""
    m = _RFC3339.match(text or "")
    if not m:
        return None
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    frac = m.group(7) or ""
    ns = int(frac.ljust(9, "0")) if frac else 0
    if m.group(8):
        tz = UTC
    else:
        off = (int(m.group(10)) * 3600 + int(m.group(11)) * 60) * (1 if m.group(9) == "+" else -1)
        tz = timezone(timedelta(seconds=off))
    try:
        return datetime(y, mo, d, h, mi, s, ns // 1000, tzinfo=tz), ns
    except ValueError:
        return None


def is_zero(text: str) -> bool:
    """True for an absent time or Go's zero time."""
    p = parse(text)
    return p is None or (p[0].year == 1 and p[0].month == 1 and p[0].day == 1 and p[0].hour == 0 and p[1] == 0)


def unix(text: str) -> float:
    """Seconds since the epoch (0 when absent)."""
    p = parse(text)
    return p[0].timestamp() if p else 0.0


def _zone(dt: datetime) -> tuple[str, str]:
    off = int((dt.utcoffset() or timedelta(0)).total_seconds())
    sign = "+" if off >= 0 else "-"
    a = abs(off)
    numeric = f"{sign}{a // 3600:02d}{a % 3600 // 60:02d}"
    if off == 0:
        return numeric, "UTC"
    # Go names a parsed fixed zone by the local zone's abbreviation when the offsets agree.
    local = datetime.now().astimezone()
    if local.utcoffset() == dt.utcoffset():
        return numeric, local.strftime("%Z")
    return numeric, numeric


def go_string(text: str) -> str:
    """Go's `Time.String()`: ``2006-01-02 15:04:05.999999999 -0700 MST`` (what `helm list` shows)."""
    p = parse(text)
    if p is None:
        return "-"
    dt, ns = p
    frac = f".{ns:09d}".rstrip("0").rstrip(".") if ns else ""
    numeric, name = _zone(dt)
    return f"{dt.strftime('%Y-%m-%d %H:%M:%S')}{frac} {numeric} {name}"


def ansic(text: str) -> str:
    """Go's `time.ANSIC` layout, ``Mon Jan _2 15:04:05 2006`` (what `helm history`/`status` show)."""
    p = parse(text)
    dt = p[0] if p else datetime(1, 1, 1, tzinfo=UTC)
    return f"{dt.strftime('%a %b')} {dt.day:>2} {dt.strftime('%H:%M:%S')} {dt.year:04d}"


_GO_LAYOUT = [
    ("2006", "%Y"), ("January", "%B"), ("Monday", "%A"), ("-0700", "%z"), ("Z0700", "Z0700"), ("Z07:00", "Z07:00"),
    ("-07:00", "-07:00"), ("MST", "%Z"), ("Jan", "%b"), ("Mon", "%a"), ("01", "%m"), ("02", "%d"), ("_2", "_2"),
    ("15", "%H"), ("03", "%I"), ("04", "%M"), ("05", "%S"), ("06", "%y"), ("PM", "%p"), ("pm", "pm"),
    (".000000000", ".ns9"), (".999999999", ".ns9t"), (".000000", ".us6"), (".000", ".ms3"), ("1", "1"), ("2", "2"),
]


def go_format(text: str, layout: str) -> str:
    """`Time.Format(layout)` for the layout elements people pass to ``--time-format``."""
    p = parse(text)
    if p is None:
        return "-"
    dt, ns = p
    out = []
    i = 0
    while i < len(layout):
        for token, _ in _GO_LAYOUT:
            if layout.startswith(token, i):
                out.append(_element(token, dt, ns))
                i += len(token)
                break
        else:
            out.append(layout[i])
            i += 1
    return "".join(out)


def _element(token: str, dt: datetime, ns: int) -> str:
    numeric, name = _zone(dt)
    simple = {"2006": f"{dt.year:04d}", "January": dt.strftime("%B"), "Monday": dt.strftime("%A"),
              "-0700": numeric, "MST": name, "Jan": dt.strftime("%b"), "Mon": dt.strftime("%a"),
              "01": f"{dt.month:02d}", "02": f"{dt.day:02d}", "_2": f"{dt.day:>2}", "15": f"{dt.hour:02d}",
              "03": f"{(dt.hour % 12) or 12:02d}", "04": f"{dt.minute:02d}", "05": f"{dt.second:02d}",
              "06": f"{dt.year % 100:02d}", "PM": "PM" if dt.hour >= 12 else "AM",
              "pm": "pm" if dt.hour >= 12 else "am", "1": str(dt.month), "2": str(dt.day),
              ".000000000": f".{ns:09d}", ".000000": f".{ns // 1000:06d}", ".000": f".{ns // 1000000:03d}"}
    if token in simple:
        return simple[token]
    if token == ".999999999":
        return f".{ns:09d}".rstrip("0").rstrip(".") if ns else ""
    if token in ("Z0700", "Z07:00"):
        if numeric == "+0000":
            return "Z"
        return numeric if token == "Z0700" else numeric[:3] + ":" + numeric[3:]
    if token == "-07:00":
        return numeric[:3] + ":" + numeric[3:]
    return token
