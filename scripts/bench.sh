#!/usr/bin/env bash
# `make bench`: sizes of the release app (raw, gzip, brotli; as files and as served), where the
# wasm bytes go (twiggy), the order-detail and order-list APIs
# under a bounded loopback load, what asking for a sign-in code costs a customer and a stranger, and
# the ingest's throughput (checkpoint events per second on SQLite and PostgreSQL, batched and single;
# `portico-server import` of 100,000 orders), and writes with one and two instances on PostgreSQL
# (scripts/write-bench.py). Appends a dated section to bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

results=bench/results.md
port=${PORTICO_BENCH_PORT:-8799}
duration=${PORTICO_BENCH_SECONDS:-10}
connections=${PORTICO_BENCH_CONNECTIONS:-16}

command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq wrk brotli >/dev/null; }
command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0 --locked
command -v brotli >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq brotli >/dev/null; }

size_row() { # name file
  printf '| %s | %s | %d | %d | %d |\n' "$1" "$(basename "$2")" "$(stat -c %s "$2")" \
    "$(gzip -9c "$2" | wc -c)" "$(brotli -c -q 11 "$2" | wc -c)"
}

# What every first visit downloads (the main module, its JS, the chunk loader, the CSS), and the
# chunks scripts/split.py cut at lazy routes, fetched only when such a page is first opened.
wasm=$(ls dist/portico-*_bg.wasm) js=$(ls dist/portico-*.js) loader=$(ls dist/__wasm_split-*.js) css=$(ls dist/*.css)
first_load=("$wasm" "$js" "$loader" "$css")
mapfile -t chunks < <(ls dist/split_*.wasm dist/chunk_*.wasm 2>/dev/null)
total_br=0
for file in "${first_load[@]}"; do total_br=$((total_br + $(brotli -c -q 11 "$file" | wc -c))); done

# Budgets per bundle, on the bytes the server sends at first open (bench/results.md, top section,
# says why each is what it is): the portal's here, the others where their rows are written below.
# A bundle that is not built yet has no bytes to check: the check covers what exists.
budget=204800

# Where the wasm bytes go: the release wasm as rustc left it (names kept, before wasm-bindgen and
# wasm-opt), grouped by scripts/wasm-breakdown.py.
breakdown=$(twiggy top -f csv -n 1000000 target/wasm32-unknown-unknown/release/portico.wasm |
  python3 scripts/wasm-breakdown.py)

data=$(mktemp -d)
PORTICO_ADDR=127.0.0.1:$port PORTICO_DATA_DIR=$data PORTICO_DEMO=1 PORTICO_DEMO_ADVANCE_SECS=0 \
  PORTICO_RATE_LIMIT_FACTOR=100 RUST_LOG=warn target/server/portico-server --static-dir dist &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/auth/session" >/dev/null && break; sleep 0.2; done

# Sign in as the demo Gold customer and pick their first order.
cookie=$(scripts/demo-sign-in.sh "http://127.0.0.1:$port" li.na@example.com)
number=$(curl -sf -b "portico_session=$cookie" "http://127.0.0.1:$port/api/orders?per_page=1" | grep -o 'PT[0-9]\{8\}' | head -1)

measure() { # path
  wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Cookie: portico_session=$cookie" \
    "http://127.0.0.1:$port$1" | grep -E 'Latency|Req/Sec|50%|90%|99%|requests in|Requests/sec|Non-2xx' || true
}
block() { # title path figures
  printf '`GET %s` (%s, signed in), wrk %ss, %s connections, loopback, server profile:\n\n```\n%s\n```\n\n' \
    "$2" "$1" "$duration" "$connections" "$3"
}
# What the server actually sends (the build's precompressed files), per encoding; a served brotli
# body must be the very bytes of the .br file on disk.
served_rows= served_br=0 served_gz=0 later_br=0
for file in "${first_load[@]}" "${chunks[@]}"; do
  name=$(basename "$file")
  [[ -f $file.br && -f $file.gz ]] || { echo "$file has no .br/.gz beside it: build with make app" >&2; exit 1; }
  curl -sf -H 'Accept-Encoding: br' "http://127.0.0.1:$port/$name" -o "$data/served.br"
  cmp -s "$data/served.br" "$file.br" || { echo "the server's brotli answer for $name is not $file.br" >&2; exit 1; }
  br=$(stat -c %s "$data/served.br")
  gz=$(curl -sf -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/$name" | wc -c)
  case $name in
    split_*|chunk_*) when="when its page is first opened"; later_br=$((later_br + br)) ;;
    *) when="every first visit"; served_br=$((served_br + br)) served_gz=$((served_gz + gz)) ;;
  esac
  served_rows+=$(printf '| %s | %s | %d | %d |' "$name" "$when" "$br" "$gz")$'\n'
done
if (( served_br <= budget )); then verdict=within; else verdict=OVER; fi
budget_rows="| portal | first visit: main wasm + JS + chunk loader + CSS, brotli | $served_br | $budget | $verdict |"
# The widget, as a partner page receives it: the loader on every page view (gzip: what a partner
# page on plain http asks for, and the larger), the wasm and its JS only when the visitor opens it.
served_file() { # path encoding -> bytes the server sends; checks they are the file on disk
  local ext=${2/gzip/gz}
  curl -sf -H "Accept-Encoding: $2" "http://127.0.0.1:$port$1" -o "$data/served.$ext"
  cmp -s "$data/served.$ext" "dist$1.$ext" || { echo "the server's $2 answer for $1 is not dist$1.$ext" >&2; exit 1; }
  stat -c %s "$data/served.$ext"
}
widget_loader_gz=$(served_file /widget.js gzip)
widget_open_br=0
for file in dist/widget/portico-widget-*.js dist/widget/portico-widget-*_bg.wasm dist/widget/__wasm_split-*.js; do
  widget_open_br=$((widget_open_br + $(served_file "/widget/$(basename "$file")" br)))
done
bundle_verdict() { (( $1 <= $2 )) && echo within || echo OVER; }
loader_verdict=$(bundle_verdict "$widget_loader_gz" 2048)
widget_verdict=$(bundle_verdict "$widget_open_br" 122880)
# The staff app, as a staff member's browser receives it under /staff/.
staff_br=0
for file in dist/staff/portico-staff-*.js dist/staff/portico-staff-*_bg.wasm dist/staff/*.css; do
  staff_br=$((staff_br + $(served_file "/staff/$(basename "$file")" br)))
done
staff_verdict=$(bundle_verdict "$staff_br" 256000)
budget_rows+=$'\n'"| staff app | wasm + JS + CSS, brotli | $staff_br | 256000 | $staff_verdict |"
budget_rows+=$'\n'"| widget loader | widget.js, gzip | $widget_loader_gz | 2048 | $loader_verdict |"
budget_rows+=$'\n'"| widget | first open: wasm + JS + chunk loader (its styles are in the wasm), brotli | $widget_open_br | 122880 | $widget_verdict |"

# Lighthouse (mobile preset) on each page (Chromium asks a localhost origin for br).
lighthouse_ok=yes
lighthouse_table=$(scripts/lighthouse.sh "http://127.0.0.1:$port") || lighthouse_ok=no

detail_load=$(measure "/api/orders/$number")
list_load=$(measure "/api/orders")

# Asking for a sign-in code must cost the same for a customer and a stranger (delivery happens off
# the request path). 200 requests each, interleaved so both share the machine's noise, 20 ms apart
# so each is measured alone (not beside the delivery of the one before, as an observer would).
code_cost=$(python3 - "$port" <<'PY'
import http.client, json, statistics, sys, time
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
times = {"customer": [], "stranger": []}
contacts = {"customer": "wang.wei@example.com", "stranger": "nobody.here@example.com"}
for _ in range(200):
    for who, contact in contacts.items():
        started = time.perf_counter()
        connection.request("POST", "/api/auth/code", json.dumps({"contact": contact}),
                           {"content-type": "application/json"})
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 202, answer.status
        times[who].append((time.perf_counter() - started) * 1000)
        time.sleep(0.02)
for who, ms in times.items():
    ms.sort()
    print(f"{who:<9} median {statistics.median(ms):.3f} ms, p90 {ms[int(len(ms) * 0.9)]:.3f} ms")
PY
)

# Starting returns under load: the demo customers' every returnable line (one unit each, drop-off,
# refund), one `POST /api/returns` per line with a fresh Idempotency-Key, as fast as 4 keep-alive
# connections allow; then 20 concurrent identical requests with one key, which must make exactly
# one return (the bench fails otherwise).
returns_sessions=()
for email in wang.wei@example.com li.na@example.com chen.jie@example.com; do
  returns_sessions+=("$(scripts/demo-sign-in.sh "http://127.0.0.1:$port" "$email")")
done
returns_load=$(python3 - "$port" "${returns_sessions[@]}" <<'PY'
import collections, http.client, json, statistics, sys, threading, time, uuid
port, sessions = int(sys.argv[1]), sys.argv[2:]
def call(connection, cookie, method, path, body=None, key=None):
    headers = {"cookie": f"portico_session={cookie}", "content-type": "application/json"}
    if key:
        headers["idempotency-key"] = key
    connection.request(method, path, body and json.dumps(body), headers)
    answer = connection.getresponse()
    return answer.status, answer.read()
def new_return(order, line):
    return {"order": order, "lines": [{"line": line, "quantity": 1}], "reason": "changed_mind",
            "resolution": "refund", "handover": "drop_off"}
lines = []
setup = http.client.HTTPConnection("127.0.0.1", port)
for cookie in sessions:
    for order in json.loads(call(setup, cookie, "GET", "/api/orders?per_page=50")[1])["orders"]:
        items = json.loads(call(setup, cookie, "GET", f"/api/orders/{order['number']}/returnable")[1])["items"]
        lines += [(cookie, order["number"], i["line"]) for i in items if i["returnable_quantity"]]
assert len(lines) >= 2, f"the demo data has {len(lines)} returnable lines; 2 are needed"
race_line, lines = lines[-1], lines[:-1]

work, lock, times, statuses = list(lines), threading.Lock(), [], collections.Counter()
def worker():
    connection = http.client.HTTPConnection("127.0.0.1", port)
    while True:
        with lock:
            if not work:
                return
            cookie, order, line = work.pop()
        started = time.perf_counter()
        status, _ = call(connection, cookie, "POST", "/api/returns", new_return(order, line), str(uuid.uuid4()))
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            times.append(elapsed)
            statuses[status] += 1
connections = 4
threads = [threading.Thread(target=worker) for _ in range(connections)]
started = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
wall = time.perf_counter() - started
times.sort()
print(f"{len(times)} requests (every returnable line of the demo customers), {connections} connections: "
      f"{len(times) / wall:.1f} req/s, median {statistics.median(times):.2f} ms, "
      f"p90 {times[int(len(times) * 0.9)]:.2f} ms, statuses {dict(sorted(statuses.items()))}")

cookie, order, line = race_line
def my_returns():
    return {r["number"] for r in json.loads(call(setup, cookie, "GET", "/api/returns")[1])}
before, key, barrier = my_returns(), str(uuid.uuid4()), threading.Barrier(20)
answers = []
def racer():
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.connect()
    barrier.wait()
    status, body = call(connection, cookie, "POST", "/api/returns", new_return(order, line), key)
    with lock:
        answers.append((status, json.loads(body).get("number")))
racers = [threading.Thread(target=racer) for _ in range(20)]
for t in racers: t.start()
for t in racers: t.join()
made = my_returns() - before
race_statuses = dict(sorted(collections.Counter(s for s, _ in answers).items()))
print(f"one Idempotency-Key, 20 concurrent identical requests: statuses {race_statuses}, "
      f"return numbers answered {len({n for _, n in answers})}, returns made {len(made)}")
assert len(made) == 1 and {n for _, n in answers} == made and race_statuses == {201: 20}, \
    "20 requests with one key must make exactly one return"
PY
)

# Answering surveys under load: 40 fresh invitations (the demo endpoint), each answered as the
# survey page does (the score, then a comment, then finished: three PUTs with one client-made
# response id) over 4 keep-alive connections; then 20 concurrent identical saves of one new
# response, which must leave exactly one response (the bench fails otherwise).
survey_load=$(python3 - "$port" <<'PY'
import collections, http.client, json, statistics, sys, threading, time, uuid
port = int(sys.argv[1])
def call(connection, method, path, body=None):
    connection.request(method, path, body and json.dumps(body), {"content-type": "application/json"})
    answer = connection.getresponse()
    return answer.status, answer.read()
setup = http.client.HTTPConnection("127.0.0.1", port)
customers = ["wang.wei@example.com", "li.na@example.com", "chen.jie@example.com"]
def invite(i):
    status, body = call(setup, "POST", "/api/dev/survey-invitations",
                        {"email": customers[i % 3], "touchpoint": ["delivery", "support"][i % 2]})
    assert status == 201, (status, body)
    return json.loads(body)["token"]
tokens = [invite(i) for i in range(41)]
race_token, tokens = tokens[-1], tokens[:-1]
def saves(token):
    rid = str(uuid.uuid4())
    score = {"question": "score", "value": {"score": 4}}
    text = {"question": "why" if json.loads(call(setup, "GET", f"/api/surveys/{token}")[1])["survey"]["touchpoint"] == "support" else "comment",
            "value": {"text": "送货很快，包装也好"}}
    return [(token, {"response_id": rid, "answers": [score], "finished": False}),
            (token, {"response_id": rid, "answers": [score, text], "finished": False}),
            (token, {"response_id": rid, "answers": [score, text], "finished": True})]
per_token = [saves(t) for t in tokens]
lock, times, statuses = threading.Lock(), [], collections.Counter()
def worker(mine):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for steps in mine:
        for token, body in steps:
            started = time.perf_counter()
            status, _ = call(connection, "PUT", f"/api/surveys/{token}/response", body)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                times.append(elapsed)
                statuses[status] += 1
connections = 4
threads = [threading.Thread(target=worker, args=(per_token[i::connections],)) for i in range(connections)]
started = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
wall = time.perf_counter() - started
times.sort()
print(f"{len(times)} saves ({len(tokens)} surveys answered in 3 saves each), {connections} connections: "
      f"{len(times) / wall:.1f} req/s, median {statistics.median(times):.2f} ms, "
      f"p90 {times[int(len(times) * 0.9)]:.2f} ms, statuses {dict(sorted(statuses.items()))}")
assert statuses == {200: len(times)}, "every save must be taken"
body, barrier, answers = {"response_id": str(uuid.uuid4()), "answers": [{"question": "score", "value": {"score": 5}}], "finished": True}, threading.Barrier(20), []
def racer():
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.connect()
    barrier.wait()
    status, answer = call(connection, "PUT", f"/api/surveys/{race_token}/response", body)
    with lock:
        answers.append((status, json.loads(answer).get("response_id")))
racers = [threading.Thread(target=racer) for _ in range(20)]
for t in racers: t.start()
for t in racers: t.join()
stored = json.loads(call(setup, "GET", f"/api/surveys/{race_token}")[1]).get("response", {})
race_statuses = dict(sorted(collections.Counter(s for s, _ in answers).items()))
print(f"one response id, 20 concurrent identical saves: statuses {race_statuses}, "
      f"stored response {'present' if stored else 'missing'}, answers stored {len(stored.get('answers', []))}")
assert race_statuses == {200: 20} and stored.get("response_id") == body["response_id"] and len(stored["answers"]) == 1, \
    "20 identical saves must leave exactly one response with its one answer"
PY
)

# The retailer's data in: checkpoint events per second through the signed ingest API, 500 a
# request (one client) and one a request (4 clients), on this SQLite server and on a PostgreSQL
# one (scripts/postgres.sh); then `portico-server import` of 100,000 orders (10,000 customers
# first) into a fresh SQLite database, timed.
ingest_rows=$(python3 scripts/ingest-bench.py "http://127.0.0.1:$port" SQLite)
pg_port=$((port + 1))
ingest_rows+=$'\n'$(PORTICO_PG_PORT=${PORTICO_BENCH_PG_PORT:-25499} scripts/postgres.sh with bash -c '
  PORTICO_ADDR=127.0.0.1:'"$pg_port"' PORTICO_DATABASE_URL=$PORTICO_TEST_DATABASE_URL PORTICO_DEMO=1 \
    PORTICO_DEMO_ADVANCE_SECS=0 PORTICO_RATE_LIMIT_FACTOR=100 RUST_LOG=warn target/server/portico-server --static-dir dist >/dev/null &
  pg_server=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:'"$pg_port"'/api/auth/session >/dev/null && break; sleep 0.2; done
  python3 scripts/ingest-bench.py http://127.0.0.1:'"$pg_port"' PostgreSQL
  kill $pg_server; wait $pg_server 2>/dev/null || true')
# Writes on PostgreSQL (scripts/write-bench.py): 1, 8 and 64 writers, each on keys of its own
# (an order's returns, a survey response, a page's draft), against one instance and then two on
# one database; beside the figures of the one-write-lock server before issue 27.
write_ok=yes
write_rows=$(PORTICO_PG_PORT=${PORTICO_BENCH_PG_PORT:-25499} python3 scripts/write-bench.py) || write_ok=no

import_data=$(mktemp -d)
python3 scripts/ingest-bench.py --files "$import_data" 100000
import_run() { # file
  PORTICO_DATA_DIR=$import_data RUST_LOG=error target/server/portico-server import "$import_data/$1" | tr '\n' ' '
}
import_figures="customers.jsonl (10,000): $(import_run customers.jsonl)"$'\n'"orders.jsonl (100,000, a parcel each): $(import_run orders.jsonl)"
rm -rf "$import_data"

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
  size_row "chunk loader" "$loader"
  size_row css "$css"
  for chunk in "${chunks[@]}"; do size_row "lazy chunk" "$chunk"; done
  echo
  echo "As the server sends them (\`Accept-Encoding: br\` / \`gzip\`, precompressed by the build):"
  echo
  echo "| file | fetched | br | gzip |"
  echo "| --- | --- | ---: | ---: |"
  printf '%s' "$served_rows"
  echo
  echo "Portal as served at a first visit: **$served_br bytes brotli** ($served_gz gzip; files at brotli -q 11: $total_br); lazy chunks, fetched when their page is first opened: $later_br bytes brotli."
  echo
  echo "| bundle | what is counted | served bytes | budget | verdict |"
  echo "| --- | --- | ---: | ---: | --- |"
  echo "$budget_rows"
  echo
  echo "Opening a lazy page: the chunks the loader fetches for it (its own and the shared ones it needs), as served; a customer who arrives on that page from outside (a link in a message) downloads the first visit and that page's pack, its chunks in one file (one request):"
  echo
  echo "| lazy page or island | chunks | bytes when opened | first visit starting there (its pack) |"
  echo "| --- | ---: | ---: | ---: |"
  python3 scripts/lazy-costs.py dist "$served_br"
  echo
  echo "Lighthouse 13, mobile preset, Debian Chromium, over http, signed in where it applies (median of 5 runs):"
  echo
  echo "$lighthouse_table"
  echo
  echo "Where the portal's wasm bytes go (twiggy on the release wasm before wasm-opt):"
  echo
  echo "$breakdown"
  echo
  block "order detail" "/api/orders/$number" "$detail_load"
  block "order list, first page" "/api/orders" "$list_load"
  printf '`POST /api/auth/code`, 200 requests each, interleaved, 20 ms apart, one keep-alive connection:\n\n```\n%s\n```\n\n' "$code_cost"
  printf '`POST /api/returns` (signed in, a fresh Idempotency-Key each; drop-off, refund), loopback, server profile:\n\n```\n%s\n```\n\n' "$returns_load"
  printf '`PUT /api/surveys/{token}/response` (no session: the link is the right; score, comment, finish), loopback, server profile:\n\n```\n%s\n```\n\n' "$survey_load"
  echo "Ingest, checkpoint events per second (\`POST /api/ingest/checkpoints\`, signed; batched: 500 events a request, one client; single: one event a request, 4 clients), loopback, server profile:"
  echo
  echo "| engine | batched | single |"
  echo "| --- | ---: | ---: |"
  echo "$ingest_rows"
  echo
  printf '`portico-server import` into a fresh SQLite database, server profile:\n\n```\n%s\n```\n\n' "$import_figures"
  echo "Writes on one PostgreSQL database (\`scripts/write-bench.py\`: writers on keys of their own, each in turn starting a return on its order, cancelling it, saving its survey response and its page's draft; errors must be 0), server profile:"
  echo
  echo "$write_rows"
  echo
  echo "The same, measured the same way on the server with one write lock for everything (before issue 27):"
  echo
  cat bench/write-bench-before.md
  echo
} | tee -a "$results"

# Over budget is a failure, stated after the figures are written.
[[ $verdict == within ]] || { echo "the portal is served as $served_br bytes brotli, over its $budget byte budget" >&2; exit 1; }
[[ $staff_verdict == within ]] || { echo "the staff app is served as $staff_br bytes brotli, over its 256000 byte budget" >&2; exit 1; }
[[ $loader_verdict == within ]] || { echo "the widget loader is served as $widget_loader_gz bytes gzip, over its 2048 byte budget" >&2; exit 1; }
[[ $widget_verdict == within ]] || { echo "the widget's first open is $widget_open_br bytes brotli, over its 122880 byte budget" >&2; exit 1; }
[[ $write_ok == yes ]] || { echo "writes answered with errors (scripts/write-bench.py, above)" >&2; exit 1; }
[[ $lighthouse_ok == yes ]] || { echo "a page scores under 95 or shifts more than 0.02 (Lighthouse, above)" >&2; exit 1; }
