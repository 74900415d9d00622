#!/usr/bin/env bash
# The main job on the bundled example: render a chart.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
"$BIN/pilot" template demo examples/charts/hello
