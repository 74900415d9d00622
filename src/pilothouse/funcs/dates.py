"""Sprig's date functions (v3.3.0): date, dateInZone, toDate, dateModify, duration, ago ...

Argument handling is Go's type switch, so the surprises stay: a float64 (every number read from
values.yaml) is not a time and means *now*; `duration 95` is "0s" because the literal 95 is an
int, not an int64; unknown zones silently become UTC; `toDate` errors become the zero time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.funcs.cast import wrap_int64
from pilothouse.funcs.gotime import (
    NANOS,
    UTC,
    Duration,
    GoTime,
    Location,
    load_location,
    local,
    parse_duration,
)
from pilothouse.gotemplate.gostrconv import NumError, parse_int
from pilothouse.gotemplate.gotypes import FuncError, Int64, gofunc

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def _as_time(value: Any) -> GoTime:
    """Sprig's type switch: a time.Time, or int/int64 Unix seconds; anything else means now."""
    if isinstance(value, GoTime):
        return value
    # bool, float64, Duration, Month, uint8 ... are other Go types: the default branch.
    if type(value) is int or type(value) is Int64:
        return GoTime(int(value), 0, local())
    return GoTime.now()


def _zone(name: str) -> Location:
    try:
        return load_location(name)
    except FuncError:
        return UTC


@gofunc("string", "interface {}", "string")
def date_in_zone(fmt: str, when: Any, zone: str) -> str:
    """Format `when` in `zone` (an unknown zone means UTC)."""
    t = _as_time(when)
    return GoTime(t.unix, t.nsec, _zone(zone)).Format(fmt)


@gofunc("string", "interface {}")
def date(fmt: str, when: Any) -> str:
    """Format `when` in the local zone."""
    return date_in_zone(fmt, when, "Local")


@gofunc("interface {}")
def html_date(when: Any) -> str:
    """`when` as 2006-01-02 in the local zone."""
    return date_in_zone("2006-01-02", when, "Local")


@gofunc("interface {}", "string")
def html_date_in_zone(when: Any, zone: str) -> str:
    """`when` as 2006-01-02 in `zone`."""
    return date_in_zone("2006-01-02", when, zone)


@gofunc("string", "time.Time")
def date_modify(fmt: str, when: GoTime) -> GoTime:
    """`when` moved by a Go duration ("-1.5h"); an unparsable duration leaves it unchanged."""
    try:
        d = parse_duration(fmt)
    except FuncError:
        return when
    return when.Add(d)


@gofunc("string", "time.Time")
def must_date_modify(fmt: str, when: GoTime) -> GoTime:
    """Like dateModify, but an unparsable duration is an error."""
    return when.Add(parse_duration(fmt))


@gofunc("interface {}")
def ago(when: Any) -> str:
    """Time since `when`, rounded to the second ("2m5s"); non-times mean now ("0s")."""
    return GoTime.now().Sub(_as_time(when)).Round(NANOS).String()


def _parse_int64(s: str) -> int:
    """strconv.ParseInt(s, 10, 64) as Sprig uses it: errors give 0, except out of range clamps."""
    try:
        return parse_int(s, 10)
    except NumError as e:
        if str(e) != "value out of range":
            return 0
        # Go returns the nearest int64 along with the range error, and Sprig keeps it.
        return _INT64_MIN if s.startswith("-") else _INT64_MAX


@gofunc("interface {}")
def duration(sec: Any) -> str:
    """Seconds (a string or an int64) as a Go duration ("1m1s"); anything else is "0s"."""
    if isinstance(sec, str):
        n = _parse_int64(sec)
    elif type(sec) is Int64:
        n = int(sec)
    else:
        n = 0
    return Duration(wrap_int64(n * NANOS)).String()  # Go's int64 multiplication wraps


_ROUND_UNITS = (
    (3600 * NANOS * 24 * 365, "y"),
    (3600 * NANOS * 24 * 30, "mo"),
    (3600 * NANOS * 24, "d"),
    (3600 * NANOS, "h"),
    (60 * NANOS, "m"),
    (NANOS, "s"),
)


@gofunc("interface {}")
def duration_round(value: Any) -> str:
    """A duration (string, int64 nanoseconds, or time since a time) as its largest unit: "2h", "3mo"."""
    if isinstance(value, str):
        try:
            d = int(parse_duration(value))
        except FuncError:
            d = 0
    elif type(value) is Int64:
        d = int(value)
    elif isinstance(value, GoTime):
        d = int(GoTime.now().Sub(value))
    else:
        d = 0
    u = -d if d < 0 else d
    for size, suffix in _ROUND_UNITS:
        if u > size:
            return f"{u // size}{suffix}"
    return "0s"


@gofunc("string", "string")
def must_to_date(fmt: str, text: str) -> GoTime:
    """Parse `text` with the Go layout `fmt` in the local zone; errors are Go's."""
    from pilothouse.funcs.gotimefmt import parse_time

    loc = local()
    return parse_time(fmt, text, loc, loc)


@gofunc("string", "string")
def to_date(fmt: str, text: str) -> GoTime:
    """Like mustToDate, but an unparsable text gives the zero time."""
    try:
        return must_to_date(fmt, text)
    except FuncError:
        return GoTime.zero()


@gofunc()
def now() -> GoTime:
    """The current time in the local zone."""
    return GoTime.now()


@gofunc("time.Time")
def unix_epoch(when: GoTime) -> str:
    """Unix seconds of `when`, as a string."""
    return str(when.unix)


FUNCS: dict[str, Callable[..., Any]] = {
    "ago": ago,
    "date": date,
    "date_in_zone": date_in_zone,
    "date_modify": date_modify,
    "dateInZone": date_in_zone,
    "dateModify": date_modify,
    "duration": duration,
    "durationRound": duration_round,
    "htmlDate": html_date,
    "htmlDateInZone": html_date_in_zone,
    "must_date_modify": must_date_modify,
    "mustDateModify": must_date_modify,
    "mustToDate": must_to_date,
    "now": now,
    "toDate": to_date,
    "unixEpoch": unix_epoch,
}
