#!/usr/bin/env bash
# Benchmarks Portico on the real data set (../shared/data) with wrk against one server, all figures in
# one run. Prints a Markdown report to stdout (paste it into bench/RESULTS.md). Loopback only.
#   bench/run.sh [DURATION_SECONDS]
#   PORTICO_BENCH_DB=postgres bench/run.sh   # the same, served from PostgreSQL: the SQLite database is
#                                            # moved with `portico db copy` into a throwaway cluster
#   PORTICO_BENCH_DB_FILE=/tmp/real.db bench/run.sh   # reuse a database made by bench/prepare_db.sh (copied,
#                                            # not written; skips the import and the users)
#   PORTICO_BENCH_PG_URL=postgres://... (with PORTICO_BENCH_DB=postgres): a database that already holds a
#                                            # `db copy` of it (skips the cluster and the copy)
#   PORTICO_BENCH_BIN=/path/to/portico       # serve with this binary (compare builds: interleave runs)
#   PORTICO_BENCH_ONLY="health list one move" # run only these rows (also: me login ws lp)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
DATA=${PORTICO_BENCH_DATA:-../shared/data/cincinnati_fleet_work_orders.csv.gz}
[ -f "$DATA" ] || { echo "bench: $DATA not found" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing (scripts/deps.sh installs it)" >&2; exit 1; }
if [ -n "${PORTICO_BENCH_BIN:-}" ]; then BIN=$PORTICO_BENCH_BIN; else ./scripts/build.sh portico >/dev/null; BIN=$PWD/build/portico; fi
ONLY=${PORTICO_BENCH_ONLY:-health me list one move login ws lp}
want() { [[ " $ONLY " == *" $1 "* ]]; }
WORK=$(mktemp -d)
DB="sqlite://$WORK/bench.db"
PORT=${PORTICO_BENCH_PORT:-18480}
URL="http://127.0.0.1:$PORT"
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

P() { "$BIN" --database "$DB" --log-level warn "$@"; }
if [ -n "${PORTICO_BENCH_DB_FILE:-}" ]; then
  sqlite3 "$PORTICO_BENCH_DB_FILE" ".backup '$WORK/bench.db'"
  IMPORT_S="(reused $PORTICO_BENCH_DB_FILE)"; IMPORT_KB=0
  ROWS=$(sqlite3 "$WORK/bench.db" "SELECT COUNT(*) FROM repairs")
  POLICE=$(sqlite3 "$WORK/bench.db" "SELECT id FROM customers WHERE name = 'POLICE'")
  POLICE_REPAIRS=$(sqlite3 "$WORK/bench.db" "SELECT COUNT(*) FROM repairs WHERE customer_id = $POLICE")
  FIRST_ID=$(sqlite3 "$WORK/bench.db" "SELECT MIN(id) FROM repairs")
  LAST_ID=$(sqlite3 "$WORK/bench.db" "SELECT MAX(id) FROM repairs")
else
  P tenant create --slug bench --name "Bench Fleet" >/dev/null
  /usr/bin/time -f "%e %M" -o "$WORK/import.time" "$BIN" --database "$DB" --log-level warn \
    import repairs "$DATA" --tenant bench --mapping mappings/cincinnati-fleet.toml > "$WORK/import.txt" 2>/dev/null
  read -r IMPORT_S IMPORT_KB < "$WORK/import.time"
  ROWS=$(grep 'repairs created' "$WORK/import.txt" | awk '{print $3}')
  POLICE=$(sqlite3 "$WORK/bench.db" "SELECT id FROM customers WHERE name = 'POLICE'")
  POLICE_REPAIRS=$(sqlite3 "$WORK/bench.db" "SELECT COUNT(*) FROM repairs WHERE customer_id = $POLICE")
  FIRST_ID=$(sqlite3 "$WORK/bench.db" "SELECT MIN(id) FROM repairs")
  LAST_ID=$(sqlite3 "$WORK/bench.db" "SELECT MAX(id) FROM repairs")
  echo bench-password-1 | P user create --tenant bench --email manager@bench.test --name Manager --role manager --password-stdin >/dev/null
  echo bench-password-1 | P user create --tenant bench --email tech@bench.test --name Tech --role technician --password-stdin >/dev/null
  CUST=$(echo bench-password-1 | P user create --tenant bench --email police@bench.test --name Officer --role customer --password-stdin)
  P access grant --tenant bench --customer "$POLICE" --user "$CUST" --access approver
  WATER=$(sqlite3 "$WORK/bench.db" "SELECT id FROM customers WHERE name = 'WATER WORKS'")
  IDLEU=$(echo bench-password-1 | P user create --tenant bench --email water@bench.test --name Plumber --role customer --password-stdin)
  P access grant --tenant bench --customer "$WATER" --user "$IDLEU" --access viewer
  for i in 1 2 3 4; do echo bench-password-1 | P user create --tenant bench --email "login$i@bench.test" --name "Login $i" --role technician --password-stdin >/dev/null; done
fi

COPY_LINE=""
if [ "${PORTICO_BENCH_DB:-sqlite}" = "postgres" ] && [ -n "${PORTICO_BENCH_PG_URL:-}" ]; then
  COPY_LINE="PostgreSQL: the prepared copy at PORTICO_BENCH_PG_URL."
  DB="$PORTICO_BENCH_PG_URL"
elif [ "${PORTICO_BENCH_DB:-sqlite}" = "postgres" ]; then
  chmod 755 "$WORK"
  PG_URL=$(./scripts/pg-cluster.sh start "$WORK/pg")
  cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; ./scripts/pg-cluster.sh stop "$WORK/pg"; rm -rf "$WORK"; }
  "$BIN" --log-level warn db copy --from "$DB" --to "$PG_URL" > "$WORK/copy.txt"
  COPY_LINE="PostgreSQL (throwaway cluster, fsync off): $(tail -1 "$WORK/copy.txt")."
  DB="$PG_URL"
