"""Releases whose record passes 1 MiB are stored over several Secrets/ConfigMaps; smaller ones as Helm does.

Every command is a real `pilot` process against the fake API server, which refuses objects over
1 MiB as a real server does; the real helm CLI checks what Helm can still read.
"""

from __future__ import annotations

import base64
import gzip
import json
import signal

import pytest
from scale_helpers import big_chart, env_for, helm, pilot

PAYLOAD = 2_500_000  # incompressible: an encoded record of ~3.4 MB, four pieces


def _records(srv, kind="Secret"):
    objs = srv.store.objects(kind, "default")
    return {o["metadata"]["name"]: o for o in objs if o["metadata"]["name"].startswith("sh.helm.release.v1.")}


def _text(obj) -> str:
    raw = obj["data"]["release"]
    return base64.b64decode(raw).decode() if obj["kind"] == "Secret" else raw


def _ok(out):
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture
def env(srv, tmp_path):
    return env_for(tmp_path / "home", srv.kubeconfig_path)


@pytest.mark.parametrize("driver,kind", [("secret", "Secret"), ("configmap", "ConfigMap")])
def test_big_release_lifecycle(srv, tmp_path, driver, kind):
    env = env_for(tmp_path / "home", srv.kubeconfig_path, HELM_DRIVER=driver)
    chart = big_chart(tmp_path, payload=PAYLOAD)
    _ok(pilot(env, "install", "big", str(chart)))
    recs = _records(srv, kind)
    assert sorted(recs) == ["sh.helm.release.v1.big.v1", "sh.helm.release.v1.big.v1.2",
                            "sh.helm.release.v1.big.v1.3", "sh.helm.release.v1.big.v1.4"]
    head = recs["sh.helm.release.v1.big.v1"]["metadata"]["labels"]
    assert head["owner"] == "helm" and head["name"] == "big" and head["status"] == "deployed"
    assert (head["chunk"], head["chunks"]) == ("1", "4")
    # the pieces, concatenated in order, are exactly a Helm record: base64(gzip(json))
    whole = "".join(_text(recs[n]) for n in sorted(recs, key=lambda n: (len(n), n)))
    doc = json.loads(gzip.decompress(base64.b64decode(whole)))
    assert (doc["name"], doc["version"], doc["info"]["status"]) == ("big", 1, "deployed")

    listing = _ok(pilot(env, "list"))
    assert len(listing.splitlines()) == 2 and listing.splitlines()[1].startswith("big")
    assert "STATUS: deployed" in _ok(pilot(env, "status", "big"))
    _ok(pilot(env, "upgrade", "big", str(chart), "--set", "greeting=yo"))
    assert "greeting: yo" in _ok(pilot(env, "get", "values", "big"))
    _ok(pilot(env, "rollback", "big", "1"))
    hist = _ok(pilot(env, "history", "big")).splitlines()
    assert [line.split()[0] for line in hist[1:]] == ["1", "2", "3"]
    assert "greeting" not in _ok(pilot(env, "get", "values", "big"))
    # --history-max prunes whole chunked records: revisions 1 and 2 go, with all their pieces
    _ok(pilot(env, "upgrade", "big", str(chart), "--history-max", "2"))
    revs = sorted({n[len("sh.helm.release.v1.big.v"):].split(".")[0] for n in _records(srv, kind)})
    assert revs == ["3", "4"]
    assert len(_records(srv, kind)) == 8
    _ok(pilot(env, "uninstall", "big"))
    assert _records(srv, kind) == {}


def test_small_release_is_written_exactly_as_helm_writes_it(srv, env, tmp_path):
    chart = big_chart(tmp_path, payload=1000)
    _ok(pilot(env, "install", "small", str(chart)))
    recs = _records(srv)
    assert list(recs) == ["sh.helm.release.v1.small.v1"]
    assert set(recs["sh.helm.release.v1.small.v1"]["metadata"]["labels"]) == {
        "name", "owner", "status", "version", "modifiedAt"}
    # the real helm reads it
    assert "small" in _ok(helm(env, "list", "-n", "default"))
    assert "STATUS: deployed" in _ok(helm(env, "status", "small", "-n", "default"))


