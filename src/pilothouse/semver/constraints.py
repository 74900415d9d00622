"""Version constraints as Masterminds/semver v3.5.0 reads and checks them.

A constraint string is OR-groups separated by ``||``; inside a group, constraints separated by
spaces or commas must all hold. Operators: ``= != > < >= => <= =< ~ ~> ^`` (none means ``=``),
``x``/``X``/``*`` wildcards, and ``A - B`` hyphen ranges. A pre-release version only satisfies
a group in which some constraint itself names a pre-release (or when `include_prerelease` is
set): ``^1.2`` rejects ``1.3.0-rc1`` but ``>=1.20-0`` accepts ``1.27.3-gke.100``.
The regular expressions mirror the Go ones, with Go's narrower ``\\s`` spelled out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from pilothouse.gotemplate.gostrconv import quote as go_quote
from pilothouse.semver.version import SemverError, Version, compare_prerelease

_S = r"[\t\n\f\r ]"  # Go's \s
# The `|` inside the classes is literal, as in the Go source: "1|2" gets through the grammar
# and fails later with "constraint parser error".
_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
# Order matters: the empty operator is tried second, and longer operators after shorter ones,
# exactly as Go's leftmost-first alternation tries them.
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"


def _compile(pattern: str) -> Any:
    # Go's regexp is RE2: matching is linear in the input. Python's backtracking engine takes
    # quadratic time or worse on a long version ("1.0.0-" and 100 KB of digits), so RE2 it is.
    import re2

    opts = re2.Options()
    opts.log_errors = False
    return re2.compile(pattern, opts)


@functools.cache
def _regexes() -> tuple[Any, Any, Any, Any]:
    """(one constraint, hyphen range, constraint finder, valid AND-group), compiled on first use."""
    return (
        _compile(rf"{_S}*({_OPS}){_S}*({_CV}){_S}*"),
        _compile(rf"{_S}*({_CV}){_S}+-{_S}+({_CV}){_S}*"),
        _compile(rf"({_OPS}){_S}*({_CV})"),
        _compile(rf"({_S}*({_OPS}){_S}*({_CV}){_S}*)((?:{_S}+|,{_S}*)({_OPS}){_S}*({_CV}){_S}*)*"),
    )


def _is_x(s: str) -> bool:
    return s in ("x", "X", "*")


def _q(v: Version) -> str:
    return go_quote(v.String())


class _Constraint:
    """One operator and version, with which parts were wildcards."""

    __slots__ = ("con", "orig", "op", "minor_dirty", "patch_dirty", "dirty")

    def __init__(self, con: Version, orig: str, op: str, minor_dirty: bool = False, patch_dirty: bool = False,
                 dirty: bool = False) -> None:  # fmt: skip
        self.con = con
        self.orig = orig  # the version text as written ("4.x")
        self.op = op  # the operator as written ("", "=>", "~>" ...)
        self.minor_dirty = minor_dirty
        self.patch_dirty = patch_dirty
        self.dirty = dirty

    def check(self, v: Version, include_pre: bool) -> str | None:
        """None when `v` satisfies the constraint, else Go's reason."""
        if v.prerelease and not include_pre:
            return f"{_q(v)} is a prerelease version and the constraint is only looking for release versions"
        return _OPS_FUNCS[self.op](v, self)

    def __str__(self) -> str:
        return self.op + self.orig


def _parse_one(text: str) -> _Constraint:
    if not text:
        # An empty constraint means any release: >= 0.0.0 with everything wildcarded.
        return _Constraint(Version.parse_strict("0.0.0"), "", "", dirty=True)
    m = _regexes()[0].fullmatch(text)
    if m is None:
        raise SemverError(f"improper constraint: {go_quote(text)}")
    op, ver = m.group(1), m.group(2)
    major, minor, patch, pre = m.group(3), m.group(4) or "", m.group(5) or "", m.group(6) or ""
    minor_dirty = patch_dirty = dirty = False
    if _is_x(major):
        ver, dirty = f"0.0.0{pre}", True
    elif _is_x(minor[1:]) or minor == "":
        ver, dirty, minor_dirty = f"{major}.0.0{pre}", True, True
    elif _is_x(patch[1:]) or patch == "":
        ver, dirty, patch_dirty = f"{major}{minor}.0{pre}", True, True
    try:
        con = Version.parse(ver)
    except SemverError:
        raise SemverError("constraint parser error") from None
    return _Constraint(con, m.group(2), op, minor_dirty, patch_dirty, dirty)


def _rewrite_range(s: str) -> str:
    out = s
    for m in _regexes()[1].finditer(s):
        # Go replaces the first occurrence of the matched text, wherever it is.
        out = out.replace(m.group(0), f">= {m.group(1)}, <= {m.group(11)} ", 1)
    return out


# ----- the operators: each returns None when satisfied, else the reason --------------------


def _not_equal(v: Version, c: _Constraint) -> str | None:
    equal = f"{_q(v)} is equal to {go_quote(c.orig)}"
    if c.dirty:
        if c.con.major != v.major:
            return None
        if c.con.minor != v.minor and not c.minor_dirty:
            return None
        if c.minor_dirty:
            return equal
        if c.con.patch != v.patch and not c.patch_dirty:
            return None
        if c.patch_dirty:
            if (v.prerelease or c.con.prerelease) and compare_prerelease(v.prerelease, c.con.prerelease) != 0:
                return None
            return equal
    return equal if v.compare(c.con) == 0 else None


