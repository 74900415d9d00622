"""`pilot pull CHART`: download a chart from a repository, a URL or an OCI registry."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.action.verify import default_keyring

    p = sub.add_parser("pull", aliases=["fetch"], help="download a chart from a repository and (optionally) unpack it",
                       usage="pilot pull [chart URL | repo/chartname] [...] [flags]")
    p.add_argument("charts", nargs="+", metavar="CHART")
    p.add_argument("-d", "--destination", default=".", help="location to write the chart")
    p.add_argument("--untar", action="store_true", help="if set to true, will untar the chart after downloading it")
    p.add_argument("--untardir", default=".", help="if untar is specified, this flag specifies where to expand it")
    p.add_argument("--version", default="", help="a version constraint for the chart version to use")
    p.add_argument("--devel", action="store_true", help="use development versions, too")
    p.add_argument("--verify", action="store_true", help="verify the package before using it")
    p.add_argument("--prov", action="store_true", help="fetch the provenance file, but don't perform verification")
    p.add_argument("--keyring", default=default_keyring(), help="location of public keys used for verification")
    p.add_argument("--repo", default="", help="chart repository url where to locate the requested chart")
    p.add_argument("--username", default="")
    p.add_argument("--password", default="")
    p.add_argument("--pass-credentials", action="store_true", help="pass credentials to all domains")
    p.add_argument("--cert-file", default="")
    p.add_argument("--key-file", default="")
    p.add_argument("--ca-file", default="")
    p.add_argument("--insecure-skip-tls-verify", action="store_true")
    p.add_argument("--plain-http", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.pull import Pull

    action = Pull(dest_dir=args.destination, untar=args.untar, untar_dir=args.untardir, version=args.version,
                  devel=args.devel, verify=args.verify, prov=args.prov, keyring=args.keyring, repo_url=args.repo,
                  username=args.username, password=args.password, pass_credentials_all=args.pass_credentials,
                  cert_file=args.cert_file, key_file=args.key_file, ca_file=args.ca_file,
                  insecure_skip_tls_verify=args.insecure_skip_tls_verify, plain_http=args.plain_http)
    from pilothouse.errors import PilothouseError

    for chart in args.charts:
        try:
            sys.stdout.write(action.run(chart))
        except PilothouseError as err:
            sys.stdout.write(getattr(err, "partial_output", "") or "")
            sys.stdout.flush()
            raise
    return 0
