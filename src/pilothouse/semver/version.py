"""Semantic versions as Masterminds/semver v3.5.0 parses, prints and orders them.

Written by hand rather than taken from a Python semver library: none of them accepts the
same inputs (Masterminds' lenient parser takes "1", "v1.2", "01.1.1" and "1.2-beta"), nor orders
pre-releases with the same quirks, nor reports Go's error texts, all of which Helm users see
(`semver`, `semverCompare`, chart dependency ranges, `kubeVersion`).
"""

from __future__ import annotations

import re
from typing import ClassVar

from pilothouse.errors import PilothouseError
from pilothouse.gotemplate.gostrconv import NumError, parse_uint, quote
from pilothouse.gotemplate.gotypes import FuncError, GoObject, Uint64, gofunc

_MAX_UINT64 = (1 << 64) - 1

# Go's error values, by their text (the template functions report these texts verbatim).
ERR_INVALID_SEMVER = "invalid semantic version"
ERR_EMPTY_STRING = "version string empty"
ERR_INVALID_CHARACTERS = "invalid characters in version"
ERR_SEGMENT_STARTS_ZERO = "version segment starts with 0"
ERR_INVALID_METADATA = "invalid metadata string"
ERR_INVALID_PRERELEASE = "invalid prerelease string"


class SemverError(PilothouseError):
    """A version or constraint string is not valid; the message is Masterminds/semver's."""


# The lenient grammar: every part after the major is optional and numbers may carry leading
# zeros. Character classes are spelled out because Python's \d and \s are wider than Go's.
_LOOSE_RE = re.compile(
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)

_NUM = frozenset("0123456789")
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")


def _only(s: str, chars: frozenset[str]) -> bool:
    return all(c in chars for c in s)


def _parse_uint(s: str) -> int:
    """Go's strconv.ParseUint(s, 10, 64); raises SemverError with Go's unwrapped text."""
    try:
        return parse_uint(s, 10)
    except NumError as e:
        raise SemverError(f"strconv.ParseUint: parsing {quote(s)}: {e}") from None


def _segment(s: str) -> int:
    try:
        return _parse_uint(s)
    except SemverError as e:
        raise SemverError(f"error parsing version segment: {e}") from None


def validate_prerelease(pre: str) -> None:
    """Reject a pre-release with empty identifiers, bad characters or numeric leading zeros."""
    for part in pre.split("."):
        if part == "":
            raise SemverError(ERR_INVALID_PRERELEASE)
        if _only(part, _NUM):
            if len(part) > 1 and part[0] == "0":
                raise SemverError(ERR_SEGMENT_STARTS_ZERO)
        elif not _only(part, _ALLOWED):
            raise SemverError(ERR_INVALID_PRERELEASE)


def validate_metadata(meta: str) -> None:
    """Reject build metadata with empty identifiers or bad characters."""
    for part in meta.split("."):
        if part == "" or not _only(part, _ALLOWED):
            raise SemverError(ERR_INVALID_METADATA)


def _numeric(s: str) -> int | None:
    """The value of a pre-release identifier when ParseUint accepts it, else None."""
    if s and _only(s, _NUM):
        n = int(s)
        if n <= _MAX_UINT64:
            return n
    return None


def _compare_pre_part(s: str, o: str) -> int:
    if s == o:
        return 0
    if s == "":
        return -1
    if o == "":
        return 1
    si, oi = _numeric(s), _numeric(o)
    if si is None and oi is None:
        return 1 if s > o else -1
    if oi is None:
        return -1  # a number sorts before a word
    if si is None:
        return 1
    # Equal numbers spelled differently ("1" vs "01") fall through to -1, as in Go.
    return 1 if si > oi else -1


def compare_prerelease(a: str, b: str) -> int:
    """Order two pre-release strings identifier by identifier (missing identifiers sort first)."""
    ap, bp = a.split("."), b.split(".")
    for i in range(max(len(ap), len(bp))):
        d = _compare_pre_part(ap[i] if i < len(ap) else "", bp[i] if i < len(bp) else "")
        if d:
            return d
    return 0


