#!/usr/bin/env bash
# The whole test suite: lint, then pytest. Tests that need a toolchain or a service start it themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
export PILOTHOUSE_CORPUS=${PILOTHOUSE_CORPUS:-../shared/corpus}
"$BIN/ruff" check src tests benchmarks
exec "$BIN/python" -m pytest -q "$@"
