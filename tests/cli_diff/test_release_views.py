"""Commands that only read release records (`history`, `get metadata`, `get all --template`), given records we
write ourselves: each test stores the same release JSON as Helm's secret driver would (Secret
``sh.helm.release.v1.NAME.vN``, ``base64(gzip(json))``) on both sides, then compares pilot with helm."""

from __future__ import annotations

import base64
import gzip
import io
import json
import shlex

import httpx
import pytest
from difftools import Diff, Result

WHEN = "2019-03-04T05:06:07Z"
PERCH = {"name": "perch", "version": "2.1.0", "appVersion": "v7"}


def _chart(metadata: dict) -> dict:
    return {"metadata": metadata, "lock": None, "templates": None, "values": None, "schema": None,
            "schemamodtime": "0001-01-01T00:00:00Z", "files": None}


def _record(name: str, version: int, status: str, description: str, chart: dict | None = None,
            **info: object) -> dict:
    return {"name": name, "namespace": "default", "version": version,
            "info": {"first_deployed": WHEN, "last_deployed": WHEN, "description": description, "status": status,
                     **info},
            "chart": chart or _chart(dict(PERCH)), "config": {"size": 3}}


def _store(diff: Diff, records: list[dict]) -> None:
    """The records as Secrets on both sides' API servers."""
    for side in diff.sides.values():
        with httpx.Client(base_url=side.kube.url) as api:
            for rec in records:
                buf = io.BytesIO()
                with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as fh:
                    fh.write(json.dumps(rec).encode())
                payload = base64.b64encode(base64.b64encode(buf.getvalue())).decode()
                secret = {
                    "apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                    "metadata": {"name": f"sh.helm.release.v1.{rec['name']}.v{rec['version']}",
                                 "namespace": rec["namespace"],
                                 "labels": {"name": rec["name"], "owner": "helm", "status": rec["info"]["status"],
                                            "version": str(rec["version"])}},
                    "data": {"release": payload},
                }
                r = api.post(f"/api/v1/namespaces/{rec['namespace']}/secrets", json=secret)
                assert r.status_code == 201, r.text


KESTREL = [
    _record("kestrel", 1, "superseded", "Install complete"),
    _record("kestrel", 2, "superseded", "Upgrade complete"),
    _record("kestrel", 3, "superseded", "Upgrade complete"),
    _record("kestrel", 4, "deployed", "Rollback to 2", rollback_revision=2),
]


@pytest.mark.parametrize("line", ["history kestrel", "history kestrel --max 2", "hist kestrel -o table"])
def test_history_table_without_rollback_column(diff, line):
    # without --show-rollback-revision the table is the same in 4.1.4 and 4.2
    _store(diff, KESTREL)
    diff.check(shlex.split(line))


def _with_rollback_revision_json(r: Result) -> Result:
    # Helm 4.2 writes the rolled-back-to revision between app_version and description (pkg/cmd/history.go,
    # releaseInfo.RollbackRevision `json:"rollback_revision,omitempty"`); 4.1.4 drops it
    old = '"app_version":"v7","description":"Rollback to 2"'
    assert old in r.out
    return Result(r.out.replace(old, '"app_version":"v7","rollback_revision":2,"description":"Rollback to 2"'),
                  r.err, r.rc)


def _with_rollback_revision_yaml(r: Result) -> Result:
    old = "  revision: 4\n  status: deployed\n"
    assert old in r.out
    return Result(r.out.replace(old, "  revision: 4\n  rollback_revision: 2\n  status: deployed\n"), r.err, r.rc)


def test_history_json_carries_rollback_revision(diff):
    _store(diff, KESTREL)
    diff.check(["history", "kestrel", "-o", "json"], v42=_with_rollback_revision_json)


def test_history_yaml_carries_rollback_revision(diff):
    _store(diff, KESTREL)
    diff.check(["history", "kestrel", "-o", "yaml"], v42=_with_rollback_revision_yaml)


def test_history_show_rollback_revision_column(diff):
    # 4.2 only (pkg/cmd/history.go, releaseHistoryWithRollback.WriteTable): a ROLLBACK column between
    # APP VERSION and DESCRIPTION, empty where the revision is no rollback. helm 4.1.4 has no such flag; its
    # plain table gives every other column, which must stay as it is
    _store(diff, KESTREL)
    plain = diff.run("helm", ["history", "kestrel", "--max", "3"], "b", raw=True).out.splitlines()
    got = diff.run("pilot", ["history", "kestrel", "--max", "3", "--show-rollback-revision"], "b", raw=True)
    assert got.rc == 0 and got.err == ""
    lines = got.out.splitlines()
    assert len(lines) == 4
    at = plain[0].index("DESCRIPTION")
    assert lines[0] == plain[0][:at] + "ROLLBACK\t" + plain[0][at:]
    assert lines[1] == plain[1][:at] + "        \t" + plain[1][at:]
    assert lines[3] == plain[3][:at] + "2       \t" + plain[3][at:]


def test_template_sees_rollback_revision(diff):
    # 4.2's release.Info has RollbackRevision (pkg/release/v1/info.go); 4.1.4 fails on the unknown field
    _store(diff, KESTREL)
    got = diff.run("pilot", ["get", "all", "kestrel", "--template", "{{.Release.Info.RollbackRevision}}"], "b")
    assert got.triple() == ("2", "", 0)
    got = diff.run("pilot", ["get", "all", "kestrel", "--revision", "3", "--template",
                             "{{.Release.Info.RollbackRevision}}"], "b")
    assert got.triple() == ("0", "", 0)


def test_pilot_rollback_records_the_revision_it_went_back_to(diff):
    # pkg/action/rollback.go (4.2) sets Info.RollbackRevision on the new revision
    for argv in (["install", "r1", "charts/web"], ["upgrade", "r1", "charts/web"], ["upgrade", "r1", "charts/web"],
                 ["rollback", "r1", "2"]):
        assert diff.run("pilot", argv, "b").rc == 0
    got = diff.run("pilot", ["history", "r1", "-o", "json"], "b", raw=True)
    items = json.loads(got.out)
    assert [i.get("rollback_revision") for i in items] == [None, None, None, 2]
    # and helm reads pilot's record as it reads its own
    assert diff.run("helm", ["status", "r1"], "b").rc == 0


DEPS = _chart({**PERCH, "dependencies": [
    {"name": "zebra", "version": "1.0.0", "repository": "file://../zebra"},
    {"name": "cache", "version": "~1.2", "repository": "oci://example.invalid/charts", "condition": "cache.on",
     "tags": ["backend"], "enabled": True, "alias": "hot"},
    {"name": "queue", "version": "3.x", "repository": "", "import-values": ["data"]},
]})


@pytest.mark.parametrize("output", ["json", "yaml", "table"])
def test_get_metadata_dependencies(diff, output):
    # Go marshals chart.Dependency in struct order (name, version, repository, condition, tags, enabled,
    # import-values, alias), not sorted, and keeps `repository` even when empty; the table lists the
    # dependencies' names (not aliases), sorted
    _store(diff, [_record("wren", 1, "deployed", "Install complete", chart=DEPS)])
    diff.check(["get", "metadata", "wren", "-o", output])
