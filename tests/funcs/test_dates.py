"""Sprig's date functions and Go's time layouts, against Sprig's tests, Go's tests and Helm's answers.

helm_date_vectors.json holds what Helm's engine printed, run once with TZ=UTC and once with
TZ=Europe/Berlin: `dateInZone LAYOUT T ZONE` for many layouts and zones (T is
2009-02-04T21:00:57.0123456-08:00), `toDate` / `.UnixNano` for many layouts and inputs, and
`mustToDate` error texts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pilothouse.funcs import dates
from pilothouse.funcs.gotime import NANOS, UTC, Duration, GoTime, Month, Weekday, load_location, parse_duration
from pilothouse.funcs.gotimefmt import parse_time
from pilothouse.gotemplate.gotypes import FuncError, Int64

VECTORS = json.loads((Path(__file__).parent / "helm_date_vectors.json").read_text(encoding="utf-8"))
SECOND, MINUTE, HOUR = NANOS, 60 * NANOS, 3600 * NANOS


@pytest.fixture(params=["UTC", "Europe/Berlin"])
def tz(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TZ", request.param)
    return request.param


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")


def _go_parse(layout: str, value: str) -> GoTime:
    """Go's time.Parse (UTC unless the text names a zone)."""
    from pilothouse.funcs.gotime import local

    return parse_time(layout, value, UTC, local())


# ----- Helm's answers ----------------------------------------------------------------------


def test_format_vectors(tz: str) -> None:
    t = dates.to_date("2006-01-02T15:04:05.999999999Z07:00", "2009-02-04T21:00:57.0123456-08:00")
    for layout, zone, expected in VECTORS[tz]["fmt"]:
        assert dates.date_in_zone(layout, t, zone) == expected, (layout, zone)


def test_parse_vectors(tz: str) -> None:
    for layout, value, expected, unix_nano in VECTORS[tz]["parse"]:
        t = dates.to_date(layout, value)
        assert (t.String(), t.UnixNano()) == (expected, unix_nano), (layout, value)


def test_parse_error_vectors(tz: str) -> None:
    for layout, value, message in VECTORS[tz]["err"]:
        with pytest.raises(FuncError) as exc:
            dates.must_to_date(layout, value)
        assert str(exc.value) == message, (layout, value)
        assert dates.to_date(layout, value).String() == "0001-01-01 00:00:00 +0000 UTC"


def test_helm_date_values(tz: str) -> None:
    # Helm: {{ date "2006-01-02 15:04:05 MST Z07:00" 1560458379 }} and friends.
    expected = {"UTC": "2019-06-13 20:39:39 UTC Z", "Europe/Berlin": "2019-06-13 22:39:39 CEST +02:00"}[tz]
    assert dates.date("2006-01-02 15:04:05 MST Z07:00", 1560458379) == expected
    assert (
        dates.to_date("15:04", "10:30").String()
        == {
            "UTC": "0000-01-01 10:30:00 +0000 UTC",
            "Europe/Berlin": "0000-01-01 10:30:00 +0053 LMT",
        }[tz]
    )
    # Go names Local after $TZ; TZ=UTC means plain UTC.
    loc = dates.to_date("2006-01-02", "2017-12-31").Location()
    assert loc.String() == {"UTC": "UTC", "Europe/Berlin": "Europe/Berlin"}[tz]
    assert loc.go_type == "*time.Location"
    t = dates.to_date("2006-01-02", "2017-12-31")
    assert t.MarshalJSON() == {"UTC": b'"2017-12-31T00:00:00Z"', "Europe/Berlin": b'"2017-12-31T00:00:00+01:00"'}[tz]


def test_local_without_tz_is_named_local(monkeypatch: pytest.MonkeyPatch) -> None:
    # Helm with TZ unset: {{ (toDate "2006-01-02" "2017-12-31").Location }} → "Local" (from /etc/localtime).
    monkeypatch.delenv("TZ", raising=False)
    expected = "Local" if Path("/etc/localtime").exists() else "UTC"
    assert dates.to_date("2006-01-02", "2017-12-31").Location().String() == expected
    monkeypatch.setenv("TZ", "No/Such_Zone")
    assert dates.to_date("2006-01-02", "2017-12-31").Location().String() == "UTC"


