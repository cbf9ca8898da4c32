#!/usr/bin/env bash
# Issue 14: the CSV export of the whole real data set (../shared/data, 332,420 work orders) as the
# manager: time, rows/s, and the server's RSS at idle, after, and its peak (VmHWM), from /proc. Prints a
# Markdown table row for bench/RESULTS.md. Loopback only.
#   bench/export_bench.sh [ROUNDS]
#   PORTICO_BENCH_DB_FILE=/path/bench.db bench/export_bench.sh   # reuse an imported database (skips the import)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
DATA=${PORTICO_BENCH_DATA:-../shared/data/cincinnati_fleet_work_orders.csv.gz}
BIN=${PORTICO_BIN:-$PWD/build/portico}
WORK=$(mktemp -d)
PORT=${PORTICO_BENCH_PORT:-18490}
URL="http://127.0.0.1:$PORT"
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
if [ -n "${PORTICO_BENCH_DB_FILE:-}" ]; then
  DBFILE=$PORTICO_BENCH_DB_FILE
else
  DBFILE=$WORK/bench.db
fi
DB="sqlite://$DBFILE"
P() { "$BIN" --database "$DB" --log-level warn "$@"; }
if [ -z "${PORTICO_BENCH_DB_FILE:-}" ]; then
  P tenant create --slug bench --name "Bench Fleet" >/dev/null
  P import repairs "$DATA" --tenant bench --mapping mappings/cincinnati-fleet.toml >/dev/null
  echo bench-password-1 | P user create --tenant bench --email manager@bench.test --name Manager --role manager --password-stdin >/dev/null
fi
"$BIN" serve --database "$DB" --listen "127.0.0.1:$PORT" --log-level warn &
SERVER=$!
for _ in $(seq 100); do curl -fs "$URL/healthz" >/dev/null && break; sleep 0.2; done
TOKEN=$(python3 - "$URL" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
req = urllib.request.Request(url + "/api/v1/auth/login", data=json.dumps({"tenant": "bench", "email": "manager@bench.test", "password": "bench-password-1"}).encode(), headers={"Content-Type": "application/json"})
res = urllib.request.urlopen(req)
csrf = json.load(res)["csrf_token"]
cookie = res.headers["Set-Cookie"].split(";")[0]
req = urllib.request.Request(url + "/api/v1/auth/tokens", data=b'{"name": "bench"}', headers={"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": csrf})
print(json.load(urllib.request.urlopen(req))["token"])
PY
)
rss() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$SERVER/status"; }
# The server's CPU time (user + system, in clock ticks): what the export cost, whatever the load beside it.
cpu() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
TICKS=$(getconf CLK_TCK)
IDLE=$(rss VmRSS)
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| round | rows | bytes | seconds | rows/s | server CPU s | rows per CPU s | RSS idle MiB | RSS after MiB | peak MiB | load |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
  # VmHWM reset to the current RSS (Linux: "5" to clear_refs): the peak is the export's alone, not the
  # login's argon2id (64 MiB, freed at once) that came before it.
  echo 5 > "/proc/$SERVER/clear_refs"
  CPU0=$(cpu)
  START=$(date +%s.%N)
  curl -fsS -H "Authorization: Bearer $TOKEN" "$URL/api/v1/repairs/export.csv" -o "$WORK/export.csv"
  END=$(date +%s.%N)
  CPU1=$(cpu)
  ROWS=$(($(python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=''))))" "$WORK/export.csv") - 1))
  BYTES=$(stat -c %s "$WORK/export.csv")
  python3 - "$round" "$ROWS" "$BYTES" "$START" "$END" "$IDLE" "$(rss VmRSS)" "$(rss VmHWM)" "$(( CPU1 - CPU0 ))" "$TICKS" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import sys
r, rows, size, s, e, idle, after, peak, ticks, hz, load = sys.argv[1:]
secs = float(e) - float(s)
cpu = int(ticks) / int(hz)
mib = lambda kb: f"{int(kb) / 1024:.1f}"
print(f"| {r} | {rows} | {int(size) / 1048576:.1f} MiB | {secs:.2f} | {int(rows) / secs:,.0f} | {cpu:.2f} | {int(rows) / max(cpu, 0.01):,.0f} | {mib(idle)} | {mib(after)} | {mib(peak)} | {load} |")
PY
done
