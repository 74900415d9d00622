"""`pilot show chart|values|readme|crds|all CHART`: a chart's files as Helm prints them."""

from __future__ import annotations

import argparse
import sys

_KINDS = {
    "all": "show all information of the chart",
    "chart": "show the chart's definition",
    "values": "show the chart's values",
    "readme": "show the chart's README",
    "crds": "show the chart's CRDs",
}
_README_NAMES = ("readme.md", "readme.txt", "readme")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="show information of a chart", usage="pilot show [command]")
    kinds = p.add_subparsers(dest="show_kind", metavar="command")
    kinds.required = True
    for kind, desc in _KINDS.items():
        k = kinds.add_parser(kind, help=desc, usage=f"pilot show {kind} [CHART] [flags]")
        k.add_argument("chart", metavar="CHART")
        k.add_argument("--version", default="", help="specify a version constraint for the chart version to use")
        k.add_argument("--devel", action="store_true", help="use development versions, too")
        from pilothouse.cli.chart_flags import add_missing_chart_path_flags

        add_missing_chart_path_flags(k)
        if kind == "values":
            k.add_argument("--jsonpath", default="", help="supply a JSONPath expression to filter the output")
        k.set_defaults(func=run, show_kind=kind)


def show(chart_path: str, kind: str) -> str:
    """The text `helm show <kind>` prints for a local chart."""
    from pilothouse import goyaml
    from pilothouse.chart import load

    chart = load(chart_path)
    assert chart.metadata is not None
    out: list[str] = []
    if kind in ("chart", "all"):
        out.append(goyaml.to_yaml(chart.metadata.to_dict()) + "\n")
    values_files = [f for f in chart.raw if f.name == "values.yaml"]
    if kind in ("values", "all") and values_files:
        if kind == "all":
            out.append("---\n")
        for f in values_files:
            out.append(f.data.decode("utf-8", errors="replace") + "\n")
    if kind in ("readme", "all"):
        readme = next((f for f in chart.files if f.name.lower() in _README_NAMES), None)
        if readme is not None:
            if kind == "all":
                out.append("---\n")
            out.append(readme.data.decode("utf-8", errors="replace") + "\n")
    if kind in ("crds", "all"):
        for crd in chart.crd_objects():
            if not crd.file.data.startswith(b"---"):
                out.append("---\n")
            out.append(crd.file.data.decode("utf-8", errors="replace") + "\n")
    return "".join(out)


def run(args: argparse.Namespace) -> int:
    from pilothouse.cli.cmd_template import locate_chart

    path = locate_chart(args, args.chart)
    if getattr(args, "jsonpath", ""):
        from pilothouse.chart import load
        from pilothouse.chart.jsonpath import JSONPathError, execute

        chart = load(path)
        try:
            text = execute(args.jsonpath, chart.values)
        except JSONPathError:
            # Helm ignores evaluation errors (a missing key prints nothing).
            text = ""
        sys.stdout.write(text)
        return 0
    sys.stdout.write(show(path, args.show_kind))
    return 0
