"""HTTP chart repositories: index.yaml generated and read by both tools, repo add/list/update/remove,
search, pull by repo/chart and by --repo URL."""

from __future__ import annotations

from pathlib import Path

import helm_python as helm
import pytest
import yaml
from repotools import make_chart, pilot


def _repo_dir(root: Path, name: str, charts: list[tuple[str, str]]) -> Path:
    d = root / name
    d.mkdir()
    for chart, version in charts:
        pilot("package", str(make_chart(d / f"src-{chart}-{version}", chart, version)), "-d", str(d))
    return d


def test_index_generated_by_pilot_is_read_by_helm(tmp_path: Path, http_repo: tuple[str, Path]) -> None:
    base, root = http_repo
    d = _repo_dir(root, "pilot-indexed", [("alpha", "1.0.0"), ("alpha", "1.1.0"), ("beta", "0.1.0")])
    assert pilot("repo", "index", str(d), "--url", f"{base}/pilot-indexed") == 0
    doc = yaml.safe_load((d / "index.yaml").read_text())
    assert [e["version"] for e in doc["entries"]["alpha"]] == ["1.1.0", "1.0.0"]
    assert doc["entries"]["alpha"][0]["urls"] == [f"{base}/pilot-indexed/alpha-1.1.0.tgz"]
    helm_view = helm.repo_index(f"{base}/pilot-indexed")
    assert sorted(helm_view["entries"]) == ["alpha", "beta"]
    assert helm_view["entries"]["alpha"][0]["digest"] == doc["entries"]["alpha"][0]["digest"]
    dest = tmp_path / "pulled"
    dest.mkdir()
    helm.pull("alpha", repo_url=f"{base}/pilot-indexed", version="1.0.0", destination=str(dest))
    assert (dest / "alpha-1.0.0.tgz").read_bytes() == (d / "alpha-1.0.0.tgz").read_bytes()


def test_index_generated_by_helm_is_read_by_pilot(tmp_path: Path) -> None:
    from pilothouse.repo.index import load_index_file

    d = _repo_dir(tmp_path, "helm-indexed", [("gamma", "0.1.0"), ("gamma", "0.2.0-rc.1")])
    helm.repo_index_generate(str(d), base_url="https://charts.example.test/x")
    idx = load_index_file(str(d / "index.yaml"))
    assert [cv.version for cv in idx.entries["gamma"]] == ["0.2.0-rc.1", "0.1.0"]
    assert idx.get("gamma", "").version == "0.1.0"  # prereleases need an explicit constraint
    assert idx.get("gamma", ">0.0.0-0").version == "0.2.0-rc.1"
    assert idx.entries["gamma"][1].urls == ["https://charts.example.test/x/gamma-0.1.0.tgz"]


def test_same_index_bytes_as_helm_except_timestamps(tmp_path: Path) -> None:
    d = _repo_dir(tmp_path, "cmp", [("delta", "1.0.0"), ("delta", "0.9.0")])
    helm.repo_index_generate(str(d), base_url="http://h.test/r")
    helm_doc = yaml.safe_load((d / "index.yaml").read_text())
    pilot("repo", "index", str(d), "--url", "http://h.test/r")
    ours = yaml.safe_load((d / "index.yaml").read_text())
    for doc in (helm_doc, ours):
        doc.pop("generated")
        for versions in doc["entries"].values():
            for v in versions:
                v.pop("created")
    assert ours == helm_doc


def test_merge_keeps_old_entries_and_prefers_local(tmp_path: Path) -> None:
    from pilothouse.repo.index import load_index_file

    old = _repo_dir(tmp_path, "old", [("eps", "1.0.0")])
    pilot("repo", "index", str(old), "--url", "http://old.test")
    new = _repo_dir(tmp_path, "new", [("eps", "2.0.0")])
    assert pilot("repo", "index", str(new), "--url", "http://new.test", "--merge", str(old / "index.yaml")) == 0
    idx = load_index_file(str(new / "index.yaml"))
    assert [(cv.version, cv.urls[0]) for cv in idx.entries["eps"]] == [
        ("2.0.0", "http://new.test/eps-2.0.0.tgz"), ("1.0.0", "http://old.test/eps-1.0.0.tgz")]
    assert pilot("repo", "index", str(new), "--json") == 0
    assert (new / "index.yaml").read_text().startswith("{\n  \"apiVersion\": \"v1\"")