def test_helm_lists_its_own_releases_beside_chunked_ones(srv, env, tmp_path):
    _ok(pilot(env, "install", "big", str(big_chart(tmp_path, payload=PAYLOAD))))
    _ok(helm(env, "install", "small", str(big_chart(tmp_path / "s", payload=1000)), "-n", "default"))
    # Helm skips records it cannot decode: it sees its own release, not the pieces
    lines = _ok(helm(env, "list", "-n", "default")).splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["small"]
    lines = _ok(pilot(env, "list")).splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["big", "small"]


def test_record_just_over_the_limit_takes_two_pieces(srv, env, tmp_path):
    _ok(pilot(env, "install", "edge", str(big_chart(tmp_path, name="edge", payload=800_000))))
    assert len(_records(srv)) == 2
    assert "STATUS: deployed" in _ok(pilot(env, "status", "edge"))


def _killed(out):
    assert out.returncode == -signal.SIGKILL, (out.returncode, out.stderr)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_install_killed_between_pieces_leaves_no_release(srv, tmp_path, k):
    env = env_for(tmp_path / "home", srv.kubeconfig_path, PILOTHOUSE_TEST_KILL_AFTER_CHUNK=str(k))
    chart = big_chart(tmp_path, payload=PAYLOAD)
    _killed(pilot(env, "install", "big", str(chart)))
    left = _records(srv)
    assert len(left) == k and "sh.helm.release.v1.big.v1" not in left  # the first piece is written last
    clean = env_for(tmp_path / "home", srv.kubeconfig_path)
    assert _ok(pilot(clean, "list")).splitlines()[1:] == []
    assert pilot(clean, "status", "big").returncode != 0
    assert "release: not found" in pilot(clean, "history", "big").stderr
    # the next install of that name sweeps the leftovers and succeeds
    _ok(pilot(clean, "install", "big", str(chart)))
    assert len(_records(srv)) == 4
    assert "STATUS: deployed" in _ok(pilot(clean, "status", "big"))


def test_upgrade_killed_between_pieces_keeps_the_previous_revision(srv, tmp_path):
    clean = env_for(tmp_path / "home", srv.kubeconfig_path)
    chart = big_chart(tmp_path, payload=PAYLOAD)
    _ok(pilot(clean, "install", "big", str(chart)))
    env = dict(clean, PILOTHOUSE_TEST_KILL_AFTER_CHUNK="2")
    _killed(pilot(env, "upgrade", "big", str(chart), "--set", "greeting=yo"))
    hist = _ok(pilot(clean, "history", "big")).splitlines()
    assert [line.split()[0] for line in hist[1:]] == ["1"]
    assert "deployed" in hist[1]
    _ok(pilot(clean, "upgrade", "big", str(chart), "--set", "greeting=yo"))
    assert {n for n in _records(srv) if ".v2" in n} == {
        "sh.helm.release.v1.big.v2", "sh.helm.release.v1.big.v2.2", "sh.helm.release.v1.big.v2.3",
        "sh.helm.release.v1.big.v2.4"}
    _ok(pilot(clean, "uninstall", "big"))
    assert _records(srv) == {}


def test_update_killed_half_way_is_never_read_and_is_cleaned_up(srv, tmp_path):
    # install writes four pieces for the pending record, then rewrites them as deployed:
    # dying after the 6th write leaves a first piece whose tails belong to another write
    env = env_for(tmp_path / "home", srv.kubeconfig_path, PILOTHOUSE_TEST_KILL_AFTER_CHUNK="6")
    chart = big_chart(tmp_path, payload=PAYLOAD)
    _killed(pilot(env, "install", "big", str(chart)))
    assert "sh.helm.release.v1.big.v1" in _records(srv)
    clean = env_for(tmp_path / "home", srv.kubeconfig_path)
    assert _ok(pilot(clean, "list")).splitlines()[1:] == []
    _ok(pilot(clean, "install", "big", str(chart)))
    assert len(_records(srv)) == 4
    assert "STATUS: deployed" in _ok(pilot(clean, "status", "big"))
