"""The shared chart corpus: real charts with Helm v4.2.3's own output (see ../shared/corpus/README.md).

Tests and benchmarks find it through PILOTHOUSE_CORPUS (default: ../shared/corpus beside the
repository). Where it is absent, the tests that need it say so and are not run.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.abspath(os.environ.get("PILOTHOUSE_CORPUS", os.path.join(REPO, "..", "shared", "corpus")))
PRESENT = os.path.isdir(os.path.join(CORPUS, "cases"))
ABSENT_REASON = f"the chart corpus was not found at {CORPUS} (set PILOTHOUSE_CORPUS); corpus tests were NOT run"


@dataclass
class Case:
    case_id: str
    root: str
    case: dict[str, Any]
    chart_dir: str
    values_file: str

    @property
    def options(self) -> dict[str, Any]:
        return self.case["render_options"]

    def expected(self) -> dict[str, str]:
        index = json.load(open(os.path.join(self.root, "expected_index.json")))
        keys = index.keys() if isinstance(index, dict) else [e["key"] for e in index]
        out = {}
        for key in keys:
            with open(os.path.join(self.root, "expected", key), encoding="utf-8", newline="") as fh:
                out[key] = fh.read()
        return out

    def missing_vendored(self) -> list[str]:
        """Dependencies the corpus recorded as vendored but whose files it did not keep.

        (Some charts' own .gitignore excludes ``charts/*``, so their vendored subcharts were
        dropped when the corpus was stored; Helm's expected output still contains them.)
        """
        charts_dir = os.path.join(self.chart_dir, "charts")
        present = os.listdir(charts_dir) if os.path.isdir(charts_dir) else []
        missing = []
        for dep in self.case.get("dependencies", []):
            if dep.get("status") != "vendored" or dep.get("depth") != 0:
                continue
            if not any(p == dep["name"] or p.startswith(dep["name"] + "-") for p in present):
                missing.append(dep["name"])
        return missing

    def error(self) -> dict[str, str]:
        return json.load(open(os.path.join(self.root, "error.json")))


def cases(kind: str = "cases", corpus: str = CORPUS) -> list[Case]:
    base = os.path.join(corpus, kind)
    if not os.path.isdir(base):
        return []
    out = []
    for cid in sorted(os.listdir(base)):
        root = os.path.join(base, cid)
        case = json.load(open(os.path.join(root, "case.json")))
        out.append(Case(cid, root, case, os.path.join(corpus, case["chart_dir"]), os.path.join(root, "values.yaml")))
    return out


def render_case(c: Case) -> dict[str, str]:
    """Render a case with Pilothouse's public API, as the corpus's oracle rendered it."""
    import pilothouse

    o = c.options
    return pilothouse.render(
        c.chart_dir, values_files=[c.values_file], name=o["name"], namespace=o["namespace"],
        revision=o.get("revision", 1), is_upgrade=o.get("is_upgrade", False),
        kube_version=o.get("kube_version"), api_versions=o.get("api_versions", ()))


_RANDOM = re.compile(r"[A-Za-z0-9+/=_-]{6,}")


def shape(text: str) -> list[str]:
    """Text with random-looking tokens masked and runs of masked-only lines folded (for random output)."""
    lines = []
    for line in text.split("\n"):
        masked = _RANDOM.sub("<R>", line)
        if lines and masked.strip() == "<R>" and lines[-1].strip() == "<R>":
            continue
        lines.append(masked)
    return lines
