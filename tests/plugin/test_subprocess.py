"""Subprocess plugins (Helm 3 legacy and v1), run unmodified: CLI, getter and post-renderer."""

from __future__ import annotations

import pytest

from pilothouse.errors import PluginError
from pilothouse.plugin.getter import find_getter
from pilothouse.plugin.postrender import run_postrenderer
from pilothouse.plugin.runtimes.subprocess import select_command

ARGS_SH = """\
#!/bin/sh
echo "argv: $*"
for v in HELM_PLUGIN_NAME HELM_PLUGIN_DIR HELM_PLUGINS HELM_NAMESPACE HELM_DEBUG HELM_BIN HELM_REPOSITORY_CONFIG \\
         HELM_REPOSITORY_CACHE HELM_KUBECONTEXT HELM_QPS HELM_MAX_HISTORY; do
  eval "echo $v=\\$$v"
done
"""


def test_command_selection_follows_helm():
    cmds = [{"os": "linux", "arch": "amd64", "command": "exact"}, {"os": "linux", "arch": "", "command": "os"},
            {"os": "", "arch": "", "command": "any"}]
    assert select_command(cmds, "linux", "amd64")["command"] == "exact"
    assert select_command(cmds, "LINUX", "arm64")["command"] == "os"
    assert select_command(cmds, "darwin", "arm64")["command"] == "any"
    with pytest.raises(PluginError, match="no plugin command is applicable"):
        select_command([{"os": "", "arch": "amd64", "command": "x"}], "linux", "arm64")
    with pytest.raises(PluginError, match="no plugin command is applicable"):
        select_command([{"os": "", "arch": "amd64", "command": "x"}], "darwin", "arm64")


@pytest.fixture
def args_plugin(helm_home):
    return helm_home.add("args", """\
        name: args
        version: 0.1.0
        usage: "echo arguments"
        description: "This echos args"
        command: "$HELM_PLUGIN_DIR/args.sh"
        """, {"args.sh": ARGS_SH, "exitwith.sh": "#!/bin/sh\nexit $1\n"})


def _vars(out: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line and not line.startswith("argv"))


def test_legacy_cli_plugin_gets_helm_env_and_extra_args(args_plugin, helm_home, pilot):
    res = pilot("args", "--debug", "-n", "ns", "--kube-context=c", "--foo", "bar", "x")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0] == "argv: --foo bar x"
    env = _vars(res.stdout)
    assert env["HELM_PLUGIN_NAME"] == "args"
    assert env["HELM_PLUGIN_DIR"] == str(args_plugin)
    assert env["HELM_PLUGINS"] == str(helm_home.plugins)
    assert env["HELM_NAMESPACE"] == "ns"
    assert env["HELM_DEBUG"] == "true"
    assert env["HELM_KUBECONTEXT"] == "c"
    assert env["HELM_REPOSITORY_CONFIG"] == str(helm_home.config / "repositories.yaml")
    assert env["HELM_REPOSITORY_CACHE"] == str(helm_home.cache / "repository")
    assert env["HELM_QPS"] == "0.00"
    assert env["HELM_MAX_HISTORY"] == "10"
    assert env["HELM_BIN"].endswith("pilot")


def test_exit_code_of_a_cli_plugin_is_the_exit_code_of_pilot(helm_home, pilot):
    helm_home.add("exitwith", """\
        name: exitwith
        version: 0.1.0
        command: "$HELM_PLUGIN_DIR/exitwith.sh"
        """, {"exitwith.sh": "#!/bin/sh\nexit $1\n"})
    res = pilot("exitwith", "2")
    assert res.returncode == 2
    assert 'Error: plugin "exitwith" exited with error' in res.stderr


def test_ignore_flags_drops_every_extra_arg(helm_home, pilot):
    helm_home.add("quiet", """\
        name: quiet
        version: 0.1.0
        ignoreFlags: true
        command: "$HELM_PLUGIN_DIR/args.sh"
        """, {"args.sh": ARGS_SH})
    res = pilot("quiet", "--foo", "bar")
    assert res.stdout.splitlines()[0] == "argv: "


def test_v1_platform_command_args_are_expanded(helm_home, pilot):
    helm_home.add("v1args", """\
        apiVersion: v1
        name: v1args
        type: cli/v1
        runtime: subprocess
        version: 0.1.0
        config: {usage: "v1args"}
        runtimeConfig:
          platformCommand:
            - command: "${HELM_PLUGIN_DIR}/args.sh --from $HELM_PLUGIN_NAME"
              args: ["$HELM_NAMESPACE"]
        """, {"args.sh": ARGS_SH})
    res = pilot("v1args", "-n", "team", "extra")
    assert res.stdout.splitlines()[0] == "argv: --from v1args team extra"


