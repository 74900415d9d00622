"""The static tree of `pilot` commands, as Helm 4.2's Cobra tree declares them (pkg/cmd/*.go).

Each entry gives what Cobra knows without running anything: the ``Use`` line, the one-line
summary, aliases, the positional-argument rule (Helm's ``require`` validators) and whether the
command runs something or only groups sub-commands. The root help, suggestions for a mistyped
command, completion and the documentation generator read this table, so none of them imports
a command's module. ``module`` names the ``pilothouse.cli`` module whose ``register`` builds
the command's flags (the top-level command's module holds its sub-commands too).
"""

from __future__ import annotations

from pilothouse.slotrecord import SlotRecord

# positional rules, as in Helm's pkg/cmd/require
NO_ARGS = ("none", 0)
ANY_ARGS = None


def exact(n: int) -> tuple[str, int]:
    """``require.ExactArgs(n)``."""
    return ("exact", n)


def at_least(n: int) -> tuple[str, int]:
    """``require.MinimumNArgs(n)``."""
    return ("min", n)


def at_most(n: int) -> tuple[str, int]:
    """``require.MaximumNArgs(n)``."""
    return ("max", n)


class CommandInfo(SlotRecord):
    """One command of the tree."""

    __slots__ = ("use", "short", "args", "aliases", "runnable", "hidden", "module", "children")

    def __init__(self, use: str, short: str, args: tuple[str, int] | None = ANY_ARGS, aliases: tuple[str, ...] = (),
                 runnable: bool = True, hidden: bool = False, module: str = "",
                 children: dict[str, CommandInfo] | None = None) -> None:
        self.use = use
        self.short = short
        self.args = args
        self.aliases = aliases
        self.runnable = runnable
        self.hidden = hidden
        self.module = module
        self.children = {} if children is None else children

    @property
    def name(self) -> str:
        """The first word of ``use``."""
        return self.use.split(" ", 1)[0]

    def find_child(self, word: str) -> CommandInfo | None:
        """The sub-command called ``word`` (by name or alias), as Cobra's ``findNext``."""
        for child in self.children.values():
            if child.name == word or word in child.aliases:
                return child
        return None


def _group(use: str, short: str, module: str, children: list[CommandInfo], *, args: tuple[str, int] | None = NO_ARGS,
           aliases: tuple[str, ...] = ()) -> CommandInfo:
    info = CommandInfo(use, short, args=args, aliases=aliases, runnable=False, module=module)
    info.children = {c.name: c for c in children}
    return info


def _cmd(use: str, short: str, args: tuple[str, int] | None = ANY_ARGS, aliases: tuple[str, ...] = (),
         module: str = "", hidden: bool = False) -> CommandInfo:
    return CommandInfo(use, short, args=args, aliases=aliases, module=module, hidden=hidden)


