#!/usr/bin/env bash
# `make test`: every check, each build made once and reused, and what can run side by side on two
# cores run so. Format, clippy (warnings denied), the server suite on SQLite and on PostgreSQL, the
# wasm tests in headless Chromium, the contract (Schemathesis) on both engines, and the end-to-end
# journeys in headless Chromium against the release build.
#
# Clippy is not a build of its own: the builds that the tests run are made through clippy-driver
# (cargo's RUSTC_WORKSPACE_WRAPPER, as `cargo clippy` does it, warnings denied), so the workspace's
# crates are linted while they are compiled for the tests, and no dependency is compiled twice.
#
# The stages run in four lanes; a stage starts when those it needs have passed:
#   packages: Debian's packages, npm's, and .venv (scripts/setup.sh packages)
#   server:   format -> server build -> server suite on SQLite -> contract on SQLite
#   postgres: (server build) -> server suite on PostgreSQL -> contract on PostgreSQL
#   wasm:     tools (scripts/setup.sh tools) -> release app -> end-to-end (server build), its phone and
#             desktop halves side by side
#   wasm-test: wasm tests' build -> wasm tests (tools, Chromium)
# The wasm tests are built in a target folder of their own (target/wasm-test), so their build never
# waits on the server's, nor the server's tests on it (cargo locks a target folder while it builds).
# Each stage's output goes to target/test-logs/STAGE.log; a failed stage's log is printed whole.
# At the end: each stage's time, and the total.
set -uo pipefail
cd "$(dirname "$0")/.."

export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export WASM_BINDGEN_TEST_WEBDRIVER_JSON=$PWD/webdriver.json
export CARGO_TERM_COLOR=never

logs=target/test-logs
rm -rf "$logs"
mkdir -p "$logs"
began=$(date +%s)

# clippy-driver compiles as rustc does and lints the workspace's crates on the way.
# (An `env` command, not a function, so it also runs under scripts/postgres.sh.)
clippy=(env "RUSTC_WORKSPACE_WRAPPER=$(command -v clippy-driver)" CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__)
wasm_crates=(-p portico -p portico-client -p portico-ui -p portico-widget -p portico-staff)
wasm_test() { CARGO_TARGET_DIR=target/wasm-test "${clippy[@]}" cargo "$@" --target wasm32-unknown-unknown "${wasm_crates[@]}"; }

# stage NAME CMD...: runs CMD into NAME's log; NAME.ok or NAME.failed says how it ended.
stage() {
  local name=$1
  shift
  local start=$(date +%s)
  echo "[test] $(date +%T) $name started"
  if "$@" >"$logs/$name.log" 2>&1; then
    echo "$name $(( $(date +%s) - start )) passed" >"$logs/$name.ok"
    echo "[test] $(date +%T) $name passed in $(( $(date +%s) - start )) s"
  else
    echo "$name $(( $(date +%s) - start )) FAILED" >"$logs/$name.failed"
    echo "[test] $(date +%T) $name FAILED after $(( $(date +%s) - start )) s"
    return 1
  fi
}

# after NAME...: waits until each of those stages passed; fails at once if one failed.
after() {
  local name
  for name in "$@"; do
    until [[ -e $logs/$name.ok ]]; do
      [[ -e $logs/$name.failed ]] && return 1
      sleep 1
    done
  done
}

lane_packages() {
  stage packages scripts/setup.sh packages
}

lane_server() {
  stage format cargo fmt --all -- --check &&
    stage server-build "${clippy[@]}" cargo build -p portico-api -p portico-server --all-targets &&
    after packages &&
    stage server-sqlite "${clippy[@]}" cargo test -p portico-api -p portico-server -- --skip schema:: &&
    stage contract-sqlite scripts/contract.sh
}

lane_postgres() {
  after server-build packages &&
    stage server-postgres scripts/postgres.sh with "${clippy[@]}" cargo test -p portico-server --test api &&
    stage contract-postgres env PORTICO_CONTRACT_PORT=8799 scripts/postgres.sh with scripts/contract.sh
}

lane_wasm() {
  stage tools scripts/setup.sh tools &&
    after packages &&
    stage app make --no-print-directory app &&
    after server-build &&
    e2e
}

# The journeys in two runs side by side, each its own server on its own fresh database: the phone's
# projects and the desktop's (tests/e2e/playwright.config.ts says which journey runs where).
e2e() {
  stage e2e-phone env PORTICO_E2E_PORT=8787 npx playwright test --config tests/e2e/playwright.config.ts \
    --project phone-zh --project phone-en --output target/e2e/phone &
  local phone=$!
  stage e2e-desktop env PORTICO_E2E_PORT=8789 npx playwright test --config tests/e2e/playwright.config.ts \
    --project desktop-en --project desktop-zh --output target/e2e/desktop
  local desktop=$?
  wait $phone && return $desktop
}

lane_wasm_test() {
  # The target is added by the tools' stage; the build needs nothing else.
  until rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; do
    [[ -e $logs/tools.failed ]] && return 1
    sleep 1
  done
  # At the lowest priority: it is on no long path, while the tools' build (on the longest one: tools, app,
  # e2e) and the server's take the two cores.
  stage wasm-build nice -n 19 env CARGO_TARGET_DIR=target/wasm-test "${clippy[@]}" cargo build --all-targets \
    --target wasm32-unknown-unknown "${wasm_crates[@]}" &&
    after tools packages &&
    stage wasm-test wasm_test test
}

lanes=(lane_packages lane_server lane_postgres lane_wasm lane_wasm_test)
pids=()
for lane in "${lanes[@]}"; do
  "$lane" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

status=0
for log in "$logs"/*.failed; do
  [[ -e $log ]] || continue
  status=1
  name=$(basename "$log" .failed)
  echo
  echo "=================== $name FAILED: its log ($logs/$name.log) ==================="
  tail -n 3000 "$logs/$name.log"
done

echo
echo "Stage times (seconds; lanes run side by side):"
cat "$logs"/*.ok "$logs"/*.failed 2>/dev/null | sort -k2 -n -r | awk '{ printf "  %-18s %6d  %s\n", $1, $2, $3 }'
expected=(packages format server-build server-sqlite contract-sqlite server-postgres contract-postgres tools app
  e2e-phone e2e-desktop wasm-build wasm-test)
for name in "${expected[@]}"; do
  if [[ ! -e $logs/$name.ok && ! -e $logs/$name.failed ]]; then
    echo "  $name did not run (a stage it needs failed)"
    status=1
  fi
done
total=$(( $(date +%s) - began ))
echo "Total: $(( total / 60 )) min $(( total % 60 )) s"
if [[ $status == 0 ]]; then echo "make test: every check passed"; else echo "make test: FAILED"; fi
exit $status
