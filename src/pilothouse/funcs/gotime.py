"""Go's time.Time, time.Duration and time.Location, as Sprig's date functions hand them to templates.

Python's datetime cannot stand in for time.Time: Go times reach year 0 (``toDate "15:04" "10:30"``),
carry nanoseconds and a monotonic clock reading (``{{ now }}`` prints ``m=+0.0123``), and their
location decides the zone name printed. So a `GoTime` keeps Unix seconds, nanoseconds and a
`Location`, and does its own proleptic-Gregorian arithmetic; zoneinfo is used only to look up
offsets and abbreviations. Layout formatting and parsing live in `gotimefmt`.
"""

from __future__ import annotations

import os
import struct
import time as _time
from typing import ClassVar

from pilothouse.funcs.cast import wrap_int64
from pilothouse.gotemplate.gotypes import NAMED_INTS, FuncError, GoObject, Int64, gofunc

NANOS = 1_000_000_000
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
# Unix seconds of Go's zero time, January 1, year 1, 00:00:00 UTC.
ZERO_UNIX = -62135596800
# Go measures the monotonic reading printed as "m=+..." from process start.
_MONO_START = _time.monotonic_ns()


# ----- calendar arithmetic (proleptic Gregorian, any year) ---------------------------------


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a civil date (m in 1..12)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z: int) -> tuple[int, int, int]:
    """(year, month, day) of a day count since 1970-01-01."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (m <= 2), m, d


def is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in(month: int, year: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def go_time_quote(s: str) -> str:
    """The time package's own quoting (non-ASCII and control bytes as \\x escapes)."""
    out = ['"']
    for ch in s:
        if ord(ch) >= 0x80 or ch < " ":
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
        else:
            if ch in ('"', "\\"):
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


# ----- named integer types with String methods ---------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


class Month(int, GoObject):
    """A Go time.Month: an int that prints as "January"."""

    go_type: ClassVar[str] = "time.Month"
    go_kind: ClassVar[str] = "int"
    go_methods: ClassVar[frozenset[str]] = frozenset({"String"})

    def String(self) -> str:  # noqa: N802 - Go method name
        return _MONTHS[self - 1] if 1 <= self <= 12 else f"%!Month({int(self)})"

    def go_string(self) -> str:
        return self.String()

    def go_json(self) -> int:
        return int(self)


class Weekday(int, GoObject):
    """A Go time.Weekday: an int (Sunday = 0) that prints as "Sunday"."""

    go_type: ClassVar[str] = "time.Weekday"
    go_kind: ClassVar[str] = "int"
    go_methods: ClassVar[frozenset[str]] = frozenset({"String"})

    def String(self) -> str:  # noqa: N802
        return _DAYS[self] if 0 <= self <= 6 else f"%!Weekday({int(self)})"

    def go_string(self) -> str:
        return self.String()

    def go_json(self) -> int:
        return int(self)


def _frac(v: int, prec: int) -> tuple[str, int]:
    """Go's fmtFrac: the last `prec` digits as a fraction without trailing zeros, and v / 10**prec."""
    digits = []
    printed = False
    for _ in range(prec):
        digit = v % 10
        printed = printed or digit != 0
        if printed:
            digits.append(str(digit))
        v //= 10
    return ("." + "".join(reversed(digits)) if printed else ""), v


