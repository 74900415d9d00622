"""The ReplicaSets a Deployment controller keeps: one per Pod template, found by template.

A Deployment owns ReplicaSets named ``<deployment>-<pod-template-hash>``; each carries the
Deployment's template plus the ``pod-template-hash`` label (in its labels, selector and template),
and an owner reference to the Deployment with ``controller: true``. The newest one is the one whose
template equals the Deployment's, ignoring that label: what Helm's legacy waiter looks for.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

HASH_LABEL = "pod-template-hash"
# the alphabet Kubernetes uses for generated names (no vowels, no look-alike characters)
_SAFE = "bcdfghjklmnpqrstvwxz2456789"

Obj = dict[str, Any]


def template_hash(template: Obj) -> str:
    """A short, name-safe hash of a Pod template (stable for equal templates)."""
    digest = hashlib.sha256(json.dumps(template or {}, sort_keys=True, separators=(",", ":")).encode()).digest()
    return "".join(_SAFE[b % len(_SAFE)] for b in digest[:10])


def _without_hash(template: Obj) -> Obj:
    t = copy.deepcopy(template or {})
    labels = (t.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
        if not labels:
            t["metadata"].pop("labels")
    if isinstance(t.get("metadata"), dict) and not t["metadata"]:
        t.pop("metadata")
    return t


def same_template(a: Obj, b: Obj) -> bool:
    """Whether two Pod templates are equal once the ``pod-template-hash`` label is ignored."""
    return _without_hash(a) == _without_hash(b)


def controlled_by(obj: Obj, owner: Obj) -> bool:
    """Whether ``owner`` is the controller of ``obj`` (an owner reference with ``controller: true``)."""
    uid = (owner.get("metadata") or {}).get("uid")
    return any(r.get("uid") == uid and r.get("controller")
               for r in (obj.get("metadata") or {}).get("ownerReferences") or [])


def new_replicaset(deployment: Obj, replicas: int) -> Obj:
    """The ReplicaSet a Deployment controller creates for the Deployment's current template."""
    meta, spec = deployment["metadata"], deployment.get("spec") or {}
    template = copy.deepcopy(spec.get("template") or {})
    h = template_hash(_without_hash(template))
    tmeta = template.setdefault("metadata", {})
    tmeta["labels"] = {**(tmeta.get("labels") or {}), HASH_LABEL: h}
    selector = copy.deepcopy(spec.get("selector") or {})
    selector["matchLabels"] = {**(selector.get("matchLabels") or {}), HASH_LABEL: h}
    annotations = {"deployment.kubernetes.io/desired-replicas": str(replicas),
                   "deployment.kubernetes.io/max-replicas": str(replicas),
                   "deployment.kubernetes.io/revision": str(meta.get("generation", 1))}
    return {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": f"{meta['name']}-{h}", "namespace": meta.get("namespace"),
                     "labels": dict(tmeta["labels"]), "annotations": annotations,
                     "ownerReferences": [{"apiVersion": deployment.get("apiVersion") or "apps/v1",
                                          "kind": "Deployment", "name": meta["name"], "uid": meta.get("uid"),
                                          "controller": True, "blockOwnerDeletion": True}]},
        "spec": {"replicas": replicas, "minReadySeconds": spec.get("minReadySeconds") or 0,
                 "selector": selector, "template": template},
    }