def test_now_prints_monotonic_reading(tz: str) -> None:
    # Helm: {{ now }} → "2026-11-26 13:25:04.086986705 +0100 CET m=+0.027976642";
    # dateModify keeps the reading (m=+3600.02...), .UTC drops it.
    n = dates.now()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \w+ m=\+\d+\.\d{9}", n.String())
    later = dates.date_modify("1h", n)
    assert later.String().endswith(f"m=+{(n.mono + HOUR) // NANOS}.{(n.mono + HOUR) % NANOS:09d}")
    assert " m=" not in n.UTC().String()
    assert (n.go_type, n.go_kind) == ("time.Time", "struct")
    assert type(n.Month()) is Month and n.Month().go_type == "time.Month"
    assert n.Add(HOUR).Hour() == (n.Hour() + 1) % 24


def test_float_and_other_types_mean_now(utc: None) -> None:
    # helm-engine.md §2.2: date with a float64 (YAML number) uses now; so does a bool or a string.
    today = dates.html_date(dates.now())
    for value in (1560458379.0, True, "1560458379", None):
        assert dates.html_date(value) == today
    assert dates.html_date(1560458379) == "2019-06-13"
    assert dates.html_date(Int64(1560458379)) == "2019-06-13"


def test_duration_types() -> None:
    # Helm: {{ duration 95 }} is "0s" (the literal is an int); an int64 (from --set) counts.
    assert dates.duration(95) == "0s"
    assert dates.duration(Int64(95)) == "1m35s"
    assert dates.duration(95.0) == "0s"
    assert dates.duration("-61") == "-1m1s"
    assert dates.duration("x") == "0s"
    # Helm: out-of-range strings clamp to MaxInt64 and the multiplication by 1s wraps.
    assert dates.duration("99999999999999999999") == "-1s"


def test_duration_round_helm() -> None:
    # Helm: durationRound "-3h" "8760h1s" "1s" 3000000000 (an int literal, so 0)
    assert dates.duration_round("-3h") == "3h"
    assert dates.duration_round("8760h1s") == "1y"
    assert dates.duration_round("1s") == "0s"
    assert dates.duration_round(3000000000) == "0s"
    assert dates.duration_round(Int64(3 * SECOND)) == "3s"


# ----- Sprig's date_test.go ----------------------------------------------------------------


def test_sprig_ago(utc: None) -> None:
    n = GoTime.now()
    assert dates.ago(n.Add(-125 * SECOND)) == "2m5s"
    assert dates.ago(n.Add(-(2 * 3600 + 34 * 60 + 17) * SECOND)) == "2h34m17s"
    assert dates.ago(n.Add(5 * SECOND)) == "-5s"


def test_sprig_to_date(tz: str) -> None:
    assert dates.date("02/01/2006", dates.to_date("2006-01-02", "2017-12-31")) == "31/12/2017"


def test_sprig_unix_epoch(tz: str) -> None:
    t = _go_parse("02 Jan 06 15:04:05 MST", "13 Jun 19 20:39:39 GMT")
    assert dates.unix_epoch(t) == "1560458379"


def test_sprig_date_in_zone(utc: None) -> None:
    t = _go_parse("02 Jan 06 15:04:05 MST", "13 Jun 19 20:39:39 GMT")
    layout = "02 Jan 06 15:04 -0700"
    for value in (t, Int64(1560458379), 1560458379):
        assert dates.date_in_zone(layout, value, "UTC") == "13 Jun 19 20:39 +0000"
    now_text = GoTime.now().In(UTC).Format(layout)
    assert dates.date_in_zone(layout, "", "UTC") in (now_text, GoTime.now().In(UTC).Format(layout))
    assert dates.date_in_zone(layout, t, "foobar") == "13 Jun 19 20:39 +0000"


@pytest.mark.parametrize(("secs", "expected"), [("61", "1m1s"), ("3600", "1h0m0s"), ("93784", "26h3m4s")])
def test_sprig_duration(secs: str, expected: str) -> None:
    assert dates.duration(secs) == expected


@pytest.mark.parametrize(("value", "expected"), [("2h5s", "2h"), ("24h5s", "1d"), ("2400h5s", "3mo")])
def test_sprig_duration_round(value: str, expected: str) -> None:
    assert dates.duration_round(value) == expected


def test_date_modify(utc: None) -> None:
    t = dates.to_date("2006-01-02 15:04", "2024-05-06 01:00")
    assert dates.date_modify("-1.5h", t).String() == "2024-05-05 23:30:00 +0000 UTC"
    assert dates.date_modify("bogus", t) is t
    with pytest.raises(FuncError, match=r'^time: invalid duration "bogus"$'):
        dates.must_date_modify("bogus", t)
    assert dates.must_date_modify("90m", t).String() == "2024-05-06 02:30:00 +0000 UTC"


