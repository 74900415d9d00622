"""Splitting and sorting rendered manifests as Helm v4.2.3 does (vectors from Helm's own tests)."""

from __future__ import annotations

import pytest

from pilothouse.errors import ManifestError
from pilothouse.manifest import INSTALL_ORDER, sort_manifests, split_manifests

POD = """apiVersion: v1
kind: Pod
metadata:
  name: finding-nemo,
  annotations:
    "helm.sh/hook": test
spec:
  containers:
  - name: nemo-test
    image: fake-image
    cmd: fake-command
"""


@pytest.mark.parametrize("text,expected", [
    ("\n\n---\n" + POD, [POD]),
    ("", []),
    ("  \n\n  \n", []),
    ("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\n---\n  \n",
     ["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1"]),
    ("\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\n",
     ["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\n"]),
    ("\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\n",
     ["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\n"]),
    ("\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\ndata:\n  key: |\n    hello\n\n",
     ["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\ndata:\n  key: |\n    hello\n\n"]),
])
def test_split_manifests(text, expected):
    assert split_manifests(text) == expected


def test_sort_manifests_hooks_and_kinds():
    files = {
        "one": "apiVersion: v1\nkind: Job\nmetadata:\n  name: first\n  labels:\n    doesnot: matter\n"
               "  annotations:\n    \"helm.sh/hook\": pre-install\n",
        "two": "kind: ReplicaSet\napiVersion: v1beta1\nmetadata:\n  name: second\n  annotations:\n"
               "    \"helm.sh/hook\": post-install\n",
        "three": "kind: ReplicaSet\napiVersion: v1beta1\nmetadata:\n  name: third\n  annotations:\n"
                 "    \"helm.sh/hook\": no-such-hook\n",
        "four": "kind: Pod\napiVersion: v1\nmetadata:\n  name: fourth\n  annotations:\n    nothing: here\n",
        "five": "kind: ReplicaSet\napiVersion: v1beta1\nmetadata:\n  name: fifth\n  annotations:\n"
                "    \"helm.sh/hook\": post-delete, post-install\n",
        "six": "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: sixth\n---\nkind: Namespace\napiVersion: v1\n"
               "metadata:\n  name: sixth-ns\n",
        "_partial": "kind: Secret\n",
        "blank": "   \n",
    }
    hooks, manifests = sort_manifests(files)
    assert {h.name: h.events for h in hooks} == {"first": ["pre-install"], "second": ["post-install"],
                                                 "fifth": ["post-delete", "post-install"]}
    # ReplicaSet comes before Job in Helm's install order; equal kinds keep file order (byte-sorted paths).
    assert [h.name for h in hooks] == ["fifth", "second", "first"]
    assert [m.head.name for m in manifests] == ["sixth-ns", "sixth", "fourth"]
    assert [m.name for m in manifests] == ["six", "six", "four"]


def test_hook_weight_and_policies():
    doc = ("kind: Job\napiVersion: batch/v1\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: Pre-Install\n"
           "    helm.sh/hook-weight: \"-5\"\n    helm.sh/hook-delete-policy: Hook-Succeeded, before-hook-creation\n")
    hooks, manifests = sort_manifests({"t/templates/j.yaml": doc})
    assert not manifests
    (h,) = hooks
    assert (h.events, h.weight, h.delete_policies, h.path) == (
        ["pre-install"], -5, ["hook-succeeded", "before-hook-creation"], "t/templates/j.yaml")


def test_unknown_kinds_sort_after_known_alphabetically():
    docs = {f"f{i}": f"kind: {k}\napiVersion: v1\nmetadata:\n  name: n{i}\n"
            for i, k in enumerate(["Zeta", "Alpha", "Deployment", "Namespace", ""])}
    _, manifests = sort_manifests(docs)
    assert [m.head.kind for m in manifests] == ["Namespace", "Deployment", "", "Alpha", "Zeta"]
    assert INSTALL_ORDER[1] == "Namespace"


def test_invalid_yaml_names_the_file():
    with pytest.raises(ManifestError) as info:
        sort_manifests({"c/templates/bad.yaml": "a: b\n  c: d\n"})
    assert str(info.value).startswith("YAML parse error on c/templates/bad.yaml: error converting YAML to JSON: yaml: line ")