def test_no_plugins_and_unknown_commands(args_plugin, pilot):
    res = pilot("args", env={"HELM_NO_PLUGINS": "1"})
    assert res.returncode != 0 and 'unknown command "args"' in res.stderr


def test_a_plugin_clashing_with_a_builtin_stops_later_plugins(helm_home, pilot):
    helm_home.add("a-install", 'name: install\nversion: 0.1.0\ncommand: "echo install"\n')
    helm_home.add("b-args", 'name: zzz\nversion: 0.1.0\ncommand: "echo zzz"\n')
    res = pilot("zzz")
    assert res.returncode != 0
    assert 'unknown command "zzz"' in res.stderr


# ---- post-renderers -----------------------------------------------------------------------

SED_SH = """\
#!/bin/sh
# replaces FOOTEST with the first argument, as Helm's sed-test fixture does
sed "s/FOOTEST/$*/g"
"""


@pytest.fixture
def sed_postrenderer(helm_home):
    return helm_home.add("postrenderer-v1", """\
        apiVersion: v1
        name: postrenderer-v1
        type: postrenderer/v1
        runtime: subprocess
        version: 0.1.0
        runtimeConfig:
          platformCommand:
            - command: "${HELM_PLUGIN_DIR}/sed-test.sh"
        """, {"sed-test.sh": SED_SH, "fail.sh": "#!/bin/sh\necho 'bad things' >&2\nexit 3\n",
              "empty.sh": "#!/bin/sh\ncat >/dev/null\n"})


def test_subprocess_postrenderer_rewrites_manifests(sed_postrenderer):
    out = run_postrenderer("postrenderer-v1", ["BARTEST"], "kind: ConfigMap\nname: FOOTEST\n")
    assert out == "kind: ConfigMap\nname: BARTEST\n"


def test_postrenderer_failure_and_empty_output(helm_home, sed_postrenderer):
    (sed_postrenderer / "plugin.yaml").write_text((sed_postrenderer / "plugin.yaml").read_text()
                                                  .replace("sed-test.sh", "fail.sh"))
    with pytest.raises(PluginError) as err:
        run_postrenderer("postrenderer-v1", [], "a: b\n")
    assert str(err.value).startswith('failed to invoke post-renderer plugin "postrenderer-v1": '
                                     'plugin "postrenderer-v1" exited with error')
    assert "bad things" in str(err.value)
    (sed_postrenderer / "plugin.yaml").write_text((sed_postrenderer / "plugin.yaml").read_text()
                                                  .replace("fail.sh", "empty.sh"))
    with pytest.raises(PluginError, match='post-renderer "postrenderer-v1" produced empty output'):
        run_postrenderer("postrenderer-v1", [], "a: b\n")


def test_postrenderer_accepts_an_executable_path_as_helm3_did(tmp_path, helm_home):
    exe = tmp_path / "upper.sh"
    exe.write_text("#!/bin/sh\ntr a-z A-Z\n")
    exe.chmod(0o755)
    assert run_postrenderer(str(exe), [], "kind: x\n") == "KIND: X\n"
    with pytest.raises(PluginError, match="not found"):
        run_postrenderer("no-such-plugin", [], "a: b\n")


# ---- getters -------------------------------------------------------------------------------

GETTER_SH = """\
#!/bin/sh
# args: certFile keyFile caFile URL
echo "argc=$# cert=[$1] key=[$2] ca=[$3] url=[$4] user=[$HELM_PLUGIN_USERNAME] pass=[$HELM_PLUGIN_PASSWORD]"
"""


def test_legacy_getter_protocol_command(helm_home):
    helm_home.add("myget", """\
        name: myget
        version: 0.1.0
        downloaders:
        - command: "bin/get.sh"
          protocols: [myproto]
        """, {"bin/get.sh": GETTER_SH})
    fetch = find_getter("myproto")
    assert fetch is not None
    out = fetch("myproto://h/c-1.0.0.tgz", username="u", password="p").decode()
    assert out.strip() == "argc=4 cert=[] key=[] ca=[] url=[myproto://h/c-1.0.0.tgz] user=[u] pass=[p]"
    assert find_getter("https") is None and find_getter("other") is None


def test_getter_with_plugin_dir_variable_works(helm_home):
    # Helm doubles the directory here (a known bug); an absolute command is used as it is
    helm_home.add("g2", """\
        apiVersion: v1
        name: g2
        type: getter/v1
        runtime: subprocess
        version: 0.1.0
        config: {protocols: [p2]}
        runtimeConfig:
          protocolCommands:
            - protocols: [p2]
              platformCommand:
                - command: "${HELM_PLUGIN_DIR}/bin/get.sh"
        """, {"bin/get.sh": GETTER_SH})
    assert "url=[p2://x/y]" in find_getter("p2")("p2://x/y").decode()
