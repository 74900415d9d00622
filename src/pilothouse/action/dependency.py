"""`pilot dependency update|build`: fill ``charts/`` from Chart.yaml and write ``Chart.lock`` (Helm's ``downloader.Manager``).

Dependencies come from HTTP repositories (added ones by name or URL, or any index URL),
OCI registries and ``file://`` directories (packaged on the fly). The lock lists the resolved
versions; its digest is Helm's: SHA-256 of the JSON pair [Chart.yaml deps, locked deps].
"""

from __future__ import annotations

import glob
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from typing import TextIO

from pilothouse.chart.model import Dependency, Lock
from pilothouse.errors import ChartError, RepoError
from pilothouse.registry import is_oci
from pilothouse.repo.getter import Credentials


def hash_req(req: list[Dependency | None], lock: list[Dependency | None]) -> str:
    """Helm's ``resolver.HashReq``."""
    from pilothouse.provenance.sign import digest
    from pilothouse.registry.client import go_json

    data = go_json([[d.to_dict() if d else None for d in req], [d.to_dict() if d else None for d in lock]])
    return "sha256:" + digest(data)


@dataclass
class Manager:
    """Resolves and downloads a chart's dependencies."""

    chart_path: str = "."
    out: TextIO = field(default_factory=lambda: sys.stdout)
    verify: bool = False
    keyring: str = ""
    skip_update: bool = False
    plain_http: bool = False
    # the command's --username/--password/TLS flags: as Helm, for the OCI registry client
    credentials: Credentials = field(default_factory=Credentials)
    repository_config: str = ""
    repository_cache: str = ""
    debug: bool | None = None  # None: --debug / HELM_DEBUG as the command line set them

    # --- repositories -----------------------------------------------------------------------

    def _debug(self) -> bool:
        if self.debug is not None:
            return self.debug
        from pilothouse import slog

        return slog.debug_enabled()

    def _repos(self) -> object:
        from pilothouse.repo.paths import repository_config
        from pilothouse.repo.repofile import RepoFile

        return RepoFile.load(self.repository_config or repository_config())

    def _entry_for(self, repository: str) -> object | None:
        rf = self._repos()
        if repository.startswith("@") or repository.startswith("alias:"):
            name = repository.split(":", 1)[1] if repository.startswith("alias:") else repository[1:]
            entry = rf.get(name)  # type: ignore[attr-defined]
            if entry is None:
                raise RepoError(f"no repository definition for {repository}")
            return entry
        for entry in rf.repositories:  # type: ignore[attr-defined]
            if entry.url.rstrip("/") == repository.rstrip("/"):
                return entry
        return None

    def _update_repos(self, deps: list[Dependency]) -> None:
        from pilothouse.repo.chartrepo import ChartRepository

        wanted = []
        for d in deps:
            if d.repository and not d.repository.startswith("file://") and not is_oci(d.repository):
                e = self._entry_for(d.repository)
                if e is not None and e not in wanted:
                    wanted.append(e)
        if not wanted:
            return
        print("Hang tight while we grab the latest from your chart repositories...", file=self.out)
        for e in wanted:
            try:
                ChartRepository(e, self.repository_cache or None).download_index_file()  # type: ignore[arg-type]
                print(f'...Successfully got an update from the "{e.name}" chart repository', file=self.out)  # type: ignore[attr-defined]
            except RepoError as err:
                print(f'...Unable to get an update from the "{e.name}" chart repository ({e.url}):\n\t{err}',  # type: ignore[attr-defined]
                      file=self.out)
        print("Update Complete. ⎈Happy Helming!⎈", file=self.out)

    def _index_for(self, repository: str) -> tuple[object, object]:
        """(index, getter options) of an HTTP repository, cached if added, else fetched now."""
        from pilothouse.repo.chartrepo import ChartRepository, getter_options
        from pilothouse.repo.getter import GetterOptions, get
        from pilothouse.repo.index import load_index, resolve_reference_url

        entry = self._entry_for(repository)
        if entry is not None:
            return ChartRepository(entry, self.repository_cache or None).cached_index(), getter_options(entry)  # type: ignore[arg-type]
        opts = GetterOptions(url=repository)
        return load_index(get(resolve_reference_url(repository, "index.yaml"), opts), repository), opts

    # --- resolution -------------------------------------------------------------------------

    def resolve(self, deps: list[Dependency]) -> list[Dependency]:
        """The locked form of each dependency: name, the concrete version, repository."""
        from pilothouse.chart import load
        from pilothouse.semver import Constraints, Version

        locked = []
        for d in deps:
            try:
                constraint = Constraints.parse(d.version or "*")
            except Exception as err:  # noqa: BLE001
                raise ChartError(f"dependency {d.name} has an invalid version/constraint format: {err}") from None
            if not d.repository:
                locked.append(Dependency(name=d.name, version=d.version, repository=""))
                continue
            if d.repository.startswith("file://"):
                path = os.path.join(self.chart_path, d.repository[len("file://"):])
                sub = load(path)
                assert sub.metadata is not None
                if not constraint.check(Version.parse(sub.metadata.version)):
                    raise ChartError(f"can't get a valid version for repositories {d.name}. Try changing the "
                                     f"version constraint in Chart.yaml")
                locked.append(Dependency(name=d.name, version=sub.metadata.version, repository=d.repository))
                continue
            if is_oci(d.repository):
                from pilothouse.registry.client import tag_matching

                client = self.credentials.new_registry_client(plain_http=self.plain_http, out=self.out)
                tags = client.tags(d.repository.rstrip("/") + "/" + d.name)
                try:
                    version = tag_matching(tags, d.version)
                except RepoError:
                    raise ChartError(f"can't get a valid version for dependency {d.name}") from None
                locked.append(Dependency(name=d.name, version=version, repository=d.repository))
                continue
            idx, _ = self._index_for(d.repository)
            try:
                cv = idx.get(d.name, d.version)  # type: ignore[attr-defined]
            except RepoError:
                raise ChartError(f"can't get a valid version for repositories {d.name}. Try changing the "
                                 f"version constraint in Chart.yaml") from None
            locked.append(Dependency(name=d.name, version=cv.version, repository=d.repository))
        return locked

    # --- downloading ------------------------------------------------------------------------

    def _download(self, deps: list[Dependency], charts_dir: str) -> None:
        from pilothouse.action.pull import VERIFY_ALWAYS, VERIFY_NEVER, ChartDownloader
        from pilothouse.chart import load
        from pilothouse.chart.archive import save
        from pilothouse.repo.getter import GetterOptions
        from pilothouse.repo.index import resolve_reference_url

        tmp = tempfile.mkdtemp(prefix="pilot-deps-")
        try:
            print(f"Saving {len(deps)} charts", file=self.out)
            for d in deps:
                if not d.repository:
                    print(f"Dependency {d.name} did not declare a repository. Assuming it exists in the charts "
                          "directory", file=self.out)
                    continue
                if d.repository.startswith("file://"):
                    if self._debug():
                        print(f"Archiving {d.name} from repo {d.repository}", file=self.out)
                    save(load(os.path.join(self.chart_path, d.repository[len("file://"):])), tmp)
                    continue
                print(f"Downloading {d.name} from repo {d.repository}", file=self.out)
                dl = ChartDownloader(out=self.out, verify=VERIFY_ALWAYS if self.verify else VERIFY_NEVER,
                                     keyring=self.keyring, options=GetterOptions(plain_http=self.plain_http,
                                                                           **self.credentials.credentials()))
                if is_oci(d.repository):
                    ref = d.repository.rstrip("/") + "/" + d.name
                    dl.download_to(ref, d.version, tmp)
                    continue
                idx, opts = self._index_for(d.repository)
                cv = idx.get(d.name, d.version)  # type: ignore[attr-defined]
                if not cv.urls:
                    raise RepoError(f'chart "{d.name}" has no downloadable URLs')
                dl.options = opts  # type: ignore[assignment]
                try:
                    dl.download_to(resolve_reference_url(d.repository if "://" in d.repository
                                                         else opts.url, cv.urls[0]), "", tmp)  # type: ignore[attr-defined]
                except RepoError as err:
                    raise RepoError(f"could not download {cv.urls[0]}: {err}") from None
            os.makedirs(charts_dir, exist_ok=True)
            names = {d.name for d in deps if d.repository}
            print("Deleting outdated charts", file=self.out)
            for old in glob.glob(os.path.join(glob.escape(charts_dir), "*.tgz")):
                try:
                    c = load(old)
                except ChartError:
                    continue
                if c.name() in names:
                    os.remove(old)
            for f in sorted(os.listdir(tmp)):
                shutil.move(os.path.join(tmp, f), os.path.join(charts_dir, f))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _load(self) -> object:
        from pilothouse.chart.loader import load_dir

        if not os.path.exists(self.chart_path):
            raise ChartError(f"could not find {self.chart_path}: stat {self.chart_path}: no such file or directory")
        if not os.path.isdir(self.chart_path):
            raise ChartError("only unpacked charts can be updated")
        return load_dir(self.chart_path)

    def _write_lock(self, req: list[Dependency | None], locked: list[Dependency]) -> None:
        from pilothouse import goyaml
        from pilothouse.chart.archive import lock_to_dict
        from pilothouse.repo.gotime import rfc3339nano
        from pilothouse.repo.paths import atomic_write

        lock = Lock(generated=rfc3339nano(), digest=hash_req(req, list(locked)), dependencies=list(locked))
        path = os.path.join(self.chart_path, "Chart.lock")
        if os.path.islink(path):
            raise ChartError(f"the Chart.lock file is a symlink to {os.readlink(path)!r}")
        atomic_write(path, goyaml.to_yaml(lock_to_dict(lock)).encode("utf-8"))

    def update(self) -> None:
        """Resolve Chart.yaml's dependencies, download them into charts/, write Chart.lock."""
        chart = self._load()
        req = [d for d in chart.metadata.dependencies if d is not None]  # type: ignore[attr-defined]
        if not req:
            return  # Helm treats a chart without dependencies as done
        if not self.skip_update:
            self._update_repos(req)
        locked = self.resolve(req)
        self._download(locked, os.path.join(self.chart_path, "charts"))
        self._write_lock(chart.metadata.dependencies, locked)  # type: ignore[attr-defined]

    def build(self) -> None:
        """Download exactly the versions of Chart.lock (update when there is no lock)."""
        chart = self._load()
        lock = chart.lock  # type: ignore[attr-defined]
        if lock is None:
            self.update()
            return
        req = chart.metadata.dependencies  # type: ignore[attr-defined]
        if hash_req(req, lock.dependencies) != lock.digest:
            raise ChartError("the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). "
                             "Please update the dependencies with 'pilot dependency update'")
        if not self.skip_update:
            self._update_repos([d for d in lock.dependencies if d is not None])
        self._download([d for d in lock.dependencies if d is not None], os.path.join(self.chart_path, "charts"))
