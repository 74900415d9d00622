#!/usr/bin/env bash
# Install the Debian packages the tests need (scripts/debian-packages.txt), once.
# Runs apt-get as root, or through sudo; skips packages already installed.
set -euo pipefail
cd "$(dirname "$0")/.."
list=scripts/debian-packages.txt
[ -f "$list" ] || exit 0
command -v dpkg-query >/dev/null || { echo "setup-system: not a Debian system; install these yourself: $(grep -v '^#' "$list" | xargs)"; exit 0; }
missing=()
while read -r pkg; do
  pkg=${pkg%%#*}; pkg=$(echo "$pkg" | xargs)
  [ -n "$pkg" ] || continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Services must not start on install (policy-rc.d may forbid it anyway); tests start their own.
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
