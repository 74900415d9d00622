"""Three-way strategic merge patches against the cases of the Kubernetes client library's own tests.

The vectors (original, modified, current and the patch Go computes) come from apimachinery's
patch_test.go, which runs them against its ``MergeItem`` test struct; its struct tags are the patch
metadata below. Cases whose description says "conflict" and that give no result only check that the
non-overwriting mode refuses: Helm always overwrites, so they have no patch to compare.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pilothouse.kube.strategicpatch import PatchSchema, _gostr, create_three_way_merge_patch

CASES = json.loads((Path(__file__).parent / "data" / "strategic_threeway_cases.json").read_text())["cases"]

# The patchStrategy/patchMergeKey tags of patch_test.go's MergeItem and RetainKeysMergeItem.
MERGE_ITEM_TYPES = {
    "MergeItem": {
        "mergingList": ["MergeItem", "merge", "name"],
        "mergingIntList": ["", "merge"],
        "mergeItemPtr": ["MergeItem", "merge", "name"],
        "replacingItem": ["", "replace"],
        "retainKeysMap": ["RetainKeysMergeItem", "retainKeys"],
        "retainKeysMergingList": ["MergeItem", "merge,retainKeys", "name"],
    },
    "RetainKeysMergeItem": {
        "mergingIntList": ["", "merge"],
        "mergingList": ["MergeItem", "merge", "name"],
    },
}
SCHEMA = PatchSchema(MERGE_ITEM_TYPES, "MergeItem")


def _sort_merge_lists(value: dict[str, Any], schema: PatchSchema) -> dict[str, Any]:
    """What the Go test does to its YAML table before comparing: merge lists sorted by merge key."""
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k == "$retainKeys" or k.startswith("$deleteFromPrimitiveList"):
            v = sorted(v, key=_gostr)
        elif k != "$patch" and not k.startswith("$setElementOrder"):
            sub, strategies, key = schema.lookup(k)
            if isinstance(v, dict):
                v = _sort_merge_lists(v, sub)
            elif isinstance(v, list) and "merge" in strategies and v:
                if isinstance(v[0], dict):
                    v = sorted((_sort_merge_lists(x, sub) for x in v), key=lambda x: _gostr(x.get(key)))
                else:
                    v = sorted({json.dumps(x): x for x in v}.values(), key=_gostr)
        out[k] = v
    return out


def _canon(v: Any) -> str:
    # Go compares the marshalled JSON: keys sorted, 1 and 1.0 and true all distinct.
    return json.dumps(v, sort_keys=True)


def _cases() -> list[Any]:
    keep = [c for c in CASES if not ("conflict" in c["description"] and c["result"] is None)]
    return [pytest.param(c, id=f"{c['table'][:6]}:{c['description']}") for c in keep]


def test_the_vectors_are_all_there():
    assert len(CASES) == 114
    assert len(_cases()) >= 100


@pytest.mark.parametrize("case", _cases())
def test_create_three_way_merge_patch(case):
    docs = {k: case[k] or {} for k in ("original", "modified", "current", "threeWay")}
    if case["sorted"]:
        docs = {k: _sort_merge_lists(v, SCHEMA) for k, v in docs.items()}
    patch = create_three_way_merge_patch(docs["original"], docs["modified"], docs["current"], SCHEMA)
    assert _canon(patch) == _canon(docs["threeWay"])


def test_inputs_are_left_untouched():
    case = next(c for c in CASES if c["description"] == "nested patch merge with empty list")
    before = json.dumps(case, sort_keys=True)
    create_three_way_merge_patch(case["original"], case["modified"], case["current"], SCHEMA)
    assert json.dumps(case, sort_keys=True) == before
