"""`pilot pull` and chart location: resolving a reference to an archive and downloading it.

`ChartDownloader` is Helm's ``downloader.ChartDownloader``: a reference is ``repo/chart`` (a
repository from repositories.yaml and its cached index), an absolute URL, or ``oci://…``.
`locate_chart` is what ``install``/``template``/``show`` use to accept any of those besides a
local path. `Pull` is the action behind ``pilot pull``.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import TextIO
from urllib.parse import urlsplit

from pilothouse.errors import PilothouseError, RepoError
from pilothouse.provenance.sign import Verification
from pilothouse.registry import is_oci
from pilothouse.repo.getter import GetterOptions, RepoCredentials

VERIFY_NEVER, VERIFY_IF_POSSIBLE, VERIFY_ALWAYS, VERIFY_LATER = 0, 1, 2, 3


@dataclass
class ChartDownloader:
    """Resolves chart references and downloads archives (and ``.prov`` files)."""

    out: TextIO = field(default_factory=io.StringIO)
    verify: int = VERIFY_NEVER
    keyring: str = ""
    options: GetterOptions = field(default_factory=GetterOptions)
    registry_client: object | None = None
    repository_config: str = ""
    repository_cache: str = ""

    def _registry(self) -> object:
        if self.registry_client is None:
            self.registry_client = self.options.new_registry_client(plain_http=self.options.plain_http, out=self.out)
        return self.registry_client

    def resolve_chart_version(self, ref: str, version: str) -> tuple[str, str]:
        """(absolute download URL, expected digest or "") for ``ref`` at ``version``."""
        from pilothouse.repo.chartrepo import ChartRepository, getter_options
        from pilothouse.repo.index import load_index_file, resolve_reference_url
        from pilothouse.repo.paths import cache_index_file, repository_cache, repository_config
        from pilothouse.repo.repofile import RepoFile

        if is_oci(ref):
            resolved, digest = self._registry().validate_reference(ref, version)  # type: ignore[attr-defined]
            return "oci://" + resolved, digest
        rf = RepoFile.load(self.repository_config or repository_config())
        cache = self.repository_cache or repository_cache()
        u = urlsplit(ref)
        if u.scheme and u.netloc and u.path:
            # a direct URL: credentials come from the repository that serves it, if any
            for entry in rf.repositories:
                try:
                    idx = load_index_file(os.path.join(cache, cache_index_file(entry.name)))
                except RepoError:
                    continue
                if any(ref == url for vs in idx.entries.values() for cv in vs for url in cv.urls):
                    self._merge_options(getter_options(entry))
                    return ref, ""
            self.options.url = ref
            return ref, ""
        parts = ref.split("/", 1)
        if len(parts) < 2:
            raise RepoError(f"non-absolute URLs should be in form of repo_name/path_to_chart, got: {ref}")
        repo_name, chart_name = parts
        entry = rf.get(repo_name)
        if entry is None:
            raise RepoError(f"repo {repo_name} not found")
        if not entry.url:
            raise RepoError(f"no URL found for repository {repo_name}")
        self._merge_options(getter_options(entry))
        repo = ChartRepository(entry, cache)
        idx = repo.cached_index()
        try:
            cv = idx.get(chart_name, version)
        except RepoError as err:
            raise RepoError(f'chart "{chart_name}" matching {version} not found in {entry.name} index. '
                            f"(try 'pilot repo update'): {err}") from None
        if not cv.urls:
            raise RepoError(f'chart "{ref}" has no downloadable URLs')
        return resolve_reference_url(entry.url, cv.urls[0]), cv.digest

    def _merge_options(self, repo_opts: GetterOptions) -> None:
        self.options.url = repo_opts.url
        for name in ("cert_file", "key_file", "ca_file"):
            if getattr(repo_opts, name) and not getattr(self.options, name):
                setattr(self.options, name, getattr(repo_opts, name))
        if repo_opts.username and repo_opts.password:
            self.options.username, self.options.password = repo_opts.username, repo_opts.password
            self.options.pass_credentials_all = repo_opts.pass_credentials_all
        if repo_opts.insecure_skip_tls_verify:
            self.options.insecure_skip_tls_verify = True

    def _fetch(self, url: str, want_prov: bool = False) -> tuple[bytes, bytes | None, str]:
        """(archive bytes, provenance bytes or None, file name)."""
        from pilothouse.repo.getter import get

        if is_oci(url):
            res = self._registry().pull_chart(url, want_prov=want_prov,  # type: ignore[attr-defined]
                                              ignore_missing_prov=self.verify != VERIFY_ALWAYS)
            return res.chart, (res.prov or None) if want_prov else None, f"{res.name}-{res.version}.tgz"
        opts = self.options
        opts.accept_header = "application/gzip,application/octet-stream"
        data = get(url, opts)
        prov = None
        if want_prov:
            try:
                prov = get(url + ".prov", opts)
            except PilothouseError as err:
                if self.verify == VERIFY_ALWAYS:
                    raise RepoError(f'failed to fetch provenance "{url}.prov"') from None
                print(f"WARNING: Verification not found for {url}: {err}", file=self.out)
        name = os.path.basename(urlsplit(url).path) or "chart.tgz"
        return data, prov, name

    def download_to(self, ref: str, version: str, dest: str, *, create_dest: bool = True) -> tuple[str, Verification]:
        """Download ``ref`` into ``dest``; verify it when asked. Returns (file, verification)."""
        from pilothouse.action.verify import verify_chart
        from pilothouse.provenance.sign import digest
        from pilothouse.repo.paths import atomic_write

        url, expected = self.resolve_chart_version(ref, version)
        data, prov, name = self._fetch(url, want_prov=self.verify > VERIFY_NEVER)
        if expected and not is_oci(url) and "sha256:" + digest(data) != _with_algo(expected):
            raise RepoError(f"downloaded chart {name} does not match the digest {expected} in the repository index")
        if os.path.basename(name) != name or name in ("", ".", ".."):
            raise RepoError(f"refusing to write a chart under the file name {name!r}")
        destfile = os.path.join(dest, name)
        if create_dest:
            os.makedirs(dest, exist_ok=True)
        elif not os.path.isdir(dest):
            # Go writes through a temporary file next to the target, named with a random number
            import secrets

            raise PilothouseError(f"open {destfile}{secrets.randbelow(1 << 32)}: no such file or directory")
        atomic_write(destfile, data)
        ver = Verification()
        if self.verify > VERIFY_NEVER:
            if prov is None:
                if self.verify == VERIFY_ALWAYS:
                    raise RepoError(f'failed to fetch provenance "{url}.prov"')
                return destfile, ver
            atomic_write(destfile + ".prov", prov)
            if self.verify != VERIFY_LATER:
                ver = verify_chart(destfile, destfile + ".prov", self.keyring)
        return destfile, ver


def _with_algo(d: str) -> str:
    return d if ":" in d else "sha256:" + d


@dataclass
class Pull(RepoCredentials):
    """Options of `helm pull`; ``run(ref)`` returns what Helm prints."""

    dest_dir: str = "."
    untar: bool = False
    untar_dir: str = "."
    version: str = ""
    devel: bool = False
    verify: bool = False
    prov: bool = False
    keyring: str = ""
    repo_url: str = ""
    plain_http: bool = False
    registry_client: object | None = None

    def run(self, chart_ref: str) -> str:
        """Download ``chart_ref`` (and unpack it with ``untar``)."""
        from pilothouse.action.verify import default_keyring, verification_report
        from pilothouse.chart.archive import expand
        from pilothouse.repo.chartrepo import find_chart_in_repo_url

        out = io.StringIO()
        version = self.version
        if not version and self.devel:
            version = ">0.0.0-0"
        opts = GetterOptions(plain_http=self.plain_http, **self.credentials())
        dl = ChartDownloader(out=out, keyring=self.keyring or default_keyring(), options=opts,
                             registry_client=self.registry_client,
                             verify=VERIFY_ALWAYS if self.verify else VERIFY_LATER if self.prov else VERIFY_NEVER)
        source = chart_ref
        if self.repo_url:
            source = find_chart_in_repo_url(self.repo_url, chart_ref, version, opts=opts)
        dest = tempfile.mkdtemp(prefix="pilot-") if self.untar else self.dest_dir
        try:
            saved, ver = dl.download_to(source, version, dest, create_dest=self.untar)
            if self.verify:
                out.write(verification_report(ver))
            if self.untar:
                ud = self.untar_dir if os.path.isabs(self.untar_dir) else os.path.join(self.dest_dir, self.untar_dir)
                chart_name = os.path.basename(chart_ref.rstrip("/")).split(":")[0].split("@")[0]
                check = os.path.join(ud, chart_name)
                if os.path.exists(check):
                    raise PilothouseError(f"failed to untar: a file or directory with the name {check} already exists")
                with open(saved, "rb") as fh:
                    expand(ud, fh.read())
        except PilothouseError as err:
            # what was printed before the failure (a registry's Pulled: lines) is still printed
            err.partial_output = out.getvalue()  # type: ignore[attr-defined]
            raise
        finally:
            if self.untar:
                shutil.rmtree(dest, ignore_errors=True)
        return out.getvalue()


def locate_chart(name: str, version: str = "", *, verify: bool = False, keyring: str = "",
                 repo_url: str = "", options: GetterOptions | None = None, out: TextIO | None = None) -> str:
    """A local path for ``name``: an existing file or directory as is, else a download
    (``repo/chart``, a URL or ``oci://``) into the content cache (Helm's ``LocateChart``)."""
    from pilothouse.action.verify import default_keyring, verify_chart
    from pilothouse.repo.chartrepo import find_chart_in_repo_url
    from pilothouse.repo.paths import content_cache

    name = name.strip()
    opts = options or GetterOptions()
    if not repo_url and os.path.exists(name):
        path = os.path.abspath(name)
        if verify:
            verify_chart(path, path + ".prov", keyring or default_keyring())
        return path
    if os.path.isabs(name) or name.startswith("."):
        raise PilothouseError(f'path "{name}" not found')
    dl = ChartDownloader(out=out or io.StringIO(), keyring=keyring or default_keyring(), options=opts,
                         verify=VERIFY_ALWAYS if verify else VERIFY_NEVER)
    ref = find_chart_in_repo_url(repo_url, name, version, opts=opts) if repo_url else name
    if not is_oci(ref) and "/" not in ref:
        raise PilothouseError(f'repo {ref} not found' if "://" in ref else
                              f'non-absolute URLs should be in form of repo_name/path_to_chart, got: {ref}')
    dest = os.path.join(content_cache(), "charts")
    saved, _ = dl.download_to(ref, version, dest)
    return saved