class Duration(int, GoObject):
    """A Go time.Duration: int64 nanoseconds that print as "1h2m3.5s"."""

    go_type: ClassVar[str] = "time.Duration"
    go_kind: ClassVar[str] = "int64"
    go_methods: ClassVar[frozenset[str]] = frozenset(
        {"String", "Hours", "Minutes", "Seconds", "Milliseconds", "Microseconds", "Nanoseconds",
         "Round", "Truncate", "Abs"}
    )  # fmt: skip

    def String(self) -> str:  # noqa: N802
        d = int(self)
        if d == 0:
            return "0s"
        u = -d if d < 0 else d
        if u < NANOS:
            if u < 1000:
                s = f"{u}ns"
            elif u < 1_000_000:
                f, w = _frac(u, 3)
                s = f"{w}{f}µs"
            else:
                f, w = _frac(u, 6)
                s = f"{w}{f}ms"
        else:
            f, u = _frac(u, 9)
            s = f"{u % 60}{f}s"
            u //= 60
            if u > 0:
                s = f"{u % 60}m{s}"
                u //= 60
                if u > 0:
                    s = f"{u}h{s}"
        return "-" + s if d < 0 else s

    def go_string(self) -> str:
        return self.String()

    def go_json(self) -> int:
        return int(self)

    def Hours(self) -> float:  # noqa: N802
        return int(self) / (3600 * NANOS)

    def Minutes(self) -> float:  # noqa: N802
        return int(self) / (60 * NANOS)

    def Seconds(self) -> float:  # noqa: N802
        return int(self) / NANOS

    def Milliseconds(self) -> Int64:  # noqa: N802
        return Int64(int(int(self) / 1_000_000))

    def Microseconds(self) -> Int64:  # noqa: N802
        return Int64(int(int(self) / 1000))

    def Nanoseconds(self) -> Int64:  # noqa: N802
        return Int64(int(self))

    def Abs(self) -> Duration:  # noqa: N802
        d = int(self)
        return Duration(_INT64_MAX if d == _INT64_MIN else abs(d))

    @gofunc("time.Duration")
    def Truncate(self, m: int) -> Duration:  # noqa: N802
        d, m = int(self), int(m)
        if m <= 0:
            return Duration(d)
        return Duration(d - int(_go_rem(d, m)))

    @gofunc("time.Duration")
    def Round(self, m: int) -> Duration:  # noqa: N802
        d, m = int(self), int(m)
        if m <= 0:
            return Duration(d)
        r = _go_rem(d, m)
        if d < 0:
            r = -r
            if r + r < m:
                return Duration(d + r)
            d1 = d - m + r
            return Duration(d1 if d1 < d else _INT64_MIN)
        if r + r < m:
            return Duration(d - r)
        d1 = d + m - r
        return Duration(d1 if d1 > d else _INT64_MAX)


def _go_rem(a: int, b: int) -> int:
    """Go's % (the sign follows the dividend)."""
    r = abs(a) % abs(b)
    return -r if a < 0 else r


NAMED_INTS["time.Duration"] = Duration


_UNITS = {"ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 1_000_000, "s": NANOS, "m": 60 * NANOS,
          "h": 3600 * NANOS}  # fmt: skip


def parse_duration(s: str) -> Duration:
    """Go's time.ParseDuration ("300ms", "-1.5h", "2h45m"); raises FuncError with Go's text."""
    orig, neg, total = s, False, 0
    bad = FuncError("time: invalid duration " + go_time_quote(orig))
    if s and s[0] in "+-":
        neg, s = s[0] == "-", s[1:]
    if s == "0":
        return Duration(0)
    if not s:
        raise bad
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise bad
        i = 0
        while i < len(s) and "0" <= s[i] <= "9":
            i += 1
        pre = i > 0
        v = int(s[:i]) if pre else 0
        if v > 1 << 63:
            raise bad
        s = s[i:]
        f, scale, post = 0, 1.0, False
        if s and s[0] == ".":
            s = s[1:]
            i = 0
            overflow = False
            while i < len(s) and "0" <= s[i] <= "9":
                # Precision stops growing once the fraction would overflow, as in Go.
                if not overflow:
                    y = f * 10 + int(s[i])
                    if f > ((1 << 63) - 1) // 10 or y > 1 << 63:
                        overflow = True
                    else:
                        f, scale = y, scale * 10
                i += 1
            post = i > 0
            s = s[i:]
        if not pre and not post:
            raise bad
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise FuncError("time: missing unit in duration " + go_time_quote(orig))
        unit_name, s = s[:i], s[i:]
        unit = _UNITS.get(unit_name)
        if unit is None:
            raise FuncError(f"time: unknown unit {go_time_quote(unit_name)} in duration {go_time_quote(orig)}")
        if v > (1 << 63) // unit:
            raise bad
        v *= unit
        if f > 0:
            v += int(float(f) * (float(unit) / scale))
            if v > 1 << 63:
                raise bad
        total += v
        if total > 1 << 63:
            raise bad
    if neg:
        return Duration(wrap_int64(-total))
    if total > _INT64_MAX:
        raise bad
    return Duration(total)