def test_repo_add_list_update_search_pull_remove(tmp_path: Path, http_repo: tuple[str, Path], helm_env: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    base, root = http_repo
    d = _repo_dir(root, "lifecycle", [("zeta", "1.0.0"), ("zeta", "1.5.0"), ("zeta", "2.0.0-beta.1"),
                                      ("other", "0.1.0")])
    pilot("repo", "index", str(d))
    url = f"{base}/lifecycle"
    capsys.readouterr()
    assert pilot("repo", "add", "mine", url) == 0
    assert capsys.readouterr().out == '"mine" has been added to your repositories\n'
    repo_file = yaml.safe_load((helm_env / "config" / "repositories.yaml").read_text())
    assert repo_file["repositories"][0] == {
        "name": "mine", "url": url, "username": "", "password": "", "certFile": "", "keyFile": "", "caFile": "",
        "insecure_skip_tls_verify": False, "pass_credentials_all": False}
    assert (helm_env / "cache" / "repository" / "mine-index.yaml").exists()
    assert (helm_env / "cache" / "repository" / "mine-charts.txt").read_text().split() == ["other", "zeta"]
    assert pilot("repo", "add", "mine", url) == 0
    assert "already exists with the same configuration, skipping" in capsys.readouterr().out
    assert pilot("repo", "add", "mine", url + "/x") != 0
    assert "repository name (mine) already exists" in capsys.readouterr().err
    assert pilot("repo", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["NAME", "URL"] and lines[1].split() == ["mine", url]
    assert pilot("repo", "update") == 0
    assert '...Successfully got an update from the "mine" chart repository' in capsys.readouterr().out

    assert pilot("search", "repo", "zeta") == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [c.strip() for c in rows[0]] == ["NAME", "CHART VERSION", "APP VERSION", "DESCRIPTION"]
    assert [c.strip() for c in rows[1]] == ["mine/zeta", "1.5.0", "1.0", "The zeta chart"]
    assert len(rows) == 2
    assert pilot("search", "repo", "zeta", "--versions", "--devel") == 0
    versions = [line.split("\t")[1].strip() for line in capsys.readouterr().out.splitlines()[1:]]
    assert versions == ["2.0.0-beta.1", "1.5.0", "1.0.0"]
    assert pilot("search", "repo", "zeta", "--version", "<1.5") == 0
    assert capsys.readouterr().out.splitlines()[1].split("\t")[1].strip() == "1.0.0"
    assert pilot("search", "repo", "nothing-like-this") == 0
    assert capsys.readouterr().out == "No results found\n"

    dest = tmp_path / "pulled"
    dest.mkdir()  # as Helm, pull writes into an existing directory
    assert pilot("pull", "mine/zeta", "--version", "~1.0", "-d", str(dest)) == 0
    assert (dest / "zeta-1.0.0.tgz").read_bytes() == (d / "zeta-1.0.0.tgz").read_bytes()
    assert pilot("pull", "zeta", "--repo", url, "--untar", "-d", str(dest)) == 0
    assert (dest / "zeta" / "Chart.yaml").read_text().startswith("apiVersion: v2")
    assert pilot("pull", "zeta", "--repo", url, "--untar", "-d", str(dest)) != 0
    assert "already exists" in capsys.readouterr().err
    assert pilot("pull", "mine/nope", "-d", str(dest)) != 0
    assert 'chart "nope" matching  not found in mine index' in capsys.readouterr().err

    assert pilot("repo", "remove", "mine") == 0
    assert capsys.readouterr().out == '"mine" has been removed from your repositories\n'
    assert not (helm_env / "cache" / "repository" / "mine-index.yaml").exists()
    assert pilot("repo", "remove", "mine") != 0


def test_repo_add_refuses_unreachable_or_invalid(http_repo: tuple[str, Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    base, root = http_repo
    (root / "notarepo").mkdir()
    (root / "notarepo" / "index.yaml").write_text("just: [a list\n")
    assert pilot("repo", "add", "bad", f"{base}/notarepo") != 0
    assert f'looks like "{base}/notarepo" is not a valid chart repository' in capsys.readouterr().err
    assert pilot("repo", "add", "gone", f"{base}/missing") != 0
    assert "404" in capsys.readouterr().err
    assert pilot("repo", "add", "a/b", f"{base}/missing") != 0
    assert "contains '/'" in capsys.readouterr().err


def test_pilot_reads_repositories_file_written_by_helm_layout(tmp_path: Path, helm_env: Path) -> None:
    from pilothouse.repo.repofile import RepoFile

    path = helm_env / "config" / "repositories.yaml"
    path.parent.mkdir(parents=True)
    # the layout Helm writes (field order and names as in Helm's repo.File)
    path.write_text("apiVersion: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\nrepositories:\n- caFile: \"\"\n"
                    "  certFile: \"\"\n  insecure_skip_tls_verify: true\n  keyFile: \"\"\n  name: stable\n"
                    "  pass_credentials_all: false\n  password: pw\n  url: https://example.test/charts\n"
                    "  username: me\n")
    rf = RepoFile.load(str(path))
    e = rf.get("stable")
    assert e is not None and e.url == "https://example.test/charts" and e.insecure_skip_tls_verify
    assert (e.username, e.password) == ("me", "pw")
