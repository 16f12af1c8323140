#!/usr/bin/env bash
# Installs the real observability servers the tests run against (Prometheus,
# promtool, ...) from Debian 13 (trixie) packages into .servers/, without
# touching the system: a private apt configuration downloads the .deb files and
# dpkg-deb extracts them. The machine's own apt sources name the mirror, so no
# registry host is written here. Idempotent: a stamp file makes a second run a
# no-op, and flock keeps concurrent test files from racing.
#
# Usage: scripts/install-servers.sh [package ...]   (default: every package below)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${GENESIS_SERVERS_DIR:-$ROOT/.servers}"
SUITE=trixie
DEFAULT_PACKAGES=(prometheus promtool prometheus-pushgateway prometheus-alertmanager victoria-metrics)
if [ "$#" -gt 0 ]; then PACKAGES=("$@"); else PACKAGES=("${DEFAULT_PACKAGES[@]}"); fi

mkdir -p "$DEST"
exec 9>"$DEST/.lock"
flock 9

missing=()
for pkg in "${PACKAGES[@]}"; do
  [ -f "$DEST/stamps/$pkg" ] || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

SYSTEM_SOURCES=/etc/apt/sources.list.d/debian.sources
if [ ! -r "$SYSTEM_SOURCES" ]; then
  echo "install-servers: $SYSTEM_SOURCES not found; cannot tell which Debian mirror this machine uses" >&2
  exit 1
fi
# The first stanza's URI is the main archive (the security archive has no trixie suite of this name).
MIRROR="$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' "$SYSTEM_SOURCES")"
KEYRING="$(awk '/^Signed-By:/ { print $2; exit }' "$SYSTEM_SOURCES")"
if [ -z "$MIRROR" ]; then
  echo "install-servers: no URIs line in $SYSTEM_SOURCES" >&2
  exit 1
fi

APT="$DEST/apt"
mkdir -p "$APT/sources" "$APT/lists/partial" "$APT/cache/archives/partial" "$DEST/debs" "$DEST/root" "$DEST/stamps"
: >"$APT/status"
cat >"$APT/sources/trixie.sources" <<SOURCES
Types: deb
URIs: $MIRROR
Suites: $SUITE
Components: main
Signed-By: $KEYRING
SOURCES

APT_OPTS=(
  -o Dir::Etc::SourceList=/dev/null
  -o Dir::Etc::SourceParts="$APT/sources"
  -o Dir::State::Lists="$APT/lists"
  -o Dir::State::status="$APT/status"
  -o Dir::Cache="$APT/cache"
  -o APT::Architectures="$(dpkg --print-architecture)"
  -o Acquire::Languages=none
  -o APT::Sandbox::User=root
  -o Debug::NoLocking=1
)

echo "install-servers: fetching ${missing[*]} from Debian $SUITE into $DEST" >&2
apt-get "${APT_OPTS[@]}" -qq update >&2
(cd "$DEST/debs" && apt-get "${APT_OPTS[@]}" -qq download "${missing[@]}" >&2)
for pkg in "${missing[@]}"; do
  deb="$(ls -t "$DEST/debs/${pkg}"_*.deb | head -n1)"
  dpkg-deb -x "$deb" "$DEST/root"
  dpkg-deb -f "$deb" Version >"$DEST/stamps/$pkg"
done
echo "install-servers: done (binaries in $DEST/root/usr/bin)" >&2
