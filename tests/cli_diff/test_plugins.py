"""Plugins under both tools: a Wasm CLI plugin (extism/v1, built from examples/) sees the same
bytes — its input JSON encoded as Go's encoding/json writes it — and plugin commands agree."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "plugins" / "hello-cli-zig"


def _builds():
    spec = importlib.util.spec_from_file_location("plugin_builds", ROOT / "tests" / "plugin" / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def hello_wasm() -> Path:
    return _builds().zig_build(EXAMPLE / "hello.zig", "zig-hello")


@pytest.fixture
def with_hello(diff, hello_wasm):
    for side in diff.sides.values():
        d = side.root / "plugins" / "hello"
        d.mkdir(parents=True)
        shutil.copy(EXAMPLE / "plugin.yaml", d / "plugin.yaml")
        shutil.copy(hello_wasm, d / "plugin.wasm")
    return diff


LINES = [
    ["hello"],
    ["hello", "a", "b"],
    ["hello", "-n", "kube-system", "a", "--b", "c"],
    ["hello", "<b>&", "\u2028\u2029", "é", "tab\there", 'quote"back\\slash'],
    ["hello", "--", "--namespace", "x"],
    ["plugin", "list"],
    ["plugin", "ls"],
    ["plugin", "uninstall", "hello"],
    ["plugin", "uninstall", "nope"],
    ["plugin", "update", "nope"],
]


@pytest.mark.parametrize("argv", LINES, ids=lambda a: " ".join(a))
def test_plugin_line(with_hello, argv):
    with_hello.check(argv)


def test_plugin_list_without_plugins(diff):
    diff.check(["plugin", "list"])
