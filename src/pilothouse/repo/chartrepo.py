"""A configured chart repository: downloading its index into the cache, finding charts in it."""

from __future__ import annotations

import base64
import os
import secrets

from pilothouse.errors import RepoError
from pilothouse.repo.getter import GetterOptions, get, supports
from pilothouse.repo.index import IndexFile, load_index, load_index_file, resolve_reference_url
from pilothouse.repo.paths import atomic_write, cache_charts_file, cache_index_file, repository_cache
from pilothouse.repo.repofile import Entry


def getter_options(entry: Entry, timeout: float | None = None) -> GetterOptions:
    """Getter options carrying an entry's credentials and TLS settings."""
    opts = GetterOptions(url=entry.url, **entry.credentials())
    if timeout is not None:
        opts.timeout = timeout
    return opts


class ChartRepository:
    """Helm's ``repo.ChartRepository``: one entry and the cache its index goes to."""

    def __init__(self, entry: Entry, cache_path: str | None = None, timeout: float | None = None) -> None:
        from pilothouse.funcs.urls import URLError
        from pilothouse.funcs.urls import parse as go_url_parse

        try:
            scheme = go_url_parse(entry.url).scheme
        except URLError:
            raise RepoError(f"invalid chart URL format: {entry.url}") from None
        if not scheme:
            raise RepoError(f"could not find protocol handler for: {scheme}")
        if not supports(scheme):
            raise RepoError(f"could not find protocol handler for: {scheme}")
        self.entry = entry
        self.cache_path = cache_path or repository_cache()
        self.timeout = timeout

    def download_index_file(self) -> str:
        """Fetch ``index.yaml``, check it parses, cache it (and the chart-name list); return its path."""
        index_url = resolve_reference_url(self.entry.url, "index.yaml")
        data = get(index_url, getter_options(self.entry, self.timeout))
        index = load_index(data, self.entry.url)
        names = "".join(f"{name}\n" for name in index.entries)
        atomic_write(os.path.join(self.cache_path, cache_charts_file(self.entry.name)), names.encode("utf-8"))
        fname = os.path.join(self.cache_path, cache_index_file(self.entry.name))
        atomic_write(fname, data)
        return fname

    def cached_index(self) -> IndexFile:
        """The index from the cache (raises with Helm's hint to run ``repo update``)."""
        path = os.path.join(self.cache_path, cache_index_file(self.entry.name))
        try:
            return load_index_file(path)
        except RepoError as err:
            raise RepoError(f"no cached repo found. (try 'pilot repo update'): {err}") from None


def find_chart_in_repo_url(repo_url: str, chart_name: str, version: str = "", *,
                           opts: GetterOptions | None = None) -> str:
    """The absolute download URL of ``chart_name`` (at ``version``) in the repository at ``repo_url``."""
    opts = opts or GetterOptions()
    name = base64.b64encode(secrets.token_bytes(20)).decode().replace("/", "-")
    entry = Entry(name=name, url=repo_url, **opts.credentials())
    repo = ChartRepository(entry)
    try:
        path = repo.download_index_file()
    except RepoError as err:
        raise RepoError(f'looks like "{repo_url}" is not a valid chart repository or cannot be reached: {err}') \
            from None
    try:
        index = load_index_file(path)
    finally:
        for f in (cache_charts_file(name), cache_index_file(name)):
            try:
                os.remove(os.path.join(repo.cache_path, f))
            except OSError:
                pass
    what = f'chart "{chart_name}"' + (f' version "{version}"' if version else "")
    try:
        cv = index.get(chart_name, version)
    except RepoError:
        raise RepoError(f"{what} not found in {repo_url} repository") from None
    if not cv.urls:
        raise RepoError(f"{what} has no downloadable URLs")
    return resolve_reference_url(repo_url, cv.urls[0])
