#!/usr/bin/env bash
# `make contract`: Schemathesis (every check) against the OpenAPI document the server serves, run
# against that same server — once as a caller without a session, once signed in as a customer,
# once as a publisher of the staff app (the staff API only), once as the retailer's systems (the
# ingest API only, each request signed by tests/contract/ingest_hooks.py); on SQLite, or on PostgreSQL when run
# under `scripts/postgres.sh with`. Zero failures,
# zero 5xx, or this fails. Bounded: a fixed number of cases per operation, a fixed seed.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${PORTICO_CONTRACT_PORT:-8798}
base=http://127.0.0.1:$port
data=$(mktemp -d)
# Under `scripts/postgres.sh with`: the same run on that PostgreSQL server instead of SQLite.
engine=sqlite
if [[ -n ${PORTICO_TEST_DATABASE_URL:-} ]]; then
  export PORTICO_DATABASE_URL=$PORTICO_TEST_DATABASE_URL
  engine=postgres
fi
reports=target/contract/$engine
mkdir -p "$reports"

# Limits multiplied: the run sends hundreds of requests from one address; the limits themselves
# are covered by the server's integration tests.
export PORTICO_KUAIDI100_SALT=contract-salt
PORTICO_ADDR=127.0.0.1:$port PORTICO_DATA_DIR=$data PORTICO_DEMO=1 PORTICO_DEMO_ADVANCE_SECS=0 \
  PORTICO_RATE_LIMIT_FACTOR=1000 RUST_LOG=error target/debug/portico-server --static-dir dist >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "$base/api/auth/session" >/dev/null && break; sleep 0.1; done

# Sign in as the demo Gold customer through the outbox, as the app would.
export PORTICO_SESSION=$(scripts/demo-sign-in.sh "$base" li.na@example.com)
export PORTICO_ORDER=$(curl -sf -b "portico_session=$PORTICO_SESSION" "$base/api/orders?per_page=1" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["orders"][0]["number"])')
# A drop-off return of hers (the first order with something returnable), so the drop-off QR code
# is fetched for real; the run fails here if the demo data has nothing returnable.
PORTICO_RETURN=$(python3 - "$base" "$PORTICO_SESSION" <<'PY'
import json, sys, urllib.request
base, session = sys.argv[1], sys.argv[2]
def call(path, body=None):
    request = urllib.request.Request(base + path, data=body and json.dumps(body).encode(),
        headers={"cookie": f"portico_session={session}", "content-type": "application/json",
                 "idempotency-key": "contract-drop-off"})
    return json.load(urllib.request.urlopen(request))
for order in call("/api/orders?per_page=50")["orders"]:
    lines = [i for i in call(f"/api/orders/{order['number']}/returnable")["items"] if i["returnable_quantity"]]
    if lines:
        made = call("/api/returns", {"order": order["number"], "lines": [{"line": lines[0]["line"], "quantity": 1}],
                                     "reason": "changed_mind", "resolution": "refund", "handover": "drop_off"})
        print(made["number"])
        break
else:
    sys.exit("no returnable order in the demo data")
PY
)
export PORTICO_RETURN

# Signed in to the staff app as the demo publisher: the session cookie and its CSRF token.
read -r PORTICO_STAFF_SESSION PORTICO_STAFF_CSRF < <(python3 - "$base" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
request = urllib.request.Request(base + "/api/staff/sign-in", headers={"content-type": "application/json"},
    data=json.dumps({"email": "publisher@portico.test", "password": "portico-publisher-demo"}).encode())
with urllib.request.urlopen(request) as answer:
    # The session's cookie by its name (a sign-in also sets the browser's device cookie).
    cookies = dict(c.split(";")[0].split("=", 1) for c in answer.headers.get_all("set-cookie"))
    cookie = cookies["portico_staff"]
    print(cookie, json.load(answer)["csrf_token"])
PY
)
export PORTICO_STAFF_SESSION PORTICO_STAFF_CSRF

# An integration key, made through the staff API as the demo admin: its id and secret.
read -r PORTICO_INGEST_KEY PORTICO_INGEST_SECRET < <(python3 - "$base" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
def post(path, body, headers):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(),
        headers={"content-type": "application/json", **headers})
    return urllib.request.urlopen(request)
with post("/api/staff/sign-in", {"email": "admin@portico.test", "password": "portico-admin-demo"}, {}) as answer:
    cookies = dict(c.split(";")[0].split("=", 1) for c in answer.headers.get_all("set-cookie"))
    csrf = json.load(answer)["csrf_token"]
made = json.load(post("/api/staff/integrations", {"name": "Contract"},
    {"cookie": f"portico_staff={cookies['portico_staff']}", "x-csrf-token": csrf}))
print(made["key"]["key_id"], made["secret"])
PY
)
export PORTICO_INGEST_KEY PORTICO_INGEST_SECRET

status=0
for pass in ${PORTICO_CONTRACT_PASSES:-anonymous session staff ingest}; do
  echo "== contract ($engine), $pass =="
  only=()
  hooks=()
  [[ $pass == staff ]] && only=(--include-path-regex '^/api/staff/')
  [[ $pass == ingest ]] && only=(--include-path-regex '^/api/ingest/') hooks=(PYTHONPATH=tests/contract SCHEMATHESIS_HOOKS=ingest_hooks)
  NO_COLOR=1 env "${hooks[@]}" .venv/bin/st --config-file "tests/contract/$pass.toml" run "$base/api/openapi.json" "${only[@]}" \
    --checks all --generation-database none --report junit --report-junit-path "$reports/$pass.xml" >"$reports/$pass.log" 2>&1 || status=1
  # The summary: phases, failures and the number of cases generated.
  sed -n '/=== SUMMARY ===/,$p' "$reports/$pass.log"
  [[ $status == 0 ]] || sed -n '/=== FAILURES ===/,/=== SUMMARY ===/p' "$reports/$pass.log"
done
exit $status
