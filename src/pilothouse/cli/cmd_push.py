"""`pilot push CHART REMOTE`: upload a chart archive to an OCI registry."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("push", help="push a chart to a remote", usage="pilot push [chart] [remote] [flags]")
    p.add_argument("chart")
    p.add_argument("remote")
    p.add_argument("--cert-file", default="", help="identify registry client using this SSL certificate file")
    p.add_argument("--key-file", default="", help="identify registry client using this SSL key file")
    p.add_argument("--ca-file", default="", help="verify certificates of HTTPS-enabled servers using this CA bundle")
    p.add_argument("--insecure-skip-tls-verify", action="store_true", help="skip tls certificate checks")
    p.add_argument("--plain-http", action="store_true", help="use insecure HTTP connections for the chart upload")
    p.add_argument("--username", default="", help="registry username")
    p.add_argument("--password", default="", help="registry password")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.push import Push

    out = Push(cert_file=args.cert_file, key_file=args.key_file, ca_file=args.ca_file,
               insecure_skip_tls_verify=args.insecure_skip_tls_verify, plain_http=args.plain_http,
               username=args.username, password=args.password).run(args.chart, args.remote)
    sys.stdout.write(out)
    return 0
