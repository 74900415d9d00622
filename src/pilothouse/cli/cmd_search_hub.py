"""`pilot search hub [KEYWORD]`: search an Artifact Hub (or Monocular-compatible) instance.

As Helm 4.2 does (internal/monocular): ``GET <endpoint>/api/chartsvc/v1/charts/search?q=<terms>``,
the ``data`` list of the answer shown as a table, JSON or YAML.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

DEFAULT_ENDPOINT = "https://hub.helm.sh"
SEARCH_PATH = "api/chartsvc/v1/charts/search"
MAX_ANSWER = 64 * 1024 * 1024  # a hub answer larger than this is refused, not read into memory


def register_hub(cmds: argparse._SubParsersAction) -> None:
    """Add ``hub`` to the ``search`` sub-commands."""
    from pilothouse.cli.pflag import uint_value

    h = cmds.add_parser("hub", help="search for charts in the Artifact Hub or your own hub instance")
    h.add_argument("keywords", nargs="*")
    h.add_argument("--endpoint", default=DEFAULT_ENDPOINT, help="Hub instance to query for charts")
    h.add_argument("--max-col-width", type=uint_value, default=50, help="maximum column width for output table")
    h.add_argument("--list-repo-url", action="store_true", help="print charts repository URL")
    h.add_argument("--fail-on-no-result", action="store_true", help="search fails if no results are found")
    h.add_argument("-o", "--output", default="table", choices=["table", "json", "yaml"],
                   help="prints the output in the specified format. Allowed values: table, json, yaml")
    h.set_defaults(func=run)


def _search_url(endpoint: str, query: str) -> str:
    import posixpath
    import urllib.parse

    from pilothouse.errors import UsageError

    parts = urllib.parse.urlsplit(endpoint)
    if not parts.hostname:
        raise UsageError(f'unable to create connection to "{endpoint}": no hostname provided')
    path = posixpath.join(parts.path or "", SEARCH_PATH)
    if not path.startswith("/"):
        path = "/" + path
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "q=" + urllib.parse.quote_plus(query), ""))


def search(endpoint: str, query: str, timeout: float = 60.0) -> list[dict[str, Any]]:
    """The ``data`` entries the hub answers (raises `RepoError` when it cannot be asked)."""
    import json
    import urllib.request

    from pilothouse import __version__
    from pilothouse.errors import RepoError

    url = _search_url(endpoint, query)
    req = urllib.request.Request(url, headers={"User-Agent": f"Pilothouse/{__version__}"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:  # noqa: S310 - the user names the hub
            if res.status != 200:
                raise RepoError(f'unable to perform search against "{endpoint}"')
            body = res.read(MAX_ANSWER + 1)
    except (OSError, ValueError):
        raise RepoError(f'unable to perform search against "{endpoint}"') from None
    if len(body) > MAX_ANSWER:
        raise RepoError(f'unable to perform search against "{endpoint}"')
    try:
        doc = json.loads(body)
    except ValueError:
        return []  # Helm ignores an answer it cannot decode: no results
    data = doc.get("data") if isinstance(doc, dict) else None
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _get(doc: Any, *keys: str) -> Any:
    for k in keys:
        doc = doc.get(k) if isinstance(doc, dict) else None
    return doc


def elements(results: list[dict[str, Any]], endpoint: str) -> list[dict[str, Any]]:
    """Helm's ``hubChartElement`` values, in its field order."""
    out = []
    for r in results:
        url = _str(_get(r, "artifactHub", "packageUrl")) or endpoint + "/charts/" + _str(r.get("id"))
        data = _get(r, "relationships", "latestChartVersion", "data")
        out.append({"url": url, "version": _str(_get(data, "version")), "app_version": _str(_get(data, "app_version")),
                    "description": _str(_get(r, "attributes", "description")),
                    "repository": {"url": _str(_get(r, "attributes", "repo", "url")),
                                   "name": _str(_get(r, "attributes", "repo", "name"))}})
    return out


def run(args: argparse.Namespace) -> int:
    from pilothouse.cli.cmd_dependency import format_table
    from pilothouse.cli.cmd_status import write_yaml
    from pilothouse.errors import RepoError

    items = elements(search(args.endpoint, " ".join(args.keywords)), args.endpoint)
    if not items and args.fail_on_no_result:
        raise RepoError("no results found")
    if args.output == "json":
        # a Go struct: fields in declaration order (YAML goes through a map, so sorted)
        from pilothouse.release.gojson import Struct, encode

        structs = [Struct([("url", i["url"]), ("version", i["version"]), ("app_version", i["app_version"]),
                           ("description", i["description"]),
                           ("repository", Struct([("url", i["repository"]["url"]),
                                                  ("name", i["repository"]["name"])]))]) for i in items]
        sys.stdout.write(encode(structs) + "\n")
    elif args.output == "yaml":
        write_yaml(sys.stdout, items)
    elif not items:
        sys.stdout.write("No results found\n")
    else:
        head = ["URL", "CHART VERSION", "APP VERSION", "DESCRIPTION"] + (["REPO URL"] if args.list_repo_url else [])
        rows = [head]
        for i in items:
            rows.append([i["url"], i["version"], i["app_version"], i["description"]]
                        + ([i["repository"]["url"]] if args.list_repo_url else []))
        # uitable: a width of 0 means no limit
        sys.stdout.write(format_table(rows, args.max_col_width or sys.maxsize) + "\n")
    return 0
