"""`pilot verify PATH`: check a chart archive against its provenance file."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.action.verify import default_keyring

    p = sub.add_parser("verify", help="verify that a chart at the given path has been signed and is valid",
                       usage="pilot verify PATH [flags]")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--keyring", default=default_keyring(), help="keyring containing public keys")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.verify import Verify

    sys.stdout.write(Verify(keyring=args.keyring).run(args.path))
    return 0
