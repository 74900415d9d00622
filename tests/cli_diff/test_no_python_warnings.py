"""No Python warning reaches a user: charts whose templates touch deprecated crypto (bitnami's
certificate helpers, Sprig's DSA keys) render with an empty stderr, as under helm."""

from __future__ import annotations

import os

import pytest

from corpus_cases import ABSENT_REASON, CORPUS

CHARTS = ["bitnami-nginx", "bitnami-redis", "bitnami-postgresql"]


@pytest.mark.parametrize("chart", CHARTS)
def test_rendering_a_bitnami_chart_prints_no_warning(diff, chart):
    path = os.path.join(CORPUS, "charts", chart)
    assert os.path.isdir(path), ABSENT_REASON
    h, p = diff.both(["template", "x", path])
    assert (h.rc, h.err) == (0, "")
    assert (p.rc, p.err) == (0, "")


def test_dsa_keys_print_no_warning(diff):
    chart = diff.sides["b"].work / "dsa"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: dsa\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text('key: {{ genPrivateKey "dsa" | len | toString | quote }}\n')
    p = diff.run("pilot", ["template", "x", "dsa"], "b")
    assert (p.rc, p.err) == (0, "")
    assert p.out.startswith("---\n# Source: dsa/templates/cm.yaml\nkey: \"1")
