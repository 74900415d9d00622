"""The post-render step: files tagged, merged, post-rendered, and regrouped as Helm 4 does.

The merge/split vectors are Helm v4.2.3's own (pkg/action/action_test.go, TestAnnotateAndMerge
and TestSplitAndDeannotate). On top of Helm, Pilothouse edits the text instead of re-emitting
it, so a post-renderer that keeps a document keeps it byte for byte: key order, comments,
quoting, flow style and indentation. The end-to-end tests run `pilot template --post-renderer`
with real plugins: a shell one (subprocess runtime) and the C labels example built to Wasm.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pilothouse.action.postrender import annotate_and_merge, apply_post_renderer, split_and_deannotate
from pilothouse.errors import PluginError

ROOT = Path(__file__).resolve().parents[2]
PILOT = Path(sys.executable).parent / "pilot"


def _doc(name: str, body: str = "", ann: str = "") -> str:
    """A ConfigMap as Helm's vectors write them, optionally tagged (``ann`` = file name)."""
    tag = f"  annotations:\n    postrenderer.helm.sh/postrender-filename: '{ann}'\n" if ann else ""
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{tag}{body}"


# ---- Helm's vectors: annotateAndMerge ----------------------------------------------------

MERGE_VECTORS = {
    "no files": ({}, ""),
    "single file": ({"templates/configmap.yaml": "\n" + _doc("test-cm", "data:\n  key: value")},
                    _doc("test-cm", "data:\n  key: value\n", "templates/configmap.yaml")),
    "files in name order": (
        {"templates/secret.yaml": "\napiVersion: v1\nkind: Secret\nmetadata:\n  name: test-secret\n"
                                  "data:\n  password: dGVzdA==",
         "templates/configmap.yaml": "\n" + _doc("test-cm", "data:\n  key: value")},
        _doc("test-cm", "data:\n  key: value\n", "templates/configmap.yaml")
        + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: test-secret\n  annotations:\n"
          "    postrenderer.helm.sh/postrender-filename: 'templates/secret.yaml'\ndata:\n  password: dGVzdA==\n"),
    "partials and empty files are skipped": (
        {"templates/cm.yaml": "\n" + _doc("test-cm1") + "\n",
         "templates/_partial.tpl": '\n{{-define name}}\n  {{- "abracadabra"}}\n{{- end -}}',
         "templates/empty.yaml": ""},
        _doc("test-cm1", ann="templates/cm.yaml")),
    "separator glued to content": (
        {"templates/all.yaml": "\n" + _doc("test-cm") + "\n---apiVersion: v1\nkind: Service\nmetadata:\n"
                               "  name: test-svc\n"},
        _doc("test-cm", ann="templates/all.yaml") + "---\napiVersion: v1\nkind: Service\nmetadata:\n"
        "  name: test-svc\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'templates/all.yaml'\n"),
    "multiple leading separators": (
        {"templates/service.yaml": "\n---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: test-svc\n"},
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: test-svc\n  annotations:\n"
        "    postrenderer.helm.sh/postrender-filename: 'templates/service.yaml'\n"),
    "dashes inside a block scalar": (
        {"templates/configmap.yaml": "\n" + _doc("test-cm", "data:\n  config: |\n    # ------\n    [section]\n"
                                                "    key = value\n    # ------\n")},
        _doc("test-cm", "data:\n  config: |\n    # ------\n    [section]\n    key = value\n    # ------\n",
             "templates/configmap.yaml")),
    "clip block scalar without a final line break": (
        {"templates/cm.yaml": "\n" + _doc("test", "data:\n  key: |\n    hello")},
        _doc("test", "data:\n  key: |-\n    hello\n", "templates/cm.yaml")),
    "clip block scalar with two line breaks": (
        {"templates/cm.yaml": "\n" + _doc("test", "data:\n  key: |\n    hello\n\n")},
        _doc("test", "data:\n  key: |\n    hello\n", "templates/cm.yaml")),
    "keep block scalar with one line break": (
        {"templates/cm.yaml": "\n" + _doc("test", "data:\n  key: |+\n    hello\n")},
        _doc("test", "data:\n  key: |\n    hello\n", "templates/cm.yaml")),
    "keep block scalar with two line breaks": (
        {"templates/cm.yaml": "\n" + _doc("test", "data:\n  key: |+\n    hello\n\n")},
        _doc("test", "data:\n  key: |+\n    hello\n\n", "templates/cm.yaml")),
    "keep block scalar in a document that is not the last": (
        {"templates/cm.yaml": "\n" + _doc("test", "data:\n  key: |+\n    hello\n") + "---\n"
                              + _doc("test2", "data:\n  val: simple")},
        _doc("test", "data:\n  key: |-\n    hello\n", "templates/cm.yaml") + "---\n"
        + _doc("test2", "data:\n  val: simple\n", "templates/cm.yaml")),
}


@pytest.mark.parametrize("name", list(MERGE_VECTORS))
def test_annotate_and_merge_as_helm(name):
    files, expected = MERGE_VECTORS[name]
    assert annotate_and_merge(files) == expected


