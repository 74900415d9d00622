"""Flag values parsed with Go's rules, checked against the real `helm`: each value goes to a flag
of the command line before a missing argument, so `helm` either rejects the value (pflag's
message) or reaches the argument check; `pilot` must do the same, word for word."""

from __future__ import annotations

import pytest
from helmdiff_cli import both

from pilothouse.cli import pflag

DURATIONS = ["5", "5s", "1h30m", ".5s", "1.5h", "-1.5h", "+5s", "0", "", "1x", "5 s", "1h-5m", "3000000h",
             "9223372036854775807ns", "9223372036854775808ns", "1µs", "1μs", "1us", "1e3s", "s", ".s", "1..5s",
             "0.000000001s", "00001m", "1h1h", "-0", "+", "5m0s", "2562047h47m16.854775807s", "1ms500us"]
INTS = ["1", "-1", "+7", "0x10", "0X1f", "0o17", "017", "0b101", "1_000", "0x_1f", "_1", "1_", "1__0", "08", "abc",
        "", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1.0", " 1", "0x", "1e3"]
BOOLS = ["true", "false", "1", "0", "t", "f", "T", "F", "TRUE", "FALSE", "True", "False", "yes", "tRue", "",
         "2", "on"]
FLOATS = ["1_0.5", "1.5_0", "0x_1p0", "1e1_0", "1__0", "_1", "1_", "1", "1.5", "-2", "1e3", "1E-2", ".5", "5.", "inf", "+Inf", "-infinity", "NaN", "0x1p-2", "1_0", "abc",
          "", "1e400", "3.5e38", " 1", "1,5", "0x10"]
UINTS = ["0", "10", "-1", "0x20", "18446744073709551615", "18446744073709551616", "1.5", "x"]


@pytest.mark.parametrize("value", DURATIONS)
def test_duration_as_helm(tmp_path, value):
    helm, pilot = both(["uninstall", f"--timeout={value}"], tmp_path)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


@pytest.mark.parametrize("value", INTS)
def test_int_as_helm(tmp_path, value):
    helm, pilot = both(["history", f"--max={value}"], tmp_path)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


@pytest.mark.parametrize("value", BOOLS)
def test_bool_as_helm(tmp_path, value):
    helm, pilot = both(["status", f"--debug={value}"], tmp_path)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


@pytest.mark.parametrize("value", FLOATS)
def test_float32_as_helm(tmp_path, value):
    helm, pilot = both([f"--qps={value}", "history"], tmp_path)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


@pytest.mark.parametrize("value", UINTS)
def test_uint_as_helm(tmp_path, value):
    helm, pilot = both(["search", "hub", f"--max-col-width={value}", "--endpoint", "nohost"], tmp_path)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


@pytest.mark.parametrize(("text", "ns"), [
    ("1h30m", 5_400_000_000_000), (".5s", 500_000_000), ("-1.5h", -5_400_000_000_000), ("1µs", 1_000),
    ("0", 0), ("2562047h47m16.854775807s", (1 << 63) - 1), ("1ms500us", 1_500_000),
])
def test_duration_values(text, ns):
    # values from Go's time package documentation and limits (max Duration)
    assert pflag.parse_duration(text) == ns


@pytest.mark.parametrize(("ns", "text"), [(300_000_000_000, "5m0s"), (120_000_000_000, "2m0s"), (0, "0s"),
                                          (1_500_000, "1.5ms"), (3_723_000_000_000, "1h2m3s")])
def test_duration_strings(ns, text):
    # Go's Duration.String
    assert pflag.format_duration(ns) == text


def test_go_quote():
    assert pflag.go_quote('a"b\\c\n\x01é') == '"a\\"b\\\\c\\n\\x01é"'


def test_flag_usages_align_as_pflag():
    flags = [pflag.Flag("namespace", "n", "string", "namespace scope", ""),
             pflag.Flag("timeout", "", "duration", "time to wait", "5m0s"),
             pflag.Flag("wait", "", "string", "wait strategy", "hookOnly", no_opt="watcher"),
             pflag.Flag("hidden", "", "bool", "not shown", "false", hidden=True)]
    # pflag: names padded to the longest plus two spaces, sorted, hidden flags left out
    assert pflag.flag_usages(flags) == (
        "  -n, --namespace string          namespace scope\n"
        "      --timeout duration          time to wait (default 5m0s)\n"
        '      --wait string[="watcher"]   wait strategy (default "hookOnly")\n')


def test_parse_stops_at_double_dash_and_keeps_order():
    fs = pflag.FlagSet([pflag.Flag("set", "", "stringArray"), pflag.Flag("debug", "", "bool", default="false")])
    res = pflag.parse_args(fs, ["a", "--set", "x=1,y=2", "--debug=false", "b", "--", "--set", "c"])
    assert [(f.name, v) for f, v in res.values] == [("set", "x=1,y=2"), ("debug", "false")]
    assert res.args == ["a", "b", "--set", "c"]
