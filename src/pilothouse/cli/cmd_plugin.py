"""`pilot plugin`: install, list, inspect, uninstall, update, package and verify plugins."""

from __future__ import annotations

import argparse
import os
import sys

from pilothouse.errors import PluginError, UsageError


def _bool(text: str) -> bool:
    low = text.lower()
    if low in ("1", "t", "true"):
        return True
    if low in ("0", "f", "false"):
        return False
    raise argparse.ArgumentTypeError(f'invalid boolean value "{text}"')


def _add_bool(p: argparse.ArgumentParser, flag: str, default: bool, help_text: str) -> None:
    p.add_argument(flag, nargs="?", const=True, default=default, type=_bool, help=help_text)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plugin", help="install, list, inspect or uninstall plugins")
    ps = p.add_subparsers(dest="plugin_command", parser_class=type(p))

    i = ps.add_parser("install", aliases=["add"], help="install a plugin")
    i.add_argument("source", help="directory, .tgz archive, URL, oci:// reference or git repository")
    i.add_argument("--version", default="", help="version constraint for a git install (e.g. '>=1.0')")
    _add_bool(i, "--verify", True, "verify the plugin signature before installing")
    i.add_argument("--keyring", default="", help="location of public keys used for verification")
    i.add_argument("--yes", "-y", action="store_true", help="grant the capabilities the plugin requests")
    # registry access for oci:// sources, as Helm 4.2 has them
    i.add_argument("--cert-file", default="", help="identify registry client using this SSL certificate file")
    i.add_argument("--key-file", default="", help="identify registry client using this SSL key file")
    i.add_argument("--ca-file", default="", help="verify certificates of HTTPS-enabled servers using this CA bundle")
    _add_bool(i, "--insecure-skip-tls-verify", False, "skip tls certificate checks for the plugin download")
    _add_bool(i, "--plain-http", False, "use insecure HTTP connections for the plugin download")
    i.add_argument("--username", default="", help="registry username")
    i.add_argument("--password", default="", help="registry password")
    i.set_defaults(plugin_func=_install)

    ls = ps.add_parser("list", aliases=["ls"], help="list installed plugins")
    ls.add_argument("--type", default="", help="only plugins of this type (e.g. cli/v1)")
    ls.set_defaults(plugin_func=_list)

    u = ps.add_parser("uninstall", aliases=["rm", "remove"], help="uninstall one or more plugins")
    u.add_argument("names", nargs="+")
    u.set_defaults(plugin_func=_uninstall)

    up = ps.add_parser("update", aliases=["up"], help="update one or more plugins")
    up.add_argument("names", nargs="+")
    up.set_defaults(plugin_func=_update)

    pk = ps.add_parser("package", help="package a plugin directory into a plugin archive")
    pk.add_argument("path")
    _add_bool(pk, "--sign", True, "use a PGP private key to sign this package")
    pk.add_argument("--key", default="", help="name of the key to use when signing")
    pk.add_argument("--keyring", default="", help="location of a keyring holding the secret key")
    pk.add_argument("--passphrase-file", default="", help="file holding the key's passphrase ('-' for stdin)")
    pk.add_argument("-d", "--destination", default=".", help="location to write the archive")
    pk.set_defaults(plugin_func=_package)

    v = ps.add_parser("verify", help="verify that a plugin archive has been signed and is valid")
    v.add_argument("path")
    v.add_argument("--keyring", default="", help="keyring containing public keys")
    v.set_defaults(plugin_func=_verify)

    ins = ps.add_parser("inspect", help="show a plugin's metadata and the capabilities it is granted")
    ins.add_argument("name")
    ins.set_defaults(plugin_func=_inspect)

    ap = ps.add_parser("approve", help="grant a plugin the capabilities it requests (after review)")
    ap.add_argument("name")
    ap.set_defaults(plugin_func=_approve)
    from pilothouse.cli import cmd_plugin_configure

    cmd_plugin_configure.register(ps)

    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    func = getattr(args, "plugin_func", None)
    if func is None:
        raise UsageError("pilot plugin needs a sub-command: install, list, uninstall, update, package, "
                         "verify, inspect, approve")
    return int(func(args) or 0)


def _install(args: argparse.Namespace) -> int:
    from pilothouse.plugin.install import InstallOptions, install

    install(args.source, InstallOptions(version=args.version, verify=args.verify, keyring=args.keyring,
                                        yes=args.yes, plain_http=args.plain_http,
                                        insecure_skip_tls_verify=args.insecure_skip_tls_verify,
                                        cert_file=args.cert_file, key_file=args.key_file, ca_file=args.ca_file,
                                        username=args.username, password=args.password))
    return 0