# ----- locations ---------------------------------------------------------------------------


class Location(GoObject):
    """A Go *time.Location: a name plus a way to find the zone in effect at an instant."""

    go_type: ClassVar[str] = "*time.Location"
    go_kind: ClassVar[str] = "ptr"
    go_methods: ClassVar[frozenset[str]] = frozenset({"String"})

    def __init__(self, name: str) -> None:
        self.name = name

    def lookup(self, unix: int) -> tuple[str, int]:
        """(zone abbreviation, offset in seconds east of UTC) in effect at `unix`."""
        return "UTC", 0

    def zones(self) -> list[tuple[str, int]]:
        """Every (abbreviation, offset) this location ever uses, in the order Go keeps them."""
        return []

    def lookup_name(self, name: str, unix: int) -> int | None:
        """The offset of zone `name`, preferring one in effect near `unix` (Go's lookupName)."""
        candidates = [off for zname, off in self.zones() if zname == name]
        for off in candidates:
            if self.lookup(unix - off)[0] == name:
                return self.lookup(unix - off)[1]
        return candidates[0] if candidates else None

    def String(self) -> str:  # noqa: N802
        return self.name

    def go_string(self) -> str:
        return self.name

    def go_json(self) -> dict[str, object]:
        return {}  # only unexported fields

    def __repr__(self) -> str:
        return f"Location({self.name!r})"


class FixedZone(Location):
    """time.FixedZone: one zone with a constant offset."""

    def __init__(self, name: str, offset: int) -> None:
        super().__init__(name)
        self.offset = offset

    def lookup(self, unix: int) -> tuple[str, int]:
        return self.name, self.offset

    def zones(self) -> list[tuple[str, int]]:
        return [(self.name, self.offset)]


UTC = Location("UTC")

# datetime covers years 1..9999; instants outside are looked up at the nearest edge.
_DT_MIN, _DT_MAX = ZERO_UNIX + 86400, 253402300799 - 86400


class ZoneLocation(Location):
    """A location loaded from the tz database."""

    def __init__(self, name: str, zone: object, path: str | None) -> None:
        super().__init__(name)
        self._zone = zone
        self._path = path
        self._zones: list[tuple[str, int]] | None = None

    def lookup(self, unix: int) -> tuple[str, int]:
        import datetime

        dt = datetime.datetime.fromtimestamp(min(max(unix, _DT_MIN), _DT_MAX), tz=self._zone)  # type: ignore[arg-type]
        off = dt.utcoffset()
        return dt.tzname() or "", int(off.total_seconds()) if off is not None else 0

    def zones(self) -> list[tuple[str, int]]:
        if self._zones is None:
            self._zones = _tzif_zones(self._path) if self._path else []
        return self._zones


