"""Custom resources with conditions: 50 runs, none hangs and none returns before the object is ready."""

from __future__ import annotations

import threading

import pytest

import fakekube
from pilothouse.errors import KubeError

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "databases.example.com"},
    "spec": {"group": "example.com", "scope": "Namespaced",
             "names": {"plural": "databases", "singular": "database", "kind": "Database", "listKind": "DatabaseList"},
             "versions": [{"name": "v1", "served": True, "storage": True, "subresources": {"status": {}},
                           "schema": {"openAPIV3Schema": {"type": "object",
                                                          "x-kubernetes-preserve-unknown-fields": True}}}]},
}


def _manifest(name: str, outcome: str, ticks: int, size: int) -> str:
    return f"""apiVersion: example.com/v1
kind: Database
metadata:
  name: {name}
  annotations:
    fakekube.pilothouse.io/simulate: {outcome}
    fakekube.pilothouse.io/ready-after-ticks: "{ticks}"
spec:
  size: {size}
"""


@pytest.fixture
def stepped():
    # controllers that move only when the test says so
    with fakekube.serve(simulate=0) as srv:
        srv.store.create(srv.store.resolve("CustomResourceDefinition"), None, CRD)
        yield srv


def _wait_stepping(srv, kube, resource, store_ready) -> tuple[BaseException | None, list[str]]:
    from pilothouse.kube.progress import ObjectStatus
    from pilothouse.kube.watchwait import WatchWaiter

    problems: list[str] = []

    def progress(ev: object) -> None:
        # every "Current" the waiter reports must already be true on the server
        if isinstance(ev, ObjectStatus) and ev.status == "Current" and not store_ready():
            problems.append(f"early return: reported Current while the server says otherwise ({ev.message})")

    outcome: list[BaseException | None] = []
    done = threading.Event()

    def run() -> None:
        try:
            WatchWaiter(kube, fail_grace=0, progress=progress).wait([resource], 120)
            outcome.append(None)
        except KubeError as err:
            outcome.append(err)
        done.set()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    for _ in range(4000):  # a bound, not a schedule: a hang shows up as running out of steps
        if done.wait(0.01):
            break
        srv.api.controllers.step()
    t.join(timeout=60)
    if not done.is_set():
        problems.append("hang: the wait did not end")
    return (outcome[0] if outcome else None), problems


def test_fifty_runs_without_hang_or_early_return(stepped):
    from pilothouse.kube.client import KubeClient

    srv = stepped
    kube = KubeClient.from_kubeconfig(srv.kubeconfig_path)
    rt = srv.store.resolve("Database")
    failures = []
    for i in range(50):
        name, outcome, ticks = f"db-{i}", ("fail" if i % 5 == 4 else "ok"), 1 + i % 4
        (res,) = kube.build(_manifest(name, outcome, ticks, 1), namespace="default")
        kube.apply(res.rtype, "default", res.obj)

        def ready(name: str = name) -> bool:
            obj = srv.store.find(rt, "default", name) or {}
            gen = obj.get("metadata", {}).get("generation")
            st = obj.get("status") or {}
            return st.get("observedGeneration") == gen and any(
                c.get("type") == "Ready" and c.get("status") == "True" for c in st.get("conditions") or [])

        err, problems = _wait_stepping(srv, kube, res, ready)
        failures.extend(f"{name}: {p}" for p in problems)
        if outcome == "ok":
            if err is not None:
                failures.append(f"{name}: unexpected error {err}")
            elif not ready():
                failures.append(f"{name}: returned before the resource was ready")
        elif err is None or "reconcile failed" not in str(err):
            failures.append(f"{name}: expected the failure to be reported, got {err!r}")
        if outcome == "ok" and i % 2 == 1:
            # a new generation: the Ready condition of the old one must not count
            (res2,) = kube.build(_manifest(name, outcome, ticks, 2), namespace="default")
            kube.apply(res2.rtype, "default", res2.obj)
            err, problems = _wait_stepping(srv, kube, res2, ready)
            failures.extend(f"{name} (generation 2): {p}" for p in problems)
            if err is not None or not ready():
                failures.append(f"{name} (generation 2): {err!r}, ready={ready()}")
    assert failures == []
