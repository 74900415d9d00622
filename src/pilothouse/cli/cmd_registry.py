"""`pilot registry login|logout HOST`."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("registry", help="login to or logout from a registry", usage="pilot registry [command]")
    cmds = p.add_subparsers(dest="registry_command", metavar="command")
    cmds.required = True
    login = cmds.add_parser("login", help="login to a registry", usage="pilot registry login [host] [flags]")
    login.add_argument("host")
    login.add_argument("-u", "--username", default="", help="registry username")
    login.add_argument("-p", "--password", default="", help="registry password or identity token")
    login.add_argument("--password-stdin", action="store_true", help="read password or identity token from stdin")
    login.add_argument("--insecure", action="store_true", help="allow connections to TLS registry without certs")
    login.add_argument("--cert-file", default="")
    login.add_argument("--key-file", default="")
    login.add_argument("--ca-file", default="")
    login.add_argument("--plain-http", action="store_true", help="use insecure HTTP connections")
    login.set_defaults(func=run_login)
    logout = cmds.add_parser("logout", help="logout from a registry", usage="pilot registry logout [host]")
    logout.add_argument("host")
    logout.set_defaults(func=run_logout)


def run_login(args: argparse.Namespace) -> int:
    from pilothouse.action.registry_login import RegistryLogin
    from pilothouse.errors import UsageError

    username, password = args.username, args.password
    if args.password_stdin:
        password = sys.stdin.read().removesuffix("\n").removesuffix("\r")
    elif password:
        from pilothouse import slog

        slog.warn("using --password via the CLI is insecure. Use --password-stdin")
    if not username:
        if not sys.stdin.isatty():
            raise UsageError("username required")
        username = input("Username: ")
    if not password:
        if not sys.stdin.isatty() or args.password_stdin:
            raise UsageError("password required")
        import getpass

        password = getpass.getpass("Password: ")
    out = RegistryLogin(username=username, password=password, insecure=args.insecure, plain_http=args.plain_http,
                        cert_file=args.cert_file, key_file=args.key_file, ca_file=args.ca_file).run(args.host)
    sys.stdout.write(out)
    return 0


def run_logout(args: argparse.Namespace) -> int:
    from pilothouse.action.registry_login import RegistryLogout

    sys.stdout.write(RegistryLogout().run(args.host))
    return 0
