"""`--wait=ordered` end to end: the fake server's audit log and its controllers prove the order."""

from __future__ import annotations

import os

from seq_helpers import CHARTS, applied, deleted


def _after_ready(sim, first: str, then: str) -> bool:
    """``then`` was created only once ``first`` was ready (by the simulated controllers' ticks)."""
    c = sim.api.controllers
    ready, seen = c.tick_of("ready", "Deployment", first), c.tick_of("seen", "Deployment", then)
    return ready is not None and seen is not None and seen > ready


def test_resource_groups_applied_and_awaited_in_order(pilot, sim):
    rc, out, err = pilot("install", "g", os.path.join(CHARTS, "groups"), "--wait=ordered", "--timeout=120s")
    assert rc == 0, err
    assert "STATUS: deployed" in out
    assert applied(sim) == ["db", "queue", "app"]
    # the ungrouped Service comes after every group
    assert [e.resource for e in sim.api.audit.writes() if e.resource in ("deployments", "services")][-1] == "services"
    assert _after_ready(sim, "db", "queue") and _after_ready(sim, "queue", "app")
    assert "step 1/4: applying 1 object(s): groups database" in err
    assert "step 3/4: ready: groups app" in err


def test_without_ordered_everything_is_applied_at_once(pilot, sim):
    rc, _, err = pilot("install", "g", os.path.join(CHARTS, "groups"), "--wait", "--timeout=120s")
    assert rc == 0, err
    # one kind is sent in parallel, as Helm does: nothing waits for anything
    assert sorted(applied(sim)) == ["app", "db", "queue"]
    assert "step 1/" not in err
    # without a terminal, a Helm-compatible wait writes nothing to stderr, as helm does
    assert err == ""


def test_subcharts_in_dependency_order(pilot, sim):
    rc, _, err = pilot("install", "s", os.path.join(CHARTS, "stack"), "--wait=ordered", "--timeout=120s")
    assert rc == 0, err
    order = applied(sim)
    assert set(order[:2]) == {"cache-main", "db-main"} and order[2:] == ["web-main", "stack-front"]
    assert _after_ready(sim, "db-main", "web-main") and _after_ready(sim, "cache-main", "web-main")
    assert _after_ready(sim, "web-main", "stack-front")


def test_cycles_and_unknown_groups_fail_before_anything_is_applied(pilot, sim):
    for chart, msg in (("cycle", "chart 'cycle' resource groups: circular dependency: ga -> gb -> ga"),
                       ("subcycle", "chart 'subcycle' subcharts: circular dependency: alpha -> beta -> alpha"),
                       ("unknown", "depends on resource group 'nope'")):
        rc, _, err = pilot("install", chart, os.path.join(CHARTS, chart), "--wait=ordered")
        assert rc != 0 and msg in err and "Traceback" not in err
    assert applied(sim) == [] and applied(sim, "secrets") == []


def test_lint_reports_sequencing_errors(pilot):
    rc, out, err = pilot("lint", os.path.join(CHARTS, "cycle"))
    assert rc != 0
    assert "[ERROR] templates/: sequencing: chart 'cycle' resource groups: circular dependency: ga -> gb -> ga" in out
    rc, out, _ = pilot("lint", os.path.join(CHARTS, "groups"))
    assert rc == 0 and "[ERROR]" not in out


def test_other_tools_annotations_behind_a_flag(pilot, sim):
    rc, _, err = pilot("install", "o", os.path.join(CHARTS, "othertools"), "--wait=ordered",
                       "--sequence-annotations=kapp,argocd", "--timeout=120s")
    assert rc == 0, err
    order = applied(sim)
    # sync-wave 0 (wave2) before 1 (wave1) before 2 (wave0); kapp's db before app
    assert order.index("wave2") < order.index("wave1") < order.index("wave0")
    assert order.index("kdb") < order.index("kapp")
    assert _after_ready(sim, "kdb", "kapp") and _after_ready(sim, "wave1", "wave0")
    rc, _, err = pilot("install", "p", os.path.join(CHARTS, "othertools"), "--wait=ordered",
                       "--sequence-annotations=helmfile")
    assert rc != 0 and 'invalid sequence annotations "helmfile". Valid values are: kapp, argocd' in err


