"""Release records are Helm's: Helm reads what Pilothouse writes and the other way round.

Every expected value here is what the real Helm v4 SDK (helm-python-sdk) wrote or reports,
against the same fake API server.
"""

from __future__ import annotations

import base64
import gzip
import os

import pytest

from pilothouse.action.config import Configuration
from pilothouse.action.get import GetValues
from pilothouse.action.history import History
from pilothouse.action.install import Install
from pilothouse.action.status import Status
from pilothouse.action.upgrade import Upgrade
from pilothouse.chart import load
from pilothouse.release.codec import decode_release, encode_release
from pilothouse.release.model import Release

HERE = os.path.dirname(__file__)
CHART = os.path.join(HERE, "charts", "hooked")


def _config(srv, driver: str = "secret") -> Configuration:
    return Configuration.from_env(kubeconfig=srv.kubeconfig_path, namespace="default", driver=driver)


def _record_json(srv, kind: str, name: str) -> bytes:
    obj = next(o for o in srv.store.objects(kind, "default") if o["metadata"]["name"] == name)
    text = obj["data"]["release"]
    if kind == "Secret":
        text = base64.b64decode(text).decode()
    return gzip.decompress(base64.b64decode(text))


@pytest.mark.parametrize("kind,driver", [("Secret", "secret"), ("ConfigMap", "configmap")])
def test_helm_records_reencode_byte_for_byte(srv, helm, kind, driver):
    # Helm writes the record; decoding it and encoding it again gives Helm's JSON exactly
    h = helm(driver)
    h.install(CHART, "rec", {"message": "from <helm>", "extra": {"k": [1, 2]}})
    h.upgrade(CHART, "rec", {"count": 3})
    for version in (1, 2):
        original = _record_json(srv, kind, f"sh.helm.release.v1.rec.v{version}")
        rel = Release.from_json(original)
        assert rel.to_json().encode() == original


def test_gzip_header_is_gos(srv):
    rel = Release(name="x", namespace="default", version=1)
    raw = base64.b64decode(encode_release(rel))
    assert raw[:10] == bytes.fromhex("1f8b08000000000002ff")
    assert decode_release(encode_release(rel)).to_json() == rel.to_json()


def test_uncompressed_records_are_read():
    # records from before Helm compressed them are plain base64 JSON
    text = base64.b64encode(b'{"name":"old","info":{"status":"deployed"},"version":3}').decode()
    rel = decode_release(text)
    assert (rel.name, rel.version, rel.info.status) == ("old", 3, "deployed")


def test_secret_layout_matches_helms(srv, helm):
    h = helm()
    h.install(CHART, "byhelm", {})
    Install(_config(srv), release_name="byus").run(load(CHART), {})
    secrets = {o["metadata"]["name"]: o for o in srv.store.objects("Secret", "default")}
    ours, theirs = secrets["sh.helm.release.v1.byus.v1"], secrets["sh.helm.release.v1.byhelm.v1"]
    assert ours["type"] == theirs["type"] == "helm.sh/release.v1"
    assert set(ours["metadata"]["labels"]) == set(theirs["metadata"]["labels"])
    assert ours["metadata"]["labels"]["version"] == "1" and ours["metadata"]["labels"]["owner"] == "helm"
    assert set(ours["data"]) == set(theirs["data"]) == {"release"}


@pytest.mark.parametrize("driver", ["secret", "configmap"])
def test_helm_reads_pilothouse_releases(srv, helm, driver):
    cfg = _config(srv, driver)
    Install(cfg, release_name="web", labels={"team": "a"}).run(load(CHART), {"message": "v1"})
    Upgrade(cfg, max_history=10).run("web", load(CHART), {"message": "v2", "count": 7})
    h = helm(driver)
    listed = h.list()
    assert [(r["name"], r["revision"], r["status"], r["chart_name"], r["chart_version"], r["app_version"])
            for r in listed] == [("web", 2, "deployed", "hooked", "1.2.3", "4.5")]
    assert [(r["revision"], r["status"]) for r in h.history("web")] == [(1, "superseded"), (2, "deployed")]
    status = h.status("web")
    assert status["notes"] == "Notes for web: <v2>\n"
    assert status["manifest"] == Status(cfg).run("web").manifest
    assert h.get_values("web") == {"message": "v2", "count": 7}
    assert h.get_values("web", all_values=True)["nested"] == {"list": [1, 2.5, "x", True, None]}
    # Helm can continue the history Pilothouse started
    h.upgrade(CHART, "web", {"message": "v3"})
    assert [r.version for r in History(cfg).run("web")] == [3, 2, 1]


@pytest.mark.parametrize("driver", ["secret", "configmap"])
def test_pilothouse_reads_helm_releases(srv, helm, driver):
    h = helm(driver)
    h.install(CHART, "api", {"message": "one"})
    h.upgrade(CHART, "api", {"message": "two"})
    cfg = _config(srv, driver)
    hist = History(cfg).run("api")
    assert [(r.version, r.info.status) for r in hist] == [(2, "deployed"), (1, "superseded")]
    assert [(r["revision"], r["status"]) for r in h.history("api")] == [(1, "superseded"), (2, "deployed")]
    rel = Status(cfg).run("api")
    assert rel.info.notes == h.status("api")["notes"]
    assert rel.apply_method == "ssa"
    assert [hk.name for hk in rel.hooks] == ["api-hook"] and rel.hooks[0].weight == 5
    assert GetValues(cfg).run("api") == h.get_values("api")
    assert GetValues(cfg, all_values=True).run("api") == h.get_values("api", all_values=True)
    # and Pilothouse can continue the history Helm started
    Upgrade(cfg).run("api", load(CHART), {"message": "three"})
    assert [(r["revision"], r["status"]) for r in h.history("api")][-1] == (3, "deployed")
