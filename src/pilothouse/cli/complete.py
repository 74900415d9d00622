"""``pilot __complete WORDS… TO_COMPLETE``: the answers Cobra gives the shell scripts.

One choice a line (``value\\tdescription`` unless ``__completeNoDesc``), ``_activeHelp_`` hints
where Helm gives them, then ``:<directive>`` on stdout and ``Completion ended with directive:
…`` on stderr. Commands, flags and their values come from the static command table and the
flags the command declares; releases and revisions come from the cluster through the list and
history actions (nothing is offered when it cannot be reached); repositories, their charts and
chart versions from the repository file and cache; plugin commands from their
``completion.yaml`` and ``plugin.complete``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import IO

from pilothouse.cli import command_table
from pilothouse.cli.command_table import CommandInfo
from pilothouse.cli.pflag import Flag, FlagError, FlagSet, parse_args, parse_bool

DEFAULT, ERROR, NO_SPACE, NO_FILE_COMP, FILTER_FILE_EXT, FILTER_DIRS, KEEP_ORDER = 0, 1, 2, 4, 8, 16, 32
_DIRECTIVE_NAMES = [(ERROR, "ShellCompDirectiveError"), (NO_SPACE, "ShellCompDirectiveNoSpace"),
                    (NO_FILE_COMP, "ShellCompDirectiveNoFileComp"),
                    (FILTER_FILE_EXT, "ShellCompDirectiveFilterFileExt"),
                    (FILTER_DIRS, "ShellCompDirectiveFilterDirs"), (KEEP_ORDER, "ShellCompDirectiveKeepOrder")]
ACTIVE_HELP = "_activeHelp_ "
NO_MORE_ARGS = ACTIVE_HELP + "This command does not take any more arguments (but may accept flags)."

Result = tuple[list[str], int]


def directive_name(directive: int) -> str:
    """Cobra's spelling of a directive, e.g. ``ShellCompDirectiveNoFileComp``."""
    if directive == DEFAULT:
        return "ShellCompDirectiveDefault"
    return ", ".join(name for bit, name in _DIRECTIVE_NAMES if directive & bit)


def no_more_args() -> Result:
    """Helm's ``noMoreArgsComp``."""
    return [NO_MORE_ARGS], NO_FILE_COMP


# --- data sources ---------------------------------------------------------------------------

def _config(namespace: str | None = None):  # noqa: ANN202 - an action Configuration
    from pilothouse.action.config import Configuration

    return Configuration.from_env(namespace=os.environ.get("HELM_NAMESPACE") or None,
                                  kubeconfig=os.environ.get("HELM_KUBECONFIG") or None,
                                  kube_context=os.environ.get("HELM_KUBECONTEXT") or None)


def comp_debug(message: str) -> None:
    """Cobra's ``CompDebugln(message, settings.Debug)``: on stderr under --debug (HELM_DEBUG)."""
    try:
        debug = parse_bool(os.environ.get("HELM_DEBUG", ""))
    except ValueError:
        debug = False
    if debug:
        sys.stderr.write(f"[Debug] {message}\n")


def list_releases(ignored: Sequence[str], to_complete: str = "") -> Result:
    """Helm's ``compListReleases``: every release of the namespace, with chart and status."""
    comp_debug(f"compListReleases with toComplete {to_complete}")
    try:
        from pilothouse.action.list import List

        action = List(_config(), all=True, limit=0)
        releases = action.run()
    except Exception:  # noqa: BLE001 - an unreachable cluster only means no choices
        return [], DEFAULT
    out = []
    for rel in releases:
        if rel.name in ignored:
            continue
        chart = f"{rel.chart_name}-{rel.chart_version}" if rel.chart_metadata else "MISSING"
        out.append(f"{rel.name}\t{chart} -> {rel.info.status}")
    return out, NO_FILE_COMP


def list_revisions(name: str) -> Result:
    """Helm's ``compListRevisions``."""
    try:
        from pilothouse.action.history import History

        hist = History(_config()).run(name)
    except Exception:  # noqa: BLE001
        return [], ERROR
    out = []
    for rel in sorted(hist, key=lambda r: r.version):
        out.append(f"{rel.version}\tApp: {rel.app_version}, Chart: {rel.chart_name}-{rel.chart_version}")
    return out, NO_FILE_COMP


