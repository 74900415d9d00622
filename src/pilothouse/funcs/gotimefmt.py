"""Go's time layouts: Time.Format and time.Parse by the reference time ``Mon Jan 2 15:04:05 MST 2006``.

A layout is scanned into literal text and *elements* ("2006", "Jan", "_2", "-07:00", ".000" ...)
exactly as Go's nextStdChunk scans it, so that the same surprises happen: "1" anywhere is a
month, "Month" is not a weekday, "_2006" is an underscore and a year.
"""

from __future__ import annotations

from pilothouse.funcs.gotime import (
    UTC,
    FixedZone,
    GoTime,
    Location,
    days_from_civil,
    days_in,
    go_time_quote,
    is_leap,
)
from pilothouse.gotemplate.gotypes import FuncError

# Element kinds (names follow Go's std* constants).
LONG_MONTH, MONTH, NUM_MONTH, ZERO_MONTH = "January", "Jan", "1", "01"
LONG_WEEKDAY, WEEKDAY = "Monday", "Mon"
DAY, UNDER_DAY, ZERO_DAY = "2", "_2", "02"
UNDER_YEAR_DAY, ZERO_YEAR_DAY = "__2", "002"
HOUR, HOUR12, ZERO_HOUR12 = "15", "3", "03"
MINUTE, ZERO_MINUTE, SECOND, ZERO_SECOND = "4", "04", "5", "05"
LONG_YEAR, YEAR = "2006", "06"
PM_UPPER, PM_LOWER = "PM", "pm"
TZ = "MST"
ISO_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_COLON_SECONDS_TZ = (
    "Z0700", "Z070000", "Z07", "Z07:00", "Z07:00:00"
)  # fmt: skip
NUM_TZ, NUM_SECONDS_TZ, NUM_SHORT_TZ, NUM_COLON_TZ, NUM_COLON_SECONDS_TZ = (
    "-0700", "-070000", "-07", "-07:00", "-07:00:00"
)  # fmt: skip
FRAC0, FRAC9 = ".0", ".9"  # plus digit count and separator, see Chunk

_ISO = {ISO_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_COLON_SECONDS_TZ}
_ZONES = _ISO | {NUM_TZ, NUM_SECONDS_TZ, NUM_SHORT_TZ, NUM_COLON_TZ, NUM_COLON_SECONDS_TZ}
_ZERO_X = {"1": ZERO_MONTH, "2": ZERO_DAY, "3": ZERO_HOUR12, "4": ZERO_MINUTE, "5": ZERO_SECOND, "6": YEAR}

_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")  # fmt: skip
_SHORT_DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_LONG_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


class Chunk:
    """One layout element: its kind, the layout text it came from, and for fractions the digits."""

    __slots__ = ("kind", "text", "digits", "sep")

    def __init__(self, kind: str, text: str, digits: int = 0, sep: str = ".") -> None:
        self.kind, self.text, self.digits, self.sep = kind, text, digits, sep


def _lower_next(s: str, i: int) -> bool:
    return i < len(s) and "a" <= s[i] <= "z"


