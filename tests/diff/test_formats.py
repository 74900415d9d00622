"""The report formats match the helm-diff plugin's, on the inputs and outputs of its own test suite
(databus23/helm-diff diff/diff_test.go: the same manifests give the same text)."""

from __future__ import annotations

import io
import json

import pytest

from pilothouse.action.diff import DiffOptions, Item, build_report, make_key
from pilothouse.cli.diff_output import write_report
from pilothouse.kube.compare import split_lines


def _item(content: str, kind: str = "Deployment", name: str = "nginx", api: str = "apps/v1") -> Item:
    from pilothouse.goyaml import load_yaml_v2

    return Item(make_key(api, kind, "default", name), kind, api, "default", name, content,
                load_yaml_v2(content), "keep" if "resource-policy: keep" in content else "")


def _index(*items: Item) -> dict[str, Item]:
    return {i.key: i for i in items}


BETA = _item("\napiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: nginx\n")
RELEASE = _item("\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\n")
SPEC = _item("\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\nspec:\n  replicas: 3\n")
RENAMED = _item("\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx-renamed\nspec:\n  replicas: 3\n",
                name="nginx-renamed")
KEEP = _item("\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\nannotations:\n"
             "  helm.sh/resource-policy: keep\n")


def _render(old, new, output="diff", context=10, **opts):
    options = DiffOptions(show_secrets=opts.pop("show_secrets", True), **opts)
    seen, changes = build_report(old, new, options)
    out = io.StringIO()
    write_report(out, changes, output=output, context=context, suppressed=options.suppressed_kinds)
    return seen, out.getvalue()


def test_changed_object():
    seen, text = _render(_index(BETA), _index(RELEASE))
    assert seen
    assert text == ("default, nginx, Deployment (apps) has changed:\n\n- apiVersion: apps/v1beta1\n"
                    "+ apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: nginx\n\n")


def test_suppressed_lines():
    _, text = _render(_index(BETA), _index(SPEC), suppressed_output_line_regex=["apiVersion"])
    assert text == ("default, nginx, Deployment (apps) has changed:\n\n  kind: Deployment\n  metadata:\n"
                    "    name: nginx\n+ spec:\n+   replicas: 3\n\n")
    seen, text = _render(_index(BETA), _index(RELEASE), suppressed_output_line_regex=["apiVersion"])
    assert seen
    assert text == "default, nginx, Deployment (apps) has changed, but diff is empty after suppression.\n"


def test_rename_detection():
    _, text = _render(_index(SPEC), _index(RENAMED), find_renames=0.5)
    assert text == ("default, nginx, Deployment (apps) has changed:\n\n  apiVersion: apps/v1\n  kind: Deployment\n"
                    "  metadata:\n-   name: nginx\n+   name: nginx-renamed\n  spec:\n    replicas: 3\n\n")


def test_no_change_removed_and_keep():
    assert _render(_index(SPEC), _index(SPEC)) == (False, "")
    _, text = _render(_index(RELEASE), {})
    assert text == ("default, nginx, Deployment (apps) has been removed:\n\n- apiVersion: apps/v1\n"
                    "- kind: Deployment\n- metadata:\n-   name: nginx\n- \n")
    assert _render(_index(KEEP), {}) == (False, "")


def test_simple_and_json_and_template():
    assert _render(_index(BETA), _index(RELEASE), output="simple")[1] == (
        "default, nginx, Deployment (apps) to be changed.\n"
        "Plan: 0 to add, 1 to change, 0 to destroy, 0 to change ownership.\n")
    assert _render(_index(SPEC), _index(SPEC), output="simple")[1] == (
        "Plan: 0 to add, 0 to change, 0 to destroy, 0 to change ownership.\n")
    for fmt in ("json", "template"):
        text = _render(_index(BETA), _index(RELEASE), output=fmt)[1]
        assert json.loads(text) == [{"api": "apps", "kind": "Deployment", "namespace": "default", "name": "nginx",
                                     "change": "MODIFY"}]
        assert _render(_index(SPEC), _index(SPEC), output=fmt)[1] == "[]\n"


SECRET = _item("\napiVersion: v1\nkind: Secret\nmetadata:\n  name: foobar\ntype: Opaque\ndata:\n"
               "  key1: dmFsdWUx\n  key2: dmFsdWUy\n  key3: dmFsdWUz\n", "Secret", "foobar", "v1")
SECRET_CHANGED = _item("\napiVersion: v1\nkind: Secret\nmetadata:\n  name: foobar\ntype: Opaque\ndata:\n"
                       "  key1: dmFsdWUxY2hhbmdlZA==\n  key2: dmFsdWUy\n  key4: dmFsdWU0\n", "Secret", "foobar", "v1")
STRING_SECRET = _item("\napiVersion: v1\nkind: Secret\nmetadata:\n  name: foobar\ntype: Opaque\nstringData:\n"
                      "  key1: value1\n  key2: value2\n  key3: value3\n", "Secret", "foobar", "v1")
