#!/usr/bin/env bash
# Attachments (issue 9): uploads of 12-megapixel JPEGs (photos/s and the server's peak RSS with 8 clients at
# once), the time from an upload's start to its thumbnail being served, a 100 MB video upload's peak RSS,
# and GET .../thumbnail req/s against /healthz (wrk, same run). SQLite, file:// blobs, loopback only.
# Prints a Markdown report to stdout (paste it into bench/RESULTS.md).
#   bench/upload.sh [DURATION_SECONDS]      PORTICO_BENCH_VIDEO=0 skips the 100 MB video,
#   PORTICO_BENCH_VIDEO_FILE=F uploads F instead of making one (ffmpeg takes minutes on a loaded machine)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
command -v wrk >/dev/null || { echo "bench: wrk missing (scripts/deps.sh installs it)" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "bench: ffmpeg missing (scripts/deps.sh installs it)" >&2; exit 1; }
./scripts/build.sh portico >/dev/null
BIN=$PWD/build/portico
WORK=$(mktemp -d)
DB="sqlite://$WORK/bench.db"
PORT=${PORTICO_BENCH_PORT:-18490}
URL="http://127.0.0.1:$PORT"
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

P() { "$BIN" --database "$DB" --log-level warn "$@"; }
P tenant create --slug bench --name "Bench Shop" >/dev/null
echo bench-password-1 | P user create --tenant bench --email manager@bench.test --name Manager --role manager --password-stdin >/dev/null
CUSTOMER=$(P customer create --tenant bench --name "Bench Fleet" --email fleet@bench.test)

# A 12-megapixel photo (4000 x 3000, detailed enough to weigh what a phone's does) and, unless skipped,
# a 100 MB video.
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=4000x3000,noise=alls=30:allf=t" -frames:v 1 -q:v 2 "$WORK/photo.jpg"
PHOTO_MB=$(awk -v b="$(stat -c %s "$WORK/photo.jpg")" 'BEGIN {printf "%.1f", b / 1048576}')
if [ -n "${PORTICO_BENCH_VIDEO_FILE:-}" ]; then
  ln -s "$(realpath "$PORTICO_BENCH_VIDEO_FILE")" "$WORK/video.mp4"  # one made by an earlier run (below)
elif [ "${PORTICO_BENCH_VIDEO:-1}" != "0" ]; then
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1280x720:rate=30" -t 60 -c:v libx264 -preset ultrafast \
    -b:v 13M -maxrate 13M -bufsize 26M -pix_fmt yuv420p "$WORK/video.mp4"
fi

# Blobs and the server's files under the work dir (file://data/blobs relative to its working directory).
(cd "$WORK" && exec "$BIN" --database "$DB" --log-level warn serve --listen "127.0.0.1:$PORT") 2> "$WORK/server.log" &
SERVER=$!
for _ in $(seq 50); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
IDLE_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")

body=$(curl -s -D "$WORK/h" -H 'content-type: application/json' \
  -d '{"tenant":"bench","email":"manager@bench.test","password":"bench-password-1"}' "$URL/api/v1/auth/login")