fi

"$BIN" --database "$DB" --log-level info serve --listen "127.0.0.1:$PORT" 2> "$WORK/server.log" &
SERVER=$!
for _ in $(seq 50); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done

login() {  # email -> "cookie csrf"
  local body
  body=$(curl -s -D "$WORK/h" -H 'content-type: application/json' \
    -d "{\"tenant\":\"bench\",\"email\":\"$1\",\"password\":\"bench-password-1\"}" "$URL/api/v1/auth/login")
  local cookie csrf
  cookie=$(grep -i '^set-cookie:' "$WORK/h" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*);.*/\1/')
  csrf=$(echo "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  echo "$cookie $csrf"
}
read -r M_COOKIE M_CSRF <<< "$(login manager@bench.test)"
read -r T_COOKIE T_CSRF <<< "$(login tech@bench.test)"
read -r C_COOKIE C_CSRF <<< "$(login police@bench.test)"
read -r W_COOKIE W_CSRF <<< "$(login water@bench.test)"

# Repairs to move: created by the manager (PENDING), approved by the customer, claimed/released by wrk.
MOVES=200
MOVE_FIRST=""
# Created in order and approved 8 at a time by one node process (one curl each was too slow on PostgreSQL).
want move && read -r MOVE_FIRST _ <<< "$(node bench/prepare_moves.mjs "$URL" "$POLICE" $MOVES 8)"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }  # the server's user + system CPU time
run_wrk() {  # name, then wrk args; prints "name|req/s|p50|p99|non2xx|server CPU ms per request"
  local name=$1; shift
  local out t0 t1
  t0=$(cpu_ticks)
  out=$(wrk -t2 -c32 -d"${DUR}s" --latency "$@" 2>&1)
  t1=$(cpu_ticks)
  local rps p50 p99 non2xx total cpu
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  total=$(echo "$out" | awk '/requests in/ {print $1}')
  # CPU time per request holds up when the shared machine is loaded (req/s does not).
  cpu=$(python3 -c "print(f'{($t1 - $t0) * 1000 / $(getconf CLK_TCK) / max(1, ${total:-0}):.3f}')")
  echo "$name|$rps|$p50|$p99|${non2xx:-0}|$cpu"
}

