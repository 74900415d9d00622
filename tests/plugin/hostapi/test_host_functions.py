"""Every host function of `pilothouse:host/v1`, called from a Wasm module against the fake API
server: what a grant allows comes back, everything else stops the plugin with an error that
names the plugin, the function and the missing grant, and the host keeps working."""

from __future__ import annotations

import json

import pytest
from hostapi_helpers import CHART, approve_all, tool

from pilothouse.errors import PluginError
from pilothouse.plugin import wasm
from pilothouse.plugin.host.context import HostContext, use
from pilothouse.plugin.loader import load_dir

ALL = ("kube_get, kube_list, kube_discovery, kube_openapi, release_list, release_history, release_get, "
       "chart_file, chart_render, credential_get")
GRANT = f"""
hostFunctions: [{ALL}]
kube:
  - apiGroups: ["", apps]
    resources: [deployments, services, configmaps]
    namespaces: [web]
    verbs: [get, list]
releases: {{namespaces: [web]}}
chart: {{files: true, render: true}}
credentials: [token]
"""


@pytest.fixture
def cluster(srv, kenv):
    """Objects in namespaces web and api, created through kubectl as a user would."""
    docs = []
    for ns in ("web", "api"):
        docs.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        docs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": ns,
                                                                           "labels": {"app": "a", "tier": "x"}},
                     "data": {"k": ns}})
        docs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other", "namespace": ns,
                                                                           "labels": {"app": "b"}}})
        docs.append({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": ns},
                     "stringData": {"password": "topsecret"}})
    text = "\n---\n".join(json.dumps(d) for d in docs)
    res = tool("kubectl", "apply", "-f", "-", env=kenv, input=text)
    assert res.returncode == 0, res.stderr
    return srv


def probe(helm_home, wasm_path, rc=GRANT, name="probe", approve=True):
    p = load_dir(str(helm_home.add_wasm(name, wasm_path, runtime_config=rc)))
    if approve:
        approve_all(helm_home, name)
    return p


def call(p, fn, req):
    raw = req if isinstance(req, bytes) else json.dumps(req).encode()
    out = wasm.call_raw(p, raw, entry=f"call_{fn}").output
    return json.loads(out)


def denied(p, fn, req, *fragments):
    with pytest.raises(PluginError) as ei:
        call(p, fn, req)
    msg = str(ei.value)
    assert f'plugin "{p.name}"' in msg
    for f in fragments:
        assert f in msg, msg
    return msg


def test_get_and_list_what_is_granted(helm_home, probe_wasm, cluster):
    p = probe(helm_home, probe_wasm)
    got = call(p, "kube_get", {"apiVersion": "v1", "resource": "configmaps", "namespace": "web", "name": "cfg"})
    assert got["result"]["data"] == {"k": "web"}
    by_kind = call(p, "kube_get", {"apiVersion": "v1", "kind": "ConfigMap", "namespace": "web", "name": "cfg"})
    assert by_kind["result"]["metadata"]["uid"] == got["result"]["metadata"]["uid"]
    listed = call(p, "kube_list", {"apiVersion": "v1", "resource": "configmaps", "namespace": "web",
                                   "labelSelector": "app in (a), tier=x"})
    assert [i["metadata"]["name"] for i in listed["result"]["items"]] == ["cfg"]
    fields = call(p, "kube_list", {"apiVersion": "v1", "resource": "configmaps", "namespace": "web",
                                   "fieldSelector": "metadata.name=other"})
    assert [i["metadata"]["name"] for i in fields["result"]["items"]] == ["other"]
    missing = call(p, "kube_get", {"apiVersion": "v1", "resource": "configmaps", "namespace": "web", "name": "no"})
    assert missing["error"]["code"] == 404


