"""`pilot package CHART_PATH...`: flags as `helm package` has them."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.action.verify import default_keyring

    p = sub.add_parser("package", help="package a chart directory into a chart archive",
                       usage="pilot package [CHART_PATH] [...] [flags]")
    p.add_argument("paths", nargs="*", metavar="CHART_PATH")
    p.add_argument("--sign", action="store_true", help="use a PGP private key to sign this package")
    p.add_argument("--key", default="", help="name of the key to use when signing. Used if --sign is true")
    p.add_argument("--keyring", default=default_keyring(), help="location of a public keyring")
    p.add_argument("--passphrase-file", default="", help='file with the passphrase for the signing key ("-" for stdin)')
    p.add_argument("--version", default="", help="set the version on the chart to this semver version")
    p.add_argument("--app-version", default="", help="set the appVersion on the chart to this version")
    p.add_argument("-d", "--destination", default=".", help="location to write the chart.")
    p.add_argument("-u", "--dependency-update", action="store_true",
                   help='update dependencies from "Chart.yaml" to dir "charts/" before packaging')
    p.add_argument("--username", default="")
    p.add_argument("--password", default="")
    p.add_argument("--cert-file", default="")
    p.add_argument("--key-file", default="")
    p.add_argument("--ca-file", default="")
    p.add_argument("--insecure-skip-tls-verify", action="store_true")
    p.add_argument("--plain-http", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import os

    from pilothouse.action.package import Package
    from pilothouse.errors import PilothouseError, UsageError

    if not args.paths:
        raise UsageError("need at least one argument, the path to the chart")
    if args.sign:
        if not args.key:
            raise UsageError("--key is required for signing a package")
        if not args.keyring:
            raise UsageError("--keyring is required for signing a package")
    action = Package(sign=args.sign, key=args.key, keyring=args.keyring, passphrase_file=args.passphrase_file,
                     version=args.version, app_version=args.app_version, destination=args.destination,
                     dependency_update=args.dependency_update, plain_http=args.plain_http, username=args.username,
                     password=args.password, cert_file=args.cert_file, key_file=args.key_file, ca_file=args.ca_file,
                     insecure_skip_tls_verify=args.insecure_skip_tls_verify)
    for path in args.paths:
        if not os.path.exists(path):
            raise PilothouseError(f"stat {path}: no such file or directory")
        saved = action.run(os.path.abspath(path))
        sys.stdout.write(f"Successfully packaged chart and saved it to: {saved}\n")
    return 0