def _list(args: argparse.Namespace) -> int:
    from pilothouse.plugin.install import provenance_status
    from pilothouse.plugin.loader import find_plugins
    from pilothouse.plugin.safetext import escape

    rows = [["NAME", "VERSION", "TYPE", "APIVERSION", "PROVENANCE", "SOURCE"]]
    for p in find_plugins():
        if args.type and p.type != args.type:
            continue
        md = p.metadata
        rows.append([escape(c) for c in (md.name, md.version, md.type, md.api_version, provenance_status(p),
                                         md.source_url or "unknown")])
    print(format_table(rows))
    return 0


def format_table(rows: list[list[str]]) -> str:
    """Columns padded to their widest cell and separated by a tab, as Helm's tables are."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("\t".join(c.ljust(widths[i]) for i, c in enumerate(r)) for r in rows)


def _uninstall(args: argparse.Namespace) -> int:
    from pilothouse.plugin.install import uninstall

    errors = []
    for name in args.names:
        try:
            uninstall(name)
        except PluginError as err:
            errors.append(str(err))
    if errors:
        raise PluginError("\n".join(errors))
    return 0


def _update(args: argparse.Namespace) -> int:
    from pilothouse.plugin.install import _find_installed, update

    errors = []
    for name in args.names:
        if _find_installed(name) is None:
            errors.append(f"plugin: {name} not found")
            continue
        try:
            update(name)
        except PluginError as err:
            # Helm 4.2's wording (4.1.4 capitalised "Failed")
            errors.append(f"failed to update plugin {name}, got error ({err})")
    if errors:
        raise PluginError("\n".join(errors))
    return 0


def _package(args: argparse.Namespace) -> int:
    from pilothouse.plugin.install import package

    passphrase = None
    if args.passphrase_file:
        if args.passphrase_file == "-":
            passphrase = sys.stdin.readline().rstrip("\n")
        else:
            with open(args.passphrase_file, encoding="utf-8") as fh:
                passphrase = fh.readline().rstrip("\n")
    package(args.path, args.destination, sign=args.sign, key=args.key, keyring=args.keyring,
            passphrase=passphrase)
    return 0


def _verify(args: argparse.Namespace) -> int:
    from pilothouse.plugin.install import verify

    verify(args.path, args.keyring)
    return 0


def _find(name: str):  # noqa: ANN202 - returns a Plugin
    from pilothouse.plugin.loader import find_plugins

    for p in find_plugins():
        if p.name == name:
            return p
    raise PluginError(f"plugin: {name} not found")


def _inspect(args: argparse.Namespace) -> int:
    from pilothouse.plugin import policy
    from pilothouse.plugin.safetext import escape as e

    p = _find(args.name)
    md = p.metadata
    print(f"Name:        {e(md.name)}")
    print(f"Version:     {e(md.version)}")
    print(f"Type:        {e(md.type)}")
    print(f"Runtime:     {e(md.runtime)}")
    print(f"APIVersion:  {e(md.api_version)}")
    print(f"Directory:   {e(p.dir)}")
    print(f"Source:      {e(md.source_url or 'unknown')}")
    if md.runtime != "extism/v1":
        print("Sandbox:     none (a subprocess plugin runs with the user's full rights)")
        return 0
    req = policy.requested(md.runtime_config, os.path.join(p.dir, "plugin.yaml"), p.dir)
    g = policy.grant(md.name, req)
    print("Requested:")
    for line in req.describe():
        print(f"  {line}")
    print(f"Approval:    {policy.approval_state(md.name, req)}")
    print("Granted:")
    for line in g.describe():
        print(f"  {line}")
    return 0


def _approve(args: argparse.Namespace) -> int:
    from pilothouse.plugin import policy

    p = _find(args.name)
    if p.runtime != "extism/v1":
        raise PluginError(f'plugin "{p.name}" is not a Wasm plugin; it has no sandbox to configure')
    req = policy.requested(p.metadata.runtime_config, os.path.join(p.dir, "plugin.yaml"), p.dir)
    policy.approve(p.name, req)
    print(f'Approved the requested capabilities of plugin "{p.name}"')
    for line in policy.grant(p.name, req).describe():
        print(f"  {line}")
    return 0
