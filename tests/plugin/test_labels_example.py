"""The labels-c example, built to Wasm and natively, and the C types the Wasm host is built on."""

from __future__ import annotations

import ctypes
import json
import subprocess

import pytest

from pilothouse.plugin.postrender import run_postrenderer
from pilothouse.plugin.runtimes import cdata

LABEL = "    app.kubernetes.io/managed-by: pilothouse\n"

# (input, expected): the transform puts the label under metadata.labels, text otherwise untouched
CASES = [
    ("metadata:\n  name: a\n", "metadata:\n  labels:\n" + LABEL + "  name: a\n"),
    ("metadata:\n  labels:\n    tier: web\n", "metadata:\n  labels:\n" + LABEL + "    tier: web\n"),
    # the last line without a line break, in both places the label can go
    ("kind: A\nmetadata:", "kind: A\nmetadata:\n  labels:\n" + LABEL),
    ("metadata:\n  labels:", "metadata:\n  labels:\n" + LABEL),
    # text that JSON escapes: quotes, backslashes, tabs, CR, control bytes, and beyond the BMP
    ('metadata:\n  note: "a \\"q\\" \\\\ \t\r\x01"\ndata:\n  emoji: 😀 é ü\n',
     'metadata:\n  labels:\n' + LABEL + '  note: "a \\"q\\" \\\\ \t\r\x01"\ndata:\n  emoji: 😀 é ü\n'),
    # not a top-level metadata line: left alone
    ("spec:\n  metadata:\n    name: x\nmetadata2: y\n", "spec:\n  metadata:\n    name: x\nmetadata2: y\n"),
    ("a: 1\n---\nmetadata:   \n  name: x\n---\nmetadata:\n",
     "a: 1\n---\nmetadata:   \n  labels:\n" + LABEL + "  name: x\n---\nmetadata:\n  labels:\n" + LABEL),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_wasm_and_native_builds_do_the_same_transform(helm_home, c_labels_wasm, c_labels_native, text, expected):
    helm_home.add_wasm("clabels", c_labels_wasm, ptype="postrenderer/v1")
    assert run_postrenderer("clabels", [], text) == expected
    native = subprocess.run([str(c_labels_native)], input=text.encode(), capture_output=True, check=True)
    assert native.stdout.decode() == expected


def test_wasm_build_on_a_large_stream(helm_home, c_labels_wasm):
    helm_home.add_wasm("clabels", c_labels_wasm, ptype="postrenderer/v1")
    doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: \"v\\\\x\"\n"
    out = run_postrenderer("clabels", [], "---\n".join([doc] * 3000))
    assert out == "---\n".join([doc.replace("metadata:\n", "metadata:\n  labels:\n" + LABEL)] * 3000)


def test_malformed_json_input_is_refused(helm_home, c_labels_wasm):
    from pilothouse.errors import PluginError
    from pilothouse.plugin import wasm
    from pilothouse.plugin.loader import load_dir

    plugin = load_dir(str(helm_home.add_wasm("clabels", c_labels_wasm, ptype="postrenderer/v1")))
    for bad in (b'{"manifests": "a\\q"}', b'{"manifests": "unterminated', b'{"other": 1}',
                b'{"manifests": "raw\ncontrol"}'):
        with pytest.raises(PluginError, match="plugin error: "):
            wasm.call(plugin, bad)
    assert wasm.call(plugin, json.dumps({"manifests": "a: 1\n"}).encode()).json == {"manifests": "a: 1\n"}


# ---- cdata: the same C types as ctypes, without importing it ---------------------------------

def test_cdata_types_match_ctypes():
    for name in ("c_bool", "c_char_p", "c_int", "c_int32", "c_int64", "c_size_t", "c_uint8", "c_uint32",
                 "c_uint64", "c_void_p"):
        assert cdata.sizeof(getattr(cdata, name)) == ctypes.sizeof(getattr(ctypes, name)), name


def test_cdata_calls_c_and_moves_memory():
    libc = cdata.CDLL("libc.so.6")
    libc.strlen.restype = cdata.c_size_t
    libc.strlen.argtypes = [cdata.c_char_p]
    assert libc.strlen(b"pilothouse") == 10
    buf = (cdata.c_uint8 * 8)()
    cdata.memmove(buf, b"abcdefgh", 8)
    assert cdata.string_at(buf, 8) == b"abcdefgh"
    assert cdata.string_at(cdata.byref(buf), 3) == b"abc"
    callback = cdata.CFUNCTYPE(cdata.c_int, cdata.c_int)(lambda x: x * 2)
    assert callback(21) == 42