STRING_SECRET_CHANGED = _item("\napiVersion: v1\nkind: Secret\nmetadata:\n  name: foobar\ntype: Opaque\n"
                              "stringData:\n  key1: value1changed\n  key2: value2\n  key4: value4\n",
                              "Secret", "foobar", "v1")
REDACTED = ("default, foobar, Secret (v1) has changed:\n  apiVersion: v1\n  kind: Secret\n  metadata:\n"
            "    name: foobar\n  data:\n-   key1: '-------- # (6 bytes)'\n+   key1: '++++++++ # (13 bytes)'\n"
            "    key2: 'REDACTED # (6 bytes)'\n-   key3: '-------- # (6 bytes)'\n+   key4: '++++++++ # (6 bytes)'\n"
            "  type: Opaque\n\n")


@pytest.mark.parametrize("old,new", [(SECRET, SECRET_CHANGED), (STRING_SECRET, STRING_SECRET_CHANGED)])
def test_secrets_are_redacted(old, new):
    assert _render(_index(old), _index(new), show_secrets=False, find_renames=0.5)[1] == REDACTED


def test_suppressed_kind():
    seen, text = _render(_index(SECRET), _index(SECRET_CHANGED), show_secrets=False, suppressed_kinds=["Secret"])
    assert text == ("default, foobar, Secret (v1) has changed:\n"
                    "+ Changes suppressed on sensitive content of type Secret\n")


TEXT1 = "line1\nline2\nline3\nline4\nline5\nline6\nline7\nline8\nline9\nline10"
TEXT2 = ("line1 - different!\nline2 - different!\nline3\nline4\nline5\nline6\nline7\nline8 - different!\n"
         "line9\nline10")
TEXT3 = TEXT1.replace("\n", "\r\n")


@pytest.mark.parametrize("context,expected", [
    (-1, "- line1\n- line2\n+ line1 - different!\n+ line2 - different!\n  line3\n  line4\n  line5\n  line6\n"
         "  line7\n- line8\n+ line8 - different!\n  line9\n  line10\n"),
    (0, "- line1\n- line2\n+ line1 - different!\n+ line2 - different!\n...\n- line8\n+ line8 - different!\n...\n"),
    (1, "- line1\n- line2\n+ line1 - different!\n+ line2 - different!\n  line3\n...\n  line7\n- line8\n"
        "+ line8 - different!\n  line9\n...\n"),
    (2, "- line1\n- line2\n+ line1 - different!\n+ line2 - different!\n  line3\n  line4\n...\n  line6\n  line7\n"
        "- line8\n+ line8 - different!\n  line9\n  line10\n"),
])
def test_context(context, expected):
    old = Item("k", "ConfigMap", "v1", "", "", TEXT1)
    new = Item("k", "ConfigMap", "v1", "", "", TEXT2)
    _, changes = build_report({"k": old}, {"k": new}, DiffOptions(show_secrets=True))
    out = io.StringIO()
    write_report(out, changes, context=context)
    assert out.getvalue() == "k has changed:\n" + expected


def test_strip_trailing_cr():
    assert split_lines(TEXT3, True) == split_lines(TEXT1)
    old = Item("k", "ConfigMap", "v1", "", "", TEXT1)
    new = Item("k", "ConfigMap", "v1", "", "", TEXT3)
    _, changes = build_report({"k": old}, {"k": new}, DiffOptions(show_secrets=True, strip_trailing_cr=True))
    assert changes == []


def test_structured_and_dyff_outputs_name_the_changed_fields():
    _, text = _render(_index(SPEC), _index(_item(SPEC.text.replace("replicas: 3", "replicas: 5"))),
                      output="structured")
    assert json.loads(text) == [{
        "apiVersion": "apps/v1", "kind": "Deployment", "namespace": "default", "name": "nginx", "changeType": "MODIFY",
        "resourceStatus": {"oldExists": True, "newExists": True},
        "changes": [{"path": "/spec", "field": "replicas", "change": "replace", "oldValue": 3, "newValue": 5}]}]
    _, text = _render(_index(SPEC), _index(_item(SPEC.text.replace("replicas: 3", "replicas: 5"))), output="dyff")
    assert "spec.replicas  (apps/v1/Deployment/nginx)\n  ± value change\n    - 3\n    + 5\n" in text


def test_custom_template_from_helm_diff_tpl(tmp_path, monkeypatch):
    # helm-diff's testdata/customTemplate.tpl and the output its test expects
    tpl = tmp_path / "customTemplate.tpl"
    tpl.write_text("{{- range $idx, $entry := . -}}\nResource name: {{ $entry.Name }}\n{{- end -}}\n")
    monkeypatch.setenv("HELM_DIFF_TPL", str(tpl))
    assert _render(_index(BETA), _index(RELEASE), output="template")[1] == "Resource name: nginx\n"
    tpl.write_text('{{ range $i, $e := . }}{{ $e.Kind }}/{{ $e.Change }}{{ if not (last $i $) }},{{ end }}{{ end }}')
    two = _index(BETA, _item(SECRET.text, "Secret", "foobar", "v1"))
    assert _render(two, _index(RELEASE), output="template")[1] == "Deployment/MODIFY,Secret/REMOVE\n"
