"""`pilot get all|values|manifest|notes|hooks|metadata RELEASE`: as `helm get` has them."""

from __future__ import annotations

import argparse
import sys

SUBCOMMANDS = ("all", "values", "manifest", "notes", "hooks", "metadata")


def register(sub: argparse._SubParsersAction) -> None:
    from pilothouse.cli.cmd_status import add_output_flag

    p = sub.add_parser("get", help="download extended information of a named release",
                       usage="pilot get [command] RELEASE_NAME")
    gsub = p.add_subparsers(dest="what", parser_class=type(p))
    for what in SUBCOMMANDS:
        g = gsub.add_parser(what, help=f"download the {what} of a named release")
        g.add_argument("name", metavar="RELEASE_NAME")
        g.add_argument("--revision", type=int, default=0, help="get the named release with revision")
        if what in ("values", "metadata"):
            add_output_flag(g)
        if what == "values":
            g.add_argument("-a", "--all", action="store_true", help="dump all (computed) values")
            g.add_argument("--resolve", action="store_true",
                           help="resolve ref+SCHEME:// references through their values/v1 plugins")
        if what == "all":
            g.add_argument("--template", default="", help="go template for formatting the output")
        g.set_defaults(func=run)
    p.set_defaults(func=_usage)


def _usage(args: argparse.Namespace) -> int:
    from pilothouse.errors import UsageError

    raise UsageError("get requires a subcommand: " + ", ".join(SUBCOMMANDS))


def _labels(d: dict[str, str]) -> str:
    return ",".join(f"{k}={d[k]}" for k in sorted(d))


def run(args: argparse.Namespace) -> int:
    from pilothouse.action.get import Get, GetValues, metadata_of
    from pilothouse.cli.cmd_status import config_from_args, print_release, write_json, write_yaml
    from pilothouse.release.gojson import Struct

    cfg = config_from_args(args)
    out = sys.stdout
    if args.what == "values":
        if args.all:
            vals = GetValues(cfg, version=args.revision, all_values=True).run(args.name)
        else:
            stored = Get(cfg, version=args.revision).run(args.name)
            # a record without config (Helm leaves an empty one out) is a nil map to Go, printed as null
            vals = stored.config if stored.config or stored.config_given else None
        if args.resolve and vals is not None:
            from pilothouse.plugin.types.values import resolve_references

            vals = resolve_references(vals)
        if args.output == "json":
            write_json(out, vals)
        elif args.output == "yaml":
            write_yaml(out, vals)
        else:
            out.write("COMPUTED VALUES:\n" if args.all else "USER-SUPPLIED VALUES:\n")
            write_yaml(out, vals)
        return 0
    rel = Get(cfg, version=args.revision).run(args.name)
    if args.what == "manifest":
        out.write(rel.manifest + "\n")
    elif args.what == "notes":
        if rel.info.notes:
            out.write(f"NOTES:\n{rel.info.notes}\n")
    elif args.what == "hooks":
        for h in rel.hooks:
            out.write(f"---\n# Source: {h.path}\n{h.manifest}\n")
    elif args.what == "metadata":
        md = metadata_of(rel)
        from pilothouse.release import timeutil

        md["deployedAt"] = _rfc3339(timeutil, md["deployedAt"])
        md["dependencies"] = [_dependency(d) for d in md["dependencies"] if isinstance(d, dict)]
        if args.output == "json":
            s = Struct((k, v) for k, v in md.items()
                       if k not in ("annotations", "labels", "dependencies", "applyMethod") or v)
            write_json(out, s)
        elif args.output == "yaml":
            md["dependencies"] = [dict(d) for d in md["dependencies"]]
            write_yaml(out, {k: v for k, v in md.items()
                             if k not in ("annotations", "labels", "dependencies", "applyMethod") or v})
        else:
            # FormattedDepNames: the dependencies' names (never their aliases), sorted
            deps = ",".join(sorted(str(dict(d).get("name") or "") for d in md["dependencies"]))
            out.write(f"NAME: {md['name']}\nCHART: {md['chart']}\nVERSION: {md['version']}\n"
                      f"APP_VERSION: {md['appVersion']}\nANNOTATIONS: {_labels(md['annotations'])}\n"
                      f"LABELS: {_labels(md['labels'])}\nDEPENDENCIES: {deps}\nNAMESPACE: {md['namespace']}\n"
                      f"REVISION: {md['revision']}\nSTATUS: {md['status']}\nDEPLOYED_AT: {md['deployedAt']}\n"
                      f"APPLY_METHOD: {_apply_method(md['applyMethod'])}\n")
    else:
        if args.template:
            # plain text/template as Helm runs it: builtins only, the release as its Go struct
            from pilothouse.cli.release_view import release_view
            from pilothouse.gotemplate import TemplateSet

            ts = TemplateSet()
            ts.parse("_", args.template)
            out.write(ts.execute("_", {"Release": release_view(rel)}))
            return 0
        print_release(out, rel, "table", debug=True, show_metadata=True)
    return 0


# chart.Dependency's JSON fields in struct order; True = always written, False = omitempty
_DEPENDENCY_FIELDS = (("name", True), ("version", False), ("repository", True), ("condition", False),
                      ("tags", False), ("enabled", False), ("import-values", False), ("alias", False))


def _dependency(d: dict):  # noqa: ANN202 - a gojson Struct, imported lazily
    """A stored chart dependency re-encoded as Go marshals `chart.Dependency` (field order, omitempty)."""
    from pilothouse.release.gojson import Struct

    s = Struct()
    for key, always in _DEPENDENCY_FIELDS:
        val = d.get(key)
        if always:
            s.append((key, val if isinstance(val, str) else ""))
        elif val:
            s.append((key, val))
    return s


def _rfc3339(timeutil, text: str) -> str:  # noqa: ANN001 - the module is passed to keep imports lazy
    p = timeutil.parse(text)
    if p is None:
        return "0001-01-01T00:00:00Z"
    return timeutil.format_rfc3339nano(p[0].replace(microsecond=0), 0)


def _apply_method(method: str) -> str:
    return {"ssa": "server-side apply", "csa": "client-side apply", "": "client-side apply (defaulted)"}.get(
        method, method)