def next_chunk(layout: str) -> tuple[str, Chunk | None, str]:
    """(text before the first element, the element or None, text after it)."""
    n = len(layout)
    for i, c in enumerate(layout):
        rest = layout[i:]
        if c == "J" and rest.startswith("Jan"):
            if rest.startswith("January"):
                return layout[:i], Chunk(LONG_MONTH, "January"), layout[i + 7 :]
            if not _lower_next(layout, i + 3):
                return layout[:i], Chunk(MONTH, "Jan"), layout[i + 3 :]
        elif c == "M" and n >= i + 3:
            if rest.startswith("Mon"):
                if rest.startswith("Monday"):
                    return layout[:i], Chunk(LONG_WEEKDAY, "Monday"), layout[i + 6 :]
                if not _lower_next(layout, i + 3):
                    return layout[:i], Chunk(WEEKDAY, "Mon"), layout[i + 3 :]
            if rest.startswith("MST"):
                return layout[:i], Chunk(TZ, "MST"), layout[i + 3 :]
        elif c == "0":
            if n >= i + 2 and "1" <= layout[i + 1] <= "6":
                return layout[:i], Chunk(_ZERO_X[layout[i + 1]], rest[:2]), layout[i + 2 :]
            if rest.startswith("002"):
                return layout[:i], Chunk(ZERO_YEAR_DAY, "002"), layout[i + 3 :]
        elif c == "1":
            if n >= i + 2 and layout[i + 1] == "5":
                return layout[:i], Chunk(HOUR, "15"), layout[i + 2 :]
            return layout[:i], Chunk(NUM_MONTH, "1"), layout[i + 1 :]
        elif c == "2":
            if rest.startswith("2006"):
                return layout[:i], Chunk(LONG_YEAR, "2006"), layout[i + 4 :]
            return layout[:i], Chunk(DAY, "2"), layout[i + 1 :]
        elif c == "_":
            if n >= i + 2 and layout[i + 1] == "2":
                if rest.startswith("_2006"):
                    # A literal underscore followed by a long year.
                    return layout[: i + 1], Chunk(LONG_YEAR, "2006"), layout[i + 5 :]
                return layout[:i], Chunk(UNDER_DAY, "_2"), layout[i + 2 :]
            if rest.startswith("__2"):
                return layout[:i], Chunk(UNDER_YEAR_DAY, "__2"), layout[i + 3 :]
        elif c == "3":
            return layout[:i], Chunk(HOUR12, "3"), layout[i + 1 :]
        elif c == "4":
            return layout[:i], Chunk(MINUTE, "4"), layout[i + 1 :]
        elif c == "5":
            return layout[:i], Chunk(SECOND, "5"), layout[i + 1 :]
        elif c == "P" and rest.startswith("PM"):
            return layout[:i], Chunk(PM_UPPER, "PM"), layout[i + 2 :]
        elif c == "p" and rest.startswith("pm"):
            return layout[:i], Chunk(PM_LOWER, "pm"), layout[i + 2 :]
        elif c in "-Z":
            sign = c
            for kind_tail in ("070000", "07:00:00", "0700", "07:00", "07"):
                if rest.startswith(sign + kind_tail):
                    text = sign + kind_tail  # the zone kind constants are these texts
                    return layout[:i], Chunk(text, text), layout[i + len(text) :]
        elif c in ".," and i + 1 < n and layout[i + 1] in "09":
            ch = layout[i + 1]
            j = i + 1
            while j < n and layout[j] == ch:
                j += 1
            # The run of digits must end here: only a fractional second is all digits.
            if not (j < n and "0" <= layout[j] <= "9"):
                kind = FRAC0 if ch == "0" else FRAC9
                return layout[:i], Chunk(kind, layout[i:j], j - (i + 1), c), layout[j:]
    return layout, None, ""


# ----- formatting --------------------------------------------------------------------------


def _pad(x: int, width: int) -> str:
    s = str(abs(x)).rjust(width, "0")
    return "-" + s if x < 0 else s


