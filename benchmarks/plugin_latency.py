"""Plugin latency: the same transform as a Wasm plugin and as a native subprocess plugin.

The transform (add a label to every manifest) is one C source, examples/plugins/labels-c
(labels_core.h), compiled with -O2 once to Wasm (a postrenderer/v1 extism plugin) and once
natively (a subprocess postrenderer/v1 plugin). Each side does what its contract asks: the
subprocess reads the YAML on stdin and writes it to stdout. The one plugin.wasm has two entries,
and both are measured: through `helm_plugin_main` (Helm 4's JSON contract) it gets the YAML
inside a JSON message, decodes that string, runs the same transform, and encodes its answer as
JSON, which the host decodes again; through `pilothouse_postrender` (Pilothouse's fast path) it
gets the YAML as it is and answers YAML. The JSON side is what Pilothouse does with
PILOT_PLUGIN_FASTPATH=off, and what a module without the fast entry always gets. All are
installed into a throw-away HELM_PLUGINS and measured side by side in this run, on 100 KB of
manifests:

1. warm, in one long-lived process: Wasm call / subprocess call, for each
   Wasm entry, in several interleaved rounds (median and range)           (goal <= 0.1)
   -- through handles made once with `load_postrenderer` (both sides), as a
   library or controller holds them, and again through `run_postrenderer`,
   which finds the plugin and works out its grant on every call
2. one-shot processes: the post-renderer's overhead (time with minus time
   without), Wasm / subprocess, for each Wasm entry                         (goal <= 0.6)
3. the first call of a 4 MB Go plugin right after `pilot plugin install`,
   in a new process                                                         (goal <= 10 ms)

Run: .venv/bin/python benchmarks/plugin_latency.py [--quick]
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def _builders():
    spec = importlib.util.spec_from_file_location("plugin_builds", ROOT / "tests" / "plugin" / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def manifests(size: int = 100_000) -> str:
    docs = []
    i = 0
    while sum(len(d) for d in docs) < size:
        docs.append(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  labels:\n    app: demo\n"
                    f"data:\n  key: value-{i}\n  other: {'x' * 40}\n")
        i += 1
    return "---\n".join(docs)


FAST_OFF = "PILOT_PLUGIN_FASTPATH"


def warm_rounds(text: str, rounds: int, n: int) -> list[tuple[float, ...]]:
    """Medians of ``n`` calls per round: (JSON entry, fast entry, subprocess) through handles made
    once with `load_postrenderer`, then the same three through `run_postrenderer`, which resolves
    the plugin on every call.

    All six alternate within every round, so that load changes on the machine hit them alike.
    """
    from pilothouse.plugin.postrender import load_postrenderer, run_postrenderer

    def per_call(name: str) -> float:
        return median_ms(lambda: run_postrenderer(name, [], text), n)

    # the same plugin.wasm, through helm_plugin_main while the fast path is switched off
    os.environ[FAST_OFF] = "off"
    try:
        json_handle = load_postrenderer("wlabels")
    finally:
        del os.environ[FAST_OFF]
    handles = (json_handle, load_postrenderer("wlabels"), load_postrenderer("slabels"))
    out = []
    for _ in range(rounds):
        held = tuple(median_ms(lambda h=h: h(text), n) for h in handles)
        os.environ[FAST_OFF] = "off"
        try:
            json_ms = per_call("wlabels")
        finally:
            del os.environ[FAST_OFF]
        out.append(held + (json_ms, per_call("wlabels"), per_call("slabels")))
    for h in handles:
        h.close()
    return out


def median_ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


CHART_TEMPLATE = """{{- range $i := until 530 }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{{ $i }}
  labels:
    app: demo
data:
  key: value-{{ $i }}
  other: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
{{- end }}
"""

# What every `pilot template` run has loaded before a post-renderer runs (logging brings
# threading); a one-shot harness imports it first so that only the plugin's own cost is counted.
PRELOADED = "import atexit, dataclasses, hashlib, importlib.util, json, logging, re, shutil, struct, typing, yaml"

# The plugin alone in a one-shot process: it imports what `pilot template` has already loaded,
# then post-renders a file.
ONE_SHOT = """
import sys
""" + PRELOADED + """
import pilothouse.cli.main
data = open(sys.argv[1]).read()
if sys.argv[2] != "-":
    from pilothouse.plugin.postrender import run_postrenderer
    data = run_postrenderer(sys.argv[2], [], data)
sys.stdout.write(str(len(data)))
"""

# The first call of a Go plugin in a new `pilot` process: everything from finding the plugin to
# its answer (runtime loading, compiled-module loading, Go runtime start, the call), on a
# one-document manifest so that start-up, not the transform, is measured.
FIRST_CALL = """
import sys, time
""" + PRELOADED + """
import pilothouse.cli.main
data = "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: a\\ndata:\\n  k: v\\n"
t = time.perf_counter()
from pilothouse.plugin.postrender import run_postrenderer
out = run_postrenderer("golabels", ["team=x"], data)
print((time.perf_counter() - t) * 1000)
assert "team: x" in out
"""


def main() -> int:
    quick = "--quick" in sys.argv
    b = _builders()
    wasm_path = b.clang_build([ROOT / "examples/plugins/labels-c/labels_wasm.c"], "c-labels", wasi=False,
                              exports=["helm_plugin_main"])
    native = b.native_build([ROOT / "examples/plugins/labels-c/labels_native.c"], "c-labels-native")
    go_wasm = b.go_build(ROOT / "examples/plugins/labels-postrenderer", "go-labels")

    tmp = Path(tempfile.mkdtemp(prefix="pilot-bench-"))
    env = dict(os.environ, HELM_DATA_HOME=str(tmp / "data"), HELM_CONFIG_HOME=str(tmp / "config"),
               HELM_CACHE_HOME=str(tmp / "cache"), HELM_PLUGINS=str(tmp / "plugins"),
               PILOTHOUSE_WASM_CACHE=str(tmp / "wasmcache"))
    # child processes may write .pyc files, as an installed Pilothouse has them
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.update(env)
    plugins = tmp / "plugins"
    for name, yaml_text, files in [
        ("wlabels", "apiVersion: v1\nname: wlabels\ntype: postrenderer/v1\nruntime: extism/v1\nversion: 0.1.0\n",
         {"plugin.wasm": wasm_path.read_bytes()}),
        ("slabels", "apiVersion: v1\nname: slabels\ntype: postrenderer/v1\nruntime: subprocess\nversion: 0.1.0\n"
                    "runtimeConfig:\n  platformCommand:\n    - command: ${HELM_PLUGIN_DIR}/labels\n",
         {"labels": native.read_bytes()}),
    ]:
        d = plugins / name
        d.mkdir(parents=True)
        (d / "plugin.yaml").write_text(yaml_text)
        for fname, data in files.items():
            (d / fname).write_bytes(data)
            (d / fname).chmod(0o755)
    text = manifests()
    mfile = tmp / "manifests.yaml"
    mfile.write_text(text)

    from pilothouse.plugin import wasm
    from pilothouse.plugin.loader import find_plugin
    from pilothouse.plugin.postrender import run_postrenderer
    from pilothouse.plugin.types.postrenderer import FAST_ENTRY

    assert wasm.exports(find_plugin("wlabels", "postrenderer/v1"), FAST_ENTRY), "labels-c lacks the fast entry"
    a = run_postrenderer("wlabels", [], text)
    os.environ[FAST_OFF] = "off"
    j = run_postrenderer("wlabels", [], text)
    del os.environ[FAST_OFF]
    s = run_postrenderer("slabels", [], text)
    assert a == j == s, "the builds (and entries) of the transform disagree"
    rounds = warm_rounds(text, 3 if quick else 7, 20 if quick else 60)
    warm = [statistics.median(r[i] for r in rounds) for i in range(6)]
    # (label, JSON ms, fast ms, subprocess ms, JSON ratios, fast ratios): held handles, then per call
    warm_rows = [(label, warm[k], warm[k + 1], warm[k + 2], sorted(r[k] / r[k + 2] for r in rounds),
                  sorted(r[k + 1] / r[k + 2] for r in rounds))
                 for label, k in (("warm call (handle)", 0), ("warm call (resolved per call)", 3))]
    ratios_json, ratios_fast = warm_rows[0][4], warm_rows[0][5]

    n2 = 9 if quick else 41
    chart = tmp / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: big\nversion: 0.1.0\n")
    (chart / "templates" / "configmaps.yaml").write_text(CHART_TEMPLATE)
    pilot = str(Path(PY).parent / "pilot")
    template = [pilot, "template", "demo", str(chart)]
    env_json = dict(env, **{FAST_OFF: "off"})
    harnesses = {"plugin alone": [[PY, "-c", ONE_SHOT, str(mfile), p] for p in ("-", "wlabels", "wlabels", "slabels")]}
    probe = subprocess.run(template + ["--post-renderer", "wlabels"], env=env, capture_output=True, text=True)
    if probe.returncode == 0 and "managed-by: pilothouse" in probe.stdout:
        harnesses[f"pilot template, {len(probe.stdout) // 1000} KB"] = [
            template, template + ["--post-renderer", "wlabels"], template + ["--post-renderer", "wlabels"],
            template + ["--post-renderer", "slabels"]]
    # (base, JSON entry, fast entry, subprocess): the second command runs with the fast path off
    envs = [env, env_json, env, env]
    one_shot = {}
    for how, cmds in harnesses.items():
        # interleave the four so that load changes on the machine hit them alike
        samples: list[list[float]] = [[], [], [], []]
        for c, e in zip(cmds, envs):
            subprocess.run(c, env=e, check=True, capture_output=True)
        for _ in range(n2):
            for i, (c, e) in enumerate(zip(cmds, envs)):
                t = time.perf_counter()
                subprocess.run(c, env=e, check=True, capture_output=True)
                samples[i].append((time.perf_counter() - t) * 1000)
        base, with_json, with_fast, with_sub = (statistics.median(x) for x in samples)
        one_shot[how] = (base, with_json - base, with_fast - base, with_sub - base)

    src = tmp / "src" / "golabels"
    src.mkdir(parents=True)
    (src / "plugin.yaml").write_text("apiVersion: v1\nname: golabels\ntype: postrenderer/v1\nruntime: extism/v1\n"
                                     "version: 0.1.0\nruntimeConfig:\n  memory:\n    maxPages: 1024\n")
    (src / "plugin.wasm").write_bytes(go_wasm.read_bytes())
    subprocess.run([str(Path(PY).parent / "pilot"), "plugin", "install", str(src)], env=env, check=True,
                   capture_output=True)
    firsts = [float(subprocess.run([PY, "-c", FIRST_CALL, str(mfile)], env=env, check=True, capture_output=True,
                                   text=True).stdout) for _ in range(3 if quick else 7)]
    first = statistics.median(firsts)

    # the post-render step around any plugin: tag and merge the files, split and untag the answer
    from pilothouse.action.postrender import annotate_and_merge, split_and_deannotate

    files = {"big/templates/configmaps.yaml": "\n---\n".join(
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  labels:\n    app: demo\ndata:\n"
        f"  key: value-{i}\n  other: {'x' * 69}" for i in range(530)) + "\n"}
    merged = annotate_and_merge(files)
    step = median_ms(lambda: split_and_deannotate(annotate_and_merge(files)), 9 if quick else 41)

    print("wasm JSON (helm_plugin_main, Helm's contract): JSON message in, decode the JSON string, add the label,")
    print("  encode JSON out, host decodes it;  wasm fast (pilothouse_postrender): YAML in, add the label, YAML out;")
    print("subprocess: fork+exec, YAML on stdin, add the label, YAML on stdout (same C transform, all -O2)")
    rows = []
    oneshot_ratios = {}
    for how, w_json, w_fast, w_sub, r_json, r_fast in warm_rows:
        for label, ms, ratios in (("JSON", w_json, r_json), ("fast", w_fast, r_fast)):
            rows.append((f"{how}, 100 KB: wasm {label} / subprocess", f"{ms:.3f} ms / {w_sub:.3f} ms "
                         f"(ratio {ratios[0]:.3f}-{ratios[-1]:.3f} in {len(ratios)} rounds)",
                         statistics.median(ratios), 0.1))
    for how, (base, over_json, over_fast, over_sub) in one_shot.items():
        for label, over in (("JSON", over_json), ("fast", over_fast)):
            ratio = over / over_sub if over_sub > 0 else float("inf")
            oneshot_ratios[f"{how}, {label}"] = ratio
            rows.append((f"one-shot overhead, wasm {label} ({how})",
                         f"{over:.1f} ms / {over_sub:.1f} ms (base {base:.1f} ms)", ratio, 0.6))
    rows.append(("first call of 4 MB Go plugin after install", f"{first:.1f} ms ({go_wasm.stat().st_size // 1024} KB)",
                 first / 10.0, 1.0))
    print(f"{'measure':<62} {'values':<56} {'ratio':>7}  goal")
    for name, vals, ratio, goal in rows:
        mark = "ok" if ratio <= goal else "MISSED"
        print(f"{name:<62} {vals:<56} {ratio:7.3f}  <= {goal} {mark}")
    print(f"{'post-render step, ' + str(len(merged) // 1000) + ' KB (in-process)':<62} {step:.1f} ms "
          "(tag + merge + split + untag, any plugin)")
    print(json.dumps({"warm_ratio_json": statistics.median(ratios_json),
                      "warm_ratio_fast": statistics.median(ratios_fast),
                      "warm_ratios_json": [round(r, 3) for r in ratios_json],
                      "warm_ratios_fast": [round(r, 3) for r in ratios_fast],
                      "warm_ratio_json_per_call": statistics.median(warm_rows[1][4]),
                      "warm_ratio_fast_per_call": statistics.median(warm_rows[1][5]),
                      "oneshot_ratios": oneshot_ratios,
                      "first_call_ms": first}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
