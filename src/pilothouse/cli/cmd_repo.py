"""`pilot repo add|list|remove|update|index`: chart repositories, in Helm's repositories.yaml."""

from __future__ import annotations

import argparse
import os
import sys
import threading


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("repo", help="add, list, remove, update, and index chart repositories",
                       usage="pilot repo [command]")
    cmds = p.add_subparsers(dest="repo_command", metavar="command")
    cmds.required = True
    add = cmds.add_parser("add", help="add a chart repository", usage="pilot repo add [NAME] [URL] [flags]")
    add.add_argument("name")
    add.add_argument("url")
    add.add_argument("--username", default="", help="chart repository username")
    add.add_argument("--password", default="", help="chart repository password")
    add.add_argument("--password-stdin", action="store_true", help="read chart repository password from stdin")
    add.add_argument("--force-update", action="store_true", help="replace (overwrite) the repo if it already exists")
    add.add_argument("--cert-file", default="")
    add.add_argument("--key-file", default="")
    add.add_argument("--ca-file", default="")
    add.add_argument("--insecure-skip-tls-verify", action="store_true")
    add.add_argument("--allow-deprecated-repos", action="store_true")
    add.add_argument("--pass-credentials", action="store_true", help="pass credentials to all domains")
    add.add_argument("--timeout", default="2m0s", help="time to wait for the index file download to complete")
    add.set_defaults(func=run_add)
    ls = cmds.add_parser("list", aliases=["ls"], help="list chart repositories", usage="pilot repo list [flags]")
    ls.add_argument("-o", "--output", default="table", choices=["table", "json", "yaml"])
    ls.add_argument("--no-headers", action="store_true")
    ls.set_defaults(func=run_list)
    rm = cmds.add_parser("remove", aliases=["rm"], help="remove one or more chart repositories",
                         usage="pilot repo remove [REPO1 [REPO2 ...]]")
    rm.add_argument("names", nargs="+")
    rm.set_defaults(func=run_remove)
    up = cmds.add_parser("update", aliases=["up"], help="update information of available charts locally",
                         usage="pilot repo update [REPO1 [REPO2 ...]] [flags]")
    up.add_argument("names", nargs="*")
    up.add_argument("--timeout", default="2m0s")
    up.set_defaults(func=run_update)
    ix = cmds.add_parser("index", help="generate an index file given a directory containing packaged charts",
                         usage="pilot repo index [DIR] [flags]")
    ix.add_argument("dir")
    ix.add_argument("--url", default="", help="url of chart repository")
    ix.add_argument("--merge", default="", help="merge the generated index into the given index")
    ix.add_argument("--json", action="store_true", help="output in JSON format")
    ix.set_defaults(func=run_index)


def _timeout(text: str) -> float:
    """A Go duration (``2m0s``, ``30s``, ``1h``) in seconds."""
    import re

    from pilothouse.errors import UsageError

    total = 0.0
    parts = re.findall(r"([0-9.]+)(ms|h|m|s)", text)
    if not parts or "".join(a + b for a, b in parts) != text:
        raise UsageError(f'invalid argument "{text}" for "--timeout" flag: time: invalid duration "{text}"')
    for num, unit in parts:
        total += float(num) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
    return total


def run_add(args: argparse.Namespace) -> int:
    from pilothouse.errors import RepoError
    from pilothouse.repo.chartrepo import ChartRepository
    from pilothouse.repo.paths import repository_cache, repository_config
    from pilothouse.repo.repofile import Entry, RepoFile

    deprecated = {"//kubernetes-charts.storage.googleapis.com": "https://charts.helm.sh/stable",
                  "//kubernetes-charts-incubator.storage.googleapis.com": "https://charts.helm.sh/incubator"}
    if not args.allow_deprecated_repos:
        for old, new in deprecated.items():
            if old in args.url:
                raise RepoError(f'repo "{args.url}" is no longer available; try "{new}" instead')
    path = repository_config()
    rf = RepoFile.load(path)
    password = args.password
    if args.username and not password:
        if args.password_stdin:
            password = sys.stdin.read().removesuffix("\n").removesuffix("\r")
        else:
            import getpass

            password = getpass.getpass("Password: ")
    entry = Entry(name=args.name, url=args.url, username=args.username, password=password,
                  pass_credentials_all=args.pass_credentials, cert_file=args.cert_file, key_file=args.key_file,
                  ca_file=args.ca_file, insecure_skip_tls_verify=args.insecure_skip_tls_verify)
    if "/" in args.name:
        raise RepoError(f"repository name ({args.name}) contains '/', please specify a different name without '/'")
    existing = rf.get(args.name)
    if not args.force_update and existing is not None:
        if existing != entry:
            raise RepoError(f"repository name ({args.name}) already exists, please specify a different name")
        sys.stdout.write(f'"{args.name}" already exists with the same configuration, skipping\n')
        return 0
    repo = ChartRepository(entry, repository_cache(), timeout=_timeout(args.timeout))
    try:
        repo.download_index_file()
    except RepoError as err:
        raise RepoError(f'looks like "{args.url}" is not a valid chart repository or cannot be reached: {err}') \
            from None
    rf.update(entry)
    rf.write(path)
    sys.stdout.write(f'"{args.name}" has been added to your repositories\n')
    return 0


