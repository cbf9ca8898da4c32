#!/usr/bin/env bash
# Installs the Debian 12 packages Portico needs to build, run and test. Idempotent: installs only
# what is missing. Uses sudo when not root.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libsodium-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libcsv-dev zlib1g-dev libpq-dev libcurl4-openssl-dev
  chromium python3-aiosmtpd wrk sqlite3
  postgresql postgresql-client haproxy
  libmagic-dev libvips-dev libavformat-dev libavutil-dev ffmpeg
  clang-14 libclang-rt-14-dev libfuzzer-14-dev
  libcairo2-dev libpango1.0-dev poppler-utils fonts-dejavu-core
  libhowardhinnant-date-dev libical-dev python3-icalendar
)
# Node.js: keep the machine's own when present (it ships its own npm); Debian's otherwise.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
