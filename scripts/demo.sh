#!/usr/bin/env bash
# The main job on the bundled example: build a Wasm post-renderer plugin from its C source, install
# it (sandboxed: it is granted only what its plugin.yaml requests), and render the example chart
# through it. Everything lives under .demo/, so the user's own Helm plugins are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
DEMO=$PWD/.demo
export HELM_DATA_HOME=$DEMO/data HELM_CONFIG_HOME=$DEMO/config HELM_CACHE_HOME=$DEMO/cache
export HELM_PLUGINS=$HELM_DATA_HOME/plugins
src=examples/plugins/labels-c
build=$DEMO/build/labels-c
mkdir -p "$build"
cp "$src/plugin.yaml" "$build/"
clang-14 -O2 -Ipdk/c --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--strip-all -Wl,--export=helm_plugin_main \
  -o "$build/plugin.wasm" "$src/labels_wasm.c"
"$BIN/pilot" plugin uninstall labels-c >/dev/null 2>&1 || true
"$BIN/pilot" plugin install "$build" --yes >&2
echo "--- pilot template demo examples/charts/hello --post-renderer labels-c" >&2
"$BIN/pilot" template demo examples/charts/hello --post-renderer labels-c
