#!/usr/bin/env bash
# `make bench`: sizes of the release app (raw, gzip, brotli) and the order-detail API under a
# bounded loopback load. Appends a dated section to bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

results=bench/results.md
port=${PORTICO_BENCH_PORT:-8799}
duration=${PORTICO_BENCH_SECONDS:-10}
connections=${PORTICO_BENCH_CONNECTIONS:-16}

command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq wrk brotli >/dev/null; }
command -v brotli >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq brotli >/dev/null; }

size_row() { # name file
  printf '| %s | %s | %d | %d | %d |\n' "$1" "$(basename "$2")" "$(stat -c %s "$2")" \
    "$(gzip -9c "$2" | wc -c)" "$(brotli -c -q 11 "$2" | wc -c)"
}

wasm=$(ls dist/*_bg.wasm) js=$(ls dist/portico-*.js) css=$(ls dist/*.css)
total_br=$(( $(brotli -c -q 11 "$wasm" | wc -c) + $(brotli -c -q 11 "$js" | wc -c) + $(brotli -c -q 11 "$css" | wc -c) ))

data=$(mktemp -d)
PORTICO_ADDR=127.0.0.1:$port PORTICO_DATA_DIR=$data PORTICO_DEMO=1 PORTICO_DEMO_ADVANCE_SECS=0 \
  PORTICO_RATE_LIMIT_FACTOR=100 RUST_LOG=warn target/server/portico-server --static-dir dist &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/auth/session" >/dev/null && break; sleep 0.2; done

# Sign in as the demo Gold customer and pick their first order.
jar=$data/cookies
curl -sf -c "$jar" -H 'content-type: application/json' -d '{"contact":"li.na@example.com"}' "http://127.0.0.1:$port/api/auth/code" >/dev/null
code=$(curl -sf "http://127.0.0.1:$port/api/dev/outbox" | grep -o '[0-9]\{6\}' | head -1)
curl -sf -c "$jar" -H 'content-type: application/json' -d "{\"contact\":\"li.na@example.com\",\"code\":\"$code\"}" "http://127.0.0.1:$port/api/auth/verify" >/dev/null
cookie=$(awk '$6=="portico_session"{print $7}' "$jar")
number=$(curl -sf -b "portico_session=$cookie" "http://127.0.0.1:$port/api/orders?per_page=1" | grep -o 'PT[0-9]\{8\}' | head -1)

load=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Cookie: portico_session=$cookie" \
  "http://127.0.0.1:$port/api/orders/$number")

{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), commit $(git rev-parse --short HEAD 2>/dev/null || echo none)"
  echo
  echo "Release app (bytes):"
  echo
  echo "| part | file | raw | gzip -9 | brotli -q 11 |"
  echo "| --- | --- | ---: | ---: | ---: |"
  size_row wasm "$wasm"
  size_row js "$js"
  size_row css "$css"
  echo
  echo "App total, brotli: **$total_br bytes** (budget 204800)."
  echo
  echo "\`GET /api/orders/$number\` (signed in), wrk ${duration}s, $connections connections, loopback, server profile:"
  echo
  echo '```'
  echo "$load" | grep -E 'Latency|Req/Sec|50%|90%|99%|requests in|Requests/sec|Non-2xx' || true
  echo '```'
} | tee -a "$results"
