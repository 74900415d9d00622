"""pflag's StringToString value as Helm's ``-l/--labels`` flag takes it."""

from __future__ import annotations

import argparse
from typing import Any


class LabelsAction(argparse.Action):
    """pflag StringToString: ``k=v,k2=v2``, repeatable."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        out = dict(getattr(namespace, self.dest, None) or {})
        for item in str(values).split(","):
            if not item:
                continue
            if "=" not in item:
                from pilothouse.errors import UsageError

                raise UsageError(f'invalid argument "{values}" for "{option_string}" flag: {item} must be formatted '
                                 "as key=value")
            k, v = item.split("=", 1)
            out[k] = v
        setattr(namespace, self.dest, out)
