"""Plugin latency: the same transform as a Wasm plugin and as a native subprocess plugin.

The transform (add a label to every manifest) is one C source, examples/plugins/labels-c,
compiled once to Wasm (a postrenderer/v1 extism plugin) and once natively (a subprocess
postrenderer/v1 plugin). Both are installed into a throw-away HELM_PLUGINS and measured side by
side in this run, on 100 KB of manifests:

1. warm, in one long-lived process: Wasm call / subprocess call          (goal <= 0.1)
2. one-shot processes: the post-renderer's overhead (time with minus time
   without), Wasm / subprocess                                              (goal <= 0.6)
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


def median_ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


ONE_SHOT = """
import sys
data = open(sys.argv[1]).read()
if sys.argv[2] != "-":
    from pilothouse.plugin.postrender import run_postrenderer
    data = run_postrenderer(sys.argv[2], [], data)
sys.stdout.write(str(len(data)))
"""

FIRST_CALL = """
import sys, time
data = open(sys.argv[1]).read()
from pilothouse.plugin.postrender import run_postrenderer
t = time.perf_counter()
run_postrenderer("golabels", ["team=x"], data)
print((time.perf_counter() - t) * 1000)
"""


def process_ms(args: list[str], env: dict[str, str], n: int) -> float:
    def run() -> None:
        subprocess.run(args, env=env, check=True, capture_output=True)

    run()
    return median_ms(run, n)


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

    from pilothouse.plugin.postrender import run_postrenderer

    a = run_postrenderer("wlabels", [], text)
    s = run_postrenderer("slabels", [], text)
    assert a == s, "the two builds of the transform disagree"
    n = 30 if quick else 200
    warm_wasm = median_ms(lambda: run_postrenderer("wlabels", [], text), n)
    warm_sub = median_ms(lambda: run_postrenderer("slabels", [], text), n)

    n2 = 7 if quick else 25
    base = process_ms([PY, "-c", ONE_SHOT, str(mfile), "-"], env, n2)
    with_wasm = process_ms([PY, "-c", ONE_SHOT, str(mfile), "wlabels"], env, n2)
    with_sub = process_ms([PY, "-c", ONE_SHOT, str(mfile), "slabels"], env, n2)
    over_wasm, over_sub = with_wasm - base, with_sub - base

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

    rows = [
        ("warm call, 100 KB: wasm / subprocess", f"{warm_wasm:.3f} ms / {warm_sub:.3f} ms",
         warm_wasm / warm_sub, 0.1),
        ("one-shot overhead: wasm / subprocess", f"{over_wasm:.1f} ms / {over_sub:.1f} ms (base {base:.1f} ms)",
         over_wasm / over_sub if over_sub > 0 else float("inf"), 0.6),
        ("first call of 4 MB Go plugin after install", f"{first:.1f} ms ({go_wasm.stat().st_size // 1024} KB)",
         first / 10.0, 1.0),
    ]
    print(f"{'measure':<46} {'values':<44} {'ratio':>7}  goal")
    for name, vals, ratio, goal in rows:
        mark = "ok" if ratio <= goal else "MISSED"
        print(f"{name:<46} {vals:<44} {ratio:7.3f}  <= {goal} {mark}")
    print(json.dumps({"warm_ratio": warm_wasm / warm_sub, "oneshot_ratio": rows[1][2], "first_call_ms": first}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
