"""The value flags shared by ``template``, ``install``, ``upgrade``, ``lint``:
``-f/--values``, ``--set``, ``--set-string``, ``--set-file``, ``--set-json``, ``--set-literal``.
"""

from __future__ import annotations

import argparse
import csv
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilothouse.chart.options import ValueOptions


class _CsvAppend(argparse.Action):
    """A pflag string slice: each use may hold several comma-separated (CSV-quoted) items."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        items = list(getattr(namespace, self.dest, None) or [])
        text = str(values)
        if text == "":
            parsed: list[str] = []
        else:
            try:
                parsed = next(csv.reader([text], strict=True))
            except (csv.Error, StopIteration):
                from pilothouse.errors import UsageError

                raise UsageError(f'invalid argument "{text}" for "{option_string}" flag') from None
        items.extend(parsed)
        setattr(namespace, self.dest, items)


def add_values_flags(parser: argparse.ArgumentParser) -> None:
    """Add Helm's value flags to a command's parser."""
    parser.add_argument("-f", "--values", dest="value_files", action=_CsvAppend, default=[], metavar="strings",
                        help="specify values in a YAML file or a URL (can specify multiple)")
    parser.add_argument("--set", dest="set_values", action="append", default=[], metavar="stringArray",
                        help="set values on the command line (can specify multiple or separate values with commas: "
                             "key1=val1,key2=val2)")
    parser.add_argument("--set-string", dest="set_string_values", action="append", default=[],
                        metavar="stringArray", help="set STRING values on the command line")
    parser.add_argument("--set-file", dest="set_file_values", action="append", default=[], metavar="stringArray",
                        help="set values from respective files specified via the command line")
    parser.add_argument("--set-json", dest="set_json_values", action="append", default=[], metavar="stringArray",
                        help="set JSON values on the command line")
    parser.add_argument("--set-literal", dest="set_literal_values", action="append", default=[],
                        metavar="stringArray", help="set a literal STRING value on the command line")


def values_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The user values the parsed value flags describe, merged in Helm's order (raises `ValuesError`)."""
    return value_options_from_args(args).merge_values()


def value_options_from_args(args: argparse.Namespace) -> ValueOptions:
    """The `ValueOptions` described by parsed value flags."""
    from pilothouse.chart.options import ValueOptions

    return ValueOptions(
        value_files=list(getattr(args, "value_files", []) or []),
        values=list(getattr(args, "set_values", []) or []),
        string_values=list(getattr(args, "set_string_values", []) or []),
        file_values=list(getattr(args, "set_file_values", []) or []),
        json_values=list(getattr(args, "set_json_values", []) or []),
        literal_values=list(getattr(args, "set_literal_values", []) or []),
    )