def format_time(t: GoTime, layout: str) -> str:
    """Go's Time.Format."""
    name, offset = t.zone()
    year, month, day, hour, minute, sec = t.civil()
    out: list[str] = []
    while layout:
        prefix, chunk, layout = next_chunk(layout)
        out.append(prefix)
        if chunk is None:
            break
        k = chunk.kind
        if k == YEAR:
            out.append(_pad(abs(year) % 100, 2))
        elif k == LONG_YEAR:
            out.append(_pad(year, 4))
        elif k == MONTH:
            out.append(_LONG_MONTHS[month - 1][:3])
        elif k == LONG_MONTH:
            out.append(_LONG_MONTHS[month - 1])
        elif k == NUM_MONTH:
            out.append(str(month))
        elif k == ZERO_MONTH:
            out.append(_pad(month, 2))
        elif k == WEEKDAY:
            out.append(_LONG_DAYS[t.weekday()][:3])
        elif k == LONG_WEEKDAY:
            out.append(_LONG_DAYS[t.weekday()])
        elif k == DAY:
            out.append(str(day))
        elif k == UNDER_DAY:
            out.append(str(day).rjust(2))
        elif k == ZERO_DAY:
            out.append(_pad(day, 2))
        elif k == UNDER_YEAR_DAY:
            out.append(str(t.yday()).rjust(3))
        elif k == ZERO_YEAR_DAY:
            out.append(_pad(t.yday(), 3))
        elif k == HOUR:
            out.append(_pad(hour, 2))
        elif k in (HOUR12, ZERO_HOUR12):
            hr = hour % 12 or 12  # noon is 12PM, midnight 12AM
            out.append(str(hr) if k == HOUR12 else _pad(hr, 2))
        elif k == MINUTE:
            out.append(str(minute))
        elif k == ZERO_MINUTE:
            out.append(_pad(minute, 2))
        elif k == SECOND:
            out.append(str(sec))
        elif k == ZERO_SECOND:
            out.append(_pad(sec, 2))
        elif k == PM_UPPER:
            out.append("PM" if hour >= 12 else "AM")
        elif k == PM_LOWER:
            out.append("pm" if hour >= 12 else "am")
        elif k in _ZONES:
            out.append(_format_offset(k, offset))
        elif k == TZ:
            if name:
                out.append(name)
            else:
                # No abbreviation known: Go prints the offset as -0700.
                z = offset // 60 if offset >= 0 else -(-offset // 60)
                out.append(("-" if z < 0 else "+") + _pad(abs(z) // 60, 2) + _pad(abs(z) % 60, 2))
        elif k in (FRAC0, FRAC9):
            out.append(_format_nanos(t.nsec, chunk))
    return "".join(out)


def _format_offset(k: str, offset: int) -> str:
    if offset == 0 and k in _ISO:
        return "Z"
    # Go divides toward zero, so sub-minute negative offsets keep their sign on the minutes.
    zone = int(offset / 60)
    absoffset = offset
    sign = "+"
    if zone < 0:
        sign, zone, absoffset = "-", -zone, -offset
    s = sign + _pad(zone // 60, 2)
    if k in (ISO_COLON_TZ, NUM_COLON_TZ, ISO_COLON_SECONDS_TZ, NUM_COLON_SECONDS_TZ):
        s += ":"
    if k not in (NUM_SHORT_TZ, ISO_SHORT_TZ):
        s += _pad(zone % 60, 2)
    if k in (ISO_SECONDS_TZ, NUM_SECONDS_TZ, NUM_COLON_SECONDS_TZ, ISO_COLON_SECONDS_TZ):
        if k in (NUM_COLON_SECONDS_TZ, ISO_COLON_SECONDS_TZ):
            s += ":"
        s += _pad(absoffset % 60, 2)
    return s


def _format_nanos(nsec: int, chunk: Chunk) -> str:
    trim = chunk.kind == FRAC9
    n = chunk.digits
    if trim and (n == 0 or nsec == 0):
        return ""
    s = chunk.sep + _pad(nsec, 9)[:n]  # never more than nine digits
    if trim:
        s = s.rstrip("0")
        if s == chunk.sep:
            s = ""
    return s


# ----- parsing -----------------------------------------------------------------------------


class _Bad(Exception):
    """An element did not match (Go's errBad)."""


def _is_digit(s: str, i: int) -> bool:
    return i < len(s) and "0" <= s[i] <= "9"


def _getnum(s: str, fixed: bool) -> tuple[int, str]:
    if not _is_digit(s, 0):
        raise _Bad
    if not _is_digit(s, 1):
        if fixed:
            raise _Bad
        return int(s[0]), s[1:]
    return int(s[:2]), s[2:]


def _getnum3(s: str, fixed: bool) -> tuple[int, str]:
    i = 0
    while i < 3 and _is_digit(s, i):
        i += 1
    if i == 0 or (fixed and i != 3):
        raise _Bad
    return int(s[:i]), s[i:]


def _leading_int(s: str) -> tuple[int, str]:
    i = 0
    x = 0
    while i < len(s) and "0" <= s[i] <= "9":
        x = x * 10 + int(s[i])
        if x > 1 << 63:
            raise _Bad
        i += 1
    return x, s[i:]


def _atoi(s: str) -> int:
    neg = False
    if s and s[0] in "+-":
        neg, s = s[0] == "-", s[1:]
    x, rem = _leading_int(s)
    if rem:
        raise _Bad
    return -x if neg else x


def _lookup(table: tuple[str, ...], value: str) -> tuple[int, str]:
    for i, name in enumerate(table):
        head = value[: len(name)]
        # Go folds ASCII letters only; the names are ASCII, so an ASCII head compares alike.
        if len(head) == len(name) and head.isascii() and head.lower() == name.lower():
            return i, value[len(name) :]
    raise _Bad


def _skip(value: str, prefix: str) -> str:
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                raise _Bad
            prefix = prefix.lstrip(" ")
            value = value.lstrip(" ")
            continue
        if not value or value[0] != prefix[0]:
            raise _Bad
        prefix, value = prefix[1:], value[1:]
    return value


def _parse_nanos(value: str, nbytes: int) -> tuple[int, str]:
    """(nanoseconds, range error text) of a fraction like ".123"."""
    if value[0] not in ".,":
        raise _Bad
    if nbytes > 10:
        value, nbytes = value[:10], 10
    ns = _atoi(value[1:nbytes])
    if ns < 0:
        return 0, "fractional second"
    return ns * 10 ** (10 - nbytes), ""


def _parse_signed_offset(value: str) -> int:
    if not value or value[0] not in "+-":
        return 0
    try:
        x, rem = _leading_int(value[1:])
    except _Bad:
        return 0
    if rem == value[1:] or x > 23:
        return 0
    return len(value) - len(rem)


def _parse_timezone(value: str) -> int | None:
    """Length of a zone abbreviation at the start of value (Go's heuristics), or None."""
    if len(value) < 3:
        return None
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value[:3] == "GMT":
        return 3 + (_parse_signed_offset(value[3:]) if len(value) > 3 else 0)
    if value[0] in "+-":
        n = _parse_signed_offset(value)
        return n if n > 0 else None
    upper = 0
    while upper < 6 and upper < len(value) and "A" <= value[upper] <= "Z":
        upper += 1
    if upper == 3:
        return 3
    if upper == 4 and (value[3] == "T" or value[:4] == "WITA"):
        return 4
    if upper == 5 and value[4] == "T":
        return 5
    return None


def _err(layout: str, value: str, elem: str, value_elem: str, message: str = "") -> FuncError:
    if message:
        return FuncError("parsing time " + go_time_quote(value) + message)
    return FuncError(
        f"parsing time {go_time_quote(value)} as {go_time_quote(layout)}: "
        f"cannot parse {go_time_quote(value_elem)} as {go_time_quote(elem)}"
    )


def parse_time(layout: str, value: str, default_loc: Location, local: Location) -> GoTime:
    """Go's time.parse: `default_loc` when the text names no zone, `local` to resolve zone names."""
    alayout, avalue = layout, value
    am = pm = False
    year, month, day, yday = 0, -1, -1, -1
    hour = minute = sec = nsec = 0
    z: Location | None = None
    zone_offset, zone_name = -1, ""
    while True:
        prefix, chunk, suffix = next_chunk(layout)
        stdstr = layout[len(prefix) : len(layout) - len(suffix)]
        try:
            value = _skip(value, prefix)
        except _Bad:
            raise _err(alayout, avalue, prefix, value) from None
        if chunk is None:
            if value:
                raise _err(alayout, avalue, "", value, ": extra text: " + go_time_quote(value))
            break
        layout = suffix
        hold = value
        range_err = ""
        k = chunk.kind
        try:
            if k == YEAR:
                if len(value) < 2:
                    raise _Bad
                p, value = value[:2], value[2:]
                year = _atoi(p)
                year += 1900 if year >= 69 else 2000
            elif k == LONG_YEAR:
                if len(value) < 4 or not _is_digit(value, 0):
                    raise _Bad
                p, value = value[:4], value[4:]
                year = _atoi(p)
            elif k in (MONTH, LONG_MONTH):
                month, value = _lookup(_SHORT_MONTHS if k == MONTH else _LONG_MONTHS, value)
                month += 1
            elif k in (NUM_MONTH, ZERO_MONTH):
                month, value = _getnum(value, k == ZERO_MONTH)
                if month <= 0 or month > 12:
                    range_err = "month"
            elif k in (WEEKDAY, LONG_WEEKDAY):
                _, value = _lookup(_SHORT_DAYS if k == WEEKDAY else _LONG_DAYS, value)
            elif k in (DAY, UNDER_DAY, ZERO_DAY):
                if k == UNDER_DAY and value[:1] == " ":
                    value = value[1:]
                day, value = _getnum(value, k == ZERO_DAY)
            elif k in (UNDER_YEAR_DAY, ZERO_YEAR_DAY):
                for _ in range(2):
                    if k == UNDER_YEAR_DAY and value[:1] == " ":
                        value = value[1:]
                yday, value = _getnum3(value, k == ZERO_YEAR_DAY)
            elif k == HOUR:
                hour, value = _getnum(value, False)
                if hour >= 24:
                    range_err = "hour"
            elif k in (HOUR12, ZERO_HOUR12):
                hour, value = _getnum(value, k == ZERO_HOUR12)
                if hour > 12:
                    range_err = "hour"
            elif k in (MINUTE, ZERO_MINUTE):
                minute, value = _getnum(value, k == ZERO_MINUTE)
                if minute >= 60:
                    range_err = "minute"
            elif k in (SECOND, ZERO_SECOND):
                sec, value = _getnum(value, k == ZERO_SECOND)
                if sec >= 60:
                    range_err = "second"
                elif len(value) >= 2 and value[0] in ".," and _is_digit(value, 1):
                    # A fraction in the input that the layout does not mention is still read.
                    nxt = next_chunk(layout)[1]
                    if nxt is None or nxt.kind not in (FRAC0, FRAC9):
                        n = 2
                        while n < len(value) and _is_digit(value, n):
                            n += 1
                        nsec, range_err = _parse_nanos(value, n)
                        value = value[n:]
            elif k in (PM_UPPER, PM_LOWER):
                if len(value) < 2:
                    raise _Bad
                p, value = value[:2], value[2:]
                if p == ("PM" if k == PM_UPPER else "pm"):
                    pm = True
                elif p == ("AM" if k == PM_UPPER else "am"):
                    am = True
                else:
                    raise _Bad
            elif k in _ZONES:
                if k in _ISO and value[:1] == "Z":
                    value, z = value[1:], UTC
                else:
                    value, zone_offset, range_err = _parse_offset(k, value)
            elif k == TZ:
                if value[:3] == "UTC":
                    z, value = UTC, value[3:]
                else:
                    n = _parse_timezone(value)
                    if n is None:
                        raise _Bad
                    zone_name, value = value[:n], value[n:]
            elif k == FRAC0:
                ndigit = 1 + chunk.digits
                if len(value) < ndigit:
                    raise _Bad
                nsec, range_err = _parse_nanos(value, ndigit)
                value = value[ndigit:]
            elif k == FRAC9:
                if len(value) >= 2 and value[0] in ".," and _is_digit(value, 1):
                    i = 0
                    while i + 1 < len(value) and _is_digit(value, i + 1):
                        i += 1
                    nsec, range_err = _parse_nanos(value, 1 + i)
                    value = value[1 + i :]
        except _Bad:
            if range_err:
                raise _err(alayout, avalue, stdstr, value, ": " + range_err + " out of range") from None
            raise _err(alayout, avalue, stdstr, hold) from None
        if range_err:
            raise _err(alayout, avalue, stdstr, value, ": " + range_err + " out of range")

    if pm and hour < 12:
        hour += 12
    elif am and hour == 12:
        hour = 0

    if yday >= 0:
        m = d = 0
        if is_leap(year):
            if yday == 31 + 29:
                m, d = 2, 29
            elif yday > 31 + 29:
                yday -= 1
        if yday < 1 or yday > 365:
            raise _err(alayout, avalue, "", value, ": day-of-year out of range")
        if m == 0:
            m = (yday - 1) // 31 + 1
            if _days_before(m + 1) < yday:
                m += 1
            d = yday - _days_before(m)
        if month >= 0 and month != m:
            raise _err(alayout, avalue, "", value, ": day-of-year does not match month")
        month = m
        if day >= 0 and day != d:
            raise _err(alayout, avalue, "", value, ": day-of-year does not match day")
        day = d
    else:
        month = 1 if month < 0 else month
        day = 1 if day < 0 else day

    if day < 1 or day > days_in(month, year):
        raise _err(alayout, avalue, "", value, ": day out of range")

    if z is not None:
        return GoTime.date(year, month, day, hour, minute, sec, nsec, z)

    if zone_offset != -1:
        t = GoTime.date(year, month, day, hour, minute, sec, nsec, UTC)
        t.unix -= zone_offset
        name, offset = local.lookup(t.unix)
        if offset == zone_offset and (zone_name == "" or name == zone_name):
            t.loc = local
        else:
            t.loc = FixedZone(zone_name, zone_offset)
        return t

    if zone_name:
        t = GoTime.date(year, month, day, hour, minute, sec, nsec, UTC)
        found = local.lookup_name(zone_name, t.unix)
        if found is not None:
            t.unix -= found
            t.loc = local
            return t
        offset = 0
        if len(zone_name) > 3 and zone_name[:3] == "GMT":
            # The instant is not shifted by this offset: Go's behaviour, kept.
            offset = _atoi(zone_name[3:]) * 3600
        t.loc = FixedZone(zone_name, offset)
        return t

    return GoTime.date(year, month, day, hour, minute, sec, nsec, default_loc)


def _days_before(m: int) -> int:
    """Days in the months before month m of a non-leap year (m may be 13)."""
    return days_from_civil(1970, m, 1) - days_from_civil(1970, 1, 1) if m <= 12 else 365


def _parse_offset(k: str, value: str) -> tuple[str, int, str]:
    """Read a numeric zone offset; (rest of value, offset seconds, range error text)."""
    if k in (ISO_COLON_TZ, NUM_COLON_TZ):
        if len(value) < 6 or value[3] != ":":
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[4:6], "00", value[6:]
    elif k in (NUM_SHORT_TZ, ISO_SHORT_TZ):
        if len(value) < 3:
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], "00", "00", value[3:]
    elif k in (ISO_COLON_SECONDS_TZ, NUM_COLON_SECONDS_TZ):
        if len(value) < 9 or value[3] != ":" or value[6] != ":":
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[4:6], value[7:9], value[9:]
    elif k in (ISO_SECONDS_TZ, NUM_SECONDS_TZ):
        if len(value) < 7:
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[3:5], value[5:7], value[7:]
    else:
        if len(value) < 5:
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[3:5], "00", value[5:]
    hr = _getnum(hh, True)[0]
    mi = _getnum(mm, True)[0]
    se = _getnum(ss, True)[0]
    range_err = ""
    # Go compares with > so that offsets of 24 hours or 60 minutes are accepted.
    if hr > 24:
        range_err = "time zone offset hour"
    if mi > 60:
        range_err = "time zone offset minute"
    if se > 60:
        range_err = "time zone offset second"
    offset = (hr * 60 + mi) * 60 + se
    if sign == "-":
        offset = -offset
    elif sign != "+":
        raise _Bad
    return value, offset, range_err
