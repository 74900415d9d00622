"""The merge and selector algorithms on their own, with the vectors of their specifications
(RFC 7386, RFC 6902, the Kubernetes strategic-merge-patch and label-selector documentation)."""

from __future__ import annotations

import pytest

from fakekube import patch, schema
from fakekube.errors import ApiError
from fakekube.selectors import label_matcher

# RFC 7386, Appendix A.
MERGE_VECTORS = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "doc", "expected"), MERGE_VECTORS)
def test_json_merge_patch_rfc7386(target, doc, expected):
    assert patch.merge_patch(target, doc) == expected


def test_json_patch_rfc6902_examples():
    assert patch.json_patch({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}]) == {"foo": "bar", "baz": "qux"}
    assert patch.json_patch({"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}]) == {
        "foo": ["bar", "qux", "baz"]
    }
    assert patch.json_patch({"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}]) == {"foo": "bar"}
    assert patch.json_patch({"baz": "qux", "foo": "bar"}, [{"op": "replace", "path": "/baz", "value": "boo"}]) == {
        "baz": "boo",
        "foo": "bar",
    }
    moved = patch.json_patch(
        {"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
        [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
    )
    assert moved == {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}
    assert patch.json_patch({"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}]) == {
        "foo": ["bar", ["abc", "def"]]
    }
    with pytest.raises(ApiError):
        patch.json_patch({"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "bar"}])
    with pytest.raises(ApiError):
        patch.json_patch({"foo": "bar"}, [{"op": "add", "path": "/baz/bat", "value": "qux"}])


DEPLOY = schema.for_kind("apps", "Deployment")


def _pod(containers, **spec):
    return {"spec": {"template": {"spec": {"containers": containers, **spec}}}}


def test_strategic_merge_containers_by_name_and_delete_directive():
    live = _pod([{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:1"}])
    out = patch.strategic_merge(live, _pod([{"name": "b", "image": "y:2"}, {"name": "c", "image": "z"}]), DEPLOY)
    assert out["spec"]["template"]["spec"]["containers"] == [
        {"name": "a", "image": "x:1"},
        {"name": "b", "image": "y:2"},
        {"name": "c", "image": "z"},
    ]
    out = patch.strategic_merge(live, _pod([{"name": "a", "$patch": "delete"}]), DEPLOY)
    assert out["spec"]["template"]["spec"]["containers"] == [{"name": "b", "image": "y:1"}]
    out = patch.strategic_merge(live, _pod([{"name": "n", "image": "q"}, {"$patch": "replace"}]), DEPLOY)
    assert out["spec"]["template"]["spec"]["containers"] == [{"name": "n", "image": "q"}]


def test_strategic_merge_directives_kubectl_sends():
    live = _pod([{"name": "a", "image": "x", "args": ["1", "2"]}, {"name": "b", "image": "y"}])
    doc = {
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "b"}, {"name": "a"}],
                    "containers": [{"name": "a", "args": ["3"]}],
                }
            }
        }
    }
    out = patch.strategic_merge(live, doc, DEPLOY)["spec"]["template"]["spec"]["containers"]
    # Lists without a merge strategy (args) are replaced; the order follows $setElementOrder.
    assert out == [{"name": "b", "image": "y"}, {"name": "a", "image": "x", "args": ["3"]}]
    meta = {"metadata": {"finalizers": ["a", "b"], "labels": {"x": "1", "y": "2"}}}
    out = patch.strategic_merge(
        meta, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"], "labels": {"x": None}}}, DEPLOY
    )
    assert out == {"metadata": {"finalizers": ["b"], "labels": {"y": "2"}}}
    out = patch.strategic_merge(meta, {"metadata": {"finalizers": ["c"]}}, DEPLOY)
    assert out["metadata"]["finalizers"] == ["a", "b", "c"]
    strategy = {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}}
    out = patch.strategic_merge(strategy, {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}, DEPLOY)
    assert out == {"spec": {"strategy": {"type": "Recreate"}}}


@pytest.mark.parametrize(
    ("selector", "labels", "expected"),
    [
        ("environment = production", {"environment": "production"}, True),
        ("tier != frontend", {"tier": "backend"}, True),
        ("tier != frontend", {}, True),
        ("environment=production,tier!=frontend", {"environment": "production", "tier": "frontend"}, False),
        ("environment in (production, qa)", {"environment": "qa"}, True),
        ("tier notin (frontend, backend)", {"tier": "cache"}, True),
        ("tier notin (frontend, backend)", {}, True),
        ("partition", {"partition": "x"}, True),
        ("!partition", {"partition": "x"}, False),
        ("partition in (customerA, customerB),environment!=qa", {"partition": "customerA", "environment": "qa"}, False),
    ],
)
def test_label_selectors_of_the_kubernetes_documentation(selector, labels, expected):
    assert label_matcher(selector)({"metadata": {"labels": labels}}) is expected


def test_bad_label_selector_is_a_400():
    with pytest.raises(ApiError) as err:
        label_matcher("a in b")
    assert err.value.code == 400
