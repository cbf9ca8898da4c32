#!/usr/bin/env bash
# Builds the one database of the real data (../shared/data, 332,420 work orders) that the benchmarks reuse
# (PORTICO_BENCH_DB_FILE): tenant `bench`, the import, and the users the scripts log in as (password
# bench-password-1): admin, manager, tech (technician), police (customer approver of POLICE), water
# (customer viewer of WATER WORKS), login1-4 (technicians). The scripts copy it (sqlite3 .backup) or
# only read it.
#   bench/prepare_db.sh /tmp/s4-bench/real.db
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:?usage: bench/prepare_db.sh FILE}
DATA=${PORTICO_BENCH_DATA:-../shared/data/cincinnati_fleet_work_orders.csv.gz}
BIN=${PORTICO_BIN:-$PWD/build/portico}
[ -e "$FILE" ] && { echo "prepare_db: $FILE exists" >&2; exit 1; }
P() { "$BIN" --database "sqlite://$FILE" --log-level warn "$@"; }
P tenant create --slug bench --name "Bench Fleet" >/dev/null
/usr/bin/time -f "import: %e s, peak RSS %M KB" P import repairs "$DATA" --tenant bench --mapping mappings/cincinnati-fleet.toml >/dev/null
user() { echo bench-password-1 | P user create --tenant bench --email "$1@bench.test" --name "$2" --role "$3" --password-stdin; }
user manager Manager manager >/dev/null
user admin Admin admin >/dev/null
user tech Tech technician >/dev/null
POLICE=$(sqlite3 "$FILE" "SELECT id FROM customers WHERE name = 'POLICE'")
WATER=$(sqlite3 "$FILE" "SELECT id FROM customers WHERE name = 'WATER WORKS'")
P access grant --tenant bench --customer "$POLICE" --user "$(user police Officer customer)" --access approver
P access grant --tenant bench --customer "$WATER" --user "$(user water Plumber customer)" --access viewer
for i in 1 2 3 4; do user "login$i" "Login $i" technician >/dev/null; done
sqlite3 "$FILE" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
echo "$FILE: $(sqlite3 "$FILE" "SELECT COUNT(*) FROM repairs") repairs"