def test_discovery_and_openapi(helm_home, probe_wasm, cluster):
    p = probe(helm_home, probe_wasm)
    disc = call(p, "kube_discovery", {})
    assert "result" in disc, disc
    disc = disc["result"]
    apps = next(g for g in disc if g["groupVersion"] == "apps/v1")
    assert {"name": "deployments", "kind": "Deployment", "namespaced": True} in apps["resources"]
    index = call(p, "kube_openapi", {})["result"]
    assert "apis/apps/v1" in index["paths"]
    doc = call(p, "kube_openapi", {"path": "apis/apps/v1"})["result"]
    assert "components" in doc


def test_a_secret_is_never_read_through_a_wildcard(helm_home, probe_wasm, cluster):
    rc = f"hostFunctions: [{ALL}]\nkube:\n  - {{apiGroups: ['*'], resources: ['*'], namespaces: ['*']}}\n"
    p = probe(helm_home, probe_wasm, rc)
    assert call(p, "kube_get", {"apiVersion": "v1", "resource": "configmaps", "namespace": "api",
                                "name": "cfg"})["result"]["data"] == {"k": "api"}
    msg = denied(p, "kube_get", {"apiVersion": "v1", "resource": "secrets", "namespace": "web", "name": "db"},
                 "may not call kube_get", "no kube rule grants get on secrets", "rule that names secrets")
    assert "topsecret" not in msg
    denied(p, "kube_get", {"apiVersion": "v1", "kind": "Secret", "namespace": "web", "name": "db"}, "secrets")
    denied(p, "kube_list", {"apiVersion": "v1", "resource": "secrets"}, "no kube rule grants list on secrets")


def test_a_rule_that_names_secrets_reads_them(helm_home, probe_wasm, cluster):
    rc = f"hostFunctions: [{ALL}]\nkube:\n  - {{apiGroups: [''], resources: [secrets], namespaces: [web]}}\n"
    p = probe(helm_home, probe_wasm, rc)
    got = call(p, "kube_get", {"apiVersion": "v1", "resource": "secrets", "namespace": "web", "name": "db"})
    assert got["result"]["metadata"]["name"] == "db"
    denied(p, "kube_get", {"apiVersion": "v1", "resource": "secrets", "namespace": "api", "name": "db"},
           'in namespace "api"')


def test_a_namespace_or_kind_not_granted_is_refused(helm_home, probe_wasm, cluster):
    p = probe(helm_home, probe_wasm)
    denied(p, "kube_get", {"apiVersion": "v1", "resource": "configmaps", "namespace": "api", "name": "cfg"},
           "may not call kube_get", 'get on configmaps (API group "core") in namespace "api"')
    denied(p, "kube_list", {"apiVersion": "v1", "resource": "configmaps"}, "in every namespace")
    denied(p, "kube_list", {"apiVersion": "v1", "resource": "namespaces"}, "(cluster scope)")
    denied(p, "kube_get", {"apiVersion": "apps/v1", "resource": "replicasets", "namespace": "web", "name": "x"},
           "replicasets")


@pytest.mark.parametrize("req,what", [
    ({"apiVersion": "v1", "resource": "configmaps", "namespace": "web", "name": "../../secrets/db"}, "invalid name"),
    ({"apiVersion": "v1", "resource": "configmaps", "namespace": "web", "name": "cfg/status"}, "invalid name"),
    ({"apiVersion": "v1", "resource": "configmaps", "namespace": "../api", "name": "cfg"}, "invalid namespace"),
    ({"apiVersion": "v1", "resource": "configmaps", "namespace": "web%2Fapi", "name": "cfg"}, "invalid namespace"),
    ({"apiVersion": "v1", "resource": "secrets/../configmaps", "namespace": "web", "name": "db"},
     "invalid resource"),
    ({"apiVersion": "v1/../../api/v1/namespaces/web/secrets", "resource": "configmaps", "namespace": "web",
      "name": "db"}, "invalid apiVersion"),
    ({"apiVersion": "v1", "resource": "configmaps", "namespace": "web", "name": 7}, "must be a string"),
    ({"apiVersion": "v1", "resource": "configmaps", "namespace": "web", "name": "x" * 5000}, "too long"),
])
def test_hostile_names_are_refused(helm_home, probe_wasm, cluster, req, what):
    p = probe(helm_home, probe_wasm)
    before = len(cluster.requests)
    denied(p, "kube_get", req, what)
    assert [r for r in cluster.requests[before:] if "secrets" in r[1]] == []


