"""`pilot drift` on real charts: an untouched release shows nothing; one edit by another field
manager is found (path, value, manager), ignore rules hide it, and --correct restores it."""

from __future__ import annotations

import pytest
from corpus_helpers import (
    ABSENT_REASON,
    PAIRS,
    PRESENT,
    SINGLE,
    case_by_id,
    edit_as_other_manager,
    ensure_extra_kinds,
    ensure_namespace,
    snapshot,
    values_of,
)

import fakekube

if not PRESENT:
    pytest.skip(ABSENT_REASON, allow_module_level=True)

CASES = [p[0] for p in PAIRS] + SINGLE
RELEASE = "rel"


def _target(objs):
    # a workload whose replicas the chart sets if there is one, else a ConfigMap (its data), else anything
    def rank(key):
        obj = objs[key]
        helm = [m for m in obj["metadata"].get("managedFields") or [] if m["manager"] == "helm"]
        if any("f:replicas" in (m.get("fieldsV1") or {}).get("f:spec", {}) for m in helm):
            return 0
        if obj["kind"] == "ConfigMap" and obj.get("data"):
            return 1
        return 2
    return objs[sorted(objs, key=lambda k: (rank(k), k))[0]]


def _value(obj, path):
    if path.startswith("metadata.labels."):
        return obj["metadata"]["labels"].get(path[len("metadata.labels."):])
    if path.startswith("data["):
        return obj["data"][path[6:-2]]
    return obj["spec"]["replicas"]


@pytest.mark.parametrize("case_id", CASES, ids=[c.split("--")[0] for c in CASES])
def test_drift_found_ignored_and_corrected(case_id, tmp_path, monkeypatch):
    import pilothouse
    from pilothouse.action.config import Configuration
    from pilothouse.chart import load

    monkeypatch.setenv("HELM_CONFIG_HOME", str(tmp_path))
    case = case_by_id(case_id)
    ns = case.options["namespace"]
    with fakekube.serve(auto_ready=True) as srv:
        ensure_namespace(srv, ns)
        ensure_extra_kinds(srv)
        cfg = Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace=ns, driver="secret")
        pilothouse.install(load(case.chart_dir), RELEASE, values=values_of(case), config=cfg, namespace=ns)

        clean = pilothouse.drift(RELEASE, config=cfg)
        assert clean.entries == [] and clean.checked > 0

        target = _target(snapshot(srv, RELEASE))
        path, value = edit_as_other_manager(srv, target)
        found = pilothouse.drift(RELEASE, config=cfg)
        assert [(e.kind, e.name, e.state) for e in found.entries] == [
            (target["kind"], target["metadata"]["name"], "changed")]
        entry = found.entries[0]
        assert entry.managers == ["intruder"]
        assert [f.after for f in entry.fields if f.before == value] != []

        # ignore rules: by path on the command line, by path per user, by manager
        top = path.split(".")[0] + "." + path.split(".")[1].split("/")[0] if path.startswith("metadata") else path
        assert pilothouse.drift(RELEASE, config=cfg, ignore_paths=[top]).entries == []
        assert pilothouse.drift(RELEASE, config=cfg, ignore_paths=[f"{target['kind']}:{top}"]).entries == []
        assert pilothouse.drift(RELEASE, config=cfg, ignore_paths=[f"NotAKind:{top}"]).entries != []
        assert pilothouse.drift(RELEASE, config=cfg, ignore_managers=["intruder"]).entries == []
        (tmp_path / "pilothouse").mkdir()
        (tmp_path / "pilothouse" / "drift.yaml").write_text(
            f"ignore:\n  - path: {top}\n    kind: {target['kind']}\n    release: {RELEASE}\n")
        assert pilothouse.drift(RELEASE, config=cfg).entries == []
        assert pilothouse.drift(RELEASE, config=cfg, use_user_config=False).entries != []

        corrected = pilothouse.drift(RELEASE, config=cfg, correct=True, use_user_config=False)
        assert corrected.corrected and corrected.entries[0].restored
        assert pilothouse.drift(RELEASE, config=cfg, use_user_config=False).entries == []
        live = snapshot(srv, RELEASE)
        key = next(k for k in live if k[1] == target["kind"] and k[3] == target["metadata"]["name"])
        assert _value(live[key], path) == _value(target, path) != value
        history = pilothouse.history(RELEASE, config=cfg)
        assert len(history) == 1, "correcting drift must not write a revision"
