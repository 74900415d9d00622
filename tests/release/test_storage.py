"""Storage rules, with the scenarios of Helm's own pkg/storage/storage_test.go."""

from __future__ import annotations

import pytest

from pilothouse.release.driver.base import NoDeployedReleasesError, ReleaseExistsError, ReleaseNotFoundError
from pilothouse.release.driver.memory import Memory
from pilothouse.release.model import Info, Release
from pilothouse.release.storage import Storage, make_key


def rel(name: str, version: int, status: str, namespace: str = "default") -> Release:
    return Release(name=name, namespace=namespace, version=version, info=Info(status=status))


def versions(storage: Storage, name: str) -> list[int]:
    return sorted(r.version for r in storage.history(name))


def test_key_format():
    assert make_key("angry-bird", 4) == "sh.helm.release.v1.angry-bird.v4"


def test_remove_least_recent():
    # TestStorageRemoveLeastRecent
    storage = Storage(Memory(), max_history=10)
    for v, st in ((1, "superseded"), (2, "superseded"), (3, "superseded"), (4, "deployed")):
        storage.create(rel("angry-bird", v, st))
    assert versions(storage, "angry-bird") == [1, 2, 3, 4]
    storage.max_history = 3
    storage.create(rel("angry-bird", 5, "deployed"))
    assert versions(storage, "angry-bird") == [3, 4, 5]


def test_do_not_delete_deployed():
    # TestStorageDoNotDeleteDeployed
    storage = Storage(Memory(), max_history=3)
    for v, st in ((1, "superseded"), (2, "deployed"), (3, "failed"), (4, "failed")):
        storage.create(rel("angry-bird", v, st))
    storage.create(rel("angry-bird", 5, "failed"))
    assert versions(storage, "angry-bird") == [2, 4, 5]


def test_initially_failed_release_with_history_limit():
    # TestUpgradeInitiallyFailedReleaseWithHistoryLimit
    storage = Storage(Memory(), max_history=4)
    for v in (1, 2, 3, 4):
        storage.create(rel("angry-bird", v, "failed"))
    storage.create(rel("angry-bird", 5, "failed"))
    assert versions(storage, "angry-bird") == [2, 3, 4, 5]


def test_deployed_last_and_errors():
    storage = Storage(Memory())
    with pytest.raises(ReleaseNotFoundError, match="release: not found"):
        storage.history("nope")
    for v, st in ((1, "superseded"), (2, "deployed"), (3, "failed")):
        storage.create(rel("web", v, st))
    assert storage.deployed("web").version == 2
    assert storage.last("web").version == 3
    with pytest.raises(ReleaseExistsError, match="release: already exists"):
        storage.create(rel("web", 3, "pending-upgrade"))
    storage.update(rel("web", 2, "superseded"))
    with pytest.raises(NoDeployedReleasesError, match='"web" has no deployed releases'):
        storage.deployed("web")
    assert storage.delete("web", 1).version == 1
    assert versions(storage, "web") == [2, 3]


def test_memory_driver_namespaces():
    mem = Memory()
    storage = Storage(mem)
    storage.create(rel("a", 1, "deployed", "ns1"))
    storage.create(rel("b", 1, "deployed", "ns2"))
    mem.set_namespace("")
    assert sorted(r.name for r in storage.list_releases()) == ["a", "b"]
    mem.set_namespace("ns1")
    assert [r.name for r in storage.list_releases()] == ["a"]
    labels = storage.list_releases()[0].labels
    assert labels == {"name": "a", "owner": "helm", "status": "deployed", "version": "1"}
