"""Table cells measured as go-runewidth v0.0.9 measures them (Helm's tables): which locales make East Asian
ambiguous characters two cells wide, and how an over-wide multi-line cell is cut. Expected values follow
go-runewidth's runewidth_posix.go and gosuri/uitable's Resize."""

from __future__ import annotations

import pytest

from pilothouse.cli.uitable import east_asian_locale, render, string_width


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "ja_JP.UTF-8"}, True),
    ({"LANG": "en_US.UTF-8"}, False),
    ({"LANG": "zh_CN.GB2312"}, True),
    ({"LANG": "de_DE.eucJP"}, True),  # a multi-byte CJK charset is enough by itself
    ({"LANG": "ko_KR.UTF-8@cjk_narrow"}, False),
    ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, False),
    ({"LC_ALL": "POSIX"}, False),
    ({"LC_CTYPE": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, True),
    ({"RUNEWIDTH_EASTASIAN": "1", "LANG": "C"}, True),
    ({"RUNEWIDTH_EASTASIAN": "0", "LANG": "ja_JP.UTF-8"}, False),
    ({}, False),
])
def test_east_asian_locale(env, expected):
    assert east_asian_locale(env) is expected


def test_widths():
    assert string_width("中文chart") == 9
    assert string_width("\x1b[1;31mred\x1b[0m") == 3
    assert string_width("e\u0301\u200b\t") == 1
    assert string_width("é") == 1
    assert string_width("é", east_asian=True) == 2


def test_multi_line_cell_is_cut_then_spread():
    # the column is as wide as the widest line (10); the whole cell counts 13 cells, so it is cut where the
    # next character reaches 10-3 cells (the newline counting none) and "..." appended
    assert render([["A", "one\nlonger one"], ["B", "x"]], east_asian=False) == (
        "A\tone       \n \tlong...   \nB\tx         ")