def list_repos(ignored: Sequence[str] = ()) -> list[str]:
    """Helm's ``compListRepos``: ``name\\turl`` of each configured repository."""
    try:
        from pilothouse.repo.paths import repository_config
        from pilothouse.repo.repofile import RepoFile

        repos = RepoFile.load(repository_config()).repositories
    except Exception:  # noqa: BLE001
        return []
    return [f"{r.name}\t{r.url}" for r in repos if r.name not in ignored]


def _load_index(repo: str):  # noqa: ANN202
    from pilothouse.repo.index import load_index_file
    from pilothouse.repo.paths import cache_index_file, repository_cache

    return load_index_file(os.path.join(repository_cache(), cache_index_file(repo)))


def charts_of_repo(repo: str) -> list[str]:
    """Helm's ``compListChartsOfRepo``: the cached chart list, else the index's entries."""
    from pilothouse.repo.paths import cache_charts_file, repository_cache

    try:
        with open(os.path.join(repository_cache(), cache_charts_file(repo)), encoding="utf-8", errors="replace") as fh:
            return [f"{repo}/{line.rstrip(chr(10))}" for line in fh.read().splitlines()]
    except FileNotFoundError:
        pass
    except OSError:
        return []
    try:
        return [f"{repo}/{name}" for name in _load_index(repo).entries]
    except Exception:  # noqa: BLE001
        return []


def list_charts(to_complete: str, include_files: bool) -> Result:
    """Helm's ``compListCharts``: repositories, their charts, URL prefixes and local paths."""
    no_space = no_file = False
    out: list[str] = []
    for info in list_repos():
        name, _, desc = info.partition("\t")
        if to_complete.startswith(name + "/"):
            out.extend(charts_of_repo(name))
            no_space = False
            break
        if name.startswith(to_complete):
            out.append(f"{name}/\t{desc}")
            no_space = True
    for url in ("oci://\tChart OCI prefix", "https://\tChart URL prefix", "http://\tChart URL prefix",
                "file://\tChart local URL prefix"):
        # Helm compares with the whole entry, description included, so this never matches once a
        # description is there; kept as Helm does it
        if to_complete.startswith(url):
            no_file = no_space = True
        elif url.startswith(to_complete):
            out.append(url)
            no_space = True
    if include_files and out and to_complete:
        try:
            out.extend(sorted(n for n in os.listdir(".") if n.startswith(to_complete)))
        except OSError:
            pass
    if include_files and not to_complete:
        out += ["./\tRelative path prefix to local chart", "/\tAbsolute path prefix to local chart"]
    directive = DEFAULT
    if no_file:
        directive |= NO_FILE_COMP
    if no_space:
        directive |= NO_SPACE
    if not include_files:
        directive |= NO_FILE_COMP
    return out, directive


def chart_versions(chart_ref: str) -> Result:
    """Helm's ``compVersionFlag``: versions of ``repo/chart`` from the cached index."""
    parts = chart_ref.split("/")
    if len(parts) != 2:
        return [], NO_FILE_COMP
    try:
        entries = _load_index(parts[0]).entries.get(parts[1], [])
    except Exception:  # noqa: BLE001
        return [], NO_FILE_COMP
    out = []
    for cv in entries:
        app = cv.metadata.app_version if hasattr(cv.metadata, "app_version") else ""
        desc = f"App: {app}, " if app else ""
        created = _created_text(cv.created)
        desc += f"Created: {created} " if created else ""
        if getattr(cv.metadata, "deprecated", False):
            desc += "(deprecated)"
        out.append(f"{cv.version}\t{desc}")
    return out, NO_FILE_COMP


def _created_text(created: str) -> str:
    """Go's ``Format("January 2, 2006")`` of an RFC 3339 time (the zero time when absent)."""
    text = created or "0001-01-01T00:00:00Z"
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00")[:26] + text.replace("Z", "+00:00")[-6:]
                                    if "." in text else text.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return f"{dt.strftime('%B')} {dt.day}, {dt.year:04d}"


