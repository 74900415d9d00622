"""pflag's StringToString value as Helm's ``-l/--labels`` flag takes it."""

from __future__ import annotations

import argparse
from typing import Any


class LabelsAction(argparse.Action):
    """pflag StringToString: ``k=v,k2=v2``, repeatable."""

    pflag_kind = "stringToString"

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        from pilothouse.errors import UsageError

        out = dict(getattr(namespace, self.dest, None) or {})
        text = str(values)
        flag = _flag_name(self.option_strings)
        # as pflag: no "=" is an error about the whole value, exactly one makes one pair (commas
        # included in the value), more are comma-separated pairs
        count = text.count("=")
        if count == 0:
            raise UsageError(f'invalid argument "{text}" for "{flag}" flag: {text} must be formatted as key=value')
        pairs = [text.strip('"')] if count == 1 else _csv_fields(text)
        for item in pairs:
            if "=" not in item:
                raise UsageError(f'invalid argument "{text}" for "{flag}" flag: {item} must be formatted '
                                 "as key=value")
            k, v = item.split("=", 1)
            out[k] = v
        setattr(namespace, self.dest, out)


def _flag_name(options: list[str]) -> str:
    """The flag as pflag names it in errors: ``-l, --labels`` when it has a shorthand."""
    shorts = [o for o in options if not o.startswith("--")]
    longs = [o for o in options if o.startswith("--")]
    return ", ".join(shorts[:1] + longs[:1])


def _csv_fields(text: str) -> list[str]:
    """One CSV record's fields, as pflag reads a multi-pair value."""
    import csv

    try:
        return next(csv.reader([text]), [])
    except csv.Error:
        return text.split(",")
