"""Commands that only read release records (`history`, `get metadata`), given records we
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
from difftools import Diff

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
    _record("kestrel", 3, "deployed", "Rollback to 1"),
]


@pytest.mark.parametrize("line", ["history kestrel", "history kestrel --max 2", "hist kestrel -o json",
                                  "history kestrel -o yaml"])
def test_history(diff, line):
    _store(diff, KESTREL)
    diff.check(shlex.split(line))


def test_history_has_no_rollback_revision_flag(diff):
    # --show-rollback-revision came to Helm after 4.2 (pkg/cmd/history.go of v4.2 has no such flag)
    _store(diff, KESTREL)
    diff.check(["history", "kestrel", "--show-rollback-revision"])


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


HOOKED = _record("heron", 1, "deployed", "Install complete", chart=_chart({
    **PERCH, "keywords": ["birds"], "home": "https://example.invalid"}))
HOOKED["hooks"] = [
    {"name": "heron-check", "kind": "Pod", "path": "perch/templates/check.yaml", "manifest": "kind: Pod\n",
     "events": ["test", "post-upgrade"], "weight": 3, "delete_policies": ["hook-succeeded"],
     "last_run": {"started_at": WHEN, "completed_at": WHEN, "phase": "Succeeded"}},
]
TEMPLATES = [
    # text/template prints a pointer it reached by itself as the struct it points to; a function gets the
    # pointer, which fmt prints as &{...}; nil maps print as map[]
    "{{.Release.Info}}",
    "{{.Release.Chart.Metadata}}",
    '{{printf "%v" .Release.Chart.Metadata}}',
    '{{printf "%T|%T|%T|%T|%T" .Release .Release.Info .Release.Hooks .Release.Labels .Release.Chart.Metadata.Keywords}}',
    '{{printf "%T|%T" (index .Release.Hooks 0).Events .Release.Chart.Metadata.Dependencies}}',
    "{{range .Release.Hooks}}{{.Name}} {{.Weight}} {{.Events}} {{.DeletePolicies}} {{.LastRun.Phase}}{{end}}",
    "{{.Release.Chart.Metadata.Annotations}} {{.Release.Info.Resources}} {{len .Release.Chart.Metadata.Sources}}",
    '{{(index .Release.Hooks 0).Events | join ","}} {{has "test" (index .Release.Hooks 0).Events}}',
]


@pytest.mark.parametrize("template", TEMPLATES)
def test_get_all_template_prints_go_values(diff, template):
    _store(diff, [HOOKED])
    diff.check(["get", "all", "heron", "--template", template])


WIDE = [
    _record("lark", 1, "superseded", "Install complete", chart=_chart({"name": "鳥chart", "version": "1.0.0",
                                                                      "appVersion": "版本"})),
    # a multi-line description is sized as one string (too wide: cut, "..."), then spread over lines
    _record("lark", 2, "failed", 'Upgrade "lark" failed: first line\nthe second line is the longest one\nthird'),
    _record("lark", 3, "superseded", "short\nx"),
    _record("lark", 4, "deployed", "\x1b[31mred\x1b[0m Ünïcødé é́ zero\u200bwidth\ttab 中文"),
]


@pytest.mark.parametrize("line", ["history lark", "history lark --max 2", "list -a", "list -a --no-headers"])
@pytest.mark.parametrize("lang", ["C.UTF-8", "ja_JP.UTF-8"])
def test_tables_measure_text_as_helm(diff, line, lang):
    # wide (CJK) characters take two cells, control/combining/zero-width none, colour codes none;
    # a Japanese locale makes ambiguous characters (Ü, é) two cells wide
    _store(diff, WIDE)
    diff.check(shlex.split(line), env={"LANG": lang, "LC_ALL": "", "LC_CTYPE": ""})


def _without_config(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if k != "config"}


CONFIGS = [
    {**_record("robin", 1, "deployed", "Install complete"), "config": {}},  # not Helm's writing, but readable
    _without_config(_record("finch", 1, "deployed", "Install complete")),
]


@pytest.mark.parametrize("line", ["get values robin", "get values robin -o json", "get values finch",
                                  "get values finch -o yaml", "get all robin", "get all finch"])
def test_empty_config_prints_as_go_reads_it(diff, line):
    # Go reads an empty config object as an empty map ({}) and a missing one as a nil map (null)
    _store(diff, CONFIGS)
    diff.check(shlex.split(line))


@pytest.mark.parametrize("line", ["get metadata dove", "get metadata dove -o json", "get metadata dove -o yaml",
                                  "status dove", "history dove"])
def test_zero_deploy_time(diff, line):
    # Go's zero time has a four-digit year: 0001-01-01T00:00:00Z
    rec = _record("dove", 1, "deployed", "Install complete")
    rec["info"]["last_deployed"] = "0001-01-01T00:00:00Z"
    _store(diff, [rec])
    diff.check(shlex.split(line))


@pytest.mark.parametrize("line", ["status ''", "status Bad", "get all ''", "get values 'no spaces'", "get notes X",
                                  "get metadata -- -x", "uninstall Bad --dry-run"])
def test_invalid_release_name_on_reads(diff, line):
    # Helm's releaseContent (pkg/action/action.go) has its own message for any invalid name
    diff.check(shlex.split(line))


@pytest.mark.parametrize("line", ["history kestrel --debug", "history nope --debug", "__complete status kestrel "
                                  "--debug --revision ''"])
def test_history_debug_line(diff, line):
    # pkg/action/history.go logs what it looks up under --debug (revision completion goes through it too)
    _store(diff, KESTREL)
    argv = shlex.split(line)
    diff.check(argv)
