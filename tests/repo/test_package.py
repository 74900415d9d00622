"""`pilot package`: reproducible archives that Helm loads and renders like the chart directory."""

from __future__ import annotations

import hashlib
import os
import tarfile
from pathlib import Path

import helm_python as helm
import pytest
from repotools import make_chart, pilot


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_same_chart_gives_same_bytes(tmp_path: Path) -> None:
    chart = make_chart(tmp_path / "src")
    assert pilot("package", str(chart), "-d", str(tmp_path / "a")) == 0
    os.utime(chart / "values.yaml", (1, 1))  # a touched file must not change the archive
    assert pilot("package", str(chart), "-d", str(tmp_path / "b")) == 0
    assert _sha(tmp_path / "a" / "demo-0.1.0.tgz") == _sha(tmp_path / "b" / "demo-0.1.0.tgz")


def test_archive_layout_is_helms(tmp_path: Path) -> None:
    chart = make_chart(tmp_path / "src")
    pilot("package", str(chart), "-d", str(tmp_path))
    with tarfile.open(tmp_path / "demo-0.1.0.tgz") as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == ["demo/Chart.yaml", "demo/values.yaml", "demo/templates/cm.yaml",
                                         "demo/README.md"]
    assert all(m.mode == 0o644 and m.uid == 0 and m.gid == 0 and m.isreg() for m in members)
    helm_dir = tmp_path / "helm"
    helm_dir.mkdir()
    helm_tgz = helm.package(str(chart), destination=str(helm_dir))
    with tarfile.open(helm_tgz) as tar:
        assert [m.name for m in tar.getmembers()] == [m.name for m in members]
        assert tar.extractfile("demo/Chart.yaml").read() == \
            tarfile.open(tmp_path / "demo-0.1.0.tgz").extractfile("demo/Chart.yaml").read()


def test_helm_renders_our_archive_like_the_directory(tmp_path: Path) -> None:
    chart = make_chart(tmp_path / "src")
    pilot("package", str(chart), "-d", str(tmp_path))
    ours = helm.Chart.load(str(tmp_path / "demo-0.1.0.tgz"))
    assert ours.render(values={"greeting": "hi"}) == helm.Chart.load(str(chart)).render(values={"greeting": "hi"})


def test_version_and_app_version_flags(tmp_path: Path) -> None:
    chart = make_chart(tmp_path / "src")
    assert pilot("package", str(chart), "-d", str(tmp_path), "--version", "2.3.4", "--app-version", "v9") == 0
    loaded = helm.Chart.load(str(tmp_path / "demo-2.3.4.tgz"))
    assert loaded.version == "2.3.4"
    assert loaded.metadata["appVersion"] == "v9"


def test_bad_version_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chart = make_chart(tmp_path / "src")
    assert pilot("package", str(chart), "-d", str(tmp_path), "--version", "not-a-version") != 0
    assert "invalid semantic version" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.tgz"))


def test_source_date_epoch_sets_entry_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pilot("package", str(make_chart(tmp_path / "src")), "-d", str(tmp_path))
    with tarfile.open(tmp_path / "demo-0.1.0.tgz") as tar:
        assert {m.mtime for m in tar.getmembers()} == {1700000000}


def test_we_load_helms_archive(tmp_path: Path) -> None:
    from pilothouse.chart import load

    chart = make_chart(tmp_path / "src", version="1.2.3")
    loaded = load(helm.package(str(chart), destination=str(tmp_path)))
    assert loaded.metadata.version == "1.2.3"
    assert [t.name for t in loaded.templates] == ["templates/cm.yaml"]


def test_signed_package_verifies_with_helm(tmp_path: Path, keys: dict[str, str],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    chart = make_chart(tmp_path / "src")
    assert pilot("package", str(chart), "-d", str(tmp_path), "--sign", "--key", "signer@example.test",
                 "--keyring", keys["secret"]) == 0
    tgz = tmp_path / "demo-0.1.0.tgz"
    result = helm.verify(str(tgz), keys["public"])
    assert result["file_hash"] == "sha256:" + _sha(tgz)
    assert capsys.readouterr().out.strip().endswith(str(tgz))


def test_sign_needs_key_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert pilot("package", str(make_chart(tmp_path / "src")), "--sign", "--keyring", "x") != 0
    assert "--key is required for signing a package" in capsys.readouterr().err
