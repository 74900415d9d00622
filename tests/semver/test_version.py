"""Versions: parsing, printing, ordering and the Go methods, against Masterminds/semver's answers."""

from __future__ import annotations

import pytest

from pilothouse.errors import PilothouseError
from pilothouse.gotemplate.gotypes import FuncError, Uint64
from pilothouse.semver import SemverError, Version, VersionValue

from . import masterminds_vectors as mv


@pytest.mark.parametrize(("text", "fails"), mv.NEW_VERSION)
def test_new_version(text: str, fails: bool) -> None:
    if fails:
        with pytest.raises(SemverError):
            Version.parse(text)
    else:
        assert Version.parse(text).original == text


@pytest.mark.parametrize(("text", "fails"), mv.STRICT_NEW_VERSION)
def test_strict_new_version(text: str, fails: bool) -> None:
    if fails:
        with pytest.raises(SemverError):
            Version.parse_strict(text)
    else:
        Version.parse_strict(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Go's error texts (TestNewVersionCheckError rows that hold with the default, lenient parser,
        # and answers of Helm's engine for `semver`).
        ("1.2.3-dev..1", "invalid semantic version"),
        ("1.2.3-dev.01", "version segment starts with 0"),
        ("1.2.3-023658", "version segment starts with 0"),
        ("foo", "invalid semantic version"),
        ("1.2.3-01", "version segment starts with 0"),
        (
            "99999999999999999999.1",
            'error parsing version segment: strconv.ParseUint: parsing "99999999999999999999": value out of range',
        ),
    ],
)
def test_new_version_errors(text: str, message: str) -> None:
    with pytest.raises(SemverError) as exc:
        Version.parse(text)
    assert str(exc.value) == message
    assert isinstance(exc.value, PilothouseError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "version string empty"),
        ("1.2", "invalid semantic version"),
        ("v1.2.3", "invalid characters in version"),
        ("01.1.1", "version segment starts with 0"),
        ("1.2.3-alpha_beta", "invalid prerelease string"),
        ("1.1.2+.123", "invalid metadata string"),
    ],
)
def test_strict_new_version_errors(text: str, message: str) -> None:
    with pytest.raises(SemverError) as exc:
        Version.parse_strict(text)
    assert str(exc.value) == message


def test_good_versions_with_huge_segments() -> None:
    assert Version.parse("2147483648.3.0").major == 2147483648
    assert Version.parse("1.2.18446744073709551615").patch == 18446744073709551615


@pytest.mark.parametrize("text", mv.ORIGINAL)
def test_original(text: str) -> None:
    assert Version.parse(text).Original() == text


@pytest.mark.parametrize(("text", "expected"), mv.COERCE_STRING)
def test_string(text: str, expected: str) -> None:
    v = Version.parse(text)
    assert str(v) == expected
    assert v.String() == expected
    assert v.go_string() == expected


def test_parts() -> None:
    v = Version.parse("1.2.3-beta.1+build.123")
    assert (v.major, v.minor, v.patch, v.prerelease, v.metadata) == (1, 2, 3, "beta.1", "build.123")
    assert (v.Major(), v.Minor(), v.Patch(), v.Prerelease(), v.Metadata()) == (1, 2, 3, "beta.1", "build.123")
    assert type(v.Major()) is Uint64


def test_new() -> None:
    assert str(Version(0, 1, 2)) == "0.1.2"
    v = Version(1, 2, 3, "alpha.1", "foo.bar")
    assert str(v) == "1.2.3-alpha.1+foo.bar"
    assert v.original == "1.2.3-alpha.1+foo.bar"


@pytest.mark.parametrize(("a", "b", "expected"), mv.COMPARE)
def test_compare(a: str, b: str, expected: int) -> None:
    assert Version.parse(a).Compare(Version.parse(b)) == expected


@pytest.mark.parametrize(
    ("table", "method"),
    [
        (mv.LESSTHAN, "LessThan"),
        (mv.LESSTHANEQUAL, "LessThanEqual"),
        (mv.GREATERTHAN, "GreaterThan"),
        (mv.GREATERTHANEQUAL, "GreaterThanEqual"),
    ],
)
def test_ordering_methods(table: list[tuple[str, str, bool]], method: str) -> None:
    for a, b, expected in table:
        assert getattr(Version.parse(a), method)(Version.parse(b)) is expected, (method, a, b)


