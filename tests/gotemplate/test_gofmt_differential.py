"""printf against the real Helm engine: a fixed pseudo-random set of formats and operands.

All cases go into one template of a throw-away chart, rendered once by Helm's Go engine
(`helm_python`, the test extra); each case then asserts that our Sprintf gives Helm's bytes.
The operands are template literals whose model values are known: `1` is an int, `1.0` a
float64, `(int64 7)` an int64, `(list ...)`/`(dict ...)` are []interface {}/map[string]interface {}.
"""

from __future__ import annotations

import json
import math
import random
import re
import struct
from pathlib import Path
from typing import Any

import pytest

from pilothouse.gotemplate.gofmt import sprintf
from pilothouse.gotemplate.gostrconv import quote
from pilothouse.gotemplate.gotypes import Int64

# (template literal, model value)
POOL: list[tuple[str, Any]] = [
    ("0", 0),
    ("1", 1),
    ("-1", -1),
    ("42", 42),
    ("255", 255),
    ("65", 65),
    ("128512", 0x1F600),
    ("-9223372036854775807", -9223372036854775807),
    ("0.0", 0.0),
    ("1.0", 1.0),
    ("-1.5", -1.5),
    ("1e6", 1e6),
    ("1e21", 1e21),
    ("123456.789", 123456.789),
    ("1e-7", 1e-7),
    ("0.1", 0.1),
    ("3.14159", 3.14159),
    ("2.5", 2.5),
    ("-0.000123", -0.000123),
    ("5e-324", 5e-324),
    ("1.7976931348623157e308", 1.7976931348623157e308),
    ('""', ""),
    ('"abc"', "abc"),
    ('"héllo"', "héllo"),
    ('"a\\"b\\n"', 'a"b\n'),
    ('"日本語"', "日本語"),
    ('"\\x01\\x7f"', "\x01\x7f"),
    ('"`x`"', "`x`"),
    ('"\\u00a0\\ufeff"', "\u00a0\ufeff"),
    ("true", True),
    ("false", False),
    ("nil", None),
    ('(list 1 "a" nil)', [1, "a", None]),
    ("(list)", []),
    ('(dict "b" 1 "a" (list 2.5 "x"))', {"b": 1, "a": [2.5, "x"]}),
    ("(int64 7)", Int64(7)),
    ('(int64 "-300")', Int64(-300)),
]
VERBS = "vvvdsqxXobOeEfFgGtcUTv%"


def _spec(rnd: random.Random) -> str:
    s = "%"
    for flag in "+-# 0":
        if rnd.random() < 0.2:
            s += flag
    r = rnd.random()
    if r < 0.3:
        s += str(rnd.randint(0, 12))
    elif r < 0.35:
        s += "*"
    if rnd.random() < 0.3:
        s += "." + (str(rnd.randint(0, 10)) if rnd.random() < 0.9 else "")
    return s + rnd.choice(VERBS)


def _float(rnd: random.Random) -> float:
    r = rnd.random()
    if r < 0.3:
        while True:
            f = struct.unpack("<d", struct.pack("<Q", rnd.getrandbits(64)))[0]
            if math.isfinite(f):
                return f
    if r < 0.6:
        return float(f"{rnd.randint(0, 99999)}e{rnd.randint(-12, 25)}") * rnd.choice([1, -1])
    if r < 0.8:
        return rnd.randint(0, 10 ** rnd.randint(1, 9)) / 10 ** rnd.randint(0, 6)
    return rnd.randint(0, 2**53) * 2.0 ** rnd.randint(-80, 80)


def _cases() -> list[tuple[str, list[tuple[str, Any]]]]:
    rnd = random.Random(20240601)
    cases = []
    for _ in range(250):
        fmt = "|".join(_spec(rnd) for _ in range(rnd.randint(1, 3)))
        if rnd.random() < 0.05:
            fmt += "%[1]v"
        nargs = fmt.count("%") - 2 * fmt.count("%%") + fmt.count("*") + rnd.choice([0, 0, 0, 1, -1])
        args = []
        for _ in range(max(nargs, 0)):
            if "*" in fmt and rnd.random() < 0.3:
                n = rnd.randint(-8, 8)
                args.append((str(n), n))
            else:
                args.append(rnd.choice(POOL))
        cases.append((fmt, args))
    for _ in range(150):
        spec = "%"
        for flag in "+-# 0":
            if rnd.random() < 0.15:
                spec += flag
        if rnd.random() < 0.3:
            spec += str(rnd.randint(0, 25))
        if rnd.random() < 0.5:
            spec += "." + str(rnd.randint(0, 20))
        f = _float(rnd)
        cases.append((spec + rnd.choice("veEfFgGxXb"), [(repr(f), f)]))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def helm_rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    import helm_python
    from helm_python import _native

    chart_dir: Path = tmp_path_factory.mktemp("fmtchart")
    (chart_dir / "Chart.yaml").write_text("apiVersion: v2\nname: fmtchart\nversion: 0.1.0\n")
    (chart_dir / "templates").mkdir()
    lines = [
        f"@@{i}@@{{{{ printf {quote(fmt)} {' '.join(a[0] for a in args)} }}}}" for i, (fmt, args) in enumerate(CASES)
    ]
    (chart_dir / "templates" / "t.txt").write_text("\n".join(lines) + "\n@@END@@", encoding="utf-8")
    chart = helm_python.Chart.load(str(chart_dir))
    try:
        out = json.loads(
            _native.call_string("helm_render", chart._raw(), "{}", json.dumps({"name": "rel", "namespace": "ns"}))
        )
    finally:
        chart.close()
    parts = re.split(r"@@(\d+|END)@@", out["fmtchart/templates/t.txt"])
    return {int(parts[k]): parts[k + 1][:-1] for k in range(1, len(parts) - 2, 2)}


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{i}-{c[0]!r}" for i, c in enumerate(CASES)])
def test_sprintf_matches_helm(index: int, helm_rendered: dict[int, str]) -> None:
    fmt, args = CASES[index]
    assert sprintf(fmt, *[value for _, value in args]) == helm_rendered[index]
