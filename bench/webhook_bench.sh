#!/usr/bin/env bash
# Issue 14: webhook deliveries per second to a local receiver and the time from commit to delivery
# (bench/webhook_bench.mjs), with 1 and then 4 endpoints, on a copy of the prepared real-data database
# (bench/prepare_db.sh), served with webhooks.allow_private (the receiver is on 127.0.0.1). Loopback only.
#   PORTICO_BENCH_DB_FILE=/tmp/real.db bench/webhook_bench.sh [MOVES] [CONCURRENCY]   (PACED=100 paced moves)
#   PORTICO_BENCH_DATABASE=postgres://... : serve that database instead (a copy of the prepared one; written)
set -euo pipefail
cd "$(dirname "$0")/.."
MOVES=${1:-400}
CONC=${2:-8}
BIN=${PORTICO_BIN:-$PWD/build/portico}
PORT=${PORTICO_BENCH_PORT:-18780}
WORK=$(mktemp -d)
trap '[ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
if [ -n "${PORTICO_BENCH_DATABASE:-}" ]; then
  DB=$PORTICO_BENCH_DATABASE
  POLICE=$(psql -Atq "$DB" -c "SELECT id FROM customers WHERE name = 'POLICE'")
else
  SRC=${PORTICO_BENCH_DB_FILE:?set PORTICO_BENCH_DB_FILE to a prepared database (bench/prepare_db.sh)}
  sqlite3 "$SRC" ".backup '$WORK/bench.db'"
  DB="sqlite://$WORK/bench.db"
  POLICE=$(sqlite3 "$WORK/bench.db" "SELECT id FROM customers WHERE name = 'POLICE'")
fi
printf '[webhooks]\nallow_private = true\n' > "$WORK/portico.toml"
"$BIN" --database "$DB" --config "$WORK/portico.toml" --log-level warn serve --listen "127.0.0.1:$PORT" 2> "$WORK/server.log" &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
echo "## Webhook deliveries — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $DB"
echo
for endpoints in 1 4; do
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "- $endpoints endpoint(s), $MOVES moves from $CONC clients, load $load: \`$(node bench/webhook_bench.mjs "http://127.0.0.1:$PORT" "$POLICE" "$MOVES" "$endpoints" "$CONC" "${PACED:-100}")\`"
done