def _tzif_zones(path: str) -> list[tuple[str, int]]:
    """The local time types (abbreviation, offset) recorded in a TZif file, in file order."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return []
    if data[:4] != b"TZif":
        return []

    def block(offset: int, time_size: int) -> tuple[list[tuple[str, int]], int]:
        isut, isstd, leap, timecnt, typecnt, charcnt = struct.unpack(">6l", data[offset + 20 : offset + 44])
        pos = offset + 44 + timecnt * (time_size + 1)
        types = [struct.unpack(">lBB", data[pos + 6 * i : pos + 6 * i + 6]) for i in range(typecnt)]
        chars = data[pos + 6 * typecnt : pos + 6 * typecnt + charcnt]
        out = []
        for utoff, _dst, idx in types:
            end = chars.find(b"\0", idx)
            out.append((chars[idx : end if end >= 0 else len(chars)].decode("ascii", "replace"), utoff))
        size = 44 + timecnt * (time_size + 1) + typecnt * 6 + charcnt + leap * (time_size + 4) + isstd + isut
        return out, offset + size

    try:
        zones, end = block(0, 4)
        if data[4:5] >= b"2" and data[end : end + 4] == b"TZif":
            zones, _ = block(end, 8)  # Go reads the 64-bit section when present
        return zones
    except struct.error:
        return []


def _zone_path(name: str) -> str | None:
    import zoneinfo

    for base in zoneinfo.TZPATH:
        p = os.path.join(base, name)
        if os.path.isfile(p):
            return p
    return None


_LOADED: dict[str, Location] = {}


def load_location(name: str) -> Location:
    """Go's time.LoadLocation; raises FuncError ("unknown time zone X") when it does not exist."""
    if name in ("", "UTC"):
        return UTC
    if name == "Local":
        return local()
    if name in _LOADED:
        return _LOADED[name]
    # Go refuses names that could escape the zoneinfo directory.
    if ".." in name or name[0] in "/\\" or name != name.strip():
        raise FuncError("unknown time zone " + name)
    import zoneinfo

    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise FuncError("unknown time zone " + name) from None
    loc = ZoneLocation(name, zone, _zone_path(name))
    _LOADED[name] = loc
    return loc


_LOCAL_CACHE: dict[str | None, Location] = {}


def local() -> Location:
    """Go's time.Local, from $TZ the way Go's runtime reads it (unset: /etc/localtime, named "Local")."""
    tz = os.environ.get("TZ")
    loc = _LOCAL_CACHE.get(tz)
    if loc is None:
        loc = _load_local(tz)
        _LOCAL_CACHE[tz] = loc
    return loc


def _load_local(tz: str | None) -> Location:
    import zoneinfo

    def from_file(path: str, name: str) -> Location | None:
        try:
            with open(path, "rb") as fh:
                zone = zoneinfo.ZoneInfo.from_file(fh, key=name)
        except (OSError, ValueError):
            return None
        return ZoneLocation(name, zone, path)

    if tz is None:
        loc = from_file("/etc/localtime", "Local")
        if loc is not None:
            return loc
    elif tz:
        if tz[0] == ":":
            tz = tz[1:]
        if tz.startswith("/"):
            loc = from_file(tz, "Local" if tz == "/etc/localtime" else tz)
            if loc is not None:
                return loc
        elif tz and tz != "UTC":
            try:
                return load_location(tz)
            except FuncError:
                pass
    return Location("UTC")  # Go falls back to UTC, under that name


# ----- time.Time ---------------------------------------------------------------------------


def _date(year: int, month: int, day: int, hour: int, minute: int, sec: int, nsec: int, loc: Location) -> GoTime:
    """Go's time.Date: normalizes out-of-range fields, then resolves the wall time in `loc`."""
    y_carry, m0 = divmod(month - 1, 12)
    days = days_from_civil(year + y_carry, m0 + 1, 1) + day - 1
    s_carry, nsec = divmod(nsec, NANOS)
    unix = days * 86400 + hour * 3600 + minute * 60 + sec + s_carry
    # Like Go: take the offset at the wall time read as UTC, then re-check at the corrected instant.
    offset = loc.lookup(unix)[1]
    if offset:
        offset = loc.lookup(unix - offset)[1]
    return GoTime(unix - offset, nsec, loc)


