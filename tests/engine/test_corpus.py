"""Every corpus case renders byte-identical to Helm v4.2.3; every error case fails with Helm's message."""

from __future__ import annotations

import pytest

from corpus_cases import ABSENT_REASON, PRESENT, cases, render_case, shape

if not PRESENT:
    pytest.skip(ABSENT_REASON, allow_module_level=True)

CASES = cases("cases")
ERROR_CASES = cases("error_cases")


@pytest.mark.parametrize("case", CASES, ids=[c.case_id for c in CASES])
def test_case_renders_like_helm(case):
    missing = case.missing_vendored()
    if missing:
        pytest.skip(f"NOT RUN: the corpus lacks this chart's vendored subcharts {missing} "
                    "(dropped by the chart's own .gitignore when the corpus was stored)")
    expected = case.expected()
    got = render_case(case)
    assert sorted(got) == sorted(expected)
    random_keys = set(case.case.get("nondeterministic_templates", []))
    for key, text in expected.items():
        if key in random_keys:
            assert shape(got[key]) == shape(text), key
        else:
            assert got[key] == text, key


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.case_id for c in ERROR_CASES])
def test_error_case_fails_like_helm(case):
    from pilothouse.errors import PilothouseError

    err = case.error()
    with pytest.raises(PilothouseError) as info:
        render_case(case)
    assert str(info.value) == err["message"]
