"""The post-renderer fast path: a module that also exports `pilothouse_postrender` gets the YAML
itself, answers YAML, and is guarded exactly as through Helm's JSON entry; the same plugin.wasm
keeps working through `helm_plugin_main` in another Extism host."""

from __future__ import annotations

import json

import extism
import pytest

from pilothouse.errors import PluginError
from pilothouse.plugin import wasm
from pilothouse.plugin.loader import load_dir
from pilothouse.plugin.postrender import run_postrenderer
from pilothouse.plugin.types.postrenderer import FAST_ENTRY

LABEL = "    app.kubernetes.io/managed-by: pilothouse\n"
# (input, expected) from the labels-c transform's own vectors (test_labels_example.py)
CASES = [
    ("metadata:\n  name: a\n", "metadata:\n  labels:\n" + LABEL + "  name: a\n"),
    ("kind: A\nmetadata:", "kind: A\nmetadata:\n  labels:\n" + LABEL),
    ('metadata:\n  note: "a \\"q\\" \\\\ \t\r\x01"\ndata:\n  emoji: 😀 é ü\n',
     'metadata:\n  labels:\n' + LABEL + '  note: "a \\"q\\" \\\\ \t\r\x01"\ndata:\n  emoji: 😀 é ü\n'),
    ("a: 1\n---\nmetadata:   \n  name: x\n---\nmetadata:\n",
     "a: 1\n---\nmetadata:   \n  labels:\n" + LABEL + "  name: x\n---\nmetadata:\n  labels:\n" + LABEL),
]


def _extism_call(path, entry: str, data: bytes) -> bytes:
    """The `extism` package (another engine and kernel), as any Extism host would call it."""
    with extism.Plugin({"wasm": [{"path": str(path)}]}, wasi=False) as plugin:
        return bytes(plugin.call(entry, data))


def _json_path(monkeypatch, name: str, args: list[str], text: str) -> str:
    with monkeypatch.context() as m:
        m.setenv("PILOT_PLUGIN_FASTPATH", "off")
        return run_postrenderer(name, args, text)


# ---- portability: one plugin.wasm, both entries, two hosts ---------------------------------

@pytest.mark.parametrize("text,expected", CASES)
def test_labels_c_gives_the_same_answer_through_every_entry_and_host(helm_home, c_labels_wasm, monkeypatch,
                                                                      text, expected):
    plugin = load_dir(str(helm_home.add_wasm("clabels", c_labels_wasm, ptype="postrenderer/v1")))
    assert wasm.exports(plugin, FAST_ENTRY) is not None
    assert run_postrenderer("clabels", [], text) == expected
    assert _json_path(monkeypatch, "clabels", [], text) == expected
    # Helm's entry in another host, and the fast entry there too
    msg = json.dumps({"manifests": text, "extraArgs": []}).encode()
    assert json.loads(_extism_call(c_labels_wasm, "helm_plugin_main", msg)) == {"manifests": expected}
    assert _extism_call(c_labels_wasm, FAST_ENTRY, text.encode()).decode() == expected


def test_labels_c_on_a_large_stream_both_entries(helm_home, c_labels_wasm, monkeypatch):
    helm_home.add_wasm("clabels", c_labels_wasm, ptype="postrenderer/v1")
    doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: \"v\\\\x\"\n"
    text = "---\n".join([doc] * 3000)
    want = "---\n".join([doc.replace("metadata:\n", "metadata:\n  labels:\n" + LABEL)] * 3000)
    for _ in range(3):  # a reused instance answers the same every time
        assert run_postrenderer("clabels", [], text) == want
        assert _json_path(monkeypatch, "clabels", [], text) == want


def test_config_reaches_the_fast_entry(helm_home, c_labels_wasm):
    helm_home.add_wasm("clabels", c_labels_wasm, ptype="postrenderer/v1",
                       runtime_config="config:\n  label_key: team\n  label_value: web\n")
    assert run_postrenderer("clabels", [], "metadata:\n  name: a\n") == "metadata:\n  labels:\n    team: web\n  name: a\n"


