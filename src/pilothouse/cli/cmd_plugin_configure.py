"""`pilot plugin configure NAME`: the user's settings for one plugin.

``--secret NAME=env:VAR`` or ``NAME=file:PATH`` maps a named credential (read by the host when
the plugin asks for NAME; the plugin never sees the source), ``--config KEY=VALUE`` sets a config
value the plugin reads, ``--always`` makes a policy plugin run in every template, install,
upgrade and rollback (``--no-always`` stops it). Everything is kept in the plugin settings file.
"""

from __future__ import annotations

import argparse
import re

from pilothouse.errors import PluginError

_CRED = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def register(ps: argparse._SubParsersAction) -> None:
    """Add ``configure`` to the ``plugin`` subcommands."""
    c = ps.add_parser("configure", help="map credentials, set config, make a policy always-on")
    c.add_argument("name")
    c.add_argument("--secret", action="append", default=[], metavar="NAME=env:VAR|file:PATH",
                   help="map a named credential to an environment variable or a file")
    c.add_argument("--unset-secret", action="append", default=[], metavar="NAME", help="remove a credential")
    c.add_argument("--config", action="append", default=[], metavar="KEY=VALUE", help="set a config value")
    # two plain flags (pflag has no --[no-] pairs): --always=false is the same as --no-always
    c.add_argument("--always", action="store_true", default=None, help="run this policy plugin in every operation")
    c.add_argument("--no-always", dest="always", action="store_false", default=None,
                   help="stop running this policy plugin in every operation")
    c.set_defaults(plugin_func=run)


def run(args: argparse.Namespace) -> int:
    from pilothouse.plugin import policy
    from pilothouse.plugin.loader import find_plugin

    plugin = find_plugin(args.name)
    if plugin is None:
        raise PluginError(f"plugin: {args.name} not found")
    doc = policy.load_user_config()
    entry = (doc.setdefault("plugins", {}) or {}).get(args.name) or {}
    secrets = dict(entry.get("secrets") or {})
    for spec in args.secret:
        name, sep, src = spec.partition("=")
        if not sep or not _CRED.match(name):
            raise PluginError(f"invalid --secret {spec!r}: use NAME=env:VAR or NAME=file:PATH")
        kind, _, ref = src.partition(":")
        if kind not in ("env", "file") or not ref:
            raise PluginError(f"invalid --secret {spec!r}: the source must be env:VAR or file:PATH")
        secrets[name] = src
    for name in args.unset_secret:
        secrets.pop(name, None)
    if secrets:
        entry["secrets"] = secrets
    else:
        entry.pop("secrets", None)
    if args.config:
        cfg = dict(entry.get("config") or {})
        for spec in args.config:
            key, sep, val = spec.partition("=")
            if not sep or not key:
                raise PluginError(f"invalid --config {spec!r}: use KEY=VALUE")
            cfg[key] = val
        entry["config"] = cfg
    if args.always is not None:
        if plugin.type != "policy/v1":
            raise PluginError(f'plugin "{args.name}" is not a policy/v1 plugin')
        always = [n for n in doc.get("policies") or [] if n != args.name]
        if args.always:
            always.append(args.name)
        doc["policies"] = always
    doc["plugins"][args.name] = entry
    policy.save_user_config(doc)
    print(f'Configured plugin "{args.name}"')
    return 0
