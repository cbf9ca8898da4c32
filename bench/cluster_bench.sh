#!/usr/bin/env bash
# Issue 8: 1, 2 and 3 Portico instances behind HAProxy (deploy/haproxy.cfg, as scripts/cluster writes it) on
# one PostgreSQL database holding the real data: req/s of the repair list and the repair detail through
# HAProxy per instance count (the counts interleaved over ROUNDS: 1, 2, 3, 1, 2, 3), and with 2 instances
# the time from a status change through instance A to its receipt on a WebSocket of instance B
# (bench/cross_instance.mjs). Prints Markdown. Loopback only.
#   PORTICO_BENCH_PG_URL=postgres://.../real bench/cluster_bench.sh [SECONDS] [ROUNDS]
#     the database: a `portico db copy` of a bench/prepare_db.sh database (users with bench-password-1).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-8}
ROUNDS=${2:-2}
BIN=${PORTICO_BIN:-$PWD/build/portico}
DB=${PORTICO_BENCH_PG_URL:?set PORTICO_BENCH_PG_URL to a PostgreSQL copy of the prepared database}
BASE_PORT=${PORTICO_BENCH_PORT:-18680}
LB_PORT=$BASE_PORT
WORK=$(mktemp -d)
PIDS=()
HAPROXY=""
stop_all() {
  [ -n "$HAPROXY" ] && kill "$HAPROXY" 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "$HAPROXY" ] && wait "$HAPROXY" 2>/dev/null || true
  PIDS=(); HAPROXY=""
}
trap 'stop_all; rm -rf "$WORK"' EXIT
q() { psql -Atq "$DB" -c "$1"; }
POLICE=$(q "SELECT id FROM customers WHERE name = 'POLICE'")
FIRST_ID=$(q "SELECT MIN(id) FROM repairs")
LAST_ID=$(q "SELECT MAX(id) FROM repairs")

start() {  # N: N instances and HAProxy in front
  local servers=""
  for i in $(seq 1 "$1"); do
    local p=$((BASE_PORT + i))
    "$BIN" --database "$DB" --log-level warn serve --listen "127.0.0.1:$p" 2> "$WORK/portico$i.log" &
    PIDS+=($!)
    servers+="    server portico$i 127.0.0.1:$p check"$'\n'
  done
  for i in $(seq 1 "$1"); do
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$((BASE_PORT + i))/readyz" >/dev/null && break; sleep 0.2; done
  done
  awk -v port="$LB_PORT" -v servers="$servers" '
    /^    bind / { print "    bind 127.0.0.1:" port; next }
    /^    server portico/ { if (!done) { printf "%s", servers; done = 1 } next }
    { print }' deploy/haproxy.cfg > "$WORK/haproxy.cfg"
  haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.log" 2>&1 &
  HAPROXY=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$LB_PORT/readyz" >/dev/null && break; sleep 0.2; done
  sleep 2  # every server passes its health checks (rise 2, inter 1 s)
}
LB="http://127.0.0.1:$LB_PORT"
login() {  # email -> cookie (sessions live in the database: valid on every instance)
  curl -s -D "$WORK/h" -o /dev/null -H 'content-type: application/json' \
    -d "{\"tenant\":\"bench\",\"email\":\"$1\",\"password\":\"bench-password-1\"}" "$LB/api/v1/auth/login"
  grep -i '^set-cookie:' "$WORK/h" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*);.*/\1/'
}
run_wrk() {  # prints "req/s|p99|non2xx"
  local out
  out=$(wrk -t2 -c32 -d"${DUR}s" --latency "$@" 2>&1)
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}')|$(echo "$out" | awk '$1=="99%" {print $2}')|$(echo "$out" | awk '/Non-2xx/ {print $5}')"
}
echo "## 1, 2, 3 instances behind HAProxy on one PostgreSQL — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t2 -c32 -d${DUR}s"
echo
echo "| instances | round | list req/s | list p99 | detail req/s | detail p99 | non-2xx | load before |"
echo "|---|---|---|---|---|---|---|---|"
for r in $(seq "$ROUNDS"); do
  for n in 1 2 3; do
    start "$n"
    load=$(cut -d' ' -f1 /proc/loadavg)
    C=$(login police@bench.test)
    M=$(login manager@bench.test)
    IFS='|' read -r l_rps l_p99 l_bad <<< "$(COOKIE="$C" PATH_TO_GET="/api/v1/repairs?page_size=50" run_wrk -s bench/lua/get_with_cookie.lua "$LB")"
    IFS='|' read -r d_rps d_p99 d_bad <<< "$(COOKIE="$M" FIRST_ID=$FIRST_ID LAST_ID=$LAST_ID run_wrk -s bench/lua/repair_by_id.lua "$LB")"
    echo "| $n | $r | $l_rps | $l_p99 | $d_rps | $d_p99 | $((${l_bad:-0} + ${d_bad:-0})) | $load |"
    if [ "$n" = 2 ] && [ "$r" = 1 ]; then
      XI=$(NODE_OPTIONS="--experimental-websocket --no-warnings" node bench/cross_instance.mjs \
        "http://127.0.0.1:$((BASE_PORT + 1))" "http://127.0.0.1:$((BASE_PORT + 2))" "$POLICE" "${XI_ROUNDS:-200}" 2>&1 || true)
      XI_LOAD=$(cut -d' ' -f1 /proc/loadavg)
    fi
    stop_all
  done
done
echo
echo "Status change through instance A, received on a WebSocket of instance B (2 instances, load $XI_LOAD): \`$XI\`"
