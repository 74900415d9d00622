"""`pilot dependency list|update|build CHART`."""

from __future__ import annotations

import argparse
import glob
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.cli.pflag import uint_value

    p = sub.add_parser("dependency", help="manage a chart's dependencies", usage="pilot dependency [command]")
    cmds = p.add_subparsers(dest="dep_command", metavar="command")
    cmds.required = True
    ls = cmds.add_parser("list", aliases=["ls"], help="list the dependencies for the given chart",
                         usage="pilot dependency list CHART [flags]")
    ls.add_argument("chart", nargs="?", default=".", metavar="CHART")
    ls.add_argument("--max-col-width", type=uint_value, default=80, help="maximum column width for output table")
    ls.set_defaults(func=run_list)
    for name, desc in (("update", "update charts/ based on the contents of Chart.yaml"),
                       ("build", "rebuild the charts/ directory based on the Chart.lock file")):
        c = cmds.add_parser(name, aliases=["up"] if name == "update" else [], help=desc)
        c.add_argument("chart", nargs="?", default=".", metavar="CHART")
        c.add_argument("--skip-refresh", action="store_true")
        c.add_argument("--verify", action="store_true")
        c.add_argument("--keyring", default="")
        c.add_argument("--plain-http", action="store_true", help="use insecure HTTP connections for the chart download")
        c.add_argument("--username", default="", help="chart repository username where to locate the requested chart")
        c.add_argument("--password", default="", help="chart repository password where to locate the requested chart")
        c.add_argument("--cert-file", default="", help="identify HTTPS client using this SSL certificate file")
        c.add_argument("--key-file", default="", help="identify HTTPS client using this SSL key file")
        c.add_argument("--ca-file", default="", help="verify certificates of HTTPS-enabled servers using this CA bundle")
        c.add_argument("--insecure-skip-tls-verify", action="store_true",
                       help="skip tls certificate checks for the chart download")
        c.set_defaults(func=run_update_build, dep_name=name)


def run_update_build(args: argparse.Namespace) -> int:
    from pilothouse.action.dependency import Manager
    from pilothouse.action.verify import default_keyring
    from pilothouse.repo.getter import Credentials

    creds = Credentials(username=args.username, password=args.password, cert_file=args.cert_file,
                        key_file=args.key_file, ca_file=args.ca_file,
                        insecure_skip_tls_verify=args.insecure_skip_tls_verify)
    m = Manager(chart_path=args.chart, verify=args.verify, keyring=args.keyring or default_keyring(),
                skip_update=args.skip_refresh, plain_http=args.plain_http, credentials=creds)
    if args.dep_name == "update":
        m.update()
    else:
        m.build()
    return 0


def _status(chart_path: str, dep: object, parent: object) -> str:
    from pilothouse.chart import load
    from pilothouse.errors import PilothouseError
    from pilothouse.semver import Version

    name, version = dep.name, dep.version  # type: ignore[attr-defined]
    archives = sorted(glob.glob(os.path.join(chart_path, "charts", glob.escape(name) + "-*.tgz")))
    if len(archives) > 1:
        found = []
        for arc in archives:
            maybe = os.path.basename(arc)[: -len(".tgz")][len(name) + 1:]
            try:
                Version.parse_strict(maybe)
            except Exception:  # noqa: BLE001 - not a version-named archive
                continue
            found.append(arc)
        if len(found) > 1:
            return "too many matches"
        archives = found
    if len(archives) == 1:
        try:
            c = load(archives[0])
        except PilothouseError:
            return "corrupt"
        if c.name() != name:
            return "misnamed"
        return _version_status(c.metadata.version, version) or "ok"  # type: ignore[union-attr]
    sub = None
    for item in parent.dependencies():  # type: ignore[attr-defined]
        if item.name() == name:
            sub = item
    if sub is None:
        return "missing"
    return _version_status(sub.metadata.version, version) or "unpacked"


def _version_status(actual: str, wanted: str) -> str | None:
    from pilothouse.semver import Constraints, Version

    if actual == wanted:
        return None
    try:
        cons = Constraints.parse(wanted)
    except Exception:  # noqa: BLE001 - Helm reports any parse failure the same way
        return "invalid version"
    try:
        ver = Version.parse(actual)
    except Exception:  # noqa: BLE001
        return "invalid version"
    return None if cons.check(ver) else "wrong version"


def format_table(rows: list[list[str]], max_width: int = 80) -> str:
    """gosuri/uitable as Helm uses it: cells padded to the column width, tab separated."""
    rows = [[c if len(c) <= max_width else c[: max(max_width - 3, 0)] + "..." for c in row] for row in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("\t".join(c.ljust(widths[i]) for i, c in enumerate(row)) for row in rows)


def dependency_list(chart_path: str, max_width: int = 80) -> str:
    """What `helm dependency list` prints."""
    from pilothouse.chart import load
    from pilothouse.errors import PilothouseError

    chart = load(chart_path)
    md = chart.metadata
    assert md is not None
    if not md.dependencies:
        return f"WARNING: no dependencies at {os.path.join(chart_path, 'charts')}\n"
    rows = [["NAME", "VERSION", "REPOSITORY", "STATUS"]]
    for dep in md.dependencies:
        if dep is None:
            continue
        rows.append([dep.name, dep.version, dep.repository, _status(chart_path, dep, chart)])
    out = [format_table(rows, max_width) + "\n", "\n"]
    names = {d.name for d in md.dependencies if d is not None}
    for f in sorted(glob.glob(os.path.join(chart_path, "charts", "*"))):
        if not os.path.isdir(f) and not f.endswith(".tgz"):
            continue
        try:
            c = load(f)
        except PilothouseError:
            out.append(f'WARNING: "{f}" is not a chart.\n')
            continue
        if c.name() not in names:
            out.append(f'WARNING: "{f}" is not in Chart.yaml.\n')
    return "".join(out)


def run_list(args: argparse.Namespace) -> int:
    sys.stdout.write(dependency_list(args.chart, args.max_col_width))
    return 0