def run_list(args: argparse.Namespace) -> int:
    from pilothouse import goyaml
    from pilothouse.cli.cmd_dependency import format_table
    from pilothouse.repo.paths import repository_config
    from pilothouse.repo.repofile import RepoFile

    try:
        rf = RepoFile.load(repository_config())
    except Exception:  # noqa: BLE001 - Helm ignores a broken file here and shows nothing
        rf = RepoFile()
    if not rf.repositories and args.output == "table":
        print("no repositories to show", file=sys.stderr)
        return 0
    items = [{"name": e.name, "url": e.url} for e in rf.repositories]
    if args.output == "json":
        sys.stdout.write(goyaml.to_json(items) + "\n")
    elif args.output == "yaml":
        sys.stdout.write(goyaml.to_yaml(items))
    else:
        rows = ([] if args.no_headers else [["NAME", "URL"]]) + [[e.name, e.url] for e in rf.repositories]
        sys.stdout.write(format_table(rows, 60) + "\n")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from pilothouse.errors import RepoError
    from pilothouse.repo.paths import cache_charts_file, cache_index_file, repository_cache, repository_config
    from pilothouse.repo.repofile import RepoFile

    path = repository_config()
    rf = RepoFile.load(path)
    if not rf.repositories:
        raise RepoError("no repositories configured")
    for name in args.names:
        if not rf.remove(name):
            raise RepoError(f'no repo named "{name}" found')
        rf.write(path)
        for f in (cache_charts_file(name), cache_index_file(name)):
            try:
                os.remove(os.path.join(repository_cache(), f))
            except FileNotFoundError:
                pass
        sys.stdout.write(f'"{name}" has been removed from your repositories\n')
    return 0


def run_update(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from pilothouse.errors import PilothouseError, RepoError
    from pilothouse.repo.chartrepo import ChartRepository
    from pilothouse.repo.paths import repository_cache, repository_config
    from pilothouse.repo.repofile import RepoFile

    path = repository_config()
    if not os.path.exists(path):
        raise RepoError("no repositories found. You must add one before updating")
    rf = RepoFile.load(path)
    if not rf.repositories:
        raise RepoError("no repositories found. You must add one before updating")
    for name in args.names:
        if not rf.has(name):
            raise RepoError(f"no repositories found matching '{name}'.  Nothing will be updated")
    repos = [ChartRepository(e, repository_cache(), timeout=_timeout(args.timeout))
             for e in rf.repositories if not args.names or e.name in args.names]
    print("Hang tight while we grab the latest from your chart repositories...")

    lock = threading.Lock()

    def say(line: str) -> None:
        # one write per message under a lock: print() writes the text and its newline separately,
        # so lines of concurrent updates would run into each other
        with lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def one(r: ChartRepository) -> str | None:
        try:
            r.download_index_file()
        except PilothouseError as err:
            say(f'...Unable to get an update from the "{r.entry.name}" chart repository ({r.entry.url}):\n\t{err}')
            return r.entry.url
        say(f'...Successfully got an update from the "{r.entry.name}" chart repository')
        return None

    with ThreadPoolExecutor(max_workers=min(8, len(repos))) as pool:
        failed = [u for u in pool.map(one, repos) if u]
    if failed:
        raise RepoError(f"failed to update the following repositories: [{' '.join(failed)}]")
    print("Update Complete. ⎈Happy Helming!⎈")
    return 0


def run_index(args: argparse.Namespace) -> int:
    from pilothouse.errors import RepoError
    from pilothouse.repo.index import IndexFile, index_directory, load_index_file

    directory = os.path.abspath(args.dir)
    index = index_directory(directory, args.url)
    if args.merge:
        if not os.path.exists(args.merge):
            other = IndexFile()
            other.write_file(args.merge, as_json=args.json)
        else:
            try:
                other = load_index_file(args.merge)
            except RepoError as err:
                raise RepoError(f"merge failed: {err}") from None
        index.merge(other)
    index.sort_entries()
    index.write_file(os.path.join(directory, "index.yaml"), as_json=args.json)
    return 0