@pytest.mark.parametrize("sel", ["app=a&fieldSelector=metadata.name%3Ddb", "app=a#", "app=a\nX-Evil: 1",
                                 "app=a;rm", "app={a}", "x" * 2000])
def test_selector_injection_is_refused(helm_home, probe_wasm, cluster, sel):
    p = probe(helm_home, probe_wasm)
    denied(p, "kube_list", {"apiVersion": "v1", "resource": "configmaps", "namespace": "web", "labelSelector": sel},
           "kube_list")


def test_the_users_own_403_comes_back_as_an_error(helm_home, probe_wasm, cluster):
    """The grant is intersected with the user's access: the API server's refusal reaches the plugin."""
    from fakekube.api import Response

    real = cluster.api.handle

    def rbac(req):
        if "/configmaps" in req.path:
            return Response(403, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden",
                                  "code": 403, "message": 'configmaps "cfg" is forbidden: User cannot get'})
        return real(req)

    cluster.api.handle = rbac
    p = probe(helm_home, probe_wasm)
    got = call(p, "kube_get", {"apiVersion": "v1", "resource": "configmaps", "namespace": "web", "name": "cfg"})
    assert got["error"]["code"] == 403 and got["error"]["reason"] == "Forbidden"


# a handle the kernel never gave out is refused before anything is read; a zero handle is an empty request
@pytest.mark.parametrize("entry,what", [("bad_handle", "kube_get was given an invalid handle"),
                                        ("wild_handle", "kube_get was given an invalid handle"),
                                        ("zero_handle", "apiVersion"),
                                        ("huge_request", "kube_get: 4194304 bytes, more than the limit of 1048576")])
def test_bad_handles_and_huge_lengths_stop_the_plugin_not_the_host(helm_home, probe_wasm, cluster, entry, what):
    p = probe(helm_home, probe_wasm)
    with pytest.raises(PluginError, match=what):
        wasm.call_raw(p, b"", entry=entry)
    # the host and the plugin's next call are unharmed
    got = call(p, "kube_get", {"apiVersion": "v1", "resource": "configmaps", "namespace": "web", "name": "cfg"})
    assert got["result"]["data"] == {"k": "web"}


@pytest.mark.parametrize("raw,what", [(b"not json", "needs a JSON object"), (b"[1,2]", "needs a JSON object"),
                                      (b"\xff\xfe", "needs a JSON object"), (b"{}", 'needs "apiVersion"')])
def test_malformed_requests_stop_the_plugin(helm_home, probe_wasm, cluster, raw, what):
    p = probe(helm_home, probe_wasm)
    with pytest.raises(PluginError, match=what):
        call(p, "kube_get", raw)


def test_a_function_not_granted_or_not_approved_is_refused(helm_home, probe_wasm, cluster):
    p = probe(helm_home, probe_wasm, "hostFunctions: [kube_get]\nkube:\n  - {apiGroups: [''], resources: [configmaps],"
                                     " namespaces: [web]}\n", name="narrow")
    denied(p, "kube_list", {"apiVersion": "v1", "resource": "configmaps", "namespace": "web"},
           "may not call kube_list", "runtimeConfig.hostFunctions")
    q = probe(helm_home, probe_wasm, name="unapproved", approve=False)
    denied(q, "kube_get", {"apiVersion": "v1", "resource": "configmaps", "namespace": "web", "name": "cfg"},
           "no kube rule grants get")


