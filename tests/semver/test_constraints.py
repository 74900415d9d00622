"""Constraints: parsing, checking and the reasons given, against Masterminds/semver's answers."""

from __future__ import annotations

import pytest

from pilothouse.semver import Constraints, SemverError, Version
from pilothouse.semver import constraints as cmod

from . import masterminds_vectors as mv

_FUNC_NAMES = {
    "constraintGreaterThanEqual": cmod._greater_equal,
    "constraintTildeOrEqual": cmod._tilde_or_equal,
    "constraintLessThanEqual": cmod._less_equal,
    "constraintGreaterThan": cmod._greater_than,
    "constraintLessThan": cmod._less_than,
}


@pytest.mark.parametrize(("text", "func", "version", "fails"), mv.PARSE_CONSTRAINT)
def test_parse_constraint(text: str, func: str, version: str, fails: bool) -> None:
    if fails:
        with pytest.raises(SemverError):
            cmod._parse_one(text)
        return
    c = cmod._parse_one(text)
    assert str(c.con) == version
    assert cmod._OPS_FUNCS[c.op] is _FUNC_NAMES[func]


@pytest.mark.parametrize(("constraint", "version", "ok"), mv.CONSTRAINT_CHECK)
def test_single_constraint_check(constraint: str, version: str, ok: bool) -> None:
    c = cmod._parse_one(constraint)
    assert (c.check(Version.parse(version), bool(c.con.prerelease)) is None) is ok


@pytest.mark.parametrize(("text", "ors", "ands", "fails"), mv.NEW_CONSTRAINT)
def test_new_constraint(text: str, ors: int, ands: int, fails: bool) -> None:
    if fails:
        with pytest.raises(SemverError):
            Constraints.parse(text)
        return
    cs = Constraints.parse(text)
    assert len(cs._groups) == ors
    assert len(cs._groups[0]) == ands


@pytest.mark.parametrize(("constraint", "version", "ok"), mv.CONSTRAINTS_CHECK)
def test_constraints_check(constraint: str, version: str, ok: bool) -> None:
    assert Constraints.parse(constraint).check(Version.parse(version)) is ok


@pytest.mark.parametrize(("constraint", "version", "ok"), mv.CONSTRAINTS_CHECK_INCLUDE_PRE)
def test_constraints_check_include_prerelease(constraint: str, version: str, ok: bool) -> None:
    cs = Constraints.parse(constraint)
    cs.include_prerelease = True
    assert cs.check(Version.parse(version)) is ok


@pytest.mark.parametrize(("text", "rewritten"), mv.REWRITE_RANGE)
def test_rewrite_range(text: str, rewritten: str) -> None:
    assert cmod._rewrite_range(text) == rewritten


@pytest.mark.parametrize(("text", "is_x"), [("A", False), ("%", False), ("X", True), ("x", True), ("*", True)])
def test_is_x(text: str, is_x: bool) -> None:
    assert cmod._is_x(text) is is_x


@pytest.mark.parametrize(
    ("table", "include_pre"),
    [(mv.CONSTRAINTS_VALIDATE, False), (mv.CONSTRAINTS_VALIDATE_INCLUDE_PRE, True)],
)
def test_constraints_validate(table: list[tuple[str, str, bool]], include_pre: bool) -> None:
    for constraint, version, ok in table:
        cs = Constraints.parse(constraint)
        cs.include_prerelease = include_pre
        got, reasons = cs.validate(Version.parse(version))
        assert got is ok, (constraint, version)
        assert bool(reasons) is not ok, (constraint, version)


@pytest.mark.parametrize("include_pre", [False, True])
def test_validate_collects_every_reason(include_pre: bool) -> None:
    cs = Constraints.parse("!= 1.2.5, ^2, <= 1.1.x")
    cs.include_prerelease = include_pre
    assert cs.validate(Version.parse_strict("1.2.3")) == (
        False,
        ['"1.2.3" is less than "2"', '"1.2.3" is greater than "1.1.x"'],
    )


@pytest.mark.parametrize(("constraint", "version", "message"), mv.VALIDATE_MESSAGES)
def test_validate_messages(constraint: str, version: str, message: str) -> None:
    _, reasons = Constraints.parse(constraint).validate(Version.parse_strict(version))
    assert reasons[0] == message


@pytest.mark.parametrize(("constraint", "version", "message"), mv.VALIDATE_MESSAGES_INCLUDE_PRE)
def test_validate_messages_include_prerelease(constraint: str, version: str, message: str) -> None:
    cs = Constraints.parse(constraint)
    cs.include_prerelease = True
    _, reasons = cs.validate(Version.parse_strict(version))
    assert reasons[0] == message


@pytest.mark.parametrize(
    ("text", "expected"), mv.CONSTRAINT_STRING + mv.TEXT_MARSHAL_CONSTRAINTS + mv.TEXT_UNMARSHAL_CONSTRAINTS
)
def test_constraint_string(text: str, expected: str) -> None:
    cs = Constraints.parse(text)
    assert str(cs) == expected
    Constraints.parse(str(cs))  # the printed form parses again


@pytest.mark.parametrize(
    ("constraint", "message"),
    [
        # Helm's engine answers (error calling semverCompare: ...).
        ("", 'improper constraint: ""'),
        ("abc", 'improper constraint: "abc"'),
        (">=1|2", "constraint parser error"),
        ("1.0 ||\tbad\n", 'improper constraint: "\\tbad\\n"'),
    ],
)
def test_parse_errors(constraint: str, message: str) -> None:
    with pytest.raises(SemverError) as exc:
        Constraints.parse(constraint)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("constraint", "version", "ok"),
    [
        # helm-engine.md §9 and Helm's engine.
        (">=1.20-0", "v1.27.3-gke.100", True),
        ("^1.2", "1.3.0-rc1", False),
        (">= 1.2.3, <2", "1.5", True),
        ("1.2.3 - 1.4", "1.4.9", True),
    ],
)
def test_helm_vectors(constraint: str, version: str, ok: bool) -> None:
    assert Constraints.parse(constraint).check(Version.parse(version)) is ok