COOKIE=$(grep -i '^set-cookie:' "$WORK/h" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*);.*/\1/')
CSRF=$(echo "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
REPAIR=$(curl -s -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" -H 'content-type: application/json' \
  -d "{\"customer_id\":$CUSTOMER,\"unit_number\":\"BENCH-1\",\"description\":\"bench\"}" \
  "$URL/api/v1/repairs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
upload() {  # file -> attachment JSON
  curl -s -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" -F "file=@$1" -F visibility=customer \
    "$URL/api/v1/repairs/$REPAIR/attachments"
}
hwm() { awk '/VmHWM/ {print $2}' "/proc/$SERVER/status"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
# Resets VmHWM to the current RSS (Linux: "5" to clear_refs), so a peak is that of what follows alone:
# the login above already peaked at +64 MB (argon2id INTERACTIVE hashes in 64 MiB of memory).
reset_hwm() { echo 5 > "/proc/$SERVER/clear_refs"; }
LOGIN_PEAK_KB=$(hwm)

# The 100 MB video first, with its own peak.
VIDEO_ROW=""
if [ -f "$WORK/video.mp4" ]; then
  reset_hwm
  before=$(rss)
  t0=$(date +%s.%N)
  vid=$(upload "$WORK/video.mp4")
  t1=$(date +%s.%N)
  after=$(hwm)
  VMB=$(awk -v b="$(stat -L -c %s "$WORK/video.mp4")" 'BEGIN {printf "%.0f", b / 1048576}')
  VOK=$(echo "$vid" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("201" if "id" in d else d.get("status", "?"))')
  VIDEO_ROW="| ${VMB} MB MP4 (720p, 60 s) upload, probe and poster | $VOK in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s; peak RSS $((after / 1024)) MB, **$(((after - before) / 1024)) MB above the RSS before it** ($((before / 1024)) MB; idle after start $((IDLE_KB / 1024)) MB) |"
fi

# Time to the thumbnail: from the upload's start until GET .../thumbnail answers 200 (5 sequential uploads;
# the thumbnail is made before the 201, so this is the upload's whole processing).
TIMES=()
for i in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  id=$(upload "$WORK/photo.jpg" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$URL/api/v1/attachments/$id/thumbnail")" = 200 ]; do sleep 0.01; done
  t1=$(date +%s.%N)
  TIMES+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')")
  THUMB_ID=$id
done
SORTED=$(printf '%s\n' "${TIMES[@]}" | sort -n | tr '\n' ' ')
MEDIAN=$(printf '%s\n' "${TIMES[@]}" | sort -n | sed -n 3p)

# 8 clients at once.
reset_hwm
BEFORE8_KB=$(rss)
t0=$(date +%s.%N)
for i in $(seq 8); do upload "$WORK/photo.jpg" > "$WORK/up$i.json" & done
wait $(jobs -p | grep -v "^$SERVER$") 2>/dev/null || true
t1=$(date +%s.%N)
OK8=$(grep -l '"thumbnail_url"' "$WORK"/up*.json | wc -l)
WALL8=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
PPS=$(awk -v n="$OK8" -v w="$WALL8" 'BEGIN {printf "%.2f", n / w}')
PEAK8_KB=$(hwm)

# Thumbnails served: req/s against /healthz, same server, same run.
run_wrk() {  # wrk args -> "req/s p99"
  local out
  out=$(wrk -t2 -c32 -d"${DUR}s" --latency "$@" 2>&1)
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}') $(echo "$out" | awk '/Non-2xx/ {print $5}')"
}
read -r H_RPS H_P99 _ <<< "$(run_wrk "$URL/healthz")"
read -r T_RPS T_P99 T_NON <<< "$(COOKIE="$COOKIE" PATH_TO_GET="/api/v1/attachments/$THUMB_ID/thumbnail" run_wrk -s bench/lua/get_with_cookie.lua "$URL")"
RATIO=$(awk -v a="$T_RPS" -v b="$H_RPS" 'BEGIN {printf "%.2f", a / b}')

cat <<MD
## Attachments (issue 9) — bench/upload.sh, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, SQLite, file:// blobs

| what | figure |
|---|---|
| time to the thumbnail of a 12-megapixel JPEG ($PHOTO_MB MB), upload start to GET .../thumbnail 200, 5 in a row | median ${MEDIAN} s (all: ${SORTED}) |
$VIDEO_ROW
| 8 clients uploading that JPEG at once | $OK8 × 201 in $WALL8 s ($PPS photos/s); peak RSS $((PEAK8_KB / 1024)) MB ($(((PEAK8_KB - BEFORE8_KB) / 1024)) MB above the $((BEFORE8_KB / 1024)) MB before; idle $((IDLE_KB / 1024)) MB) |
| the manager's login before them (argon2id INTERACTIVE, 64 MiB) | peak RSS $((LOGIN_PEAK_KB / 1024)) MB |
| GET /healthz (wrk -t2 -c32, ${DUR} s) | $H_RPS req/s, p99 $H_P99 |
| GET /api/v1/attachments/{id}/thumbnail (manager session) | $T_RPS req/s, p99 $T_P99, non-2xx ${T_NON:-0}: **$RATIO of /healthz** |
MD