def test_annotate_and_merge_reports_invalid_yaml_with_the_file():
    with pytest.raises(PluginError, match="parsing templates/invalid.yaml"):
        annotate_and_merge({"templates/invalid.yaml": "\ninvalid: yaml: content:\n  - malformed"})


# ---- Helm's vectors: splitAndDeannotate --------------------------------------------------

def _tagged(name: str, fname: str, extra: str = "") -> str:
    return (f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  annotations:\n"
            f"    postrenderer.helm.sh/postrender-filename: {fname}\n{extra}data:\n  key: value")


def test_split_and_deannotate_as_helm():
    assert split_and_deannotate(_tagged("test-cm", "templates/configmap.yaml"), "test") == {
        "templates/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test-cm\ndata:\n  key: value\n"}
    stream = _tagged("test-cm1", "templates/multi.yaml") + "\n---\n" + _tagged("test-cm2", "templates/multi.yaml")
    assert split_and_deannotate(stream, "test") == {"templates/multi.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test-cm1\ndata:\n  key: value\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test-cm2\ndata:\n  key: value\n")}
    other = _tagged("test-cm", "templates/configmap.yaml", "    other-annotation: should-remain\n")
    assert split_and_deannotate(other, "test") == {"templates/configmap.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test-cm\n  annotations:\n"
        "    other-annotation: should-remain\ndata:\n  key: value\n")}
    untagged = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test-cm\ndata:\n  key: value"
    assert split_and_deannotate(untagged, "test") == {"generated-by-postrender-test-0.yaml": untagged + "\n"}
    with pytest.raises(PluginError, match="error parsing YAML"):
        split_and_deannotate("invalid: yaml: content:", "test")


def test_untagged_documents_are_numbered_by_their_place_in_the_stream():
    stream = _tagged("a", "t/a.yaml") + "\n---\nkind: X\n---\n" + _tagged("b", "t/b.yaml") + "\n---\nkind: Y\n"
    assert sorted(split_and_deannotate(stream)) == ["generated-by-postrender-1.yaml",
                                                    "generated-by-postrender-3.yaml", "t/a.yaml", "t/b.yaml"]


# ---- beyond Helm: the text survives the round trip ---------------------------------------

ODD_DOCS = {
    "templates/odd.yaml": textwrap.dedent("""\
        # a comment before everything
        kind: Deployment   # kind first, on purpose
        apiVersion: apps/v1
        metadata:
          labels: {app: web}
          name: "web"   # quoted
          annotations:
            checksum/config: 'abc'
        spec:
          template:
            spec:
              containers:
              - name: c
                args: [--a, "--b"]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: flow-cm}
        data:
            four: spaces
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
            name: no-annotations
            namespace: ns
        data:
          cert: |
            -----BEGIN-----
            abc
        ---
        apiVersion: v1
        kind: Secret
        stringData:
          a: b
        """),
    "templates/ann-flow.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations: {a: b}\n",
}


def test_identity_post_renderer_keeps_every_document_as_written():
    out = apply_post_renderer(ODD_DOCS, lambda stream: stream)
    assert set(out) == set(ODD_DOCS)
    for name, text in ODD_DOCS.items():
        docs = [d if d.endswith("\n") else d + "\n" for d in text.split("\n---\n")]
        # a document that had no metadata keeps the empty one it was given, as with kyaml; a
        # block scalar ending a document that Helm's split left without a final line break says
        # so with `|-`, as kyaml writes it (the value is the same as before the round trip)
        expected = [d + "metadata: {}\n" if "kind: Secret" in d else d.replace("cert: |", "cert: |-") for d in docs]
        assert out[name] == "---\n".join(expected)


def test_the_tag_goes_into_metadata_in_the_documents_own_style():
    merged = annotate_and_merge(ODD_DOCS)
    tag = "postrenderer.helm.sh/postrender-filename: 'templates/odd.yaml'"
    assert f"  annotations:\n    checksum/config: 'abc'\n    {tag}\nspec:" in merged
    assert f"metadata: {{name: flow-cm, annotations: {{{tag}}}}}" in merged
    assert f"    namespace: ns\n    annotations:\n        {tag}\ndata:" in merged
    assert "annotations: {a: b, postrenderer.helm.sh/postrender-filename: 'templates/ann-flow.yaml'}" in merged
    assert f"stringData:\n  a: b\nmetadata:\n  annotations:\n    {tag}\n" in merged


def test_documents_the_text_form_cannot_handle_are_parsed_instead():
    # a quoted scalar running over several top-level lines: the text form would misread it
    tricky = {"t/x.yaml": 'apiVersion: v1\nkind: ConfigMap\ndata: "multi\nmetadata: not a key"\nmetadata:\n  name: x\n'}
    merged = annotate_and_merge(tricky)
    assert "postrender-filename: t/x.yaml" in merged
    back = split_and_deannotate(merged)
    assert "postrender-filename" not in back["t/x.yaml"] and "name: x" in back["t/x.yaml"]


