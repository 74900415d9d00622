"""Attacks through plugin.yaml: aliasing bombs, runaway nesting, huge and odd files in HELM_PLUGINS.

A broken plugin is skipped with a warning, every other plugin keeps working, no command that
looks plugins up hangs, and the plugin index stays small.
"""

from __future__ import annotations

import json
import os

import pytest

from pilothouse.errors import PluginError
from pilothouse.plugin.metadata import MAX_METADATA_BYTES, parse
from pilothouse.plugin.yamlguard import YAMLBombError, check

GOOD = "name: good\nversion: 1.0.0\ncommand: echo good\n"



def _laughs(levels: int = 9, width: int = 9, merge: bool = False) -> str:
    lines = ["name: lol", "version: 1.0.0", "command: echo", "lol0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels + 1):
        if merge:
            lines.append(f"lol{i}: &l{i}\n" + "".join(f"  k{j}: *l{i - 1}\n" for j in range(width)).rstrip("\n"))
        else:
            lines.append(f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


BOMBS = {
    "billion-laughs": _laughs(),
    "mapping-laughs": _laughs(merge=True),
    "merge-keys": "a: &a {x: 1, y: 2, z: 3, w: 4}\n" + "".join(
        f"b{i}: &b{i}\n  <<: [{', '.join(['*a' if i == 0 else f'*b{i - 1}'] * 1)}]\n"
        + "".join(f"  m{j}: *{'a' if i == 0 else f'b{i - 1}'}\n" for j in range(8)) for i in range(9)),
    "wide-fanout": "a: &a [" + ",".join(["x"] * 1000) + "]\nb: [" + ",".join(["*a"] * 1000) + "]\n",
    "huge-anchor": "a: &a " + "x" * (900 << 10) + "\nb: [" + ",".join(["*a"] * 40) + "]\n",
}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_aliasing_bombs_are_refused_as_go_yaml_refuses_them(kind):
    with pytest.raises(YAMLBombError, match="excessive aliasing|through aliases"):
        check(BOMBS[kind])


def test_a_recursive_anchor_is_refused():
    with pytest.raises(YAMLBombError, match="anchor 'a' value contains itself"):
        check("a: &a [1, *a]\n")
    with pytest.raises(YAMLBombError, match="contains itself"):
        check("a: &a {b: {c: *a}}\n")


def test_an_unknown_anchor_is_refused():
    with pytest.raises(YAMLBombError, match="unknown anchor 'nope'"):
        check("a: *nope\n")


def test_ordinary_aliases_are_fine():
    check("defaults: &d {a: 1, b: 2}\none:\n  <<: *d\n  c: 3\ntwo: *d\nthree: [*d, *d, *d]\n")
    check(_laughs(levels=2, width=9))  # 81 leaves: go-yaml allows it (under its 1000-node floor)
    md = parse("name: ok\nversion: 1.0.0\ncommand: &c echo\nusage: *c\n")
    assert md.config["shortHelp"] == "echo"


def test_an_anchor_redefined_later_is_measured_as_it_is_then():
    # the second &a is small: aliasing it is cheap even though the first was big
    check("a: &a [" + ",".join(["x"] * 500) + "]\nb: &a 1\nc: [" + ",".join(["*a"] * 2000) + "]\n")


@pytest.mark.parametrize("text, match", [
    ("[" * 5000 + "]" * 5000, "nesting depth"),
    ("- " * 5000 + "x\n", "nesting depth"),
    ("{a: " * 3000 + "1" + "}" * 3000, "nesting depth"),
    ("!!python/object:os.system\nname: x\n", "could not determine a constructor"),
    ("name: !!binary AAAA\nversion: 1.0.0\n", "must be a string"),
    (b"\xff\xfe\x00garbage", "failed to parse p/plugin.yaml"),
    ("name: x\nname: y\n", "already defined"),
    ("maxPages: 1\n" * 10, "already defined"),
])
def test_malformed_metadata_is_a_clear_error(text, match):
    with pytest.raises(PluginError, match=match):
        parse(text, "p/plugin.yaml")


def test_an_oversized_plugin_yaml_is_refused_without_parsing():
    with pytest.raises(PluginError, match=f"plugin metadata may be at most {MAX_METADATA_BYTES}"):
        parse(GOOD + "#" * MAX_METADATA_BYTES, "p/plugin.yaml")


@pytest.mark.parametrize("field, value", [("maxPages", 1 << 32), ("maxHttpResponseBytes", 1 << 63),
                                          ("maxVarBytes", 10 ** 30)])
def test_limits_beyond_their_go_types_are_refused(field, value):
    text = ("apiVersion: v1\nname: big\ntype: test/v1\nruntime: extism/v1\nversion: 1.0.0\n"
            f"runtimeConfig:\n  memory:\n    {field}: {value}\n")
    with pytest.raises(PluginError, match=f"memory.{field} is out of range"):
        parse(text, "p/plugin.yaml")


def test_a_timeout_beyond_uint64_is_refused():
    text = ("apiVersion: v1\nname: big\ntype: test/v1\nruntime: extism/v1\nversion: 1.0.0\n"
            f"runtimeConfig:\n  timeout: {1 << 64}\n")
    with pytest.raises(PluginError, match="timeout is out of range"):
        parse(text, "p/plugin.yaml")


# ---- through `pilot`: a bomb in HELM_PLUGINS breaks nothing else --------------------------------

def _index(helm_home) -> dict:  # noqa: ANN001
    path = helm_home.cache / "pilothouse" / "plugin-index.json"
    return json.loads(path.read_text()) if path.exists() else {}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_bomb_in_helm_plugins_is_skipped_and_the_rest_works(helm_home, pilot, kind):
    helm_home.add("good", GOOD)
    helm_home.add("bomb", BOMBS[kind])
    for _ in range(2):  # the second run reads the index
        res = pilot("plugin", "list")
        assert res.returncode == 0, res.stderr
        assert "good" in res.stdout and "lol" not in res.stdout
        assert "bomb/plugin.yaml" in res.stderr
        assert "excessive aliasing" in res.stderr or "through aliases" in res.stderr
    index = helm_home.cache / "pilothouse" / "plugin-index.json"
    assert index.stat().st_size < 64 << 10
    res = pilot("good")
    assert res.returncode == 0 and res.stdout.strip() == "good"


def test_odd_files_in_helm_plugins_never_hang_a_command(helm_home, pilot, tmp_path):
    helm_home.add("good", GOOD)
    (helm_home.plugins / "fifo").mkdir()
    os.mkfifo(helm_home.plugins / "fifo" / "plugin.yaml")
    (helm_home.plugins / "dev").mkdir()
    (helm_home.plugins / "dev" / "plugin.yaml").symlink_to("/dev/zero")
    (helm_home.plugins / "dir").mkdir()
    (helm_home.plugins / "dir" / "plugin.yaml").mkdir()
    (helm_home.plugins / "loop").mkdir()
    (helm_home.plugins / "loop" / "plugin.yaml").symlink_to(helm_home.plugins / "loop" / "plugin.yaml")
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.write(GOOD.replace("good", "big").encode())
        fh.truncate(1 << 30)  # a sparse GiB
    (helm_home.plugins / "big").mkdir()
    (helm_home.plugins / "big" / "plugin.yaml").symlink_to(big)
    (helm_home.plugins / "nul").mkdir()
    (helm_home.plugins / "nul" / "plugin.yaml").write_bytes(b"name: nul\x00\nversion: 1.0.0\n")
    res = pilot("plugin", "list")
    assert res.returncode == 0, res.stderr
    assert "good" in res.stdout
    assert "plugin metadata may be at most" in res.stderr
    assert "Traceback" not in res.stderr


def test_the_plugin_index_stays_bounded(helm_home, pilot):
    for i in range(300):
        helm_home.add(f"p{i:03d}", f"name: p{i:03d}\nversion: 1.0.0\ncommand: echo {i}\n")
    assert pilot("plugin", "list").returncode == 0
    index = _index(helm_home)
    assert len(index) - 1 <= 256
    # entries of plugins that are gone are dropped
    import shutil

    for i in range(300):
        shutil.rmtree(helm_home.plugins / f"p{i:03d}")
    helm_home.add("last", GOOD.replace("good", "last"))
    assert pilot("plugin", "list").returncode == 0
    assert len(_index(helm_home)) - 1 == 1


def test_a_plugin_yaml_rewritten_in_place_is_read_again(helm_home, pilot):
    d = helm_home.add("same", GOOD.replace("good", "same"))
    path = d / "plugin.yaml"
    assert "1.0.0" in pilot("plugin", "list").stdout
    st = path.stat()
    with open(path, "r+b") as fh:  # same inode, same size, mtime put back
        fh.write(GOOD.replace("good", "same").replace("1.0.0", "6.6.6").encode())
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_ino == st.st_ino
    assert "6.6.6" in pilot("plugin", "list").stdout
