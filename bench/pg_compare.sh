#!/usr/bin/env bash
# Issue 8: the repair list, the repair detail and status moves served from SQLite and from PostgreSQL in
# one run, interleaved (SQLite, PostgreSQL, SQLite, PostgreSQL, ...) so that the noise of a shared machine
# falls on both; prints a Markdown table with the PostgreSQL/SQLite ratio of each pair. Loopback only.
#   PORTICO_BENCH_DB_FILE=/path/real.db bench/pg_compare.sh [SECONDS] [ROUNDS]
#     the prepared SQLite database (the real data imported, the users of bench/prepare_db.sh); it is copied,
#     never written. PORTICO_BENCH_PG_URL=postgres://.../db: a PostgreSQL database that already holds a
#     `portico db copy` of it (else a throwaway cluster is started and the copy made and timed here).
#     PORTICO_BENCH_WORKLOADS="moves": only these workloads (default "list detail moves").
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-8}
ROUNDS=${2:-2}
BIN=${PORTICO_BIN:-$PWD/build/portico}
SRC=${PORTICO_BENCH_DB_FILE:?set PORTICO_BENCH_DB_FILE to a prepared database (bench/prepare_db.sh)}
WORK=$(mktemp -d)
chmod 755 "$WORK"
PORT_S=${PORTICO_BENCH_PORT:-18580}
PORT_P=$((PORT_S + 1))
PIDS=()
PG_DIR=""
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "$PG_DIR" ] && ./scripts/pg-cluster.sh stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
sqlite3 "$SRC" ".backup '$WORK/bench.db'"
DB_S="sqlite://$WORK/bench.db"
COPY_LINE=""
if [ -n "${PORTICO_BENCH_PG_URL:-}" ]; then
  DB_P=$PORTICO_BENCH_PG_URL
else
  PG_DIR=$WORK/pg
  base=$(./scripts/pg-cluster.sh start "$PG_DIR")
  START=$(date +%s.%N)
  "$BIN" --log-level warn db copy --from "$DB_S" --to "$base" > "$WORK/copy.txt"
  COPY_LINE="db copy: $(tail -1 "$WORK/copy.txt") in $(python3 -c "import time; print(f'{time.time() - $START:.1f}')") s."
  DB_P=$base
fi
POLICE=$(sqlite3 "$WORK/bench.db" "SELECT id FROM customers WHERE name = 'POLICE'")
FIRST_ID=$(sqlite3 "$WORK/bench.db" "SELECT MIN(id) FROM repairs")
LAST_ID=$(sqlite3 "$WORK/bench.db" "SELECT MAX(id) FROM repairs")
POLICE_REPAIRS=$(sqlite3 "$WORK/bench.db" "SELECT COUNT(*) FROM repairs WHERE customer_id = $POLICE")

"$BIN" --database "$DB_S" --log-level warn serve --listen "127.0.0.1:$PORT_S" 2> "$WORK/sqlite.log" &
PIDS+=($!)
"$BIN" --database "$DB_P" --log-level warn serve --listen "127.0.0.1:$PORT_P" 2> "$WORK/pg.log" &
PIDS+=($!)
for port in $PORT_S $PORT_P; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
done