def test_funcs_table() -> None:
    assert set(dates.FUNCS) == {
        "ago", "date", "date_in_zone", "date_modify", "dateInZone", "dateModify", "duration", "durationRound",
        "htmlDate", "htmlDateInZone", "must_date_modify", "mustDateModify", "mustToDate", "now", "toDate",
        "unixEpoch",
    }  # fmt: skip
    assert dates.FUNCS["dateModify"].__go_params__ == ("string", "time.Time")
    assert dates.FUNCS["date"].__go_params__ == ("string", "interface {}")
    assert dates.FUNCS["now"].__go_params__ == ()


# ----- Go's time package tests -------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (0, "0s"), (1, "1ns"), (1100, "1.1µs"), (2200 * 1000, "2.2ms"), (3300 * 1000 * 1000, "3.3s"),
        (4 * MINUTE + 5 * SECOND, "4m5s"), (4 * MINUTE + 5001 * 1000 * 1000, "4m5.001s"),
        (5 * HOUR + 6 * MINUTE + 7001 * 1000 * 1000, "5h6m7.001s"), (8 * MINUTE + 1, "8m0.000000001s"),
        ((1 << 63) - 1, "2562047h47m16.854775807s"), (-(1 << 63), "-2562047h47m16.854775808s"),
    ],
)  # fmt: skip
def test_duration_string(d: int, text: str) -> None:
    assert Duration(d).String() == text
    assert Duration(d).go_type == "time.Duration"


@pytest.mark.parametrize(
    ("text", "d"),
    [
        ("0", 0), ("5s", 5 * SECOND), ("30s", 30 * SECOND), ("1478s", 1478 * SECOND), ("-5s", -5 * SECOND),
        ("+5s", 5 * SECOND), ("-0", 0), ("+0", 0), ("5.0s", 5 * SECOND), ("5.6s", 5 * SECOND + 600 * 1000 * 1000),
        ("5.s", 5 * SECOND), (".5s", 500 * 1000 * 1000), ("1.004s", SECOND + 4 * 1000 * 1000),
        ("100.00100s", 100 * SECOND + 1000 * 1000), ("10ns", 10), ("11us", 11 * 1000), ("12µs", 12 * 1000),
        ("12μs", 12 * 1000), ("13ms", 13 * 1000 * 1000), ("15m", 15 * MINUTE), ("16h", 16 * HOUR),
        ("3h30m", 3 * HOUR + 30 * MINUTE), ("10.5s4m", 4 * MINUTE + 10 * SECOND + 500 * 1000 * 1000),
        ("-2m3.4s", -(2 * MINUTE + 3 * SECOND + 400 * 1000 * 1000)),
        ("1h2m3s4ms5us6ns", HOUR + 2 * MINUTE + 3 * SECOND + 4 * 1000 * 1000 + 5 * 1000 + 6),
        ("39h9m14.425s", 39 * HOUR + 9 * MINUTE + 14 * SECOND + 425 * 1000 * 1000),
        ("52763797000ns", 52763797000), ("0.3333333333333333333h", 20 * MINUTE),
        ("9007199254740993ns", (1 << 53) + 1), ("9223372036854775807ns", (1 << 63) - 1),
        ("9223372036854775.807us", (1 << 63) - 1), ("9223372036s854ms775us807ns", (1 << 63) - 1),
        ("-9223372036854775808ns", -(1 << 63)), ("-9223372036854775.808us", -(1 << 63)),
        ("-9223372036s854ms775us808ns", -(1 << 63)), ("-2562047h47m16.854775808s", -(1 << 63)),
        ("0.100000000000000000000h", 6 * MINUTE), ("0.830103483285477580700h", 49 * MINUTE + 48 * SECOND + 372539827),
    ],
)  # fmt: skip
def test_parse_duration(text: str, d: int) -> None:
    assert int(parse_duration(text)) == d


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'time: invalid duration ""'), ("3", 'time: missing unit in duration "3"'),
        ("-", 'time: invalid duration "-"'), ("s", 'time: invalid duration "s"'), (".", 'time: invalid duration "."'),
        ("-.", 'time: invalid duration "-."'), (".s", 'time: invalid duration ".s"'),
        ("+.s", 'time: invalid duration "+.s"'), ("1d", 'time: unknown unit "d" in duration "1d"'),
        ("\x85\x85", 'time: invalid duration "\\xc2\\x85\\xc2\\x85"'),
        ("9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'),
        ("9223372036854775.808us", 'time: invalid duration "9223372036854775.808us"'),
        ("9223372036854ms775us808ns", 'time: invalid duration "9223372036854ms775us808ns"'),
        ("-9223372036854775809ns", 'time: invalid duration "-9223372036854775809ns"'),
    ],
)  # fmt: skip
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(FuncError) as exc:
        parse_duration(text)
    assert str(exc.value) == message


