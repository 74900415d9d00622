""".helmignore rules, evaluated exactly as Helm's ``pkg/ignore`` does.

Patterns are Go ``filepath.Match`` globs (``*`` stops at ``/``); a pattern without a slash is
matched against the base name only; a trailing ``/`` restricts the rule to directories; ``**``
is refused. Negated rules keep Helm's quirk: reaching ``!p`` ignores every path that does not
match ``p``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pilothouse.errors import ChartError

HELMIGNORE = ".helmignore"
_BOM = "\ufeff"


class BadPattern(ValueError):
    """Go's filepath.ErrBadPattern."""

    def __str__(self) -> str:
        return "syntax error in pattern"


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    """Translate a Go filepath.Match pattern into a regex, rejecting what Go rejects."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "\\":
            if i + 1 >= n:
                raise BadPattern()
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif c == "[":
            i += 1
            negate = i < n and pattern[i] == "^"
            if negate:
                i += 1
            items: list[str] = []
            first = True
            while True:
                if i >= n:
                    raise BadPattern()
                if pattern[i] == "]" and not first:
                    i += 1
                    break
                lo, i = _class_char(pattern, i)
                hi = lo
                if i < n and pattern[i] == "-":
                    hi, i = _class_char(pattern, i + 1)
                    if hi < lo:
                        raise BadPattern()
                items.append(re.escape(lo) if lo == hi else f"{re.escape(lo)}-{re.escape(hi)}")
                first = False
            body = "".join(items)
            out.append(f"[^{body}]" if negate else f"[{body}]")
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def _class_char(pattern: str, i: int) -> tuple[str, int]:
    n = len(pattern)
    if i >= n or pattern[i] in "-]":
        raise BadPattern()
    if pattern[i] == "\\":
        i += 1
        if i >= n:
            raise BadPattern()
    return pattern[i], i + 1


def go_path_match(pattern: str, name: str) -> bool:
    """Go's ``filepath.Match`` on slash paths; raises `BadPattern` for a malformed pattern."""
    return _compile(pattern).match(name) is not None


def _base(path: str) -> str:
    """Go's filepath.Base for slash paths."""
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path.rsplit("/", 1)[-1]


@dataclass
class _Rule:
    raw: str
    pattern: str
    negate: bool
    must_dir: bool
    base_only: bool

    def match(self, path: str) -> bool:
        target = _base(path) if self.base_only else path
        try:
            return go_path_match(self.pattern, target)
        except BadPattern:
            return False


class Rules:
    """An ordered list of ignore rules."""

    def __init__(self) -> None:
        self.rules: list[_Rule] = []

    @classmethod
    def parse(cls, text: str) -> Rules:
        """Parse a .helmignore file's text; raises `ChartError` for a bad rule."""
        rules = cls()
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for lineno, line in enumerate(lines):
            if lineno == 0 and line.startswith(_BOM):
                line = line[1:]
            rules.add(line.removesuffix("\r"))
        return rules

    def add_defaults(self) -> None:
        """Append Helm's default rule: dotfiles directly under templates/."""
        self.add("templates/.?*")

    def add(self, line: str) -> None:
        """Add one rule line (blank lines and comments are skipped)."""
        rule = line.strip()
        if not rule or rule.startswith("#"):
            return
        if "**" in rule:
            raise ChartError("double-star (**) syntax is not supported")
        try:
            go_path_match(rule, "abc")
        except BadPattern as err:
            raise ChartError(str(err)) from None
        raw = rule
        negate = rule.startswith("!")
        if negate:
            rule = rule[1:]
        must_dir = rule.endswith("/")
        if must_dir:
            rule = rule[:-1]
        base_only = False
        if rule.startswith("/"):
            rule = rule[1:]
        elif "/" not in rule:
            base_only = True
        self.rules.append(_Rule(raw, rule, negate, must_dir, base_only))

    def ignore(self, path: str, is_dir: bool) -> bool:
        """True when ``path`` (slash path relative to the chart root) is to be skipped."""
        if path in ("", ".", "./"):
            return False
        for rule in self.rules:
            if rule.negate:
                if rule.must_dir and not is_dir:
                    return True
                if not rule.match(path):
                    return True
                continue
            if rule.must_dir and not is_dir:
                continue
            if rule.match(path):
                return True
        return False