R_HEALTH=$(run_wrk "GET /healthz" "$URL/healthz")
R_ME="" R_LIST="" R_ONE="" R_MOVE="" R_HEALTH_LOGIN="" LOGINS=0 WS_JSON="{}" LP_JSON="{}"
want me && R_ME=$(COOKIE="$M_COOKIE" PATH_TO_GET=/api/v1/me run_wrk "GET /api/v1/me (manager session)" -s bench/lua/get_with_cookie.lua "$URL")
want list && R_LIST=$(COOKIE="$C_COOKIE" PATH_TO_GET="/api/v1/repairs?page_size=50" run_wrk "GET /api/v1/repairs?page_size=50 (POLICE customer user, $POLICE_REPAIRS repairs)" -s bench/lua/get_with_cookie.lua "$URL")
want one && R_ONE=$(COOKIE="$M_COOKIE" FIRST_ID=$FIRST_ID LAST_ID=$LAST_ID run_wrk "GET /api/v1/repairs/{id} (manager, random ids)" -s bench/lua/repair_by_id.lua "$URL")
want move && R_MOVE=$(COOKIE="$T_COOKIE" CSRF="$T_CSRF" FIRST_ID=$MOVE_FIRST PER_THREAD=$((MOVES / 2)) run_wrk "POST /api/v1/repairs/{id}/status claim/release (technician)" -s bench/lua/status_moves.lua "$URL")

if want login; then
# /healthz while 4 clients log in continuously (argon2id INTERACTIVE).
for i in 1 2 3 4; do
  LOGIN_EMAIL="login$i@bench.test" wrk -t1 -c1 -d"$((DUR + 2))s" -s bench/lua/login.lua "$URL/api/v1/auth/login" > "$WORK/login$i.txt" 2>&1 &
done
sleep 1
R_HEALTH_LOGIN=$(run_wrk "GET /healthz while 4 clients log in" "$URL/healthz")
wait $(jobs -p | grep -v "^$SERVER$") 2>/dev/null || true
LOGINS=$(cat "$WORK"/login*.txt | awk '/Requests\/sec/ {s += $2} END {printf "%.1f", s}')
fi

RSS_KB=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)

if want ws || want lp; then
# WebSockets: 10,000 idle connections, then a status change fanned out to 1,000 subscribers.
WS_ID=$(curl -s -H "Cookie: $M_COOKIE" -H "X-CSRF-Token: $M_CSRF" -H 'content-type: application/json' \
  -d "{\"customer_id\":$POLICE,\"unit_number\":\"BENCH-WS\",\"description\":\"live\"}" \
  "$URL/api/v1/repairs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -s -o /dev/null -H "Cookie: $C_COOKIE" -H "X-CSRF-Token: $C_CSRF" -H 'content-type: application/json' \
  -d '{"approved":true}' "$URL/api/v1/repairs/$WS_ID/approval"
want ws && WS_JSON=$(NODE_OPTIONS=--experimental-websocket node bench/ws_bench.mjs "$URL" "$SERVER" "$C_COOKIE" "$W_COOKIE" \
  "$T_COOKIE" "$T_CSRF" "$WS_ID" 2>/dev/null || echo '{}')
# Long-poll: cost of 1,000 waiting clients (RSS), answered by one commit.
want lp && LP_JSON=$(node bench/longpoll_bench.mjs "$URL" "$SERVER" "$C_COOKIE" "$T_COOKIE" "$T_CSRF" "$WS_ID" 2>/dev/null || echo '{}')
fi
HEALTH_RPS=$(echo "$R_HEALTH" | cut -d'|' -f2)
ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$HEALTH_RPS\")*100:.0f}%')"; }

echo "## Run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(free -g | awk '/Mem:/ {print $2}') GiB; wrk -t2 -c32 -d${DUR}s"
echo
echo "Import of $ROWS repairs: ${IMPORT_S} s, peak RSS $((IMPORT_KB / 1024)) MB. Served from ${PORTICO_BENCH_DB:-sqlite}. $COPY_LINE"
echo
echo "| endpoint | req/s | vs /healthz | p50 | p99 | non-2xx | server CPU ms/request |"
echo "|---|---|---|---|---|---|---|"
for r in "$R_HEALTH" "$R_ME" "$R_LIST" "$R_ONE" "$R_MOVE" "$R_HEALTH_LOGIN"; do
  [ -z "$r" ] && continue
  IFS='|' read -r name rps p50 p99 non2xx cpu <<< "$r"
  echo "| $name | $rps | $(ratio "$rps") | $p50 | $p99 | $non2xx | $cpu |"
done
echo
echo "Logins during the last row: $LOGINS/s in all (4 clients). Server RSS after the HTTP runs: $((RSS_KB / 1024)) MB."
echo
echo "WebSockets: \`$WS_JSON\`"
echo
echo "Long-poll: \`$LP_JSON\`"
