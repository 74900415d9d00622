"""Install, upgrade, rollback, uninstall against the fake API server: what a user would see.

Expected behaviour is Helm 4.2's (pkg/action): statuses, descriptions, error texts.
"""

from __future__ import annotations

import threading

import pytest
from lifecycle_helpers import configmap

from pilothouse.action.history import History
from pilothouse.action.install import Install
from pilothouse.action.rollback import Rollback
from pilothouse.action.uninstall import Uninstall
from pilothouse.action.upgrade import Upgrade
from pilothouse.errors import PilothouseError


def states(cfg, name):
    return [(r.version, r.info.status, r.info.description) for r in reversed(History(cfg).run(name))]


def test_install_stamps_ownership_and_uses_ssa(srv, cfg, chart):
    rel = Install(cfg, release_name="web").run(chart(), {"color": "red"})
    assert (rel.version, rel.info.status, rel.info.description) == (1, "deployed", "Install complete")
    assert rel.apply_method == "ssa"
    cm = configmap(srv, "web-config")
    assert cm["data"] == {"color": "red", "revision": "1"}
    assert cm["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "Helm"
    assert cm["metadata"]["annotations"]["meta.helm.sh/release-name"] == "web"
    assert cm["metadata"]["annotations"]["meta.helm.sh/release-namespace"] == "default"
    assert [(m["manager"], m["operation"]) for m in cm["metadata"]["managedFields"]] == [("helm", "Apply")]
    # the stored manifest is the rendered text, without the ownership metadata
    assert "managed-by" not in rel.manifest


def test_install_refuses_foreign_object_and_take_ownership_adopts(srv, cfg, chart, make_cfg):
    from pilothouse.kube.client import KubeClient

    kube = KubeClient.from_kubeconfig(srv.kubeconfig_path)
    kube.create(kube.core("ConfigMap"), "default", {"apiVersion": "v1", "kind": "ConfigMap",
                                                    "metadata": {"name": "web-config"}, "data": {"x": "y"}})
    with pytest.raises(PilothouseError) as err:
        Install(cfg, release_name="web").run(chart(), {})
    assert str(err.value) == (
        'unable to continue with install: ConfigMap "web-config" in namespace "default" exists and cannot be '
        'imported into the current release: invalid ownership metadata; label validation error: missing key '
        '"app.kubernetes.io/managed-by": must be set to "Helm"; annotation validation error: missing key '
        '"meta.helm.sh/release-name": must be set to "web"; annotation validation error: missing key '
        '"meta.helm.sh/release-namespace": must be set to "default"')
    with pytest.raises(PilothouseError):
        History(cfg).run("web")  # nothing was recorded
    Install(make_cfg(), release_name="web", take_ownership=True).run(chart(), {})
    assert configmap(srv, "web-config")["metadata"]["annotations"]["meta.helm.sh/release-name"] == "web"


def test_name_in_use_and_invalid_name(cfg, chart):
    Install(cfg, release_name="web").run(chart(), {})
    with pytest.raises(PilothouseError, match="release name check failed: cannot reuse a name that is still in use"):
        Install(cfg, release_name="web").run(chart(), {})
    with pytest.raises(PilothouseError, match=r'release name "Bad_Name": invalid release name, must match regex'):
        Install(cfg, release_name="Bad_Name").run(chart(), {})


def test_upgrade_values_modes(srv, cfg, chart):
    Install(cfg, release_name="web").run(chart(), {"color": "red", "keep": False})
    # no values given: the previous ones are reused
    Upgrade(cfg).run("web", chart(), {})
    assert configmap(srv, "web-config")["data"]["color"] == "red"
    # new values alone replace the old user values
    Upgrade(cfg).run("web", chart(), {"extraName": "extra"})
    assert configmap(srv, "web-config")["data"]["color"] == "blue"
    assert configmap(srv, "extra") is not None
    # --reuse-values merges new over old
    rel = Upgrade(cfg, reuse_values=True).run("web", chart(), {"color": "green"})
    assert rel.config == {"extraName": "extra", "color": "green"}
    # --reset-values: only the new ones; objects that went away are deleted
    Upgrade(cfg, reset_values=True).run("web", chart(), {"color": "pink"})
    assert configmap(srv, "extra") is None
    assert configmap(srv, "web-config")["data"] == {"color": "pink", "revision": "5"}
    assert [s[1] for s in states(cfg, "web")] == ["superseded"] * 4 + ["deployed"]


def test_history_max_prunes_on_upgrade(cfg, chart):
    Install(cfg, release_name="web").run(chart(), {})
    for color in ("a", "b", "c", "d"):
        Upgrade(cfg, max_history=3).run("web", chart(), {"color": color})
    assert [s[0] for s in states(cfg, "web")] == [3, 4, 5]


def test_failed_upgrade_with_atomic_restores_previous_state(srv, cfg, chart):
    Install(cfg, release_name="web").run(chart(), {"color": "red", "extraName": "web-extra"})
    with pytest.raises(PilothouseError) as err:
        # an object name the API server rejects makes the upgrade fail half-way
        Upgrade(cfg, rollback_on_failure=True, timeout=5).run("web", chart(),
                                                              {"color": "green", "extraName": "Bad_Name"})
    assert str(err.value).startswith("release web failed, and has been rolled back due to rollback-on-failure "
                                      "being set: ")
    assert configmap(srv, "web-config")["data"] == {"color": "red", "revision": "1"}
    assert configmap(srv, "web-extra") is not None
    hist = states(cfg, "web")
    assert [(v, s) for v, s, _ in hist] == [(1, "superseded"), (2, "failed"), (3, "deployed")]
    assert hist[1][2].startswith('Upgrade "web" failed: ')
    assert hist[2][2] == "Rollback to 1"


def test_failed_upgrade_without_atomic_is_recorded(srv, cfg, chart):
    Install(cfg, release_name="web").run(chart(), {})
    with pytest.raises(PilothouseError):
        Upgrade(cfg).run("web", chart(), {"extraName": "Bad_Name"})
    assert [(v, s) for v, s, _ in states(cfg, "web")] == [(1, "deployed"), (2, "failed")]
    # a failed last revision does not block the next upgrade
    rel = Upgrade(cfg).run("web", chart(), {"color": "ok"})
    assert (rel.version, rel.info.status) == (3, "deployed")


def test_failed_install_with_atomic_uninstalls(srv, cfg, chart):
    with pytest.raises(PilothouseError) as err:
        Install(cfg, release_name="web", rollback_on_failure=True, timeout=5).run(chart(), {"extraName": "Bad_Name"})
    assert str(err.value).startswith("release web failed, and has been uninstalled due to rollback-on-failure "
                                      "being set: ")
    assert configmap(srv, "web-config") is None
    with pytest.raises(PilothouseError, match="release: not found"):
        History(cfg).run("web")


def test_pending_release_blocks_upgrade(cfg, chart):
    Install(cfg, release_name="web").run(chart(), {})
    last = cfg.releases.last("web")
    last.version = 2
    last.info.status = "pending-upgrade"
    cfg.releases.create(last)
    with pytest.raises(PilothouseError, match=r"^another operation \(install/upgrade/rollback\) is in progress$"):
        Upgrade(cfg).run("web", chart(), {})
    # rollback is what repairs it
    Rollback(cfg).run("web")
    assert [(v, s) for v, s, _ in states(cfg, "web")][-1] == (3, "deployed")
    assert Upgrade(cfg).run("web", chart(), {}).version == 4


def test_concurrent_upgrades_one_refused(srv, make_cfg, chart):
    Install(make_cfg(), release_name="web").run(chart(), {})
    results: dict[str, object] = {}
    barrier = threading.Barrier(2)

    def upgrade(tag: str, color: str) -> None:
        cfg = make_cfg()
        real_last = cfg.releases.last

        def last_then_wait(name):
            rel = real_last(name)
            barrier.wait(timeout=10)  # both read the history before either writes
            return rel

        cfg.releases.last = last_then_wait
        try:
            results[tag] = Upgrade(cfg).run("web", chart(), {"color": color})
        except PilothouseError as err:
            results[tag] = err

    threads = [threading.Thread(target=upgrade, args=(t, c)) for t, c in (("a", "red"), ("b", "green"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    errors = [r for r in results.values() if isinstance(r, PilothouseError)]
    done = [r for r in results.values() if not isinstance(r, PilothouseError)]
    assert len(errors) == 1 and len(done) == 1
    assert str(errors[0]).startswith("another operation (install/upgrade/rollback) is in progress")
    hist = states(make_cfg(), "web")
    assert [(v, s) for v, s, _ in hist] == [(1, "superseded"), (2, "deployed")]
    assert configmap(srv, "web-config")["data"]["color"] == done[0].config["color"]


def test_uninstall_keep_history_and_reinstall(srv, cfg, chart, make_cfg):
    Install(cfg, release_name="web").run(chart(), {"keep": True})
    res = Uninstall(cfg, keep_history=True).run("web")
    assert res.info == "These resources were kept due to the resource policy:\n[ConfigMap] web-kept\n"
    assert configmap(srv, "web-config") is None
    assert configmap(srv, "web-kept") is not None
    assert [(v, s, d) for v, s, d in states(cfg, "web")] == [(1, "uninstalled", "Uninstallation complete")]
    with pytest.raises(PilothouseError, match='the release named "web" is already deleted'):
        Uninstall(cfg, keep_history=True).run("web")
    with pytest.raises(PilothouseError, match="cannot reuse a name that is still in use"):
        Install(make_cfg(), release_name="web").run(chart(), {})
    rel = Install(make_cfg(), release_name="web", replace=True).run(chart(), {"color": "again"})
    assert (rel.version, rel.info.status) == (2, "deployed")
    assert configmap(srv, "web-config")["data"]["color"] == "again"
    # --replace supersedes the uninstalled record (Helm's replaceRelease)
    assert states(cfg, "web") == [(1, "superseded", "superseded by new release"), (2, "deployed", "Install complete")]
    # a plain uninstall purges every record
    Uninstall(make_cfg()).run("web")
    with pytest.raises(PilothouseError, match="release: not found"):
        History(make_cfg()).run("web")


def test_hooks_weights_and_delete_policies(srv, cfg, chart):
    Install(cfg, release_name="web").run(chart(), {"hookPods": True})
    applied = [p.split("?")[0].rsplit("/", 1)[-1] for m, p, *_ in srv.requests
               if m == "PATCH" and "/configmaps/web-hook" in p]
    assert applied == ["web-hook-z", "web-hook-a", "web-hook-b"]
    # hook-succeeded hooks are gone, the others stay
    assert configmap(srv, "web-hook-b") is None
    assert configmap(srv, "web-hook-a") is not None
    rel = cfg.releases.last("web")
    phases = {h.name: h.last_run["phase"] for h in rel.hooks}
    assert phases == {"web-hook-z": "Succeeded", "web-hook-a": "Succeeded", "web-hook-b": "Succeeded",
                      "web-test": ""}
    assert all(h.delete_policies for h in rel.hooks if h.name != "web-test")


def test_hook_job_is_awaited_and_failure_recorded(srv, cfg, chart):
    def fail_job() -> None:
        import time

        # polls for the Job to exist (however slow the machine), then fails it
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if srv.store.objects("Job", "default"):
                srv.store.make_failed("Job", "default", "web-migrate", "BackoffLimitExceeded")
                return
            time.sleep(0.02)

    t = threading.Thread(target=fail_job)
    t.start()
    with pytest.raises(PilothouseError) as err:
        Install(cfg, release_name="web", timeout=120).run(chart(), {"hookJob": True})
    t.join()
    assert str(err.value).startswith("failed pre-install: resource Job/default/web-migrate not ready. status: Failed")
    rel = cfg.releases.last("web")
    assert rel.info.status == "failed"
    assert rel.hooks[0].last_run["phase"] == "Failed"
    assert configmap(srv, "web-config") is None  # nothing else was created


def test_wait_times_out_on_unready_deployment(srv, cfg, chart):
    with pytest.raises(PilothouseError) as err:
        Install(cfg, release_name="web", wait="watcher", timeout=0.5).run(chart(), {"deployment": True})
    assert "resource Deployment/default/web-web not ready. status: InProgress" in str(err.value)
    assert str(err.value).endswith("context deadline exceeded")
    srv.store.make_ready("Deployment", "default", "web-web")
    rel = Upgrade(cfg, wait="watcher", timeout=5).run("web", chart(), {"deployment": True})
    assert rel.info.status == "deployed"


def test_dry_run_client_touches_nothing(srv, cfg, chart):
    rel = Install(cfg, release_name="web", dry_run="client").run(chart(), {})
    assert rel.info.description == "Dry run complete"
    assert "kind: ConfigMap" in rel.manifest
    assert configmap(srv, "web-config") is None
    assert not srv.store.objects("Secret", "default")
