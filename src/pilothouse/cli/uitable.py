"""Tables as Helm prints them: gosuri/uitable v0.0.4 (tab-separated cells padded to the column width,
multi-line cells spread over several lines) measuring text as go-runewidth v0.0.9 does (East Asian wide
characters take two cells; control, combining and zero-width characters none; colour codes none)."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# uitable's strutil.Strip: ANSI colour/control sequences do not count towards a cell's width
_ANSI = re.compile(
    r"[\x1b\x9b][\[\]()#;?]*(?:(?:(?:[a-zA-Z\d]*(?:;[a-zA-Z\d]*)*)?\x07)"
    r"|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PRZcf-ntqry=><~]))",
    re.ASCII,
)

# go-runewidth v0.0.9's zero-width ranges: its fixed non-printing list, the characters named COMBINING in
# Unicode 13's EastAsianWidth.txt, and the narrow (Na) ranges above U+00FF its generator filed as unassigned
_ZERO = (
    (0x0000, 0x001F), (0x007F, 0x009F), (0x00AD, 0x00AD), (0x070F, 0x070F), (0x180B, 0x180E),
    (0x200B, 0x200F), (0x2028, 0x202E), (0x206A, 0x206F), (0xD800, 0xDFFF), (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB), (0xFFFE, 0xFFFF),
    (0x0300, 0x036F), (0x0483, 0x0489), (0x07EB, 0x07F3), (0x0C00, 0x0C00), (0x0C04, 0x0C04),
    (0x0D00, 0x0D01), (0x135D, 0x135F), (0x1A7F, 0x1A7F), (0x1AB0, 0x1AC0), (0x1B6B, 0x1B73),
    (0x1DC0, 0x1DF9), (0x1DFB, 0x1DFF), (0x20D0, 0x20F0), (0x2CEF, 0x2CF1), (0x2DE0, 0x2DFF),
    (0x3099, 0x309A), (0xA66F, 0xA672), (0xA674, 0xA67D), (0xA69E, 0xA69F), (0xA6F0, 0xA6F1),
    (0xA8E0, 0xA8F1), (0xFE20, 0xFE2F), (0x101FD, 0x101FD), (0x10376, 0x1037A), (0x10EAB, 0x10EAC),
    (0x10F46, 0x10F50), (0x11300, 0x11301), (0x1133B, 0x1133C), (0x11366, 0x1136C), (0x11370, 0x11374),
    (0x16AF0, 0x16AF4), (0x1D165, 0x1D169), (0x1D16D, 0x1D172), (0x1D17B, 0x1D182), (0x1D185, 0x1D18B),
    (0x1D1AA, 0x1D1AD), (0x1D242, 0x1D244), (0x1E000, 0x1E006), (0x1E008, 0x1E018), (0x1E01B, 0x1E021),
    (0x1E023, 0x1E024), (0x1E026, 0x1E02A), (0x1E8D0, 0x1E8D6),
    (0x27E6, 0x27ED), (0x2985, 0x2986),
)
_CJK_CHARSETS = {"utf-8", "utf8", "jis", "eucjp", "euckr", "euccn", "sjis", "cp932", "cp51932", "cp936", "cp949",
                 "cp950", "big5", "gbk", "gb2312"}
_COERCED = ("C.UTF-8", "C.utf8", "UTF-8")
_LOCALE = re.compile(r"^[a-z][a-z][a-z]?(?:_[A-Z][A-Z])?\.(.+)")


def east_asian_locale(env: dict[str, str] | None = None) -> bool:
    """go-runewidth's IsEastAsian: RUNEWIDTH_EASTASIAN, else a CJK locale in LC_ALL/LC_CTYPE/LANG."""
    env = os.environ if env is None else env
    forced = env.get("RUNEWIDTH_EASTASIAN", "")
    if forced:
        return forced == "1"
    ctype = env.get("LC_CTYPE") or ""
    if not env.get("LC_ALL") and ctype in _COERCED:
        # Python's start-up (PEP 538) sets LC_CTYPE to one of these when the process's locale would be
        # C, e.g. LANG names a locale this system lacks: Go would have read LANG
        ctype = ""
    locale = env.get("LC_ALL") or ctype or env.get("LANG") or ""
    if locale in ("POSIX", "C") or (len(locale) > 1 and locale[0] == "C" and locale[1] in ".-"):
        return False
    m = _LOCALE.match(locale)
    charset = m.group(1).lower() if m else locale.lower()
    if charset.endswith("@cjk_narrow"):
        return False
    charset = charset.split("@", 1)[0]
    if charset not in _CJK_CHARSETS:
        return False
    # a multi-byte charset other than UTF-8 is CJK by itself; UTF-8 only with a CJK language
    return not charset.startswith("u") or locale.startswith(("ja", "ko", "zh"))


@lru_cache(maxsize=4096)
def rune_width(ch: str, east_asian: bool = False) -> int:
    """Cells one character takes on a terminal (go-runewidth v0.0.9's RuneWidth)."""
    cp = ord(ch)
    for lo, hi in _ZERO:
        if lo <= cp <= hi:
            return 0
    eaw = unicodedata.east_asian_width(ch)
    if eaw in ("W", "F") or (east_asian and eaw == "A"):
        return 2
    return 1


def string_width(text: str, east_asian: bool = False) -> int:
    """uitable's StringWidth: the cells of ``text`` without its colour codes."""
    return sum(rune_width(c, east_asian) for c in _ANSI.sub("", text))


class _Table:
    def __init__(self, max_col_width: int, east_asian: bool) -> None:
        self.max_col_width = max_col_width
        self.ea = east_asian

    def cell(self, data: str | None, width: int) -> str:
        """uitable's Cell.String (no wrapping, left aligned)."""
        if data is None:
            return " " if width <= 1 else " " * width
        if width <= 0:
            return data
        return self.resize(data, width)

    def resize(self, s: str, n: int) -> str:
        have = string_width(s, self.ea)
        if have == n:
            return s
        if have < n:
            return s + " " * (n - have)
        # too wide: cut where the next character would reach n-3 cells (counting it), then "..."
        out, w = [], 0
        for ch in s:
            out.append(ch)
            rw = rune_width(ch, self.ea)
            if w + rw >= n - 3:
                break
            w += rw
        return "".join(out) + "..."

    def render(self, rows: Sequence[Sequence[str]]) -> str:
        widths: list[int] = []
        for row in rows:
            for i, data in enumerate(row):
                if i >= len(widths):
                    widths.append(0)
                w = max(string_width(line, self.ea) for line in data.split("\n"))
                if self.max_col_width and w > self.max_col_width:
                    w = self.max_col_width
                widths[i] = max(widths[i], w)
        lines = []
        for row in rows:
            # each cell is sized first, then split: a multi-line cell adds lines, the other cells blank
            parts = [self.cell(data, widths[i]).split("\n") for i, data in enumerate(row)]
            for x in range(max(len(p) for p in parts) if parts else 1):
                lines.append("\t".join(self.cell(p[x] if x < len(p) else None, widths[i])
                                       for i, p in enumerate(parts)))
        return "\n".join(lines)


def render(rows: Sequence[Sequence[str]], max_col_width: int = 0, east_asian: bool | None = None) -> str:
    """The table's text as uitable's String() gives it ('' for no rows; no trailing newline)."""
    if not rows:
        return ""
    ea = east_asian_locale() if east_asian is None else east_asian
    return _Table(max_col_width, ea).render(rows)