def list_plugins(ignored: Sequence[str]) -> list[str]:
    """Helm's ``compListPlugins``: cli/v1 plugins with their short help."""
    try:
        from pilothouse.plugin.loader import find_plugins

        plugins = [p for p in find_plugins() if p.type == "cli/v1"]
    except Exception:  # noqa: BLE001
        return []
    return [f"{p.name}\t{p.metadata.config.get('shortHelp') or ''}" for p in plugins  # type: ignore[attr-defined]
            if p.name not in ignored]


def kube_contexts() -> Result:
    """Context names (and their clusters) of the kubeconfig files."""
    import yaml

    from pilothouse.plugin.env import _home

    path = os.environ.get("HELM_KUBECONFIG") or os.environ.get("KUBECONFIG") or \
        os.path.join(_home(), ".kube", "config")
    out: list[str] = []
    for p in path.split(os.pathsep):
        try:
            with open(p, encoding="utf-8") as fh:
                doc = yaml.safe_load(fh)
        except (OSError, yaml.YAMLError):
            continue
        contexts = doc.get("contexts") if isinstance(doc, dict) else None
        for ctx in contexts if isinstance(contexts, list) else []:
            if isinstance(ctx, dict) and ctx.get("name"):
                body = ctx.get("context") if isinstance(ctx.get("context"), dict) else {}
                out.append(f"{ctx['name']}\t{body.get('cluster', '')}")
    return out, NO_FILE_COMP


# --- per command ------------------------------------------------------------------------------

OUTPUT_FORMATS = ["json\tOutput result in JSON format", "table\tOutput result in human-readable format",
                  "yaml\tOutput result in YAML format"]


def _generate_name(values: list[tuple[Flag, str]]) -> bool:
    from pilothouse.cli.pflag import parse_bool

    for f, v in values:
        if f.name == "generate-name":
            return parse_bool(v)
    return False


def valid_args(path: str, args: list[str], to_complete: str, values: list[tuple[Flag, str]]) -> Result | None:
    """The command's ``ValidArgsFunction``; None when it has none."""
    gen = _generate_name(values)
    if path in ("install", "template"):
        return list_charts(to_complete, True) if len(args) == (0 if gen else 1) else ([], NO_FILE_COMP)
    if path == "upgrade":
        if not args:
            return list_releases(args, to_complete)
        return list_charts(to_complete, True) if len(args) == 1 else no_more_args()
    if path in ("status", "history", "test") or path.startswith("get "):
        return no_more_args() if args else list_releases(args, to_complete)
    if path == "uninstall":
        return list_releases(args, to_complete)
    if path == "rollback":
        if not args:
            return list_releases(args, to_complete)
        return list_revisions(args[0]) if len(args) == 1 else no_more_args()
    if path == "pull":
        return ([], NO_FILE_COMP) if args else list_charts(to_complete, False)
    if path.startswith("show "):
        return no_more_args() if args else list_charts(to_complete, True)
    if path in ("create", "verify", "repo index", "plugin install"):
        return ([], DEFAULT) if not args else no_more_args()
    if path == "repo add":
        return no_more_args() if len(args) > 1 else ([], NO_FILE_COMP)
    if path in ("repo remove", "repo update"):
        return list_repos(args), NO_FILE_COMP
    if path in ("plugin uninstall", "plugin update"):
        return list_plugins(args), NO_FILE_COMP
    if path in ("registry login", "registry logout"):
        return [], NO_FILE_COMP
    if path == "push":
        if not args:
            return [], DEFAULT
        return (["oci://"], NO_FILE_COMP | NO_SPACE) if len(args) == 1 else no_more_args()
    if path == "env":
        if args:
            return no_more_args()
        from pilothouse.cli.cmd_env import env_vars

        return sorted(env_vars()), NO_FILE_COMP
    if path in ("list", "version", "repo list", "plugin list", "docs", "completion bash", "completion zsh",
                "completion fish", "completion powershell"):
        return no_more_args()
    return None


