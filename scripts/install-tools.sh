#!/usr/bin/env bash
# Installs the Debian packages a task needs, only those missing. Usage: install-tools.sh test|perf
# Runs as root on CI and on the development machines; uses sudo otherwise when it can.
set -euo pipefail

case "${1:-test}" in
  test) packages=(curl nghttp2-client python3-h2) ;;
  perf) packages=(curl wrk nginx-light haproxy nghttp2-client util-linux procps iproute2) ;;
  *) echo "usage: $0 test|perf" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