# Go's format_test.go: the time 2009-02-04 21:00:57.0123456 PST.
GO_FORMAT_TESTS = [
    ("Mon Jan _2 15:04:05 2006", "Wed Feb  4 21:00:57 2009"),
    ("Mon Jan _2 15:04:05 MST 2006", "Wed Feb  4 21:00:57 PST 2009"),
    ("Mon Jan 02 15:04:05 -0700 2006", "Wed Feb 04 21:00:57 -0800 2009"),
    ("02 Jan 06 15:04 MST", "04 Feb 09 21:00 PST"),
    ("Monday, 02-Jan-06 15:04:05 MST", "Wednesday, 04-Feb-09 21:00:57 PST"),
    ("Mon, 02 Jan 2006 15:04:05 MST", "Wed, 04 Feb 2009 21:00:57 PST"),
    ("Mon, 02 Jan 2006 15:04:05 -0700", "Wed, 04 Feb 2009 21:00:57 -0800"),
    ("2006-01-02T15:04:05Z07:00", "2009-02-04T21:00:57-08:00"),
    ("2006-01-02T15:04:05.999999999Z07:00", "2009-02-04T21:00:57.0123456-08:00"),
    ("3:04PM", "9:00PM"),
    ("3pm", "9pm"),
    ("3PM", "9PM"),
    ("06 01 02", "09 02 04"),
    ("Hi Janet, the Month is January", "Hi Janet, the Month is February"),
    ("Jan _2 15:04:05", "Feb  4 21:00:57"),
    ("Jan _2 15:04:05.000", "Feb  4 21:00:57.012"),
    ("Jan _2 15:04:05.000000", "Feb  4 21:00:57.012345"),
    ("Jan _2 15:04:05.000000000", "Feb  4 21:00:57.012345600"),
    ("2006-01-02 15:04:05", "2009-02-04 21:00:57"),
    ("2006-01-02", "2009-02-04"),
    ("15:04:05", "21:00:57"),
    ("Jan  2 002 __2 2", "Feb  4 035  35 4"),
    ("2006 6 06 _6 __6 ___6", "2009 6 09 _6 __6 ___6"),
    ("Jan January 1 01 _1", "Feb February 2 02 _2"),
    ("2 02 _2 __2", "4 04  4  35"),
    ("Mon Monday", "Wed Wednesday"),
    ("15 3 03 _3", "21 9 09 _9"),
    ("4 04 _4", "0 00 _0"),
    ("5 05 _5", "57 57 _57"),
]


@pytest.mark.parametrize(("layout", "expected"), GO_FORMAT_TESTS)
def test_go_format(layout: str, expected: str) -> None:
    t = GoTime.date(2009, 2, 4, 21, 0, 57, 12345600, load_location("America/Los_Angeles"))
    assert t.Format(layout) == expected


def test_go_time_methods(utc: None) -> None:
    t = GoTime.date(2009, 2, 4, 21, 0, 57, 12345600, UTC)
    assert (t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond()) == (
        2009, 2, 4, 21, 0, 57, 12345600,
    )  # fmt: skip
    assert (t.YearDay(), t.Weekday().String(), t.Month().String()) == (35, "Wednesday", "February")
    assert type(t.Weekday()) is Weekday
    assert (t.Unix(), t.UnixMilli(), t.UnixNano()) == (1233781257, 1233781257012, 1233781257012345600)
    assert type(t.Unix()) is Int64
    assert t.AddDate(0, 1, 0).Format("2006-01-02") == "2009-03-04"
    assert GoTime.date(2009, 1, 31, loc=UTC).AddDate(0, 1, 0).Format("2006-01-02") == "2009-03-03"
    assert t.Truncate(HOUR).String() == "2009-02-04 21:00:00 +0000 UTC"
    assert t.Round(MINUTE).String() == "2009-02-04 21:01:00 +0000 UTC"
    assert t.Sub(t.Add(-90 * SECOND)).String() == "1m30s"
    assert t.After(t.Add(-1)) and t.Before(t.Add(1)) and t.Equal(t.In(load_location("Asia/Tokyo")))
    assert t.In(load_location("Asia/Tokyo")).String() == "2009-02-05 06:00:57.0123456 +0900 JST"
    assert GoTime.zero().IsZero() and GoTime.zero().String() == "0001-01-01 00:00:00 +0000 UTC"
    assert t.go_json() == "2009-02-04T21:00:57.0123456Z"


def test_unknown_zone_is_an_error_for_load_location() -> None:
    with pytest.raises(FuncError, match="unknown time zone nonsense/zone"):
        load_location("nonsense/zone")
    assert load_location("") is UTC and load_location("UTC") is UTC
