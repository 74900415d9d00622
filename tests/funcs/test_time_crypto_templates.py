"""Template-level checks: semver, date, crypto and random functions called from templates.

Each template was rendered by Helm's engine with TZ=UTC; the expected text (or, for errors, the
core of Helm's message) is what Helm printed. Random parts are reduced to lengths and types.
"""

from __future__ import annotations

import pytest

from pilothouse.funcs import helm_funcs
from pilothouse.gotemplate import ExecError, TemplateSet

RENDERS = [
    (
        '{{ typeOf (semver "1.2.3").Major }} {{ (semver "v1.2.3-rc.1+b").Original }} {{ semver "1.2" }} {{ typeOf (semver '
        '"1.2") }} {{ (semver "1.2.3").IncMinor }} {{ typeOf (semver "1.2.3").IncMinor }}',
        "uint64 v1.2.3-rc.1+b 1.2.0 *semver.Version 1.3.0 semver.Version",
    ),
    (
        '{{ (semver "1.2.3").Compare (semver "1.3") }} {{ semver "1.2.3" | toString }} {{ printf "%v" (semver "1.2.3") }} '
        '{{ printf "%v" (semver "1.2.3").IncMajor }} {{ semver "1.2.3" | (semver "1.3.3").Compare }}',
        "-1 1.2.3 1.2.3 2.0.0 1",
    ),
    (
        '{{ semverCompare ">= 1.2.3, <2" "1.5" }} {{ semverCompare "1.2.3 - 1.4" "1.4.9" }} {{ (semver '
        '"1.2.3").SetPrerelease "rc.1" }} {{ toJson (semver "1.2.3") }} {{ kindOf (semver "1.2.3") }} {{ eq (semver '
        '"1.2.3").Major 1 }}',
        'true true 1.2.3-rc.1 "1.2.3" ptr true',
    ),
    (
        '{{ typeOf now }} {{ typeOf now.Month }} {{ kindOf now }} | {{ toDate "2006-01-02" "2017-12-31" }} | {{ toJson '
        '(toDate "2006-01-02" "2017-12-31") }} | {{ (toDate "2006-01-02" "2017-12-31").Month }} {{ (toDate "2006-01-02" '
        '"2017-12-31").Weekday }}',
        'time.Time time.Month struct | 2017-12-31 00:00:00 +0000 UTC | "2017-12-31T00:00:00Z" | December Sunday',
    ),
    (
        '{{ duration 95 }} | {{ durationRound "-3h" }} | {{ date "2006-01-02 15:04:05 MST Z07:00" 1560458379 }} | {{ '
        '(toDate "2006-01-02" "2017-12-31").Location }} | {{ (now.Add 3600000000000).Hour | typeOf }}',
        "0s | 3h | 2019-06-13 20:39:39 UTC Z | UTC | int",
    ),
    (
        '{{ $ca := genCA "x" 1 }}{{ typeOf $ca }} {{ kindOf $ca }} {{ derivePassword 1 "long" "password" "user" '
        '"example.com" }} {{ derivePassword 1.0 "long" "password" "user" "example.com" }}',
        "sprig.certificate struct ZedaFaxcZaso9* ZedaFaxcZaso9*",
    ),
    (
        '{{ toDate "2006-01-02" "2017-12-31" | date "02/01/2006" }} {{ toDate "2006-01-02" "2017-12-31" | unixEpoch }} {{ '
        '"plaintext" | encryptAES "secretkey" | decryptAES "secretkey" }}',
        "31/12/2017 1514678400 plaintext",
    ),
    (
        '{{ (toDate "2006-01-02" "2017-12-31").Format "Jan 2" }} {{ toYaml (dict "t" (toDate "2006-01-02" "2017-12-31") '
        '"v" (semver "1.2")) }}',
        'Dec 31 t: "2017-12-31T00:00:00Z"\nv: 1.2.0',
    ),
    (
        '{{ (toDate "2006-01-02 15:04" "2017-12-31 10:20").Add 3600000000000 }} {{ ((toDate "2006-01-02 15:04" "2017-12-31 '
        '10:20").Truncate 3600000000000).Hour }} {{ ((toDate "2006" "2018").Sub (toDate "2006" "2017")) }} {{ typeOf '
        '((toDate "2006" "2018").Sub (toDate "2006" "2017")) }} {{ ((toDate "2006" "2018").Sub (toDate "2006" '
        '"2017")).Hours }}',
        "2017-12-31 11:20:00 +0000 UTC 10 8760h0m0s time.Duration 8760",
    ),
    (
        '{{ htmlDate 1560458379 }} {{ htmlDateInZone 1560458379 "Asia/Tokyo" }} {{ dateInZone "15:04 MST" (toDate '
        '"2006-01-02" "2019-06-13") "America/New_York" }} {{ unixEpoch (dateModify "-24h" (toDate "2006-01-02" '
        '"2019-06-13")) }} {{ (mustDateModify "1.5h" (toDate "2006-01-02" "2019-06-13")).Hour }}',
        "2019-06-13 2019-06-14 20:00 EDT 1560297600 1",
    ),
    (
        '{{ randAlphaNum 5 | len }} {{ randBytes 6 | b64dec | len }} {{ uuidv4 | len }} {{ randInt 3 4 }} {{ shuffle "a" '
        "}} {{ randNumeric 3 | len }} {{ typeOf (randInt 1 2) }}",
        "5 6 36 3 a 3 int",
    ),
]