# ---- end to end: pilot template --post-renderer ------------------------------------------

CHART_FILES = {
    "Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
    "templates/_helpers.tpl": '{{- define "demo.name" }}demo{{ end }}',
    "templates/deploy.yaml": textwrap.dedent("""\
        # the web tier
        kind: Deployment
        apiVersion: apps/v1
        metadata:
          name: {{ include "demo.name" . }}-web
          annotations:
            team: "payments"   # owner
        spec:
          replicas: 2
          template:
            spec:
              containers:
              - name: web
                args: [--port, "8080"]
        """),
    "templates/config.yaml": textwrap.dedent("""\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: {{ include "demo.name" . }}-flow}
        data:
          zeta: last-in-sort-order
          alpha: first
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ include "demo.name" . }}-script
        data:
          run.sh: |
            #!/bin/sh
            echo hi
        """),
}


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    for name, text in CHART_FILES.items():
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_text(text)
    return d


@pytest.fixture
def helm_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, HELM_DATA_HOME=str(tmp_path / "data"), HELM_CONFIG_HOME=str(tmp_path / "config"),
               HELM_CACHE_HOME=str(tmp_path / "cache"), HELM_PLUGINS=str(tmp_path / "plugins"),
               PILOTHOUSE_WASM_CACHE=str(tmp_path / "wasmcache"), KUBECONFIG=str(tmp_path / "none"))
    env.pop("HELM_NAMESPACE", None)
    return env


def _plugin(env: dict[str, str], name: str, plugin_yaml: str, files: dict[str, bytes]) -> None:
    d = Path(env["HELM_PLUGINS"]) / name
    d.mkdir(parents=True)
    (d / "plugin.yaml").write_text(textwrap.dedent(plugin_yaml))
    for fname, data in files.items():
        (d / fname).write_bytes(data)
        (d / fname).chmod(0o755)


def _template(chart: Path, env: dict[str, str], *extra: str) -> str:
    res = subprocess.run([str(PILOT), "template", "rel", str(chart), *extra], env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout


SHELL_PLUGIN = """\
    apiVersion: v1
    name: {name}
    type: postrenderer/v1
    runtime: subprocess
    version: 0.1.0
    runtimeConfig:
      platformCommand:
        - command: ${{HELM_PLUGIN_DIR}}/run.sh
    """


def test_shell_post_renderer_keeps_order_and_formatting(chart, helm_env):
    _plugin(helm_env, "passthrough", SHELL_PLUGIN.format(name="passthrough"), {"run.sh": b"#!/bin/sh\ncat\n"})
    plain = _template(chart, helm_env)
    assert _template(chart, helm_env, "--post-renderer", "passthrough") == plain
    assert "# the web tier\nkind: Deployment\napiVersion: apps/v1\n" in plain
    assert 'team: "payments"   # owner' in plain and 'args: [--port, "8080"]' in plain
    assert "metadata: {name: demo-flow}\ndata:\n  zeta: last-in-sort-order\n  alpha: first\n" in plain


def test_shell_post_renderer_output_is_regrouped_by_file(chart, helm_env):
    # the renderer appends a document of its own and edits every document in place
    script = (b"#!/bin/sh\nsed 's/replicas: 2/replicas: 3/'\n"
              b"printf -- '---\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: added\\n'\n")
    _plugin(helm_env, "editor", SHELL_PLUGIN.format(name="editor"), {"run.sh": script})
    out = _template(chart, helm_env, "--post-renderer", "editor")
    sources = [line for line in out.splitlines() if line.startswith("# Source:")]
    assert sources == ["# Source: demo/templates/config.yaml", "# Source: demo/templates/config.yaml",
                       "# Source: generated-by-postrender-3.yaml", "# Source: demo/templates/deploy.yaml"]
    assert "replicas: 3" in out and "postrender-filename" not in out


def _wasm_labels() -> Path:
    spec = importlib.util.spec_from_file_location("plugin_builds_for_postrender", ROOT / "tests/plugin/conftest.py")
    assert spec is not None and spec.loader is not None
    builds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builds)
    return builds.clang_build([ROOT / "examples/plugins/labels-c/labels_wasm.c"], "c-labels", wasi=False,
                              exports=["helm_plugin_main"])


def test_wasm_labels_plugin_adds_labels_and_keeps_the_rest(chart, helm_env):
    _plugin(helm_env, "labels-c", (ROOT / "examples/plugins/labels-c/plugin.yaml").read_text(),
            {"plugin.wasm": _wasm_labels().read_bytes()})
    plain = _template(chart, helm_env)
    out = _template(chart, helm_env, "--post-renderer", "labels-c")
    label = "  labels:\n    app.kubernetes.io/managed-by: pilothouse\n"
    assert out == plain.replace("metadata:\n  name: demo-web\n", "metadata:\n" + label + "  name: demo-web\n") \
        .replace("metadata:\n  name: demo-script\n", "metadata:\n" + label + "  name: demo-script\n")
