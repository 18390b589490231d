#!/usr/bin/env bash
# Lighthouse (npm, mobile preset, Debian Chromium) on the portal's pages, signed in where a page
# needs it: performance score and cumulative layout shift per page, as a markdown table on stdout.
# Fails when a page scores under 95 or shifts more than 0.02. Usage: scripts/lighthouse.sh BASE_URL
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1
export CHROME_PATH=/usr/bin/chromium
flags="--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# A signed-in customer (the demo Gold customer), through the outbox as the app would.
cookie="portico_session=$(scripts/demo-sign-in.sh "$base" li.na@example.com)"
order=$(curl -sf -b "$cookie" "$base/api/orders?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["orders"][0]["number"])')

echo "| page | signed in | performance | layout shift | largest contentful paint |"
echo "| --- | --- | ---: | ---: | ---: |"
status=0
for page in "/ no" "/track no" "/sign-in no" "/orders yes" "/orders/$order yes"; do
  read -r path signed <<<"$page"
  headers=()
  [[ $signed == yes ]] && headers=(--extra-headers "{\"Cookie\":\"$cookie\"}")
  npx lighthouse "$base$path" --quiet --only-categories=performance --output=json \
    --output-path="$out/report.json" --chrome-flags="$flags" "${headers[@]}" >/dev/null 2>&1
  read -r score cls lcp < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(round(r["categories"]["performance"]["score"] * 100),
      r["audits"]["cumulative-layout-shift"]["numericValue"],
      r["audits"]["largest-contentful-paint"]["displayValue"].replace("\u00a0", " ").replace(" ", ""))' "$out/report.json")
  printf '| `%s` | %s | %s | %.3f | %s |\n' "$path" "$signed" "$score" "$cls" "$lcp"
  if (( score < 95 )) || python3 -c "import sys; sys.exit(0 if float('$cls') > 0.02 else 1)"; then
    status=1
  fi
done
exit $status