# ---- which entry is called ---------------------------------------------------------------

def test_fast_entry_gets_the_yaml_as_it_is(helm_home, fastpath_wasm, monkeypatch):
    helm_home.add_wasm("fp", fastpath_wasm, ptype="postrenderer/v1")
    text = 'kind: A\nnote: "quotes \\" and \\\\ stay raw"\n'
    assert run_postrenderer("fp", [], text) == text
    # the JSON entry answers "json\n": used when the user switches the fast path off...
    assert _json_path(monkeypatch, "fp", [], text) == "json\n"
    # ...and whenever there are arguments, which only the JSON message carries
    assert run_postrenderer("fp", ["a=b"], text) == "json\n"


def test_module_without_the_fast_entry_uses_json(helm_home, jsononly_wasm):
    plugin = load_dir(str(helm_home.add_wasm("jo", jsononly_wasm, ptype="postrenderer/v1")))
    assert wasm.exports(plugin, FAST_ENTRY) is None
    assert run_postrenderer("jo", [], "kind: A\n") == "json\n"


def test_fast_entry_of_the_wrong_shape_is_refused(helm_home, badsig_wasm):
    helm_home.add_wasm("bad", badsig_wasm, ptype="postrenderer/v1")
    with pytest.raises(PluginError, match=r'failed to invoke post-renderer plugin "bad": exported function '
                                          r'"pilothouse_postrender" must take no parameters and return an i32'):
        run_postrenderer("bad", [], "kind: A\n")


# ---- the same guards as the JSON entry -------------------------------------------------------

PREFIX = 'failed to invoke post-renderer plugin "fp": '


@pytest.mark.parametrize("first,message", [
    ("E", "plugin error: boom in the fast entry"),
    ("T", 'plugin "fp" crashed: .*unreachable'),
    ("H", r'plugin "fp" produced 2147483648 bytes of output, more than the limit of \d+'),
    ("X", r'plugin "fp" exited with error \(code 3\)'),
    ("U", 'plugin "fp" returned manifests that are not UTF-8 text'),
])
def test_a_failing_fast_entry_is_stopped_with_a_clear_error(helm_home, fastpath_wasm, first, message):
    helm_home.add_wasm("fp", fastpath_wasm, ptype="postrenderer/v1")
    with pytest.raises(PluginError, match="^" + PREFIX + message):
        run_postrenderer("fp", [], first + "ail: now\n")
    # the host goes on: the next call (on a new instance after a trap) works
    assert run_postrenderer("fp", [], "kind: A\n") == "kind: A\n"


def test_empty_answer_from_the_fast_entry(helm_home, fastpath_wasm):
    helm_home.add_wasm("fp", fastpath_wasm, ptype="postrenderer/v1")
    with pytest.raises(PluginError, match='post-renderer "fp" produced empty output'):
        run_postrenderer("fp", [], "Z: 1\n")


def test_output_cap_and_timeout_apply_to_the_fast_entry(helm_home, fastpath_wasm):
    helm_home.add_wasm("fp", fastpath_wasm, ptype="postrenderer/v1", runtime_config="timeout: 100\n")
    with pytest.raises(PluginError, match="^" + PREFIX + 'plugin "fp" timed out after 100 ms'):
        run_postrenderer("fp", [], "L: 1\n")
    helm_home.add_wasm("fpcap", fastpath_wasm, ptype="postrenderer/v1", runtime_config="maxOutputBytes: 1000\n")
    with pytest.raises(PluginError, match=r'produced 1001 bytes of output, more than the limit of 1000'):
        run_postrenderer("fpcap", [], "a" * 1001)
    assert run_postrenderer("fpcap", [], "a" * 1000) == "a" * 1000
