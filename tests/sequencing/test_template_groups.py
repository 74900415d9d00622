"""`pilot template --wait=ordered` prints HIP-0025's resource-group comments; without it, Helm's bytes."""

from __future__ import annotations

import os
import subprocess

from seq_helpers import CHARTS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELM = os.path.join(ROOT, ".venv", "bin", "helm")
CHART = os.path.join(CHARTS, "hipexample")


def _helm_docs() -> dict[str, str]:
    """Each document of the real `helm template` output (text after its ``---`` line), by object name."""
    out = subprocess.run([HELM, "template", "x", CHART], capture_output=True, text=True, check=True,
                         timeout=120).stdout
    docs = {}
    for chunk in out.split("---\n")[1:]:
        name = next(line.split(":", 1)[1].strip() for line in chunk.splitlines() if line.startswith("  name:"))
        docs[name] = chunk.strip("\n") + "\n"
    return docs


def test_groups_between_start_and_end_comments_in_apply_order(pilot):
    d = _helm_docs()
    # the layout of HIP-0025's example: `## START resource-group: <chart>[/<subchart>] <group>`, the
    # group's documents separated by ---, `## END ...`, --- between groups; the subchart comes first
    # (Chart.yaml: helm.sh/depends-on/subcharts), group0 before group2 (depends-on), loose objects last
    want = ("## START resource-group: foo/bar group0\n" + d["zero"] + "## END resource-group: foo/bar group0\n"
            "---\n## START resource-group: foo/bar group2\n" + d["fizz"] + "## END resource-group: foo/bar group2\n"
            "---\n## START resource-group: foo group1\n" + d["foo"] + "---\n" + d["bar"] +
            "## END resource-group: foo group1\n"
            "---\n" + d["loose"])
    rc, out, err = pilot("template", "x", CHART, "--wait=ordered")
    assert (rc, err) == (0, "")
    assert out == want


def test_other_wait_values_leave_the_output_alone(pilot):
    # helm template accepts --wait and ignores it; so does pilot for every strategy but ordered
    rc, plain, _ = pilot("template", "x", CHART)
    assert rc == 0 and "## START" not in plain
    for flag in ("--wait", "--wait=legacy", "--wait=hookOnly"):
        rc, out, _ = pilot("template", "x", CHART, flag)
        assert rc == 0 and out == plain
    helm = subprocess.run([HELM, "template", "x", CHART, "--wait"], capture_output=True, text=True, timeout=120)
    assert helm.returncode == 0 and "## START" not in helm.stdout
