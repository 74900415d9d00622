"""`pilot search repo [KEYWORD]`: search the added repositories' cached indexes."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search for a keyword in charts", usage="pilot search [command]")
    cmds = p.add_subparsers(dest="search_command", metavar="command")
    cmds.required = True
    r = cmds.add_parser("repo", help="search repositories for a keyword in charts",
                        usage="pilot search repo [keyword] [flags]")
    r.add_argument("keywords", nargs="*")
    r.add_argument("-r", "--regexp", action="store_true", help="use regular expressions for searching")
    r.add_argument("-l", "--versions", action="store_true", help="show the long listing, with each version")
    r.add_argument("--devel", action="store_true", help="use development versions (alpha, beta, and rc), too")
    r.add_argument("--version", default="", help="search using semantic versioning constraints")
    from pilothouse.cli.pflag import uint_value

    r.add_argument("--max-col-width", type=uint_value, default=50, help="maximum column width for output table")
    r.add_argument("--fail-on-no-result", action="store_true", help="search fails if no results are found")
    r.add_argument("-o", "--output", default="table", choices=["table", "json", "yaml"])
    r.set_defaults(func=run)
    from pilothouse.cli.cmd_search_hub import register_hub

    register_hub(cmds)


def run(args: argparse.Namespace) -> int:
    from pilothouse import goyaml
    from pilothouse.cli.cmd_dependency import format_table
    from pilothouse.errors import RepoError
    from pilothouse.repo.search import search_repos

    results = search_repos(args.keywords, version=args.version, devel=args.devel, versions=args.versions,
                           use_regexp=args.regexp)
    if not results and args.fail_on_no_result:
        raise RepoError("no results found")
    items = [{"name": r.name, "version": r.chart.version, "app_version": r.chart.metadata.app_version,
              "description": r.chart.metadata.description} for r in results]
    if args.output == "json":
        from pilothouse.release.gojson import Struct, encode

        # Helm's repoChartElement struct: its fields in declaration order
        sys.stdout.write(encode([Struct(i.items()) for i in items]) + "\n")
    elif args.output == "yaml":
        sys.stdout.write(goyaml.to_yaml(items))
    elif not results:
        sys.stdout.write("No results found\n")
    else:
        rows = [["NAME", "CHART VERSION", "APP VERSION", "DESCRIPTION"]]
        rows += [[i["name"], i["version"], i["app_version"], i["description"]] for i in items]
        sys.stdout.write(format_table(rows, args.max_col_width) + "\n")
    return 0
