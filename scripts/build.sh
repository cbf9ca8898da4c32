#!/usr/bin/env bash
# Configures and builds Portico into build/ (or $PORTICO_BUILD_DIR). PORTICO_SANITIZE=1 builds with
# ASan+UBSan into build-asan/. Two parallel jobs: a Beast translation unit needs about 1 GB.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache hits across checkouts in other folders (CI clones afresh): paths relative to the checkout.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
sanitize="${PORTICO_SANITIZE:-0}"
dir="${PORTICO_BUILD_DIR:-build}"
[ "$sanitize" = "1" ] && dir="${PORTICO_BUILD_DIR:-build-asan}"
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPORTICO_SANITIZE=$([ "$sanitize" = "1" ] && echo ON || echo OFF) >/dev/null
fi
ninja -C "$dir" -j "${PORTICO_JOBS:-2}" "$@"
