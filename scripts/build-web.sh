#!/usr/bin/env bash
# Builds the SvelteKit portals into web/build (static files the server serves). Installs the npm
# packages from web/package-lock.json when they are missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/../web"
[ -f package.json ] || { echo "build-web: no web/package.json; skipping"; exit 0; }
stamp=node_modules/.portico-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
npm run build --silent
