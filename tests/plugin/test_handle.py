"""`load_postrenderer`: a post-renderer resolved once for a long-lived process. It must answer
and fail exactly as `run_postrenderer` does, through both Wasm entries, for subprocess plugins
and Helm 3 executables, call after call and from several threads."""

from __future__ import annotations

import threading

import pytest

import pilothouse
from pilothouse.errors import PluginError
from pilothouse.plugin.postrender import PostRenderer, load_postrenderer, run_postrenderer
from pilothouse.plugin.runtimes import extism

LABEL = "    app.kubernetes.io/managed-by: pilothouse\n"
# (input, expected) from the labels-c transform's own vectors (test_labels_example.py)
CASES = [
    ("metadata:\n  name: a\n", "metadata:\n  labels:\n" + LABEL + "  name: a\n"),
    ("a: 1\n---\nmetadata:   \n  name: x\n---\nmetadata:\n",
     "a: 1\n---\nmetadata:   \n  labels:\n" + LABEL + "  name: x\n---\nmetadata:\n  labels:\n" + LABEL),
]
PREFIX = 'failed to invoke post-renderer plugin "fp": '


@pytest.fixture
def labels(helm_home, c_labels_wasm, c_labels_native):
    """The same C transform as a Wasm plugin (both entries) and as a subprocess plugin."""
    helm_home.add_wasm("wlabels", c_labels_wasm, ptype="postrenderer/v1")
    helm_home.add("slabels", "apiVersion: v1\nname: slabels\ntype: postrenderer/v1\nruntime: subprocess\n"
                  "version: 0.1.0\nruntimeConfig:\n  platformCommand:\n    - command: ${HELM_PLUGIN_DIR}/bin/labels\n",
                  {"bin/labels": c_labels_native})
    return helm_home


def _pooled(handle_name: str) -> int:
    return sum(1 for inst in extism._instances.values() if inst.name == handle_name)


# ---- the same answers -------------------------------------------------------------------------

@pytest.mark.parametrize("fastpath", ["on", "off"])
@pytest.mark.parametrize("name", ["wlabels", "slabels"])
def test_the_handle_answers_as_run_postrenderer(labels, monkeypatch, name, fastpath):
    monkeypatch.setenv("PILOT_PLUGIN_FASTPATH", fastpath)
    with load_postrenderer(name) as post:
        for text, expected in CASES:
            assert post(text) == expected
            assert run_postrenderer(name, [], text) == expected


def test_the_handle_runs_a_helm3_executable(labels, c_labels_native):
    text, expected = CASES[0]
    post = load_postrenderer(str(labels.plugins / "slabels" / "bin" / "labels"))
    assert post(text) == expected == run_postrenderer(str(labels.plugins / "slabels" / "bin" / "labels"), [], text)


def test_args_reach_the_plugin_through_the_handle(labels):
    # with --post-renderer-args, the JSON entry (which gets them) is used
    text = CASES[0][0]
    assert load_postrenderer("wlabels", ["x"])(text) == run_postrenderer("wlabels", ["x"], text)


def test_the_fast_entry_is_chosen_once(helm_home, fastpath_wasm, monkeypatch):
    helm_home.add_wasm("fp", fastpath_wasm, ptype="postrenderer/v1")
    fast = load_postrenderer("fp")
    monkeypatch.setenv("PILOT_PLUGIN_FASTPATH", "off")
    slow = load_postrenderer("fp")
    # the environment of the moment the handle was made decides, not the one of each call
    assert fast("kind: A\n") == "kind: A\n"
    assert slow("kind: A\n") == "json\n"


# ---- the same errors --------------------------------------------------------------------------

def _message(fn) -> str:  # noqa: ANN001 - any callable
    with pytest.raises(PluginError) as err:
        fn()
    return str(err.value)