login() {  # url email -> "cookie csrf"
  local body cookie csrf
  body=$(curl -s -D "$WORK/h" -H 'content-type: application/json' \
    -d "{\"tenant\":\"bench\",\"email\":\"$2\",\"password\":\"bench-password-1\"}" "$1/api/v1/auth/login")
  cookie=$(grep -i '^set-cookie:' "$WORK/h" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*);.*/\1/')
  csrf=$(echo "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  echo "$cookie $csrf"
}
declare -A M_COOKIE T_COOKIE T_CSRF C_COOKIE MOVE_FIRST
for db in sqlite pg; do
  port=$PORT_S; [ "$db" = pg ] && port=$PORT_P
  u="http://127.0.0.1:$port"
  read -r M_COOKIE[$db] _ <<< "$(login "$u" manager@bench.test)"
  read -r T_COOKIE[$db] T_CSRF[$db] <<< "$(login "$u" tech@bench.test)"
  read -r C_COOKIE[$db] _ <<< "$(login "$u" police@bench.test)"
  read -r MOVE_FIRST[$db] _ <<< "$(node bench/prepare_moves.mjs "$u" "$POLICE" 200 8)"
done

# CPU time (user + system, clock ticks) of the serving processes: the Portico instance, and for PostgreSQL
# also every process of its cluster (the postmaster's children: the backends doing the statements). Per
# request, this is what each database costs whatever else runs on the machine.
PG_PORT=$(echo "$DB_P" | sed -E 's|.*:([0-9]+)/.*|\1|')
PG_MAIN=$(ss -ltnpH "sport = :$PG_PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
ticks_of() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
cluster_pids() { [ -n "$PG_MAIN" ] && { echo "$PG_MAIN"; awk -v pp="$PG_MAIN" '$4 == pp {print $1}' /proc/[0-9]*/stat 2>/dev/null; }; }
cpu_now() {  # db -> ticks
  if [ "$1" = sqlite ]; then ticks_of "${PIDS[0]}"; else ticks_of "${PIDS[1]}" $(cluster_pids); fi
}
HZ=$(getconf CLK_TCK)
run_wrk() {  # db, wrk args; prints "req/s|p50|p99|non2xx|CPU ms per request"
  local db=$1; shift
  local out c0 c1
  c0=$(cpu_now "$db")
  out=$(wrk -t2 -c32 -d"${DUR}s" --latency "$@" 2>&1)
  c1=$(cpu_now "$db")
  local rps n
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$rps|$(echo "$out" | awk '$1=="50%" {print $2}')|$(echo "$out" | awk '$1=="99%" {print $2}')|$(echo "$out" | awk '/Non-2xx/ {print $5}')|$(python3 -c "print(f'{($c1 - $c0) * 1000 / $HZ / max(1, $n):.2f}')")"
}
one() {  # db workload -> result line
  local db=$1 w=$2 port=$PORT_S
  [ "$db" = pg ] && port=$PORT_P
  local u="http://127.0.0.1:$port"
  case $w in
    list) COOKIE="${C_COOKIE[$db]}" PATH_TO_GET="/api/v1/repairs?page_size=50" run_wrk "$db" -s bench/lua/get_with_cookie.lua "$u" ;;
    detail) COOKIE="${M_COOKIE[$db]}" FIRST_ID=$FIRST_ID LAST_ID=$LAST_ID run_wrk "$db" -s bench/lua/repair_by_id.lua "$u" ;;
    moves) COOKIE="${T_COOKIE[$db]}" CSRF="${T_CSRF[$db]}" FIRST_ID=${MOVE_FIRST[$db]} PER_THREAD=100 run_wrk "$db" -s bench/lua/status_moves.lua "$u" ;;
  esac
}
echo "## SQLite vs PostgreSQL, interleaved — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t2 -c32 -d${DUR}s, $ROUNDS rounds"
echo
echo "Real data: $((LAST_ID - FIRST_ID + 1)) repairs (list as the POLICE customer user: $POLICE_REPAIRS repairs in scope). $COPY_LINE"
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| workload | round | SQLite req/s | SQLite p50 / p99 | PostgreSQL req/s | PostgreSQL p50 / p99 | PG / SQLite | CPU ms/request S / P | non-2xx S / P | load |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for w in ${PORTICO_BENCH_WORKLOADS:-list detail moves}; do
  for r in $(seq "$ROUNDS"); do
    IFS='|' read -r s_rps s_p50 s_p99 s_bad s_cpu <<< "$(one sqlite $w)"
    IFS='|' read -r p_rps p_p50 p_p99 p_bad p_cpu <<< "$(one pg $w)"
    ratio=$(python3 -c "print(f'{float(\"$p_rps\") / float(\"$s_rps\"):.2f}')")
    echo "| $w | $r | $s_rps | $s_p50 / $s_p99 | $p_rps | $p_p50 / $p_p99 | $ratio | $s_cpu / $p_cpu | ${s_bad:-0} / ${p_bad:-0} | $(cut -d' ' -f1 /proc/loadavg) |"
  done
done
echo
echo "Server RSS: SQLite $(($(awk '/VmRSS/ {print $2}' /proc/${PIDS[0]}/status) / 1024)) MB, PostgreSQL $(($(awk '/VmRSS/ {print $2}' /proc/${PIDS[1]}/status) / 1024)) MB (the instance; the PostgreSQL server's own processes not counted)."