def test_releases_in_granted_namespaces_only(helm_home, probe_wasm, cluster, kenv, pilot):
    for ns in ("web", "api"):
        res = pilot("install", "site", str(CHART), "-n", ns, env=kenv)
        assert res.returncode == 0, res.stderr
    p = probe(helm_home, probe_wasm)
    listed = call(p, "release_list", {"namespace": "web"})["result"]
    assert [(r["name"], r["revision"], r["status"], r["chart"]) for r in listed] == [("site", 1, "deployed",
                                                                                      "web-1.2.3")]
    hist = call(p, "release_history", {"namespace": "web", "name": "site"})["result"]
    assert [h["revision"] for h in hist] == [1]
    rel = call(p, "release_get", {"namespace": "web", "name": "site", "parts": ["manifest", "notes", "resources"]})
    assert "kind: Deployment" in rel["result"]["manifest"]
    # the release's Secret is not shown to a plugin without a rule naming secrets
    assert "changeme" not in rel["result"]["manifest"] and "kind: Secret" not in rel["result"]["manifest"]
    assert "# Source: web/templates/secret.yaml\n# HIDDEN: a Secret" in rel["result"]["manifest"]
    assert rel["result"]["notes"].startswith("web site is installed.")
    assert {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "", "name": "site-web"} in \
        rel["result"]["resources"]
    assert call(p, "release_get", {"namespace": "web", "name": "nope"})["error"]["code"] == 404
    denied(p, "release_get", {"namespace": "api", "name": "site"}, "may not call release_get",
           'no grant to read releases in namespace "api"')
    denied(p, "release_list", {"namespace": "../api"}, "invalid namespace")
    denied(p, "release_get", {"namespace": "web", "name": "site", "parts": ["manifest", "secrets"]}, "parts")


def test_release_secrets_shown_with_a_rule_naming_secrets(helm_home, probe_wasm, cluster, kenv, pilot):
    assert pilot("install", "site", str(CHART), "-n", "web", env=kenv).returncode == 0
    rc = GRANT.replace("resources: [deployments, services, configmaps]", "resources: [deployments, secrets]")
    p = probe(helm_home, probe_wasm, rc)
    rel = call(p, "release_get", {"namespace": "web", "name": "site", "parts": ["manifest"]})["result"]
    assert "kind: Secret" in rel["manifest"] and "changeme" in rel["manifest"]


def test_chart_files_stay_inside_the_chart(helm_home, probe_wasm, kenv):
    from pilothouse.chart import load

    p = probe(helm_home, probe_wasm)
    with use(HostContext(chart=load(str(CHART)))):
        assert "Chart.yaml" in call(p, "chart_file", {})["result"]["paths"]
        assert "name: web" in call(p, "chart_file", {"path": "Chart.yaml"})["result"]["text"]
        assert call(p, "chart_file", {"path": "nope.txt"})["error"]["code"] == 404
        for bad in ("../web/Chart.yaml", "/etc/passwd", "templates/../../x", "templates\\x", "./Chart.yaml"):
            denied(p, "chart_file", {"path": bad}, "invalid name")
        out = call(p, "chart_render", {"values": {"image": "nginx:9"}, "releaseName": "r"})["result"]
        assert "image: nginx:9" in out["manifests"]["web/templates/deployment.yaml"]
        assert out["notes"].startswith("web r is installed.")
    assert call(p, "chart_file", {"path": "Chart.yaml"})["error"]["code"] == 404


