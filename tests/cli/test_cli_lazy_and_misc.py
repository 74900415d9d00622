"""The command line stays light (only the command being run is imported) and a few behaviours
Cobra gives that the differential files do not cover."""

from __future__ import annotations

import subprocess
import sys

from helmdiff_cli import ROOT, both, isolated_env


def _modules_after(args: list[str], tmp_path) -> set[str]:
    code = ("import sys, io, contextlib\n"
            "from pilothouse.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            f"    main({args!r})\n"
            "print('\\n'.join(sorted(sys.modules)))\n")
    res = subprocess.run([sys.executable, "-c", code], env=isolated_env(tmp_path), cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    return set(res.stdout.split())


def test_template_imports_neither_kube_client_nor_wasm_nor_plugins(tmp_path):
    subprocess.run([str(ROOT / ".venv" / "bin" / "pilot"), "create", "c"], env=isolated_env(tmp_path), cwd=tmp_path,
                   check=True, capture_output=True)
    mods = _modules_after(["template", "c"], tmp_path)
    assert "pilothouse.cli.cmd_template" in mods
    assert not {m for m in mods if m.startswith(("pilothouse.kube", "wasmtime", "httpx", "pilothouse.plugin.loader",
                                                  "pilothouse.cli.cmd_install", "pilothouse.cli.cmd_repo"))}


def test_errors_of_parsing_import_no_command_module(tmp_path):
    mods = _modules_after(["install", "--timeout", "5", "a", "b"], tmp_path)
    assert "pilothouse.action.install" not in mods
    assert not {m for m in mods if m.startswith("pilothouse.kube")}


def test_root_help_lists_commands_without_importing_them(tmp_path):
    mods = _modules_after(["--help"], tmp_path)
    assert not {m for m in mods if m.startswith("pilothouse.cli.cmd_")}


def test_no_argument_prints_root_help_and_succeeds(tmp_path):
    helm, pilot = both([], tmp_path)
    assert pilot.rc == helm.rc == 0
    assert pilot.out.endswith('Use "pilot [command] --help" for more information about a command.\n')
    assert pilot.out[pilot.out.index("Usage:"):] == helm.out[helm.out.index("Usage:"):]


def test_deprecated_flag_warns_before_the_error(tmp_path):
    helm, pilot = both(["upgrade", "--atomic", "--force", "only-one"], tmp_path)
    assert pilot.err == helm.err == (
        "Flag --atomic has been deprecated, use --rollback-on-failure instead\n"
        "Flag --force has been deprecated, use --force-replace instead\n"
        'Error: "pilot upgrade" requires 2 arguments\n\nUsage:  pilot upgrade [RELEASE] [CHART] [flags]\n')


def test_set_is_a_string_array_and_values_a_string_slice(tmp_path):
    # --set keeps "a=1,b=2" as one value (Helm splits it itself); -f splits on commas like pflag
    from pilothouse.cli.argparse_bridge import build_namespace, flags_of, parser_chain
    from pilothouse.cli.pflag import FlagSet, parse_args

    chain = parser_chain(["template"], "cmd_template")
    fs = FlagSet(flags_of(chain[-1], "template", set()))
    res = parse_args(fs, ["x", "--set", "a=1,b=2", "-f", "one.yaml,two.yaml", "--set=c=3", "chart"])
    ns = build_namespace(chain, ["template"], res.values, res.args, {})
    assert ns.set_values == ["a=1,b=2", "c=3"]
    assert ns.value_files == ["one.yaml", "two.yaml"]
    assert ns.args == ["x", "chart"]


def test_double_dash_ends_flags(tmp_path):
    helm, pilot = both(["status", "--", "--namespace"], tmp_path)
    # "--namespace" is the release name after "--": both reach the cluster step, neither parses it as a flag
    assert "flag needs an argument" not in pilot.err
    assert pilot.rc == helm.rc