class GoTime(GoObject):
    """A Go time.Time: Unix seconds, nanoseconds, a location and maybe a monotonic reading."""

    go_type: ClassVar[str] = "time.Time"
    go_kind: ClassVar[str] = "struct"
    go_methods: ClassVar[frozenset[str]] = frozenset(
        {
            "Add", "AddDate", "After", "Before", "Compare", "Day", "Equal", "Format", "Hour", "In",
            "IsZero", "Local", "Location", "MarshalJSON", "MarshalText", "Minute", "Month",
            "Nanosecond", "Round", "Second", "String", "Sub", "Truncate", "UTC", "Unix",
            "UnixMicro", "UnixMilli", "UnixNano", "Weekday", "Year", "YearDay",
        }
    )  # fmt: skip

    def __init__(self, unix: int, nsec: int = 0, loc: Location | None = None, mono: int | None = None) -> None:
        self.unix = unix
        self.nsec = nsec
        self.loc = loc if loc is not None else UTC
        self.mono = mono  # nanoseconds since process start, only on times from now()

    @classmethod
    def now(cls) -> GoTime:
        """time.Now(): wall clock in Local, with a monotonic clock reading."""
        ns = _time.time_ns()
        return cls(ns // NANOS, ns % NANOS, local(), _time.monotonic_ns() - _MONO_START)

    @classmethod
    def zero(cls) -> GoTime:
        """Go's zero Time{}: 0001-01-01 00:00:00 UTC."""
        return cls(ZERO_UNIX, 0, UTC)

    @classmethod
    def date(cls, year: int, month: int, day: int, hour: int = 0, minute: int = 0, sec: int = 0,
             nsec: int = 0, loc: Location | None = None) -> GoTime:  # fmt: skip
        """Go's time.Date."""
        return _date(year, month, day, hour, minute, sec, nsec, loc if loc is not None else UTC)

    # ----- derived fields ------------------------------------------------------------------

    def zone(self) -> tuple[str, int]:
        """(abbreviation, offset) in effect for this time in its location."""
        return self.loc.lookup(self.unix)

    def _abs(self) -> int:
        return self.unix + self.zone()[1]

    def civil(self) -> tuple[int, int, int, int, int, int]:
        """(year, month, day, hour, minute, second) as a clock in this time's location shows them."""
        a = self._abs()
        days, secs = divmod(a, 86400)
        y, m, d = civil_from_days(days)
        return y, m, d, secs // 3600, secs // 60 % 60, secs % 60

    def yday(self) -> int:
        days = self._abs() // 86400
        return days - days_from_civil(civil_from_days(days)[0], 1, 1) + 1

    def weekday(self) -> int:
        return (self._abs() // 86400 + 4) % 7  # 1970-01-01 was a Thursday

    def _total_ns(self) -> int:
        return self.unix * NANOS + self.nsec

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoTime):
            return NotImplemented
        return self._total_ns() == other._total_ns()

    def __hash__(self) -> int:
        return hash(self._total_ns())

    def __repr__(self) -> str:
        return f"GoTime({self.String()!r})"

    def go_string(self) -> str:
        return self.String()

    # ----- Go methods ----------------------------------------------------------------------

    def String(self) -> str:  # noqa: N802
        s = self.Format("2006-01-02 15:04:05.999999999 -0700 MST")
        if self.mono is not None:
            m = self.mono
            sign = "-" if m < 0 else "+"
            m = abs(m)
            s += f" m={sign}{m // NANOS}.{m % NANOS:09d}"
        return s

    @gofunc("string")
    def Format(self, layout: str) -> str:  # noqa: N802
        from pilothouse.funcs.gotimefmt import format_time

        return format_time(self, layout)

    def Unix(self) -> Int64:  # noqa: N802
        return Int64(self.unix)

    def UnixMilli(self) -> Int64:  # noqa: N802
        return Int64(wrap_int64(self.unix * 1000 + self.nsec // 1_000_000))

    def UnixMicro(self) -> Int64:  # noqa: N802
        return Int64(wrap_int64(self.unix * 1_000_000 + self.nsec // 1000))

    def UnixNano(self) -> Int64:  # noqa: N802
        return Int64(wrap_int64(self._total_ns()))

    def UTC(self) -> GoTime:  # noqa: N802
        return GoTime(self.unix, self.nsec, UTC)

    def Local(self) -> GoTime:  # noqa: N802
        return GoTime(self.unix, self.nsec, local())

    @gofunc("*time.Location")
    def In(self, loc: Location) -> GoTime:  # noqa: N802
        if loc is None:
            raise FuncError("time: missing Location in call to Time.In")
        return GoTime(self.unix, self.nsec, loc)

    def Location(self) -> Location:  # noqa: N802
        return self.loc

    def Year(self) -> int:  # noqa: N802
        return self.civil()[0]

    def Month(self) -> Month:  # noqa: N802
        return Month(self.civil()[1])

    def Day(self) -> int:  # noqa: N802
        return self.civil()[2]

    def Hour(self) -> int:  # noqa: N802
        return self.civil()[3]

    def Minute(self) -> int:  # noqa: N802
        return self.civil()[4]

    def Second(self) -> int:  # noqa: N802
        return self.civil()[5]

    def Nanosecond(self) -> int:  # noqa: N802
        return self.nsec

    def YearDay(self) -> int:  # noqa: N802
        return self.yday()

    def Weekday(self) -> Weekday:  # noqa: N802
        return Weekday(self.weekday())

    def IsZero(self) -> bool:  # noqa: N802
        return self.unix == ZERO_UNIX and self.nsec == 0

    @gofunc("time.Duration")
    def Add(self, d: int) -> GoTime:  # noqa: N802
        total = self._total_ns() + int(d)
        mono = self.mono + int(d) if self.mono is not None else None
        return GoTime(total // NANOS, total % NANOS, self.loc, mono)

    @gofunc("int", "int", "int")
    def AddDate(self, years: int, months: int, days: int) -> GoTime:  # noqa: N802
        y, m, d, hh, mm, ss = self.civil()
        return _date(y + years, m + months, d + days, hh, mm, ss, self.nsec, self.loc)

    @gofunc("time.Time")
    def Sub(self, u: GoTime) -> Duration:  # noqa: N802
        if self.mono is not None and u.mono is not None:
            diff = self.mono - u.mono
        else:
            diff = self._total_ns() - u._total_ns()
        return Duration(min(max(diff, _INT64_MIN), _INT64_MAX))  # Go saturates

    def _cmp(self, u: GoTime) -> int:
        if self.mono is not None and u.mono is not None:
            a, b = self.mono, u.mono
        else:
            a, b = self._total_ns(), u._total_ns()
        return (a > b) - (a < b)

    @gofunc("time.Time")
    def Before(self, u: GoTime) -> bool:  # noqa: N802
        return self._cmp(u) < 0

    @gofunc("time.Time")
    def After(self, u: GoTime) -> bool:  # noqa: N802
        return self._cmp(u) > 0

    @gofunc("time.Time")
    def Equal(self, u: GoTime) -> bool:  # noqa: N802
        return self._cmp(u) == 0

    @gofunc("time.Time")
    def Compare(self, u: GoTime) -> int:  # noqa: N802
        return self._cmp(u)

    def _since_zero(self) -> int:
        return (self.unix - ZERO_UNIX) * NANOS + self.nsec

    @gofunc("time.Duration")
    def Truncate(self, d: int) -> GoTime:  # noqa: N802
        d = int(d)
        t = GoTime(self.unix, self.nsec, self.loc)
        if d <= 0:
            return t
        return t.Add(-(self._since_zero() % d))

    @gofunc("time.Duration")
    def Round(self, d: int) -> GoTime:  # noqa: N802
        d = int(d)
        t = GoTime(self.unix, self.nsec, self.loc)
        if d <= 0:
            return t
        r = self._since_zero() % d
        return t.Add(-r) if r + r < d else t.Add(d - r)

    def MarshalText(self) -> bytes:  # noqa: N802
        return self.Format("2006-01-02T15:04:05.999999999Z07:00").encode()

    def MarshalJSON(self) -> bytes:  # noqa: N802
        return b'"' + self.MarshalText() + b'"'

    def go_json(self) -> str:
        return self.MarshalText().decode()
