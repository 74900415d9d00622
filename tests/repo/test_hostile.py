"""Hostile archives are refused with a clear error, and nothing is written anywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from repotools import DATA, pilot

HOSTILE = {
    "traversal.tgz": "chart illegally references parent directory",
    "absolute.tgz": "chart illegally contains absolute paths",
    "symlink.tgz": "chart illegally contains a link",
    "hardlink.tgz": "chart illegally contains a link",
    "device.tgz": "chart illegally contains a device, pipe or other special file",
    "fifo.tgz": "chart illegally contains a device, pipe or other special file",
    "big-file.tgz": "is larger than the maximum file size 5242880",
    "too-large.tgz": "decompressed chart is larger than the maximum size 104857600",
    "too-many-entries.tgz": "chart archive has more than 10000 entries",
}


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_expand_refuses(name: str, tmp_path: Path) -> None:
    from pilothouse.chart.archive import expand
    from pilothouse.errors import ChartError

    dest = tmp_path / "dest"
    with pytest.raises(ChartError) as info:
        expand(str(dest), (DATA / "hostile" / name).read_bytes())
    assert HOSTILE[name] in str(info.value)
    assert _tree(tmp_path) == []


@pytest.mark.parametrize("name", ["traversal.tgz", "symlink.tgz", "device.tgz", "too-large.tgz"])
def test_pull_untar_from_a_repository_refuses(name: str, tmp_path: Path, http_repo: tuple[str, Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    base, root = http_repo
    served = root / "hostile"
    served.mkdir(exist_ok=True)
    shutil.copy(DATA / "hostile" / name, served / name)
    work = tmp_path / "work"
    work.mkdir()
    assert pilot("pull", f"{base}/hostile/{name}", "--untar", "-d", str(work)) != 0
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and HOSTILE[name] in err
    assert _tree(work) == []
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("name", ["traversal.tgz", "fifo.tgz", "too-many-entries.tgz"])
def test_render_refuses(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert pilot("template", "x", str(DATA / "hostile" / name)) != 0
    assert capsys.readouterr().err.startswith("Error: ")


def test_expand_does_not_follow_a_symlink_already_in_the_destination(tmp_path: Path) -> None:
    from repotools import make_chart

    from pilothouse.chart.archive import archive_bytes, expand
    from pilothouse.chart.loader import load_dir
    from pilothouse.errors import ChartError

    data = archive_bytes(load_dir(str(make_chart(tmp_path / "src"))))
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "demo").symlink_to(outside)
    with pytest.raises(ChartError):
        expand(str(dest), data)
    assert _tree(outside) == []