def test_upgrade_and_uninstall_in_order(pilot, sim):
    chart = os.path.join(CHARTS, "groups")
    assert pilot("install", "g", chart, "--timeout=120s")[0] == 0
    sim.api.audit.clear()
    rc, _, err = pilot("upgrade", "g", chart, "--wait=ordered", "--set", "x=1", "--timeout=120s")
    assert rc == 0, err
    assert applied(sim) == ["db", "queue", "app"]
    sim.api.audit.clear()
    rc, out, err = pilot("uninstall", "g", "--wait=ordered", "--timeout=120s")
    assert rc == 0, err
    assert deleted(sim) == ["app", "queue", "db"]
    services = [e.seq for e in sim.api.audit.writes() if e.verb == "delete" and e.resource == "services"]
    first_deployment = min(e.seq for e in sim.api.audit.writes() if e.verb == "delete" and
                           e.resource == "deployments")
    assert services and services[0] < first_deployment  # the unsequenced objects go first


def test_library_reports_progress_events(sim):
    from pilothouse.action.config import Configuration
    from pilothouse.action.install import Install
    from pilothouse.chart import load
    from pilothouse.kube.progress import ObjectStatus, StepDone, StepStarted

    cfg = Configuration.from_env(kubeconfig=sim.kubeconfig_path, namespace="default", driver="secret")
    seen: list[object] = []
    cfg.progress = seen.append
    rel = Install(cfg, release_name="lib", wait="ordered", timeout=120).run(load(os.path.join(CHARTS, "groups")))
    assert rel.info.status == "deployed"
    steps = [(type(e).__name__, e.label) for e in seen if isinstance(e, (StepStarted, StepDone))]
    assert steps[:2] == [("StepStarted", "groups database"), ("StepDone", "groups database")]
    assert len(steps) == 8
    db = [e for e in seen if isinstance(e, ObjectStatus) and e.name == "db"]
    assert db[-1].status == "Current" and db[-1].ready == db[-1].total == 1


def test_template_reports_sequencing_errors(pilot):
    rc, out, err = pilot("template", "x", os.path.join(CHARTS, "subcycle"))
    assert rc != 0 and out == ""
    assert err.strip() == "Error: chart 'subcycle' subcharts: circular dependency: alpha -> beta -> alpha"
    rc, out, _ = pilot("template", "x", os.path.join(CHARTS, "groups"))
    assert rc == 0 and "name: db" in out


def test_rollback_in_order(pilot, sim):
    chart = os.path.join(CHARTS, "groups")
    assert pilot("install", "g", chart, "--timeout=120s")[0] == 0
    assert pilot("upgrade", "g", chart, "--set", "x=1")[0] == 0
    sim.api.audit.clear()
    rc, out, err = pilot("rollback", "g", "1", "--wait=ordered", "--timeout=120s")
    assert rc == 0, err
    assert "Rollback was a success" in out
    assert applied(sim) == ["db", "queue", "app"]
    steps = [line for line in err.splitlines() if line.startswith("step ")]
    assert steps[:3] == ["step 1/4: applying 1 object(s): groups database", "step 1/4: ready: groups database",
                         "step 2/4: applying 1 object(s): groups queue"]


def test_library_functions_take_the_same_options(sim):
    import pilothouse
    from pilothouse.action.config import Configuration

    cfg = Configuration.from_env(kubeconfig=sim.kubeconfig_path, namespace="default", driver="secret")
    cfg.fail_grace = 0.0
    chart = os.path.join(CHARTS, "othertools")
    rel = pilothouse.install(chart, "lib", config=cfg, wait="ordered", sequence_annotations=("kapp",), timeout=120)
    assert rel.info.status == "deployed"
    order = applied(sim)
    assert order.index("kdb") < order.index("kapp")
    pilothouse.uninstall("lib", config=cfg, wait="ordered", sequence_annotations=("kapp",), timeout=120)
    gone = deleted(sim)
    assert gone.index("kapp") < gone.index("kdb")
