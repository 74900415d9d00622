"""`pilot dependency update|build` from an HTTP repository, an OCI registry and file://, with Chart.lock as Helm writes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import helm_python as helm
import pytest
import yaml
from repotools import make_chart, pilot


@pytest.fixture()
def sources(tmp_path: Path, http_repo: tuple[str, Path], registry: str) -> dict[str, str]:
    base, root = http_repo
    repo = root / "deps"
    if not (repo / "index.yaml").exists():
        repo.mkdir(exist_ok=True)
        for v in ("1.0.0", "1.4.0", "2.0.0"):
            pilot("package", str(make_chart(tmp_path / f"h{v}", "httpdep", v)), "-d", str(repo))
        pilot("repo", "index", str(repo))
        for v in ("0.5.0", "0.6.0"):
            pilot("package", str(make_chart(tmp_path / f"o{v}", "ocidep", v)), "-d", str(tmp_path))
            pilot("push", str(tmp_path / f"ocidep-{v}.tgz"), f"oci://{registry}/deps", "--plain-http")
    return {"http": f"{base}/deps", "oci": f"oci://{registry}/deps"}


def _parent(root: Path, sources: dict[str, str]) -> Path:
    make_chart(root, "localdep", "3.1.0")
    deps = ("dependencies:\n"
            f"- name: httpdep\n  version: ^1.0.0\n  repository: {sources['http']}\n"
            f"- name: ocidep\n  version: ~0.5\n  repository: {sources['oci']}\n"
            "- name: localdep\n  version: '>=3'\n  repository: file://../localdep\n")
    return make_chart(root, "parent", "1.0.0", deps=deps)


def test_update_writes_charts_and_a_lock_helm_agrees_with(tmp_path: Path, sources: dict[str, str],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    parent = _parent(tmp_path / "ours", sources)
    capsys.readouterr()
    assert pilot("dependency", "update", str(parent), "--plain-http") == 0
    out = capsys.readouterr().out
    assert "Saving 3 charts" in out and "Downloading httpdep from repo" in out
    assert sorted(p.name for p in (parent / "charts").iterdir()) == [
        "httpdep-1.4.0.tgz", "localdep-3.1.0.tgz", "ocidep-0.5.0.tgz"]
    lock = yaml.safe_load((parent / "Chart.lock").read_text())
    assert [(d["name"], d["version"]) for d in lock["dependencies"]] == [
        ("httpdep", "1.4.0"), ("ocidep", "0.5.0"), ("localdep", "3.1.0")]

    theirs = _parent(tmp_path / "theirs", sources)
    helm.dependency_update(str(theirs), plain_http=True)
    helm_lock = yaml.safe_load((theirs / "Chart.lock").read_text())
    assert lock["digest"] == helm_lock["digest"]
    assert lock["dependencies"] == helm_lock["dependencies"]
    # the parent renders with its dependencies in Helm
    rendered = helm.Chart.load(str(parent)).render(name="r")
    assert "parent/charts/httpdep/templates/cm.yaml" in rendered


def test_build_uses_the_lock_and_detects_drift(tmp_path: Path, sources: dict[str, str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    parent = _parent(tmp_path / "p", sources)
    pilot("dependency", "update", str(parent), "--plain-http")
    shutil.rmtree(parent / "charts")
    assert pilot("dependency", "build", str(parent), "--plain-http") == 0
    assert sorted(p.name for p in (parent / "charts").iterdir()) == [
        "httpdep-1.4.0.tgz", "localdep-3.1.0.tgz", "ocidep-0.5.0.tgz"]
    chart_yaml = parent / "Chart.yaml"
    chart_yaml.write_text(chart_yaml.read_text().replace("^1.0.0", "^2.0.0"))
    capsys.readouterr()
    assert pilot("dependency", "build", str(parent), "--plain-http") != 0
    assert "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml)" in \
        capsys.readouterr().err


def test_helm_built_lock_is_accepted_by_pilot_build(tmp_path: Path, sources: dict[str, str]) -> None:
    parent = _parent(tmp_path / "h", sources)
    helm.dependency_update(str(parent), plain_http=True)
    shutil.rmtree(parent / "charts")
    assert pilot("dependency", "build", str(parent), "--plain-http") == 0
    assert len(list((parent / "charts").glob("*.tgz"))) == 3


def test_package_with_dependency_update(tmp_path: Path, sources: dict[str, str]) -> None:
    parent = _parent(tmp_path / "pk", sources)
    assert pilot("package", str(parent), "-u", "-d", str(tmp_path), "--plain-http") == 0
    loaded = helm.Chart.load(str(tmp_path / "parent-1.0.0.tgz"))
    assert sorted(d["name"] for d in loaded.dependencies) == ["httpdep", "localdep", "ocidep"]


def test_unsatisfiable_constraint(tmp_path: Path, sources: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    deps = f"dependencies:\n- name: httpdep\n  version: ^9.0.0\n  repository: {sources['http']}\n"
    parent = make_chart(tmp_path, "lonely", "1.0.0", deps=deps)
    assert pilot("dependency", "update", str(parent)) != 0
    assert "can't get a valid version for repositories httpdep" in capsys.readouterr().err
    assert not (parent / "Chart.lock").exists()
