"""`diff upgrade` on real charts shows exactly what the following upgrade changes on the server.

Each chart is installed with one corpus case's values and upgraded to another's. Before the
upgrade, `pilothouse.diff_upgrade` predicts the objects; after it, the objects in the fake API
server's store must be those predicted (same changed objects, same content), and a repeated
upgrade with the same values must be predicted, and found, to change nothing.
"""

from __future__ import annotations

import pytest
from corpus_helpers import (
    ABSENT_REASON,
    PAIRS,
    PRESENT,
    case_by_id,
    ensure_extra_kinds,
    ensure_namespace,
    plain,
    snapshot,
    values_of,
)

import fakekube

if not PRESENT:
    pytest.skip(ABSENT_REASON, allow_module_level=True)

RELEASE = "rel"


def _key(change):
    return (change.api_version, change.kind, change.namespace, change.name)


def _without_allocations(obj):
    # values the server allocates afresh on every create (cluster IPs, node ports) differ between
    # a dry-run create and the real one, as on a real API server
    if obj is None:
        return None
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Service":
        for k in ("clusterIP", "clusterIPs"):
            spec.pop(k, None)
        for p in spec.get("ports") or []:
            p.pop("nodePort", None)
    return obj


def _check_prediction(srv, result, before, after):
    changed = {k for k in set(before) | set(after) if plain(before.get(k)) != plain(after.get(k))}
    predicted = {_key(c): c for c in result.changes if not c.hook}
    assert set(predicted) == changed, (
        f"predicted but not changed: {sorted(set(predicted) - changed)}; "
        f"changed but not predicted: {sorted(changed - set(predicted))}")
    for key, change in predicted.items():
        if change.change == "REMOVE":
            assert key not in after
            continue
        assert _without_allocations(plain(change.after)) == _without_allocations(plain(after[key])), key
        if change.change == "MODIFY":
            assert plain(change.before) == plain(before[key]), key


@pytest.mark.parametrize("first,second", PAIRS, ids=[p[0].split("--")[0] for p in PAIRS])
def test_diff_upgrade_predicts_the_upgrade(first, second):
    import pilothouse
    from pilothouse.action.config import Configuration
    from pilothouse.chart import load

    a, b = case_by_id(first), case_by_id(second)
    ns = a.options["namespace"]
    with fakekube.serve(auto_ready=True) as srv:
        ensure_namespace(srv, ns)
        ensure_extra_kinds(srv)
        cfg = Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace=ns, driver="secret")
        pilothouse.install(load(a.chart_dir), RELEASE, values=values_of(a), config=cfg, namespace=ns)
        installed = snapshot(srv, RELEASE)
        assert installed, "the install created no objects"

        result = pilothouse.diff_upgrade(RELEASE, load(b.chart_dir), values=values_of(b), config=cfg)
        assert result.has_changes
        pilothouse.upgrade(RELEASE, load(b.chart_dir), values=values_of(b), config=cfg, reset_values=True)
        upgraded = snapshot(srv, RELEASE)
        _check_prediction(srv, result, installed, upgraded)

        again = pilothouse.diff_upgrade(RELEASE, load(b.chart_dir), values=values_of(b), config=cfg)
        pilothouse.upgrade(RELEASE, load(b.chart_dir), values=values_of(b), config=cfg, reset_values=True)
        final = snapshot(srv, RELEASE)
        _check_prediction(srv, again, upgraded, final)
        assert [c.key for c in again.changes if not c.hook] == []
        assert not again.has_changes


PLANNED = [p for p in PAIRS if p[0].split("--")[0] in ("prometheus", "helmtest-lib-dep", "bitnami-redis")]


@pytest.mark.parametrize("first,second", PLANNED, ids=[p[0].split("--")[0] for p in PLANNED])
def test_plan_then_apply_performs_the_planned_upgrade(first, second, tmp_path):
    import pilothouse
    from pilothouse.action.config import Configuration
    from pilothouse.action.plan import apply_plan, make_plan, read_plan, write_plan
    from pilothouse.chart import load

    a, b = case_by_id(first), case_by_id(second)
    ns = a.options["namespace"]
    with fakekube.serve(auto_ready=True) as srv:
        ensure_namespace(srv, ns)
        ensure_extra_kinds(srv)
        cfg = Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace=ns, driver="secret")
        pilothouse.install(load(a.chart_dir), RELEASE, values=values_of(a), config=cfg, namespace=ns)
        installed = snapshot(srv, RELEASE)
        plan = make_plan(cfg, RELEASE, load(b.chart_dir), values_of(b), reset_values=True)
        path = str(tmp_path / "plan.yaml")
        write_plan(path, plan)
        assert snapshot(srv, RELEASE) == installed, "planning changes nothing"
        rel = apply_plan(cfg, read_plan(path))
        assert rel.version == 2 and rel.info.status == "deployed"
        stored = pilothouse.status(RELEASE, config=cfg)
        assert stored.manifest == plan.document["releaseRecord"]["manifest"]
        result = type("R", (), {"changes": plan.changes})
        _check_prediction(srv, result, installed, snapshot(srv, RELEASE))
