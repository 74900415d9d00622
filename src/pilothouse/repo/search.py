"""`search repo`: matching a keyword against the cached indexes of the added repositories (Helm's ``search`` package)."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from pilothouse.errors import RepoError
from pilothouse.repo.index import ChartVersion, IndexFile

_SEP = "\v"
MAX_SCORE = 25


@dataclass
class Result:
    """One hit: ``repo/chart`` and the version entry."""

    name: str
    chart: ChartVersion
    score: int = 0


class SearchIndex:
    """Lines ``name \\v repo/name \\v description \\v keywords`` per chart version."""

    def __init__(self) -> None:
        self.lines: dict[str, str] = {}
        self.charts: dict[str, ChartVersion] = {}

    def add_repo(self, repo_name: str, index: IndexFile) -> None:
        """Add every version of every chart of one repository."""
        index.sort_entries()
        for name, versions in index.entries.items():
            for cv in versions:
                key = f"{repo_name}/{name}$${cv.version}"
                self.lines[key] = (cv.name + _SEP + f"{repo_name}/{cv.name}" + _SEP + cv.metadata.description
                                   + _SEP + " ".join(cv.metadata.keywords))
                self.charts[key] = cv

    def all(self) -> list[Result]:
        return [Result(k.split("$$")[0], cv) for k, cv in self.charts.items()]

    @staticmethod
    def _score(pos: int, line: str) -> int:
        splits = [i for i, ch in enumerate(line) if ch == _SEP]
        for n, at in enumerate(splits):
            if pos <= at:
                return n
        return len(splits)

    def search(self, term: str, use_regexp: bool = False) -> list[Result]:
        """Hits for ``term`` (case-insensitive substring, or a regular expression)."""
        out = []
        matcher = None
        if use_regexp:
            # Go's regexp (RE2) syntax and error texts, not Python's
            from pilothouse.funcs.regex import RegexpError, compile_go

            try:
                matcher = compile_go(term)
            except RegexpError as err:
                raise RepoError(str(err)) from None
        low = term.lower()
        for key, line in self.lines.items():
            if matcher is not None:
                span = matcher.find_index(line)
                pos = span[0] if span else -1
            else:
                pos = line.lower().find(low)
            if pos < 0:
                continue
            score = self._score(pos, line)
            if score < MAX_SCORE:
                out.append(Result(key.split("$$")[0], self.charts[key], score))
        return out


def sort_results(results: list[Result]) -> None:
    """Score, then name, then newest version first."""
    from pilothouse.semver import Version

    def cmp(a: Result, b: Result) -> int:
        if a.score != b.score:
            return a.score - b.score
        if a.name != b.name:
            return -1 if a.name < b.name else 1
        try:
            return Version.parse(b.chart.version).compare(Version.parse(a.chart.version))
        except Exception:  # noqa: BLE001
            return 0

    results.sort(key=functools.cmp_to_key(cmp))


def search_repos(keywords: list[str], *, version: str = "", devel: bool = False, versions: bool = False,
                 use_regexp: bool = False, repository_config: str = "", repository_cache: str = "") -> list[Result]:
    """What ``helm search repo`` lists, in order."""
    from pilothouse.repo.index import load_index_file
    from pilothouse.repo.paths import cache_index_file
    from pilothouse.repo.paths import repository_cache as default_cache
    from pilothouse.repo.paths import repository_config as default_config
    from pilothouse.repo.repofile import RepoFile
    from pilothouse.semver import Constraints, Version

    if not version:
        version = ">0.0.0-0" if devel else ">0.0.0"
    rf = RepoFile.load(repository_config or default_config())
    if not rf.repositories:
        raise RepoError("no repositories configured")
    idx = SearchIndex()
    cache = repository_cache or default_cache()
    for entry in rf.repositories:
        try:
            idx.add_repo(entry.name, load_index_file(os.path.join(cache, cache_index_file(entry.name))))
        except RepoError as err:
            import sys

            print(f'WARNING: Repo "{entry.name}" is corrupt or missing. Try \'pilot repo update\'.', file=sys.stderr)
            print(f"WARNING: {err}", file=sys.stderr)
    results = idx.search(" ".join(keywords), use_regexp) if keywords else idx.all()
    sort_results(results)
    try:
        constraint = Constraints.parse(version)
    except Exception as err:  # noqa: BLE001
        raise RepoError(f"an invalid version/constraint format: {err}") from None
    kept: list[Result] = []
    seen: set[str] = set()
    for r in results:
        if not versions and r.name in seen:
            continue
        try:
            v = Version.parse(r.chart.version)
        except Exception:  # noqa: BLE001
            continue
        if constraint.check(v):
            kept.append(r)
            seen.add(r.name)
    return kept
