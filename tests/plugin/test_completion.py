"""Plugin shell completion: `completion.yaml` (static) and `plugin.complete` (dynamic), through
`pilot __complete` as a shell's completion script calls it.

Expected outputs follow Helm's `TestPluginDynamicCompletion` goldens (`pkg/cmd/testdata/output/
plugin_args_*comp.txt`, `plugin_echo_no_directive.txt`) and `TestLoadCLIPluginsForCompletion`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "completion"


@pytest.fixture
def plugins(helm_home):
    for name in ("args", "echo", "fullenv"):
        shutil.copytree(FIXTURES / name, helm_home.plugins / name)
    return helm_home


def _complete(pilot, *words: str) -> tuple[str, str]:
    res = pilot("__complete", *words)
    assert res.returncode == 0, res.stderr
    return res.stdout, res.stderr


@pytest.mark.parametrize(("words", "stdout", "directive"), [
    (["args", ""], "plugin.complete was called\nNamespace: default\nNum args received: 1\nArgs received: \n:4\n",
     "ShellCompDirectiveNoFileComp"),
    (["args", "--myflag", ""],
     "plugin.complete was called\nNamespace: default\nNum args received: 2\nArgs received: --myflag \n:4\n",
     "ShellCompDirectiveNoFileComp"),
    (["args", "--namespace", "mynamespace", ""],
     "plugin.complete was called\nNamespace: mynamespace\nNum args received: 1\nArgs received: \n:2\n",
     "ShellCompDirectiveNoSpace"),
    (["args", "--myflag", "--namespace", "mynamespace", "start"],
     "plugin.complete was called\nNamespace: mynamespace\nNum args received: 2\nArgs received: --myflag start\n:2\n",
     "ShellCompDirectiveNoSpace"),
    (["echo", "-n", "mynamespace", ""],
     "echo plugin.complete was called\nNamespace: mynamespace\nNum args received: 1\nArgs received: \n:0\n",
     "ShellCompDirectiveDefault"),
])
def test_dynamic_completion_matches_helm(plugins, pilot, words, stdout, directive):
    out, err = _complete(pilot, *words)
    # Helm's goldens drop the empty lines' trailing spaces the same way: compare line by line, rstripped
    assert [line.rstrip() for line in out.splitlines()] == [line.rstrip() for line in stdout.splitlines()]
    assert err.strip() == f"Completion ended with directive: {directive}"


def test_static_tree_is_loaded_as_helm_does(plugins):
    from pilothouse.plugin.completion import load
    from pilothouse.plugin.loader import load_dir

    tree = load(load_dir(str(plugins.plugins / "fullenv")), "fullenv")
    assert tree.name == "fullenv"  # the command name wins over the file's `name`
    assert sorted(tree.flags) == ["q", "z"]
    assert [c.name for c in tree.commands] == ["empty", "full"]
    full = tree.commands[1]
    more, less = full.commands
    assert (more.name, more.valid_args, more.flags) == ("more", ["one", "two"], ["b", "ball"])
    assert (less.name, less.valid_args, less.flags) == ("less", [], ["a", "all"])
    assert load(load_dir(str(plugins.plugins / "args")), "args").commands == []


def test_static_sub_commands_args_and_flags(plugins, pilot):
    assert _complete(pilot, "fullenv", "")[0] == "empty\nfull\n:4\n"
    assert _complete(pilot, "fullenv", "f")[0] == "full\n:4\n"
    assert _complete(pilot, "fullenv", "full", "")[0] == "more\nless\n:4\n"
    out, err = _complete(pilot, "fullenv", "full", "more", "")
    # a leaf: its validArgs, then what plugin.complete adds (it gets the sub-command path first)
    # Cobra (v1.10) trims the spaces around each choice before printing it
    assert out == "one\ntwo\ndyn:full more\n:4\n"
    assert _complete(pilot, "fullenv", "full", "more", "--b")[0].startswith("--ball\n")
    assert "-a\n" in _complete(pilot, "fullenv", "full", "less", "-")[0]


def test_top_level_lists_plugin_commands(plugins, pilot):
    out, _ = _complete(pilot, "")
    # Cobra gives each command with its description after a tab
    names = [line.split("\t")[0] for line in out.splitlines()]
    assert {"args", "echo", "fullenv", "install", "template"} <= set(names)
    assert names[-1] == ":4"
    assert _complete(pilot, "ful")[0].split("\t")[0] == "fullenv"
