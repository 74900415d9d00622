"""Helm expands plugin commands with Go's os.Expand; vectors from Go's own os/env_test.go."""

import pytest

from pilothouse.plugin.expand import expand

GO_ENV = {"*": "all the args", "#": "NARGS", "$": "PID", "1": "ARGUMENT1", "HOME": "/usr/gopher",
          "H": "(Value of H)", "home_1": "/usr/foo", "_": "underscore"}

CASES = [
    ("", ""), ("$*", "all the args"), ("$$", "PID"), ("${*}", "all the args"), ("$1", "ARGUMENT1"),
    ("${1}", "ARGUMENT1"), ("now is the time", "now is the time"), ("$HOME", "/usr/gopher"),
    ("$home_1", "/usr/foo"), ("${HOME}", "/usr/gopher"), ("${H}OME", "(Value of H)OME"),
    ("A$$$#$1$H$home_1*B", "APIDNARGSARGUMENT1(Value of H)/usr/foo*B"),
    ("start$+middle$^end$", "start$+middle$^end$"), ("mixed$|bag$$$", "mixed$|bagPID$"),
    ("$", "$"), ("$}", "$}"), ("${", ""), ("${}", ""),
]


@pytest.mark.parametrize("text,want", CASES)
def test_go_os_expand(text, want):
    assert expand(text, GO_ENV) == want


def test_unset_variables_become_empty():
    assert expand("${HELM_PLUGIN_DIR}/x $UNSET!", {"HELM_PLUGIN_DIR": "/p"}) == "/p/x !"
