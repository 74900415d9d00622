"""Storage: release history on top of a driver (Helm's `pkg/storage`).

Keys are ``sh.helm.release.v1.<name>.v<revision>``. `create` prunes old revisions first when
``max_history`` is set (never the deployed one). Creating a revision whose key exists fails,
which is what makes two concurrent upgrades of one release collide instead of both winning.
"""

from __future__ import annotations

from collections.abc import Callable

from pilothouse.errors import ReleaseError
from pilothouse.lazylog import LazyLogger
from pilothouse.release.driver.base import Driver, NoDeployedReleasesError, ReleaseNotFoundError
from pilothouse.release.model import DEPLOYED, UNINSTALLED, Release, sort_by_revision

STORAGE_TYPE = "sh.helm.release.v1"
log = LazyLogger("pilothouse.storage")


def make_key(name: str, version: int) -> str:
    """The record key of one revision."""
    return f"{STORAGE_TYPE}.{name}.v{version}"


class Storage:
    """Release history kept by a driver."""

    def __init__(self, driver: Driver | None = None, max_history: int = 0) -> None:
        if driver is None:
            from pilothouse.release.driver.memory import Memory

            driver = Memory()
        self.driver = driver
        self.max_history = max_history

    def get(self, name: str, version: int) -> Release:
        """One revision; raises `ReleaseNotFoundError`."""
        return self.driver.get(make_key(name, version))

    def create(self, rel: Release) -> None:
        """Store a new revision (pruning history first when ``max_history`` > 0)."""
        if self.max_history > 0:
            try:
                self.remove_least_recent(rel.name, self.max_history - 1)
            except ReleaseNotFoundError:
                pass
        self.driver.create(make_key(rel.name, rel.version), rel)

    def update(self, rel: Release) -> None:
        """Rewrite a stored revision."""
        self.driver.update(make_key(rel.name, rel.version), rel)

    def delete(self, name: str, version: int) -> Release:
        return self.driver.delete(make_key(name, version))

    def list(self, keep: Callable[[Release], bool] = lambda _r: True) -> list[Release]:
        return self.driver.list(keep)

    def list_releases(self) -> list[Release]:
        return self.driver.list(lambda _r: True)

    def list_deployed(self) -> list[Release]:
        return self.driver.list(lambda r: r.info.status == DEPLOYED)

    def list_uninstalled(self) -> list[Release]:
        return self.driver.list(lambda r: r.info.status == UNINSTALLED)

    def history(self, name: str) -> list[Release]:
        """Every stored revision of ``name`` (any order); raises `ReleaseNotFoundError` when none."""
        return self.driver.query({"name": name, "owner": "helm"})

    def deployed_all(self, name: str) -> list[Release]:
        try:
            return self.driver.query({"name": name, "owner": "helm", "status": DEPLOYED})
        except ReleaseNotFoundError:
            raise NoDeployedReleasesError(name) from None

    def deployed(self, name: str) -> Release:
        """The newest deployed revision; raises `NoDeployedReleasesError`."""
        ls = self.deployed_all(name)
        if not ls:
            raise NoDeployedReleasesError(name)
        return sort_by_revision(ls, reverse=True)[0]

    def last(self, name: str) -> Release:
        """The newest revision whatever its state."""
        h = self.history(name)
        if not h:
            raise ReleaseError(f'no revision for release "{name}"')
        return sort_by_revision(h, reverse=True)[0]

    def remove_least_recent(self, name: str, maximum: int) -> None:
        """Delete the oldest revisions (never the deployed one) until ``maximum`` remain."""
        if maximum < 0:
            return
        h = self.history(name)
        if len(h) <= maximum:
            return
        rls = sort_by_revision(h)
        try:
            last_deployed: Release | None = self.deployed(name)
        except NoDeployedReleasesError:
            last_deployed = None
        to_delete = []
        for rel in rls:
            if len(rls) - len(to_delete) == maximum:
                break
            if last_deployed is None or rel.version != last_deployed.version:
                to_delete.append(rel)
        errors: list[Exception] = []
        for rel in to_delete:
            try:
                self.delete(name, rel.version)
            except ReleaseError as err:
                errors.append(err)
        log.debug("pruned %d records of %s (%d errors)", len(to_delete), name, len(errors))
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise ReleaseError(f"encountered {len(errors)} deletion errors. First is: {errors[0]}")
