"""The `pilot` command: the command line is read as Helm's Cobra/pflag read it (`cli.cobra`),
then only the module of the command being run is imported, so `pilot template` never pays for
the Kubernetes client or the Wasm runtime.

Each command lives in ``pilothouse/cli/cmd_<name>.py`` and exposes ``register(subparsers) ->
None``, declaring its flags with argparse and ``set_defaults(func=run)``; ``run(args) -> int``
builds the action and calls it. The tree of commands (names, usage, argument rules) is
`cli.command_table`; Helm's global flags are `cli.global_flags`. Errors that a user can cause
(`PilothouseError`) are printed here, once, as ``Error: <message>``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from pilothouse.errors import PilothouseError
from pilothouse.release.driver.memory_data import FatalDataError

# command name -> (module under pilothouse.cli, one-line description). The command tree Cobra-style
# parsing walks is `cli.command_table`; a command listed only here is still found (without Helm's
# argument rules), and plugins may not take any of these names.
COMMANDS: dict[str, tuple[str, str]] = {
    "apply": ("cmd_apply", "perform an upgrade saved with upgrade --plan"),
    "completion": ("cmd_completion", "generate autocompletion scripts for the specified shell"),
    "create": ("cmd_create", "create a new chart with the given name"),
    "dependency": ("cmd_dependency", "manage a chart's dependencies"),
    "docs": ("cmd_docs", "generate documentation as markdown or man pages"),
    "env": ("cmd_env", "pilot client environment information"),
    "diff": ("cmd_diff", "show what an upgrade, a rollback or another revision would change"),
    "drift": ("cmd_drift", "compare a release's objects with the live cluster"),
    "get": ("cmd_get", "download extended information of a named release"),
    "history": ("cmd_history", "fetch release history"),
    "install": ("cmd_install", "install a chart"),
    "lint": ("cmd_lint", "examine a chart for possible issues"),
    "list": ("cmd_list", "list releases"),
    "package": ("cmd_package", "package a chart directory into a chart archive"),
    "plugin": ("cmd_plugin", "install, list, inspect or uninstall plugins"),
    "pull": ("cmd_pull", "download a chart from a repository and (optionally) unpack it"),
    "push": ("cmd_push", "push a chart to a remote"),
    "registry": ("cmd_registry", "login to or logout from a registry"),
    "repo": ("cmd_repo", "add, list, remove, update, and index chart repositories"),
    "rollback": ("cmd_rollback", "roll back a release to a previous revision"),
    "search": ("cmd_search", "search for a keyword in charts"),
    "show": ("cmd_show", "show information of a chart"),
    "status": ("cmd_status", "display the status of the named release"),
    "template": ("cmd_template", "locally render templates"),
    "test": ("cmd_test", "run tests for a release"),
    "uninstall": ("cmd_uninstall", "uninstall a release"),
    "upgrade": ("cmd_upgrade", "upgrade a release"),
    "verify": ("cmd_verify", "verify that a chart at the given path has been signed and is valid"),
    "version": ("cmd_version", "print the version information"),
}

ALIASES = {"dep": "dependency", "dependencies": "dependency", "ls": "list", "un": "uninstall", "delete": "uninstall",
           "del": "uninstall", "inspect": "show", "hist": "history", "fetch": "pull"}


def main(argv: Sequence[str] | None = None) -> int:
    """Run `pilot` with ``argv`` (default: the process's arguments) and return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    saved_env = dict(os.environ)
    from pilothouse.cli.interrupt import Terminated, install

    install()
    try:
        from pilothouse.cli.cobra import bad_color

        if bad_color(argv, sys.stderr):
            return 1
        from pilothouse.cli.cobra import completion_request, run_line

        request = completion_request(argv)
        if request is not None:
            if os.environ.get("HELM_DRIVER") == "memory":
                from pilothouse.release.driver.memory_data import check_files

                check_files()
            from pilothouse.cli.complete import run_complete

            return run_complete(request[1], descriptions=request[0] == "__complete")

        return run_line(argv)
    except FatalDataError as err:
        print(err.log_line, file=sys.stderr)
        return 1
    except PilothouseError as err:
        from pilothouse.plugin.safetext import escape_message

        # messages quote hostile input (plugin names, file names, values): never let it drive the terminal
        print(f"Error: {escape_message(str(err))}", file=sys.stderr)
        return err.exit_code
    except RecursionError:
        # a safety net: every reader bounds its nesting, but no input may turn into an internal error
        print("Error: the input is nested too deeply to process", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("Error: terminated", file=sys.stderr)
        return 143
    except BrokenPipeError:
        return 0
    except Exception as err:  # a bug in Pilothouse, not a user mistake: say so, trace only on request
        if "--debug" in argv or os.environ.get("HELM_DEBUG", "").lower() in ("1", "true"):
            raise
        print(f"Error: internal error: {type(err).__name__}: {err}\n"
              "This is a bug in Pilothouse; run the command again with --debug to see where it happened.",
              file=sys.stderr)
        return 70
    finally:
        # flags given on the command line were exported to HELM_* for the command's duration only
        if os.environ != saved_env:
            os.environ.clear()
            os.environ.update(saved_env)


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
