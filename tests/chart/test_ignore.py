""".helmignore: the vectors of Helm's ignore rules tests."""

from __future__ import annotations

import pytest

from pilothouse.chart.ignore import Rules, go_path_match
from pilothouse.errors import ChartError

# (pattern, path, path is a directory, ignored) — Helm's TestIgnore table
CASES = [
    ("helm.txt", "helm.txt", False, True),
    ("helm.*", "helm.txt", False, True),
    ("helm.*", "rudder.txt", False, False),
    ("*.txt", "tiller.txt", False, True),
    ("*.txt", "cargo/a.txt", False, True),
    ("cargo/*.txt", "cargo/a.txt", False, True),
    ("cargo/*.*", "cargo/a.txt", False, True),
    ("cargo/*.txt", "mast/a.txt", False, False),
    ("ru[c-e]?er.txt", "rudder.txt", False, True),
    ("templates/.?*", "templates/.dotfile", False, True),
    (".*", ".", True, False),
    (".*", "./", True, False),
    (".*", ".joonix", False, True),
    (".*", "helm.txt", False, False),
    (".*", "", True, False),
    ("cargo/", "cargo", True, True),
    ("cargo/", "cargo/", True, True),
    ("cargo/", "mast/", True, False),
    ("helm.txt/", "helm.txt", False, False),
    ("!helm.txt", "helm.txt", False, False),
    ("!helm.txt", "tiller.txt", False, True),
    ("!*.txt", "cargo", True, True),
    ("!cargo/", "mast/", True, True),
    ("/a.txt", "a.txt", False, True),
    ("/a.txt", "cargo/a.txt", False, False),
    ("/cargo/a.txt", "cargo/a.txt", False, True),
]


@pytest.mark.parametrize(("pattern", "path", "is_dir", "ignored"), CASES)
def test_ignore(pattern: str, path: str, is_dir: bool, ignored: bool) -> None:
    rules = Rules.parse(pattern)
    assert rules.ignore(path, is_dir) is ignored


def test_parse_skips_comments_and_blank_lines() -> None:
    rules = Rules.parse("#ignore\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n")
    assert [r.raw for r in rules.rules] == ["foo", "bar/*", "baz/bar/foo.txt", "one/more"]


@pytest.mark.parametrize(("text", "message"), [
    ("foo/**/bar", "double-star (**) syntax is not supported"),
    ("[z-", "syntax error in pattern"),
])
def test_parse_failures(text: str, message: str) -> None:
    with pytest.raises(ChartError) as err:
        Rules.parse(text)
    assert str(err.value) == message


def test_bom_on_first_line_is_dropped() -> None:
    assert [r.raw for r in Rules.parse("\ufeff*.bak\n").rules] == ["*.bak"]


def test_defaults_ignore_dotfiles_in_templates_only() -> None:
    rules = Rules()
    rules.add_defaults()
    assert rules.ignore("templates/.swp", False)
    assert not rules.ignore("templates/sub/.swp", False)
    assert not rules.ignore(".hidden", False)


@pytest.mark.parametrize(("pattern", "name", "matched"), [
    ("*", "a/b", False), ("a/*", "a/b", True), ("[^a]", "/", True), ("\\*", "*", True), ("a?c", "a/c", False),
])
def test_go_filepath_match(pattern: str, name: str, matched: bool) -> None:
    assert go_path_match(pattern, name) is matched
