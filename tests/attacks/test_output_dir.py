"""Attacks on `--output-dir`: rendered file names that try to leave the directory.

The names come from chart template paths and from post-renderers (the
``postrenderer.helm.sh/postrender-filename`` annotation). Every refusal is a clean
``Error: ...`` naming the file, exit 1, and nothing is written outside the directory.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from pilothouse.action.outputdir import OutputPathError, write_file


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("name, why", [
    ("../x", r"leaves the output directory"),
    ("a/../../x", r"leaves the output directory"),
    ("a/b/../../../x", r"leaves the output directory"),
    ("/etc/passwd-pilot", r"absolute names"),
    ("//x", r"absolute names"),
    ("C:/x", r"absolute names"),
    ("..", r"leaves the output directory"),
    (".", r"not a file name"),
    ("./", r"not a file name"),
    ("", r"empty"),
    ("a/", r"not a file name"),
    ("a/.", r"not a file name"),
    ("..\\x", r"backslash"),
    ("a\x00b", r"control characters"),
    ("a\nb", r"control characters"),
    ("a\x1b]0;pwned\x07", r"control characters"),
    ("x" * 5000, r"longer than"),
    ("/".join(["d"] * 300) + "/f", r"nested more than"),
])
def test_hostile_names_are_refused_and_nothing_is_written(tmp_path, name, why):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OutputPathError, match=why):
        write_file(str(out), name, "kind: x\n", append=False)
    assert _tree(tmp_path) == {"out"}


def test_the_refusal_shows_control_characters_escaped(tmp_path):
    with pytest.raises(OutputPathError) as err:
        write_file(str(tmp_path), "a\x1b[2Jb", "x", append=False)
    assert "\x1b" not in str(err.value) and "\\x1b" in str(err.value)


def test_a_symlinked_directory_inside_the_output_dir_is_not_followed(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "templates").symlink_to(outside)
    with pytest.raises(OutputPathError, match="symbolic link"):
        write_file(str(out), "templates/cm.yaml", "x", append=False)
    assert list(outside.iterdir()) == []


def test_a_symlinked_file_inside_the_output_dir_is_not_written_through(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (out / "cm.yaml").symlink_to(victim)
    with pytest.raises(OutputPathError, match="symbolic link"):
        write_file(str(out), "cm.yaml", "x", append=False)
    assert victim.read_text() == "precious\n"


def test_a_dangling_symlink_is_not_created_through(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "cm.yaml").symlink_to(tmp_path / "created-outside")
    with pytest.raises(OutputPathError, match="symbolic link"):
        write_file(str(out), "cm.yaml", "x", append=True)
    assert not (tmp_path / "created-outside").exists()


def test_a_hard_link_to_a_file_outside_is_not_truncated(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    os.link(victim, out / "cm.yaml")
    with pytest.raises(OutputPathError, match="hard link"):
        write_file(str(out), "cm.yaml", "x", append=False)
    assert victim.read_text() == "precious\n"


def test_a_name_that_is_a_directory_is_refused(tmp_path):
    (tmp_path / "templates").mkdir()
    with pytest.raises(OutputPathError, match="is a directory"):
        write_file(str(tmp_path), "templates", "x", append=False)


def test_a_fifo_in_the_output_dir_does_not_block_the_write(tmp_path):
    os.mkfifo(tmp_path / "cm.yaml")
    with pytest.raises(OutputPathError, match="not a regular file"):
        write_file(str(tmp_path), "cm.yaml", "x", append=False)


def test_a_file_in_place_of_a_directory_is_refused(tmp_path):
    (tmp_path / "templates").write_text("")
    with pytest.raises(OutputPathError, match="not a directory"):
        write_file(str(tmp_path), "templates/cm.yaml", "x", append=False)


def test_ordinary_names_are_written_and_appended(tmp_path):
    out = tmp_path / "out"
    assert write_file(str(out), "chart/templates/cm.yaml", "a\n", append=False) == str(out / "chart/templates/cm.yaml")
    write_file(str(out), "chart/./templates//cm.yaml", "b\n", append=True)
    assert (out / "chart/templates/cm.yaml").read_text() == "a\nb\n"
    write_file(str(out), "chart/templates/cm.yaml", "c\n", append=False)
    assert (out / "chart/templates/cm.yaml").read_text() == "c\n"
    # Unicode names are file names like any other
    write_file(str(out), "chart/templates/ĉ\u202e.yaml", "d\n", append=False)


POSTRENDERER = """\
apiVersion: v1
name: evil-names
type: postrenderer/v1
runtime: subprocess
version: 0.1.0
runtimeConfig:
  platformCommand:
    - command: ${HELM_PLUGIN_DIR}/render.sh
"""


def _chart(root: Path) -> Path:
    chart = root / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: chart\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n")
    return chart


@pytest.mark.parametrize("filename", ["../../escaped.yaml", "/tmp/pilot-escape-abs.yaml", ".", "chart/templates"])
def test_a_post_renderer_cannot_write_outside_the_output_dir(helm_home, pilot, tmp_path, filename):
    doc = textwrap.dedent(f"""\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cm
          annotations:
            postrenderer.helm.sh/postrender-filename: '{filename}'
        """)
    helm_home.add("evil-names", POSTRENDERER, {"render.sh": f"#!/bin/sh\ncat >/dev/null\ncat <<'EOF'\n{doc}EOF\n"})
    chart = _chart(tmp_path)
    out = tmp_path / "work" / "out"
    out.mkdir(parents=True)
    (out / "chart" / "templates").mkdir(parents=True)
    before = _tree(tmp_path / "work")
    res = pilot("template", str(chart), "--output-dir", str(out), "--post-renderer", "evil-names")
    assert res.returncode == 1, res.stderr
    assert res.stderr.startswith("Error: refusing to write rendered file"), res.stderr
    assert "Traceback" not in res.stderr
    assert _tree(tmp_path / "work") == before
    assert not (tmp_path / "escaped.yaml").exists()
    assert not Path("/tmp/pilot-escape-abs.yaml").exists()