ERRORS = [
    (
        '{{ (genCA "x" 1).Key | trunc 31 }} {{ (buildCustomCert "eA==" "eA==") }}',
        "error calling buildCustomCert: unable to decode certificate",
    ),
    ('{{ dateModify "1h" "x" }}', 'can\'t handle "x" for arg of type time.Time'),
    (
        '{{ genSignedCert "x" nil nil 1 (dict "Cert" "a" "Key" "b") }}',
        "wrong type for value; expected sprig.certificate; got map[string]interface {}",
    ),
    ('{{ derivePassword -1 "long" "password" "user" "example.com" }}', "expected unsigned integer; found -1"),
    ('{{ (semver "1.2.3").IncMinor.Original }}', "can't evaluate field Original in type semver.Version"),
    (
        '{{ mustToDate "2006-01-02" "2017-13-31" }}',
        'error calling mustToDate: parsing time "2017-13-31": month out of range',
    ),
    ('{{ semver "foo" }}', "error calling semver: invalid semantic version"),
    ("{{ now.Add 1.5 }}", "expected integer; found 1.5"),
    ('{{ semverCompare "abc" "1.2.3" }}', 'error calling semverCompare: improper constraint: "abc"'),
    ('{{ mustDateModify "x" now }}', 'error calling mustDateModify: time: invalid duration "x"'),
    (
        '{{ decryptAES "k" "YWJj" }}',
        "error calling decryptAES: runtime error: slice bounds out of range [:16] with capacity 3",
    ),
    ("{{ randInt 5 5 }}", "error calling randInt: invalid argument to Intn"),
    ("{{ unixEpoch 5 }}", "can't handle 5 for arg of type time.Time"),
    ('{{ (semver "1.2.3").SetPrerelease "01" }}', "error calling SetPrerelease: version segment starts with 0"),
]


def _run(text: str) -> str:
    ts = TemplateSet(funcs=helm_funcs(), missingkey="zero")
    ts.parse("t", text)
    return ts.execute("t", {})


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")


@pytest.mark.parametrize(("text", "expected"), RENDERS)
def test_render_like_helm(text: str, expected: str) -> None:
    assert _run(text) == expected


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_errors_like_helm(text: str, message: str) -> None:
    with pytest.raises(ExecError) as exc:
        _run(text)
    assert message in str(exc.value)
