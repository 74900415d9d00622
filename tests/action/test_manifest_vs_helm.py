"""The release manifest (what `pilot template` prints before hooks) equals Helm's, byte for byte.

Helm's answer comes from the real Helm SDK (helm-python-sdk, test-only) doing a client-side
dry-run install of the same chart with the same values.
"""

from __future__ import annotations

import pytest

from corpus_cases import ABSENT_REASON, PRESENT, cases

if not PRESENT:
    pytest.skip(ABSENT_REASON, allow_module_level=True)

helm = pytest.importorskip("helm_python", reason="helm-python-sdk (test-only reference) is not installed")

# Deterministic cases with default render options: the dry-run install uses Helm's defaults.
CASES = [c for c in cases("cases")
         if not c.case.get("nondeterministic_templates") and set(c.options) == {"name", "namespace"}]


def _helm_manifest(case) -> str | Exception:
    values_text = open(case.values_file, encoding="utf-8").read()
    values = helm.values_from_yaml(values_text) if values_text.strip() else {}
    cfg = helm.Config(storage_driver="memory", namespace=case.options["namespace"])
    try:
        rel = cfg.install(case.chart_dir, case.options["name"], values, dry_run="client",
                          namespace=case.options["namespace"])
    except helm.HelmError as err:
        return err
    finally:
        cfg.close()
    return rel.get("manifest", "")


@pytest.mark.parametrize("case", CASES, ids=[c.case_id for c in CASES])
def test_release_manifest_matches_helm(case):
    from pilothouse.action.render import check_dependencies, prepare_render, render_resources
    from pilothouse.chart import ValueOptions, load
    from pilothouse.errors import ChartError, PilothouseError

    if case.missing_vendored():
        pytest.skip(f"NOT RUN: the corpus lacks this chart's vendored subcharts {case.missing_vendored()}")
    helm_result = _helm_manifest(case)
    chart = load(case.chart_dir)
    if isinstance(helm_result, Exception) and "missing in charts/ directory: " in str(helm_result):
        # Helm refuses charts whose Chart.yaml dependencies are not all in charts/; so must we.
        missing = str(helm_result).rsplit("missing in charts/ directory: ", 1)[-1]
        with pytest.raises(ChartError) as info:
            check_dependencies(chart)
        assert str(info.value).endswith("found in Chart.yaml, but missing in charts/ directory: " + missing)
        return
    user = ValueOptions(value_files=[case.values_file]).merge_values()
    top = prepare_render(chart, user, name=case.options["name"], namespace=case.options["namespace"])
    if isinstance(helm_result, Exception):
        # Any other refusal (an invalid YAML document, say) must be ours too, word for word.
        with pytest.raises(PilothouseError) as info:
            render_resources(chart, top)
        assert str(info.value) == str(helm_result)
        return
    assert render_resources(chart, top).manifest == helm_result