def flag_values(path: str, flag: Flag, args: list[str], values: list[tuple[Flag, str]]) -> Result | None:
    """The completion function registered for ``flag``; None when it has none."""
    name = flag.name
    if name in ("color", "colour"):
        return ["never", "auto", "always"], NO_FILE_COMP
    if name == "kube-context":
        return kube_contexts()
    if name == "namespace":
        try:
            from pilothouse.kube.client import KubeClient

            client = KubeClient.from_kubeconfig(os.environ.get("HELM_KUBECONFIG") or None,
                                                os.environ.get("HELM_KUBECONTEXT") or None, None)
            items = client.list(client.core("Namespace"))
            return [i["metadata"]["name"] for i in items], NO_FILE_COMP
        except Exception:  # noqa: BLE001
            return [], DEFAULT
    if name == "output" and flag.shorthand == "o":
        return list(OUTPUT_FORMATS), NO_FILE_COMP
    if name == "type" and path == "docs":
        return ["bash", "man", "markdown"], NO_FILE_COMP
    if name == "revision" and (path.startswith("get ") or path == "status"):
        return list_revisions(args[0]) if len(args) == 1 else ([], NO_FILE_COMP)
    if name == "version" and path in ("install", "template"):
        need = 1 if _generate_name(values) else 2
        return chart_versions(args[need - 1]) if len(args) == need else ([], NO_FILE_COMP)
    if name == "version" and path in ("upgrade", "pull") or (name == "version" and path.startswith("show ")):
        need = 2 if path == "upgrade" else 1
        return chart_versions(args[need - 1]) if len(args) == need else ([], NO_FILE_COMP)
    return None


# --- Cobra's getCompletions -----------------------------------------------------------------

def _is_flag_arg(arg: str) -> bool:
    return (len(arg) >= 3 and arg[:2] == "--") or (len(arg) >= 2 and arg[0] == "-" and arg[1] != "-")


def get_completions(words: list[str]) -> tuple[list[str], int, str]:
    """Cobra's ``getCompletions``: the choices, the directive, and an error message (or '')."""
    from pilothouse.cli import cobra, global_flags

    to_complete = words[-1]
    typed = words[:-1]
    gflags = global_flags.global_flags()
    gfs = FlagSet(gflags)
    plugins = cobra.plugin_commands()
    try:
        found = cobra.find(typed, gfs, plugins)
    except Exception:  # noqa: BLE001 - Cobra: "unable to find a command"
        return [], DEFAULT, f"unable to find a command for arguments: [{' '.join(typed)}]"
    if found.plugin:
        return _complete_plugin(found.plugin, found.args, to_complete)
    if found.path == ["help"] and not to_complete.startswith("-"):
        node: CommandInfo = command_table.ROOT
        for w in [a for a in found.args if not a.startswith("-")]:
            child = node.find_child(w)
            if child is None:
                return [], NO_FILE_COMP, ""
            node = child
        children = {c.name: c.short for c in node.children.values() if not c.hidden}
        if node is command_table.ROOT:
            children.update(plugins)
            children["help"] = "Help about any command"
        return [f"{n}\t{children[n]}" for n in sorted(children) if n.startswith(to_complete)], NO_FILE_COMP, ""
    node, path = found.node, found.path
    local: list[Flag] = []
    if node.runnable and path:
        from pilothouse.cli.argparse_bridge import flags_of, parser_chain

        try:
            chain = parser_chain(path, command_table.ROOT.children[path[0]].module)
            local = flags_of(chain[-1], " ".join(path), set(global_flags.GLOBAL_DESTS))
        except Exception:  # noqa: BLE001 - a command missing from this build completes as one without flags
            local = []
    name = path[-1] if path else cobra.ROOT_NAME
    help_f = cobra.help_flag(name)
    fs = FlagSet([*local, help_f, *gflags])
    args = list(found.args)

    # checkIfFlagCompletion
    flag: Flag | None = None
    flag_err = ""
    if to_complete.startswith("-") and "=" in to_complete:
        idx = to_complete.index("=")
        fname = to_complete[2:idx] if to_complete[:idx].startswith("--") else to_complete[idx - 1:idx]
        to_complete = to_complete[idx + 1:]
        flag = fs.by_short.get(fname) if len(fname) == 1 else fs.lookup(fname)
        if flag is None:
            flag_err = f"Subcommand '{name}' does not support flag '{fname}'"
    elif args and _is_flag_arg(args[-1]) and "=" not in args[-1]:
        prev = args[-1]
        fname = prev[2:] if prev.startswith("--") else prev[-1]
        flag = fs.by_short.get(fname) if len(fname) == 1 else fs.lookup(fname)
        if flag is None:
            flag_err = f"Subcommand '{name}' does not support flag '{fname}'"
        elif flag.no_opt:
            flag = None
        else:
            args = args[:-1]
    flag_completion = "--" not in args
    try:
        res = parse_args(fs, args, warn=_Null())
    except FlagError as err:
        return [], DEFAULT, f"Error while parsing flags from args [{' '.join(args)}]: {err}"
    if flag_err and flag_completion:
        return [], DEFAULT, flag_err
    if res.help:
        return [], NO_FILE_COMP, ""
    pos = res.args
    key = " ".join(path)
    if flag is not None and flag_completion:
        got = flag_values(key, flag, pos, res.values)
        return (got if got is not None else ([], DEFAULT)) + ("",)
    if flag is None and to_complete.startswith("-") and "=" not in to_complete and flag_completion:
        comps: list[str] = []
        changed = {f.name for f, _ in res.values}
        own = [*local, help_f] if path else []
        inherited = gflags if path else [*gflags, help_f]
        for group in (inherited, own):
            for f in sorted(group, key=lambda f: f.name):
                if f.hidden or f.deprecated:
                    continue
                multi = "Slice" in f.kind or "Array" in f.kind or f.kind.startswith("stringTo")
                if f.name in changed and not multi:
                    continue
                if ("--" + f.name).startswith(to_complete):
                    comps.append(f"--{f.name}\t{f.usage}")
                if f.shorthand and ("-" + f.shorthand).startswith(to_complete):
                    comps.append(f"-{f.shorthand}\t{f.usage}")
        directive = NO_SPACE if len(comps) == 1 and comps[0].split("\t")[0].endswith("=") else NO_FILE_COMP
        return comps, directive, ""
    comps = []
    directive = DEFAULT
    local_changed = any(f in local for f, _ in res.values)
    if not pos and not local_changed:
        children = {c.name: c.short for c in node.children.values() if not c.hidden}
        if not path:
            children.update(plugins)
            children["help"] = "Help about any command"
        for cname in sorted(children):
            if cname.startswith(to_complete):
                comps.append(f"{cname}\t{children[cname]}")
        if children:
            directive = NO_FILE_COMP
    got = valid_args(key, pos, to_complete, res.values) if node.runnable else None
    if got is not None:
        comps += got[0]
        directive = got[1]
    return comps, directive, ""