def test_not_found_is_the_same_error(helm_home):
    msg = _message(lambda: load_postrenderer("nosuch"))
    assert msg == "plugin: {Name:nosuch Type:postrenderer/v1} not found"
    assert msg == _message(lambda: run_postrenderer("nosuch", [], "a: 1\n"))
    assert _message(lambda: load_postrenderer("/no/such/file")) == _message(
        lambda: run_postrenderer("/no/such/file", [], "a: 1\n")) == (
        "unable to find binary at /no/such/file: not an executable file")


def test_a_bad_fast_entry_fails_when_loaded_with_the_same_error(helm_home, badsig_wasm):
    helm_home.add_wasm("bad", badsig_wasm, ptype="postrenderer/v1")
    msg = _message(lambda: load_postrenderer("bad"))
    assert msg.startswith('failed to invoke post-renderer plugin "bad": exported function "pilothouse_postrender"')
    assert msg == _message(lambda: run_postrenderer("bad", [], "kind: A\n"))


@pytest.mark.parametrize("first,message", [
    ("E", PREFIX + "plugin error: boom in the fast entry"),
    ("T", PREFIX + 'plugin "fp" crashed: '),
    ("X", PREFIX + 'plugin "fp" exited with error (code 3)'),
    ("U", PREFIX + 'plugin "fp" returned manifests that are not UTF-8 text'),
    ("Z", 'post-renderer "fp" produced empty output'),
])
def test_a_failing_call_is_the_same_error_and_the_handle_goes_on(helm_home, fastpath_wasm, first, message):
    helm_home.add_wasm("fp", fastpath_wasm, ptype="postrenderer/v1")
    post = load_postrenderer("fp")
    text = first + "ail: now\n"
    msg = _message(lambda: post(text))
    assert msg.startswith(message)
    assert msg == _message(lambda: run_postrenderer("fp", [], text))
    assert post("kind: A\n") == "kind: A\n"


def test_empty_manifests_give_the_empty_output_error(helm_home, fastpath_wasm):
    helm_home.add_wasm("fp", fastpath_wasm, ptype="postrenderer/v1")
    assert _message(lambda: load_postrenderer("fp")("")) == 'post-renderer "fp" produced empty output'


def test_a_failing_subprocess_plugin_is_the_same_error(helm_home):
    helm_home.add("sfail", "apiVersion: v1\nname: sfail\ntype: postrenderer/v1\nruntime: subprocess\n"
                  "version: 0.1.0\nruntimeConfig:\n  platformCommand:\n    - command: ${HELM_PLUGIN_DIR}/bin/fail\n",
                  {"bin/fail": "#!/bin/sh\necho nope >&2\nexit 2\n"})
    msg = _message(lambda: load_postrenderer("sfail")("a: 1\n"))
    assert msg == 'failed to invoke post-renderer plugin "sfail": plugin "sfail" exited with error: nope'
    assert msg == _message(lambda: run_postrenderer("sfail", [], "a: 1\n"))


# ---- reuse, threads, close --------------------------------------------------------------------

def test_one_instance_serves_many_calls(labels):
    extism.close_all()
    post = load_postrenderer("wlabels")
    text, expected = CASES[1]
    for _ in range(300):
        assert post(text) == expected
    assert _pooled("wlabels") == 1
    post.close()
    assert _pooled("wlabels") == 0
    # closing only drops what was kept: the next call makes a new instance
    assert post(text) == expected


def test_calls_from_several_threads(labels):
    extism.close_all()
    post = load_postrenderer("wlabels")
    text, expected = CASES[1]
    bad: list[str] = []
    # every thread stays alive until all have made a call: a finished thread's id may be reused by
    # the next one started, which would then share its pooled instance
    all_called = threading.Barrier(4)

    def work() -> None:
        for i in range(50):
            out = post(text)
            if out != expected:
                bad.append(out)
            if i == 0:
                all_called.wait()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert bad == []
    # one instance per thread, each kept for that thread's next call
    assert _pooled("wlabels") == 4
    post.close()
    assert _pooled("wlabels") == 0


def test_the_public_api_exports_the_handle(labels):
    post = pilothouse.load_postrenderer("wlabels")
    assert isinstance(post, PostRenderer)
    assert post(CASES[0][0]) == CASES[0][1]