@pytest.mark.parametrize(("a", "b", "expected"), mv.LESSTHAN + mv.GREATERTHAN)
def test_python_operators_agree(a: str, b: str, expected: bool) -> None:
    va, vb = Version.parse(a), Version.parse(b)
    assert (va < vb) is va.LessThan(vb)
    assert (va > vb) is va.GreaterThan(vb)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("1.2.3", "1.5.1", False), ("2.2.3", "1.5.1", False), ("3.2-beta", "3.2-beta", True),
     ("3.2-beta+foo", "3.2-beta+bar", True), ("1.2.3", None, False)],
)  # fmt: skip
def test_equal(a: str, b: str | None, expected: bool) -> None:
    va = Version.parse(a)
    vb = Version.parse(b) if b is not None else None
    assert va.Equal(vb) is expected
    if vb is not None:
        assert (va == vb) is expected


def test_sorting_and_hashing() -> None:
    texts = ["1.2.3", "1.0", "1.3", "1.2.3-beta", "1.2.3-alpha", "1.2.3+meta", "0.4.2", "1.2.3-beta.1"]
    got = [v.original for v in sorted(Version.parse(t) for t in texts)]
    # 1.2.3 and 1.2.3+meta are equal; sorted() is stable.
    assert got == ["0.4.2", "1.0", "1.2.3-alpha", "1.2.3-beta", "1.2.3-beta.1", "1.2.3", "1.2.3+meta", "1.3"]
    assert len({Version.parse("1.2.3"), Version.parse("v1.2.3+x")}) == 1


@pytest.mark.parametrize(("text", "expected", "how", "original"), mv.INC)
def test_inc(text: str, expected: str, how: str, original: str) -> None:
    v = Version.parse(text)
    nxt = {"patch": v.IncPatch, "minor": v.IncMinor, "major": v.IncMajor}[how]()
    assert str(nxt) == expected
    assert nxt.original == original
    assert isinstance(nxt, VersionValue)


@pytest.mark.parametrize(
    ("v", "method", "message"),
    [
        (Version(1, 2, (1 << 64) - 1), "IncPatch", "patch version increment would overflow uint64"),
        (Version(1, (1 << 64) - 1, 0), "IncMinor", "minor version increment would overflow uint64"),
        (Version((1 << 64) - 1, 0, 0), "IncMajor", "major version increment would overflow uint64"),
    ],
)
def test_inc_overflow(v: Version, method: str, message: str) -> None:
    with pytest.raises(FuncError, match=message):
        getattr(v, method)()


@pytest.mark.parametrize(
    ("text", "pre", "version", "prerelease", "original", "error"),
    [
        ("1.2.3", "**", None, None, None, "invalid prerelease string"),
        ("1.2.3", "beta", "1.2.3-beta", "beta", "1.2.3-beta", None),
        ("v1.2.4", "beta", "1.2.4-beta", "beta", "v1.2.4-beta", None),
        ("1.2.3", "01", None, None, None, "version segment starts with 0"),  # Helm's answer
    ],
)
def test_set_prerelease(text, pre, version, prerelease, original, error) -> None:  # type: ignore[no-untyped-def]
    v = Version.parse(text)
    if error:
        with pytest.raises(FuncError, match=error):
            v.SetPrerelease(pre)
        return
    nxt = v.SetPrerelease(pre)
    assert (str(nxt), nxt.Prerelease(), nxt.original) == (version, prerelease, original)


@pytest.mark.parametrize(
    ("text", "meta", "version", "metadata", "original", "error"),
    [
        ("1.2.3", "**", None, None, None, "invalid metadata string"),
        ("1.2.3", "meta", "1.2.3+meta", "meta", "1.2.3+meta", None),
        ("v1.2.4", "meta", "1.2.4+meta", "meta", "v1.2.4+meta", None),
    ],
)
def test_set_metadata(text, meta, version, metadata, original, error) -> None:  # type: ignore[no-untyped-def]
    v = Version.parse(text)
    if error:
        with pytest.raises(FuncError, match=error):
            v.SetMetadata(meta)
        return
    nxt = v.SetMetadata(meta)
    assert (str(nxt), nxt.Metadata(), nxt.original) == (version, metadata, original)


def test_go_types_seen_by_templates() -> None:
    # Helm: typeOf (semver "1.2") is *semver.Version, typeOf (...).IncMinor is semver.Version,
    # kindOf (semver "1.2.3") is ptr, and .Original is not callable on the IncMinor result.
    v = Version.parse("1.2")
    assert (v.go_type, v.go_kind) == ("*semver.Version", "ptr")
    inc = v.IncMinor()
    assert inc.go_type == "semver.Version"
    assert "Original" in v.go_methods and "Original" not in inc.go_methods
    assert {"Major", "Compare", "IncMajor", "SetPrerelease", "SetMetadata"} <= v.go_methods
    assert v.MarshalJSON() == b'"1.2.0"'