def test_credentials_by_name_only(helm_home, probe_wasm, kenv, pilot, monkeypatch, tmp_path):
    p = probe(helm_home, probe_wasm)
    assert call(p, "credential_get", {"name": "token"})["error"]["reason"] == "NotConfigured"
    monkeypatch.setenv("VAULT_TOKEN", "s.abc")
    res = pilot("plugin", "configure", "probe", "--secret", "token=env:VAULT_TOKEN", env=kenv)
    assert res.returncode == 0, res.stderr
    assert call(p, "credential_get", {"name": "token"})["result"] == {"name": "token", "value": "s.abc"}
    (tmp_path / "tok").write_text("from-file\n")
    assert pilot("plugin", "configure", "probe", "--secret", f"token=file:{tmp_path / 'tok'}", env=kenv).returncode == 0
    assert call(p, "credential_get", {"name": "token"})["result"]["value"] == "from-file"
    denied(p, "credential_get", {"name": "aws"}, "may not call credential_get", 'credential "aws" is not granted')
    denied(p, "credential_get", {"name": "../token"}, "invalid name")
    bad = pilot("plugin", "configure", "probe", "--secret", "token=shell:cat /etc/passwd", env=kenv)
    assert bad.returncode != 0 and "env:VAR or file:PATH" in bad.stderr and "Traceback" not in bad.stderr


def test_inspect_shows_requested_and_granted(helm_home, probe_wasm, kenv, pilot):
    probe(helm_home, probe_wasm)
    assert pilot("plugin", "configure", "probe", env=kenv).returncode == 0
    from pilothouse.plugin import policy

    doc = policy.load_user_config()
    doc["plugins"]["probe"]["narrow"] = {"hostAPI": {"kube": [{"apiGroups": ["*"], "resources": ["configmaps"],
                                                                "namespaces": ["web"]}]}}
    policy.save_user_config(doc)
    out = pilot("plugin", "inspect", "probe", env=kenv).stdout
    requested, granted = out.split("Granted:")
    assert "kubernetes: read Deployments, Services and ConfigMaps (API groups core, apps) in namespace web" in requested
    assert "kubernetes: read ConfigMaps (API groups core, apps) in namespace web" in granted


def test_the_c_pdk_reaches_the_host_api(helm_home, c_cred_wasm, kenv, monkeypatch, pilot):
    p = load_dir(str(helm_home.add_wasm("cred", c_cred_wasm,
                                        runtime_config="hostFunctions: [credential_get]\ncredentials: [token]\n")))
    approve_all(helm_home, "cred")
    monkeypatch.setenv("CRED_TOKEN", "c-secret")
    assert pilot("plugin", "configure", "cred", "--secret", "token=env:CRED_TOKEN", env=kenv).returncode == 0
    assert json.loads(wasm.call_raw(p, b"").output) == {"result": {"name": "token", "value": "c-secret"}}


def test_render_a_local_chart_only_where_granted(helm_home, probe_wasm, kenv, tmp_path):
    granted = tmp_path / "charts"
    granted.mkdir()
    import shutil

    shutil.copytree(CHART, granted / "web")
    (granted / "escape").symlink_to(CHART)  # a link out of the granted directory
    rc = f"hostFunctions: [chart_render]\nchart: {{render: true, local: ['{granted}/*']}}\n"
    p = probe(helm_home, probe_wasm, rc)
    out = call(p, "chart_render", {"chart": str(granted / "web"), "values": {"image": "nginx:7"}})["result"]
    assert "image: nginx:7" in out["manifests"]["web/templates/deployment.yaml"]
    denied(p, "chart_render", {"chart": str(CHART)}, "may not call chart_render", "no grant to render the chart at")
    denied(p, "chart_render", {"chart": str(granted / "escape")}, "no grant to render the chart at")
    denied(p, "chart_render", {"chart": f"{granted}/../charts/web"}, "invalid chart path")
    denied(p, "chart_render", {"chart": "web"}, "invalid chart path")
    assert call(p, "chart_render", {"chart": str(granted / "none")})["error"]["reason"] == "InvalidChart"


def test_a_local_chart_pattern_must_be_absolute():
    from pilothouse.plugin import policy

    with pytest.raises(PluginError, match="must be an absolute path"):
        policy.requested({"chart": {"render": True, "local": ["charts/*"]}})
    with pytest.raises(PluginError, match="must be an absolute path"):
        policy.requested({"chart": {"render": True, "local": ["/srv/../etc/*"]}})
