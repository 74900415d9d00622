"""`pilot list`: the latest revision of every release, filtered, sorted and paged as Helm's List does."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pilothouse.action.config import Configuration
from pilothouse.errors import PilothouseError
from pilothouse.release import timeutil
from pilothouse.release.model import (
    DEPLOYED,
    FAILED,
    PENDING_INSTALL,
    PENDING_ROLLBACK,
    PENDING_UPGRADE,
    SUPERSEDED,
    UNINSTALLED,
    UNINSTALLING,
    Release,
)

ALL_STATES = frozenset({DEPLOYED, UNINSTALLED, UNINSTALLING, PENDING_INSTALL, PENDING_ROLLBACK, PENDING_UPGRADE,
                        SUPERSEDED, FAILED})


def _selector_matches(selector: str, labels: dict[str, str]) -> bool:
    """A Kubernetes equality/set-based label selector (=, ==, !=, in, notin, key, !key)."""
    parts = re.findall(r"(?:[^,(]|\([^)]*\))+", selector)
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if m := re.fullmatch(r"([^!=\s]+)\s*(==|=|!=)\s*(\S*)", part):
            key, op, val = m.groups()
            if (labels.get(key) == val) != (op != "!="):
                return False
        elif m := re.fullmatch(r"(\S+)\s+(in|notin)\s*\(([^)]*)\)", part):
            key, op, vals = m.groups()
            members = {v.strip() for v in vals.split(",")}
            inside = key in labels and labels[key] in members
            if inside != (op == "in"):
                return False
        elif part.startswith("!"):
            if part[1:].strip() in labels:
                return False
        elif re.fullmatch(r"[A-Za-z0-9_./-]+", part):
            if part not in labels:
                return False
        else:
            raise PilothouseError(f"unable to parse requirement: {part}")
    return True


@dataclass
class List:
    """`helm list` as an object."""

    cfg: Configuration
    all: bool = False
    all_namespaces: bool = False
    by_date: bool = False
    sort_reverse: bool = False
    limit: int = 256
    offset: int = 0
    filter: str = ""
    deployed: bool = False
    uninstalled: bool = False
    uninstalling: bool = False
    superseded: bool = False
    failed: bool = False
    pending: bool = False
    selector: str = ""

    def state_mask(self) -> frozenset[str]:
        if self.all:
            return ALL_STATES
        states: set[str] = set()
        if self.deployed:
            states.add(DEPLOYED)
        if self.uninstalled:
            states.add(UNINSTALLED)
        if self.uninstalling:
            states.add(UNINSTALLING)
        if self.pending:
            states |= {PENDING_INSTALL, PENDING_ROLLBACK, PENDING_UPGRADE}
        if self.failed:
            states.add(FAILED)
        if self.superseded:
            states.add(SUPERSEDED)
        return frozenset(states) or ALL_STATES

    def run(self) -> list[Release]:
        """The matching releases."""
        cfg = self.cfg
        cfg.kube.is_reachable()
        rx = None
        if self.filter:
            try:
                rx = re.compile(self.filter)
            except re.error as err:
                raise PilothouseError(f"error parsing regexp: {err}") from None
        fast = self._fast(rx)
        if fast is not None:
            return fast
        results = cfg.releases.list(lambda r: rx is None or rx.search(r.name) is not None)
        mask = self.state_mask()
        if mask != frozenset({SUPERSEDED}):
            latest: dict[tuple[str, str], Release] = {}
            for r in results:
                key = (r.namespace, r.name)
                if key in latest and latest[key].version > r.version:
                    continue
                latest[key] = r
            results = list(latest.values())
        results = [r for r in results if r.info.status in mask]
        if self.selector:
            results = [r for r in results if _selector_matches(self.selector, r.labels)]
        self._sort(results)
        return self._page(results)

    def _sort(self, results: list) -> None:
        """Helm's order: by name, or by deploy second then name (-d); -r reverses the sorted list.

        Helm's sort is unstable, so releases of one name in several namespaces come in any order
        there; here the namespace decides, so that the output is the same on every run.
        """
        if self.by_date:
            results.sort(key=lambda r: (int(timeutil.unix(r.info.last_deployed)), r.name, r.namespace))
        else:
            results.sort(key=lambda r: (r.name, r.namespace))
        if self.sort_reverse:
            results.reverse()

    def _page(self, results: list) -> list:
        if self.offset >= len(results):
            return []
        limit = len(results)
        if 0 < self.limit < limit:
            limit = self.limit
        return results[self.offset:self.offset + limit]

    def _fast(self, rx: re.Pattern[str] | None) -> list[Release] | None:
        """The same answer from metadata plus the printed records only; None when it cannot be had."""
        from pilothouse.release import fastlist

        driver = self.cfg.releases.driver
        if not fastlist.supported(driver):
            return None
        heads = fastlist.heads(driver)
        if heads is None:
            return None
        if rx is not None:
            heads = [h for h in heads if rx.search(h.name) is not None]
        mask = self.state_mask()
        if mask != frozenset({SUPERSEDED}):
            heads = fastlist.latest(heads)
        heads = [h for h in heads if h.status in mask]
        if self.selector:
            heads = [h for h in heads if _selector_matches(self.selector, h.labels)]
        if self.by_date:
            # the deploy time lives only in the records: read every candidate, then sort and page
            rels = fastlist.fetch(driver, heads)
            if rels is None:
                return None
            self._sort(rels)
            return self._page(rels)
        self._sort(heads)
        return fastlist.fetch(driver, self._page(heads))
