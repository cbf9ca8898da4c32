#!/usr/bin/env bash
# Status-move throughput with SQLite synchronous=NORMAL against FULL (issue 15, durable commits), on the
# real data set like bench/run.sh: one database, one server restarted per round with
# PORTICO_DATABASE_SYNCHRONOUS, rounds alternating so machine noise hits both. Prints a Markdown table.
#   bench/durability.sh [DURATION_SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
ROUNDS=${2:-3}
DATA=${PORTICO_BENCH_DATA:-../shared/data/cincinnati_fleet_work_orders.csv.gz}
[ -f "$DATA" ] || { echo "bench: $DATA not found" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing (scripts/deps.sh installs it)" >&2; exit 1; }
BIN=${PORTICO_BIN:-$PWD/build/portico}
WORK=$(mktemp -d)
DB="sqlite://$WORK/bench.db"
PORT=${PORTICO_BENCH_PORT:-18481}
URL="http://127.0.0.1:$PORT"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

P() { "$BIN" --database "$DB" --log-level warn "$@"; }
P tenant create --slug bench --name "Bench Fleet" >/dev/null
P import repairs "$DATA" --tenant bench --mapping mappings/cincinnati-fleet.toml >/dev/null 2>&1
POLICE=$(sqlite3 "$WORK/bench.db" "SELECT id FROM customers WHERE name = 'POLICE'")
echo bench-password-1 | P user create --tenant bench --email manager@bench.test --name Manager --role manager --password-stdin >/dev/null
echo bench-password-1 | P user create --tenant bench --email tech@bench.test --name Tech --role technician --password-stdin >/dev/null
CUST=$(echo bench-password-1 | P user create --tenant bench --email police@bench.test --name Officer --role customer --password-stdin)
P access grant --tenant bench --customer "$POLICE" --user "$CUST" --access approver

start() {  # synchronous mode
  PORTICO_DATABASE_SYNCHRONOUS=$1 "$BIN" --database "$DB" --log-level warn serve --listen "127.0.0.1:$PORT" 2>> "$WORK/server.log" &
  SERVER=$!
  for _ in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && return; sleep 0.1; done
  echo "bench: server did not start" >&2; exit 1
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
login() {  # email -> "cookie csrf"
  local body cookie csrf
  body=$(curl -s -D "$WORK/h" -H 'content-type: application/json' \
    -d "{\"tenant\":\"bench\",\"email\":\"$1\",\"password\":\"bench-password-1\"}" "$URL/api/v1/auth/login")
  cookie=$(grep -i '^set-cookie:' "$WORK/h" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*);.*/\1/')
  csrf=$(echo "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  echo "$cookie $csrf"
}

start full
read -r M_COOKIE M_CSRF <<< "$(login manager@bench.test)"
read -r T_COOKIE T_CSRF <<< "$(login tech@bench.test)"
read -r C_COOKIE C_CSRF <<< "$(login police@bench.test)"
MOVES=200
MOVE_FIRST=""
for i in $(seq $MOVES); do
  id=$(curl -s -H "Cookie: $M_COOKIE" -H "X-CSRF-Token: $M_CSRF" -H 'content-type: application/json' \
    -d "{\"customer_id\":$POLICE,\"unit_number\":\"BENCH-$((i % 20))\",\"description\":\"bench $i\"}" \
    "$URL/api/v1/repairs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  [ -z "$MOVE_FIRST" ] && MOVE_FIRST=$id
  curl -s -o /dev/null -H "Cookie: $C_COOKIE" -H "X-CSRF-Token: $C_CSRF" -H 'content-type: application/json' \
    -d '{"approved":true}' "$URL/api/v1/repairs/$id/approval"
done
stop

echo "| round | synchronous | moves/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
  for mode in normal full; do
    # Every round starts from APPROVED (the Lua script claims first); the triggers keep the counts.
    sqlite3 "$WORK/bench.db" "UPDATE repairs SET status = 'APPROVED' WHERE id >= $MOVE_FIRST AND id < $MOVE_FIRST + $MOVES AND status <> 'APPROVED'"
    start "$mode"
    out=$(COOKIE="$T_COOKIE" CSRF="$T_CSRF" FIRST_ID=$MOVE_FIRST PER_THREAD=$((MOVES / 2)) \
      wrk -t2 -c32 -d"${DUR}s" --latency -s bench/lua/status_moves.lua "$URL" 2>&1)
    stop
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    echo "| $round | $mode | $rps | $p50 | $p99 | ${non2xx:-0} |"
  done
done
