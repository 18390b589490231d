#!/usr/bin/env bash
# Signs a demo customer in through the demo outbox, as the app would, and prints the session
# cookie's value. Codes are delivered off the request path, so it waits for the new message.
# Usage: scripts/demo-sign-in.sh BASE_URL EMAIL
set -euo pipefail
base=$1 email=$2
newest() { curl -sf "$base/api/dev/outbox" | python3 -c 'import json,sys; m=json.load(sys.stdin); print(m[0]["id"] if m else 0)'; }
after=$(newest)
curl -sf -H 'content-type: application/json' -d "{\"contact\":\"$email\"}" "$base/api/auth/code" >/dev/null
code=
for _ in $(seq 100); do
  code=$(curl -sf "$base/api/dev/outbox" | python3 -c "
import json, re, sys
for m in json.load(sys.stdin):
    if m['to'] == '$email' and m['id'] > $after:
        print(re.search(r'\b(\d{6})\b', m['body']).group(1)); break")
  [[ -n $code ]] && break
  sleep 0.1
done
[[ -n $code ]] || { echo "no code for $email in the outbox" >&2; exit 1; }
curl -sf -D - -o /dev/null -H 'content-type: application/json' \
  -d "{\"contact\":\"$email\",\"code\":\"$code\"}" "$base/api/auth/verify" |
  sed -n 's/^set-cookie: portico_session=\([^;]*\).*/\1/Ip' | tr -d '\r'
