"""Grant rules of the host API: parsed strictly, narrowed only, described in plain words."""

from __future__ import annotations

import pytest

from pilothouse.errors import PluginError
from pilothouse.plugin import grants, policy

RULE = {"apiGroups": ["", "apps"], "resources": ["deployments", "services"], "namespaces": ["web", "api"],
        "verbs": ["get", "list"]}


def test_install_prompt_shows_each_rule_in_plain_words():
    req = policy.requested({"kube": [RULE], "releases": {"namespaces": ["web"]}, "credentials": ["token"],
                            "chart": {"files": True}})
    lines = req.describe()
    assert "kubernetes: read Deployments and Services (API groups core, apps) in namespaces web, api" in lines
    assert "releases: read releases (manifest, values, notes, hooks) in namespace web" in lines
    assert "credentials: token" in lines
    assert "charts: read the files of the chart being processed" in lines


@pytest.mark.parametrize("verb", ["create", "update", "delete", "patch", "watch", "*", "escalate"])
def test_no_write_verb_exists(verb):
    with pytest.raises(PluginError, match=f"{verb!r} is not allowed .*read-only"):
        policy.requested({"kube": [{**RULE, "verbs": ["get", verb]}]})


@pytest.mark.parametrize("field,bad", [("namespaces", "../kube-system"), ("namespaces", "/"),
                                       ("resources", "deployments/scale"), ("resources", "../secrets"),
                                       ("apiGroups", "apps/../../"), ("namespaces", "web\x00")])
def test_malformed_rule_entries_are_refused(field, bad):
    with pytest.raises(PluginError, match="invalid entry"):
        policy.requested({"kube": [{**RULE, field: [bad]}]})


def test_wildcard_never_includes_secrets():
    g = {"kube": [{"apiGroups": ["*"], "resources": ["*"], "namespaces": ["*"], "verbs": ["get", "list"]}]}
    assert grants.kube_allows(g, "get", "apps", "deployments", "web")
    assert not grants.kube_allows(g, "get", "", "secrets", "web")
    g["kube"][0]["resources"] = ["*", "secrets"]
    assert grants.kube_allows(g, "get", "", "secrets", "web")
    assert "every kind except Secrets, and Secrets" in grants.describe(g)[0]


def _granted(req_rc, narrow):
    req = policy.requested(req_rc)
    user = {"plugins": {"p": {"approved": req.digest(), "narrow": {"hostAPI": narrow}}}}
    return policy.grant("p", req, user).host_api


def test_user_narrowing_cannot_widen_a_rule():
    # the settings try to add every resource, Secrets, every namespace and a new credential
    got = _granted({"kube": [RULE], "credentials": ["token"]},
                   {"kube": [{"apiGroups": ["*"], "resources": ["*", "secrets"], "namespaces": ["*"]}],
                    "credentials": ["token", "aws"]})
    assert got["kube"] == [{**RULE}]
    assert got["credentials"] == ["token"]
    assert not grants.kube_allows(got, "get", "", "secrets", "web")


def test_user_narrows_a_rule_to_fewer_namespaces_and_verbs():
    got = _granted({"kube": [RULE]}, {"kube": [{"apiGroups": ["apps"], "resources": ["*"], "namespaces": ["web"],
                                                "verbs": ["get"]}]})
    assert got["kube"] == [{"apiGroups": ["apps"], "resources": ["deployments", "services"], "namespaces": ["web"],
                            "verbs": ["get"]}]
    assert grants.kube_allows(got, "get", "apps", "deployments", "web")
    assert not grants.kube_allows(got, "list", "apps", "deployments", "web")
    assert not grants.kube_allows(got, "get", "apps", "deployments", "api")


def test_settings_that_cannot_be_read_grant_nothing():
    assert _granted({"kube": [RULE]}, {"kube": [{"verbs": ["delete"]}]}) == {}


def test_host_api_needs_approval_and_a_changed_request_loses_it():
    req = policy.requested({"kube": [RULE], "hostFunctions": ["kube_get"]})
    assert policy.grant("p", req, {}).host_api == {}
    assert policy.approval_state("p", req, {}) == "not approved"
    user = {"plugins": {"p": {"approved": req.digest()}}}
    assert policy.grant("p", req, user).host_api["kube"] == [RULE]
    wider = policy.requested({"kube": [{**RULE, "namespaces": ["*"]}], "hostFunctions": ["kube_get"]})
    assert policy.grant("p", wider, user).host_api == {}
    assert policy.approval_state("p", wider, user) == "changed since approval"


def test_a_plugin_without_host_api_keeps_its_old_approval_digest():
    req = policy.requested({"env": ["HOME"]})
    assert "hostAPI" not in req.extensions()


def test_rule_counts_are_bounded():
    with pytest.raises(PluginError, match="at most 64 rules"):
        policy.requested({"kube": [RULE] * 65})


def test_http_methods_and_headers_as_granted():
    # without an http grant: Helm's behaviour, any method and header to the allowed hosts
    plain = policy.requested({"allowedHosts": ["vault.internal"]})
    assert policy.http_refusal(plain, "POST", {"X-Anything": "1"}) is None
    # ... which the user can restrict
    user = {"plugins": {"p": {"narrow": {"hostAPI": {"http": {"methods": ["GET"]}}}}}}
    narrowed = policy.grant("p", plain, user)
    assert policy.http_refusal(narrowed, "GET", {"Accept": "application/json"}) is None
    assert "method POST is not granted" in policy.http_refusal(narrowed, "post", {})
    assert 'header "X-Vault-Token" is not granted' in policy.http_refusal(narrowed, "GET", {"X-Vault-Token": "t"})
    req = policy.requested({"http": {"methods": ["GET", "POST"], "headers": ["X-Vault-Token"]}})
    user = {"plugins": {"p": {"approved": req.digest(), "narrow": {"hostAPI": {"http": {"methods": ["GET"],
                                                                                       "headers": ["x-vault-token"]}}}}}}
    g = policy.grant("p", req, user)
    assert policy.http_refusal(g, "GET", {"x-vault-token": "t"}) is None
    assert "method POST" in policy.http_refusal(g, "POST", {})
    with pytest.raises(PluginError, match="unknown method 'CONNECT'"):
        policy.requested({"http": {"methods": ["CONNECT"]}})