class Version(GoObject):
    """A parsed semantic version; in templates a ``*semver.Version``.

    Python code uses `parse`, the lower-case properties, ``str()`` and the comparison
    operators; templates call the Go method names (``.Major``, ``.IncMinor``, ...).
    """

    go_type: ClassVar[str] = "*semver.Version"
    go_kind: ClassVar[str] = "ptr"
    go_methods: ClassVar[frozenset[str]] = frozenset(
        {
            "Major", "Minor", "Patch", "Prerelease", "Metadata", "Original", "String",
            "Compare", "LessThan", "LessThanEqual", "GreaterThan", "GreaterThanEqual", "Equal",
            "IncMajor", "IncMinor", "IncPatch", "SetPrerelease", "SetMetadata",
            "MarshalJSON", "MarshalText",
        }
    )  # fmt: skip

    def __init__(
        self, major: int, minor: int, patch: int, pre: str = "", metadata: str = "", original: str | None = None
    ) -> None:
        self._major = major
        self._minor = minor
        self._patch = patch
        self._pre = pre
        self._metadata = metadata
        # Go's New() records the normalized string as the original.
        self._original = self.String() if original is None else original

    # ----- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, s: str) -> Version:
        """Go's NewVersion: lenient ("1", "1.2", "v1.2.3", leading zeros coerced)."""
        m = _LOOSE_RE.fullmatch(s)
        if m is None:
            raise SemverError(ERR_INVALID_SEMVER)
        major = _segment(m.group(1))
        minor = _segment(m.group(2)[1:]) if m.group(2) else 0
        patch = _segment(m.group(3)[1:]) if m.group(3) else 0
        pre, meta = m.group(5) or "", m.group(8) or ""
        if pre:
            validate_prerelease(pre)
        if meta:
            validate_metadata(meta)
        return cls(major, minor, patch, pre, meta, s)

    @classmethod
    def parse_strict(cls, s: str) -> Version:
        """Go's StrictNewVersion: exactly MAJOR.MINOR.PATCH[-pre][+meta], no "v", no leading zeros."""
        if not s:
            raise SemverError(ERR_EMPTY_STRING)
        parts = s.split(".", 2)
        if len(parts) != 3:
            raise SemverError(ERR_INVALID_SEMVER)
        pre = meta = ""
        if "+" in parts[2]:
            parts[2], meta = parts[2].split("+", 1)
            validate_metadata(meta)
        if "-" in parts[2]:
            parts[2], pre = parts[2].split("-", 1)
            validate_prerelease(pre)
        for p in parts:
            if not _only(p, _NUM):
                raise SemverError(ERR_INVALID_CHARACTERS)
            if len(p) > 1 and p[0] == "0":
                raise SemverError(ERR_SEGMENT_STARTS_ZERO)
        major, minor, patch = (_parse_uint(p) for p in parts)
        return cls(major, minor, patch, pre, meta, s)

    # ----- Python-side accessors ----------------------------------------------------------

    @property
    def major(self) -> int:
        return self._major

    @property
    def minor(self) -> int:
        return self._minor

    @property
    def patch(self) -> int:
        return self._patch

    @property
    def prerelease(self) -> str:
        return self._pre

    @property
    def metadata(self) -> str:
        return self._metadata

    @property
    def original(self) -> str:
        return self._original

    def compare(self, other: Version) -> int:
        """-1, 0 or 1; metadata is ignored and a pre-release sorts before its release."""
        a = (self._major, self._minor, self._patch)
        b = (other._major, other._minor, other._patch)
        if a != b:
            return -1 if a < b else 1
        if self._pre == other._pre == "":
            return 0
        if self._pre == "":
            return 1
        if other._pre == "":
            return -1
        return compare_prerelease(self._pre, other._pre)

    def __str__(self) -> str:
        return self.String()

    def __repr__(self) -> str:
        return f"Version({self.String()!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.compare(other) == 0

    def __hash__(self) -> int:
        # compare() is 0 only when these four agree, so equal versions hash alike.
        return hash((self._major, self._minor, self._patch, self._pre))

    def __lt__(self, other: Version) -> bool:
        return self.compare(other) < 0

    def __le__(self, other: Version) -> bool:
        return self.compare(other) <= 0

    def __gt__(self, other: Version) -> bool:
        return self.compare(other) > 0

    def __ge__(self, other: Version) -> bool:
        return self.compare(other) >= 0

    def go_string(self) -> str:
        return self.String()

    def go_json(self) -> str:
        # MarshalJSON writes the normalized string.
        return self.String()

    # ----- Go methods (what templates call) -----------------------------------------------

    def String(self) -> str:
        s = f"{self._major}.{self._minor}.{self._patch}"
        if self._pre:
            s += "-" + self._pre
        if self._metadata:
            s += "+" + self._metadata
        return s

    def Major(self) -> Uint64:
        return Uint64(self._major)

    def Minor(self) -> Uint64:
        return Uint64(self._minor)

    def Patch(self) -> Uint64:
        return Uint64(self._patch)

    def Prerelease(self) -> str:
        return self._pre

    def Metadata(self) -> str:
        return self._metadata

    def Original(self) -> str:
        return self._original

    @gofunc("*semver.Version")
    def Compare(self, o: Version) -> int:
        return self.compare(o)

    @gofunc("*semver.Version")
    def LessThan(self, o: Version) -> bool:
        return self.compare(o) < 0

    @gofunc("*semver.Version")
    def LessThanEqual(self, o: Version) -> bool:
        return self.compare(o) <= 0

    @gofunc("*semver.Version")
    def GreaterThan(self, o: Version) -> bool:
        return self.compare(o) > 0

    @gofunc("*semver.Version")
    def GreaterThanEqual(self, o: Version) -> bool:
        return self.compare(o) >= 0

    @gofunc("*semver.Version")
    def Equal(self, o: Version | None) -> bool:
        if o is None:
            return False
        return self is o or self.compare(o) == 0

    def _next(self, major: int, minor: int, patch: int, pre: str, meta: str) -> VersionValue:
        v = VersionValue(major, minor, patch, pre, meta)
        # The "v" prefix of the original survives an increment or a setter.
        prefix = "v" if self._original[:1] == "v" else ""
        v._original = prefix + v.String()
        return v

    def IncPatch(self) -> VersionValue:
        if self._pre:
            # x.y.z-pre → x.y.z: the release the pre-release leads to.
            return self._next(self._major, self._minor, self._patch, "", "")
        if self._patch == _MAX_UINT64:
            raise FuncError("patch version increment would overflow uint64")
        return self._next(self._major, self._minor, self._patch + 1, "", "")

    def IncMinor(self) -> VersionValue:
        if self._minor == _MAX_UINT64:
            raise FuncError("minor version increment would overflow uint64")
        return self._next(self._major, self._minor + 1, 0, "", "")

    def IncMajor(self) -> VersionValue:
        if self._major == _MAX_UINT64:
            raise FuncError("major version increment would overflow uint64")
        return self._next(self._major + 1, 0, 0, "", "")

    @gofunc("string")
    def SetPrerelease(self, prerelease: str) -> VersionValue:
        if prerelease:
            try:
                validate_prerelease(prerelease)
            except SemverError as e:
                raise FuncError(str(e)) from None
        return self._next(self._major, self._minor, self._patch, prerelease, self._metadata)

    @gofunc("string")
    def SetMetadata(self, metadata: str) -> VersionValue:
        if metadata:
            try:
                validate_metadata(metadata)
            except SemverError as e:
                raise FuncError(str(e)) from None
        return self._next(self._major, self._minor, self._patch, self._pre, metadata)

    def MarshalJSON(self) -> bytes:
        # Version strings are plain ASCII identifiers, so quoting needs no escaping.
        return b'"' + self.String().encode() + b'"'

    def MarshalText(self) -> bytes:
        return self.String().encode()


class VersionValue(Version):
    """A ``semver.Version`` value (what IncMajor and friends return).

    It is not addressable in a template, so only the value-receiver methods are callable:
    ``(semver "1.2.3").IncMinor.Original`` is an error in Go, and here too.
    """

    go_type: ClassVar[str] = "semver.Version"
    go_kind: ClassVar[str] = "struct"
    go_methods: ClassVar[frozenset[str]] = frozenset(
        {
            "Major", "Minor", "Patch", "Prerelease", "Metadata", "String",
            "IncMajor", "IncMinor", "IncPatch", "SetPrerelease", "SetMetadata",
            "MarshalJSON", "MarshalText",
        }
    )  # fmt: skip
