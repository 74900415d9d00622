"""`semver` and `semverCompare`: Sprig's semver_test vectors and Helm's answers."""

from __future__ import annotations

import pytest

from pilothouse.funcs.semver_funcs import FUNCS, semver, semver_compare
from pilothouse.gotemplate.gotypes import FuncError, Uint64


@pytest.mark.parametrize(
    ("constraint", "version", "expected"),
    [
        # Sprig's semver_test.go
        ("1.2.3", "1.2.3", True),
        ("^1.2.0", "1.2.3", True),
        ("^1.2.0", "2.2.3", False),
        # Helm
        ("=1.2.3", "1.2.3", True),
        ("1.2.3", "1.2.4", False),
        ("^1.2.3", "1.2.4", True),
        ("^1.2.3", "2.2.4", False),
        ("~1.2", "1.2.9", True),
        ("> 1.2.3", "1.2.4", True),
        ("< 1.2.3", "1.2.4", False),
        ("> 1.0.0", "1.2.4-beta.1", False),
        ("> 1.0.0-0", "1.2.4-beta.1", True),
        (">=1.20-0", "v1.27.3-gke.100", True),
        ("^1.2", "1.3.0-rc1", False),
        ("^1.2", "v1.5.0", True),
        ("~1.2", "1.3.0", False),
        (">= 1.2.3, <2", "1.5", True),
        ("1.2.3 - 1.4", "1.4.9", True),
    ],
)
def test_semver_compare(constraint: str, version: str, expected: bool) -> None:
    assert semver_compare(constraint, version) is expected


@pytest.mark.parametrize(
    ("constraint", "version", "message"),
    [
        # Helm: error calling semverCompare: <message>
        ("", "1.0.0", 'improper constraint: ""'),
        ("abc", "1.2.3", 'improper constraint: "abc"'),
        (">=1|2", "1.0.0", "constraint parser error"),
        ("1.0 ||\tbad\n", "1.0.0", 'improper constraint: "\\tbad\\n"'),
        ("1.2.3", "x", "invalid semantic version"),
        ("abc", "x", 'improper constraint: "abc"'),  # the constraint is checked first
    ],
)
def test_semver_compare_errors(constraint: str, version: str, message: str) -> None:
    with pytest.raises(FuncError) as exc:
        semver_compare(constraint, version)
    assert str(exc.value) == message


def test_sprig_semver_test() -> None:
    v = semver("1.2.3-beta.1+c0ff33")
    assert (v.Prerelease(), v.Major()) == ("beta.1", 1)
    # {{ semver "A" | (semver "B").Compare }} calls B.Compare(A)
    assert semver("1.2.3").Compare(semver("1.2.3")) == 0
    assert semver("1.3.3").Compare(semver("1.2.3")) == 1
    assert semver("1.2.3").Compare(semver("1.4.3")) == -1


def test_semver_object() -> None:
    # Sprig's semver_test: {{ semver "1.2.3" | ... }}; Helm: typeOf → *semver.Version, .Major → uint64
    v = semver("1.2.3-beta.1+build.5")
    assert (v.go_type, v.go_kind) == ("*semver.Version", "ptr")
    assert (v.Major(), v.Minor(), v.Patch()) == (1, 2, 3) and type(v.Major()) is Uint64
    assert (v.Prerelease(), v.Metadata(), v.Original(), v.String()) == ("beta.1", "build.5", "1.2.3-beta.1+build.5",
                                                                         "1.2.3-beta.1+build.5")  # fmt: skip
    # Helm: {{ semver "1.2" }} → 1.2.0; {{ (semver "v1.2.3-rc.1+b").Original }} → v1.2.3-rc.1+b
    assert semver("1.2").go_string() == "1.2.0"
    assert semver("v1.2.3-rc.1+b").Original() == "v1.2.3-rc.1+b"
    # Helm: {{ (semver "1.2.3").Compare (semver "1.3") }} → -1; IncMinor → 1.3.0 of type semver.Version
    assert semver("1.2.3").Compare(semver("1.3")) == -1
    inc = semver("1.2.3").IncMinor()
    assert (inc.go_string(), inc.go_type) == ("1.3.0", "semver.Version")
    assert semver("1.2.3").SetPrerelease("rc.1").String() == "1.2.3-rc.1"
    assert semver("1.2.3").go_json() == "1.2.3"  # Helm: toJson (semver "1.2.3") → "1.2.3"


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("foo", "invalid semantic version"),
        ("1.2.3-01", "version segment starts with 0"),
        (
            "99999999999999999999.1",
            'error parsing version segment: strconv.ParseUint: parsing "99999999999999999999": value out of range',
        ),
    ],
)
def test_semver_errors(version: str, message: str) -> None:
    with pytest.raises(FuncError) as exc:
        semver(version)
    assert str(exc.value) == message


def test_funcs_table() -> None:
    assert set(FUNCS) == {"semver", "semverCompare"}
    assert FUNCS["semverCompare"].__go_params__ == ("string", "string")