def _greater_than(v: Version, c: _Constraint) -> str | None:
    reason = f"{_q(v)} is less than or equal to {go_quote(c.orig)}"
    if not c.dirty:
        return None if v.compare(c.con) == 1 else reason
    if v.major > c.con.major:
        return None
    if v.major < c.con.major or c.minor_dirty:
        # ">11" needs 12 or more: 11.1.0 is not greater than "11".
        return reason
    if c.patch_dirty:
        return None if v.minor > c.con.minor else reason
    return None if v.compare(c.con) == 1 else reason


def _less_than(v: Version, c: _Constraint) -> str | None:
    if v.compare(c.con) < 0:
        return None
    return f"{_q(v)} is greater than or equal to {go_quote(c.orig)}"


def _greater_equal(v: Version, c: _Constraint) -> str | None:
    if v.compare(c.con) >= 0:
        return None
    return f"{_q(v)} is less than {go_quote(c.orig)}"


def _less_equal(v: Version, c: _Constraint) -> str | None:
    reason = f"{_q(v)} is greater than {go_quote(c.orig)}"
    if not c.dirty:
        return None if v.compare(c.con) <= 0 else reason
    if v.major > c.con.major:
        return reason
    if v.major == c.con.major and v.minor > c.con.minor and not c.minor_dirty:
        return reason
    return None


def _tilde(v: Version, c: _Constraint) -> str | None:
    if v.compare(c.con) < 0:
        return f"{_q(v)} is less than {go_quote(c.orig)}"
    con = c.con
    if con.major == 0 and con.minor == 0 and con.patch == 0 and not c.minor_dirty and not c.patch_dirty:
        return None  # ~0.0.0 accepts everything
    if v.major != con.major:
        return f"{_q(v)} does not have same major version as {go_quote(c.orig)}"
    if v.minor != con.minor and not c.minor_dirty:
        return f"{_q(v)} does not have same major and minor version as {go_quote(c.orig)}"
    return None


def _tilde_or_equal(v: Version, c: _Constraint) -> str | None:
    if c.dirty:
        return _tilde(v, c)
    if v.compare(c.con) == 0:
        return None
    return f"{_q(v)} is not equal to {go_quote(c.orig)}"


def _caret(v: Version, c: _Constraint) -> str | None:
    con, orig = c.con, go_quote(c.orig)
    if v.compare(con) < 0:
        return f"{_q(v)} is less than {orig}"
    if con.major > 0 or c.minor_dirty:
        return None if v.major == con.major else f"{_q(v)} does not have same major version as {orig}"
    if v.major > 0:
        return f"{_q(v)} does not have same major version as {orig}"
    if con.minor > 0 or c.patch_dirty:
        if v.minor == con.minor:
            return None
        return (
            f"{_q(v)} does not have same minor version as {orig}. "
            "Expected minor versions to match when constraint major version is 0"
        )
    if v.minor > 0:
        return f"{_q(v)} does not have same minor version as {orig}"
    if v.patch == con.patch:
        return None
    return f"{_q(v)} does not equal {orig}. Expect version and constraint to equal when major and minor versions are 0"


_OPS_FUNCS: dict[str, Callable[[Version, _Constraint], str | None]] = {
    "": _tilde_or_equal,
    "=": _tilde_or_equal,
    "!=": _not_equal,
    ">": _greater_than,
    "<": _less_than,
    ">=": _greater_equal,
    "=>": _greater_equal,
    "<=": _less_equal,
    "=<": _less_equal,
    "~": _tilde,
    "~>": _tilde,
    "^": _caret,
}


class Constraints:
    """A parsed constraint string (Go's ``*semver.Constraints``)."""

    def __init__(self, groups: list[list[_Constraint]], include_prerelease: bool = False) -> None:
        self._groups = groups
        # A group naming a pre-release anywhere lets pre-releases through all of its checks.
        self._has_pre = [any(c.con.prerelease for c in g) for g in groups]
        self.include_prerelease = include_prerelease

    @classmethod
    def parse(cls, s: str) -> Constraints:
        """Go's NewConstraint; raises SemverError ("improper constraint: ...")."""
        groups: list[list[_Constraint]] = []
        for part in _rewrite_range(s).split("||"):
            if _regexes()[3].fullmatch(part) is None:
                raise SemverError(f"improper constraint: {go_quote(part)}")
            found = [m.group(0) for m in _regexes()[2].finditer(part)] or [part]
            groups.append([_parse_one(t) for t in found])
        return cls(groups)

    def check(self, v: Version) -> bool:
        """True when `v` satisfies every constraint of at least one OR-group."""
        for group, has_pre in zip(self._groups, self._has_pre):
            include = self.include_prerelease or has_pre
            if all(c.check(v, include) is None for c in group):
                return True
        return False

    def validate(self, v: Version) -> tuple[bool, list[str]]:
        """Like `check`, plus Go's reasons for every failed constraint when none matched."""
        reasons: list[str] = []
        pre_reported = False
        for group, has_pre in zip(self._groups, self._has_pre):
            include = self.include_prerelease or has_pre
            ok = True
            for c in group:
                if not include and v.prerelease:
                    # Reported once over all groups, as Go does.
                    if not pre_reported:
                        reasons.append(
                            f"{_q(v)} is a prerelease version and the constraint is only looking for release versions"
                        )
                        pre_reported = True
                    ok = False
                    continue
                reason = c.check(v, include)
                if reason is not None:
                    reasons.append(reason)
                    ok = False
            if ok:
                return True, []
        return False, reasons

    def __str__(self) -> str:
        return " || ".join(" ".join(str(c) for c in g) for g in self._groups)

    def __repr__(self) -> str:
        return f"Constraints({str(self)!r})"