def _build() -> CommandInfo:
    root = CommandInfo("pilot", "The Kubernetes package manager, compatible with Helm v4.", runnable=False)
    commands = [
        _group("completion", "generate autocompletion scripts for the specified shell", "cmd_completion", [
            _cmd("bash", "generate autocompletion script for bash", NO_ARGS),
            _cmd("fish", "generate autocompletion script for fish", NO_ARGS),
            _cmd("powershell", "generate autocompletion script for powershell", NO_ARGS),
            _cmd("zsh", "generate autocompletion script for zsh", NO_ARGS),
        ]),
        # apply, diff and drift are Pilothouse's own (plans, helm-diff's commands, drift)
        _cmd("apply PLAN", "perform an upgrade saved with upgrade --plan", exact(1), module="cmd_apply"),
        _cmd("create NAME", "create a new chart with the given name", exact(1), module="cmd_create"),
        _group("dependency update|build|list", "manage a chart's dependencies", "cmd_dependency", [
            _cmd("build CHART", "rebuild the charts/ directory based on the Chart.lock file", at_most(1)),
            _cmd("list CHART", "list the dependencies for the given chart", at_most(1), aliases=("ls",)),
            _cmd("update CHART", "update charts/ based on the contents of Chart.yaml", at_most(1), aliases=("up",)),
        ], aliases=("dep", "dependencies")),
        _group("diff", "show what an upgrade, a rollback or another revision would change", "cmd_diff", [
            _cmd("release RELEASE RELEASE", "the difference between two releases", exact(2)),
            _cmd("revision RELEASE REVISION [REVISION]", "the difference between two revisions of a release",
                 at_least(2)),
            _cmd("rollback RELEASE REVISION", "what rolling back a release would change", exact(2)),
            _cmd("upgrade RELEASE CHART", "what upgrading a release would change", exact(2)),
        ]),
        _cmd("docs", "generate documentation as markdown or man pages", NO_ARGS, module="cmd_docs", hidden=True),
        _cmd("drift RELEASE", "compare a release's objects with the live cluster", exact(1), module="cmd_drift"),
        _cmd("env", "pilot client environment information", at_most(1), module="cmd_env"),
        _group("get", "download extended information of a named release", "cmd_get", [
            _cmd("all RELEASE_NAME", "download all information for a named release", exact(1)),
            _cmd("hooks RELEASE_NAME", "download all hooks for a named release", exact(1)),
            _cmd("manifest RELEASE_NAME", "download the manifest for a named release", exact(1)),
            _cmd("metadata RELEASE_NAME", "This command fetches metadata for a given release", exact(1)),
            _cmd("notes RELEASE_NAME", "download the notes for a named release", exact(1)),
            _cmd("values RELEASE_NAME", "download the values file for a named release", exact(1)),
        ]),
        _cmd("history RELEASE_NAME", "fetch release history", exact(1), aliases=("hist",), module="cmd_history"),
        _cmd("install [NAME] [CHART]", "install a chart", at_least(1), module="cmd_install"),
        _cmd("lint PATH", "examine a chart for possible issues", at_least(1), module="cmd_lint"),
        _cmd("list", "list releases", NO_ARGS, aliases=("ls",), module="cmd_list"),
        _cmd("package [CHART_PATH] [...]", "package a chart directory into a chart archive", module="cmd_package"),
        _group("plugin", "install, list, or uninstall Helm plugins", "cmd_plugin", [
            # approve and inspect are Pilothouse's own (capability grants of Wasm plugins)
            _cmd("approve NAME", "grant a plugin the capabilities it requests (after review)", exact(1)),
            _cmd("configure NAME", "map credentials, set config, make a policy always-on", exact(1)),
            _cmd("inspect NAME", "show a plugin's metadata and the capabilities it is granted", exact(1)),
            _cmd("install [options] <path|url>", "install a Helm plugin", exact(1), aliases=("add",)),
            _cmd("list", "list installed Helm plugins", aliases=("ls",)),
            _cmd("package [PATH]", "package a plugin directory into a plugin archive", exact(1)),
            _cmd("uninstall <plugin>...", "uninstall one or more Helm plugins", aliases=("rm", "remove")),
            _cmd("update <plugin>...", "update one or more Helm plugins", aliases=("up",)),
            _cmd("verify [PATH]", "verify that a plugin at the given path has been signed and is valid", exact(1)),
        ], args=ANY_ARGS),
        _cmd("pull [chart URL | repo/chartname] [...]",
             "download a chart from a repository and (optionally) unpack it in local directory", at_least(1),
             aliases=("fetch",), module="cmd_pull"),
        _cmd("push [chart] [remote]", "push a chart to remote", at_least(2), module="cmd_push"),
        _group("registry", "login to or logout from a registry", "cmd_registry", [
            _cmd("login [host]", "login to a registry", at_least(1)),
            _cmd("logout [host]", "logout from a registry", at_least(1)),
        ], args=ANY_ARGS),
        _group("repo add|remove|list|index|update [ARGS]", "add, list, remove, update, and index chart repositories",
               "cmd_repo", [
                   _cmd("add [NAME] [URL]", "add a chart repository", exact(2)),
                   _cmd("index [DIR]", "generate an index file given a directory containing packaged charts",
                        exact(1)),
                   _cmd("list", "list chart repositories", NO_ARGS, aliases=("ls",)),
                   _cmd("remove [REPO1 [REPO2 ...]]", "remove one or more chart repositories", at_least(1),
                        aliases=("rm",)),
                   _cmd("update [REPO1 [REPO2 ...]]",
                        "update information of available charts locally from chart repositories", at_least(0),
                        aliases=("up",)),
               ]),
        _cmd("rollback <RELEASE> [REVISION]", "roll back a release to a previous revision", at_least(1),
             module="cmd_rollback"),
        _group("search [keyword]", "search for a keyword in charts", "cmd_search", [
            _cmd("hub [KEYWORD]", "search for charts in the Artifact Hub or your own hub instance"),
            _cmd("repo [keyword]", "search repositories for a keyword in charts"),
        ], args=ANY_ARGS),
        _group("show", "show information of a chart", "cmd_show", [
            _cmd("all [CHART]", "show all information of the chart", exact(1)),
            _cmd("chart [CHART]", "show the chart's definition", exact(1)),
            _cmd("crds [CHART]", "show the chart's CRDs", exact(1)),
            _cmd("readme [CHART]", "show the chart's README", exact(1)),
            _cmd("values [CHART]", "show the chart's values", exact(1)),
        ], aliases=("inspect",)),
        _cmd("status RELEASE_NAME", "display the status of the named release", exact(1), module="cmd_status"),
        _cmd("template [NAME] [CHART]", "locally render templates", at_least(1), module="cmd_template"),
        _cmd("test [RELEASE]", "run tests for a release", exact(1), module="cmd_test"),
        _cmd("uninstall RELEASE_NAME [...]", "uninstall a release", at_least(1), aliases=("del", "delete", "un"),
             module="cmd_uninstall"),
        _cmd("upgrade [RELEASE] [CHART]", "upgrade a release", exact(2), module="cmd_upgrade"),
        _cmd("verify PATH", "verify that a chart at the given path has been signed and is valid", exact(1),
             module="cmd_verify"),
        _cmd("version", "print the pilot version information", NO_ARGS, module="cmd_version"),
    ]
    root.children = {c.name: c for c in commands}
    return root


ROOT = _build()

# the order Helm's root.go adds its commands in: Cobra suggests mistyped commands in this order
REGISTRATION_ORDER = ("create", "dependency", "pull", "show", "lint", "package", "repo", "search", "verify", "get",
                      "history", "install", "list", "test", "rollback", "status", "template", "uninstall", "upgrade",
                      "completion", "env", "plugin", "version", "docs", "registry", "push")


def path_of(words: list[str]) -> CommandInfo:
    """The command at ``words`` (canonical names) under the root."""
    node = ROOT
    for w in words:
        node = node.children[w]
    return node