class _Null:
    def write(self, _text: str) -> int:
        return 0


def _complete_plugin(name: str, args: list[str], to_complete: str) -> tuple[list[str], int, str]:
    from pilothouse.cli.plugin_dispatch import cli_plugins
    from pilothouse.plugin.completion import complete_plugin

    plugin = cli_plugins().get(name)
    if plugin is None:
        return [], DEFAULT, ""
    choices, directive = complete_plugin(plugin, name, args, to_complete)  # type: ignore[arg-type]
    return choices, directive, ""


def run_complete(words: Sequence[str], *, descriptions: bool = True, out: IO[str] | None = None,
                 err: IO[str] | None = None) -> int:
    """Answer one completion request as Cobra's ``__complete`` command prints it."""
    out = out or sys.stdout
    err = err or sys.stderr
    words = list(words) or [""]
    # the global flags typed so far apply while completing (e.g. -n for release names)
    from pilothouse.cli import global_flags

    gfs = FlagSet(global_flags.global_flags())
    early = parse_args(gfs, words[:-1], ignore_unknown=True, partial=True, warn=_Null())
    global_flags.export(early)
    comps, directive, message = get_completions(words)
    if message:
        # Cobra's CompErrorln goes through CompDebug, hence both prefixes
        err.write(f"[Debug] [Error] {message}\n")
    if os.environ.get("HELM_COMPLETION_DESCRIPTIONS", "") in ("0", "false", "f", "F", "FALSE", "False"):
        descriptions = False
    no_active_help = os.environ.get("HELM_ACTIVE_HELP") == "0"
    for comp in comps:
        if no_active_help and comp.startswith(ACTIVE_HELP):
            continue
        if not descriptions:
            comp = comp.split("\t", 1)[0]
        comp = comp.split("\n", 1)[0].strip()
        out.write(comp + "\n")
    out.write(f":{directive}\n")
    err.write(f"Completion ended with directive: {directive_name(directive)}\n")
    return 0


CompletionFunc = Callable[[list[str], str], Result]
