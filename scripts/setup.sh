#!/usr/bin/env bash
# Installs whatever this machine is missing to build and test Portico.
# Idempotent: a second run installs nothing. Never downloads a prebuilt binary.
#   scripts/setup.sh build   -> wasm target, Trunk, wasm-bindgen CLI, wasm-split-cli, brotli (Debian), wasm-opt and terser (npm),
#                               npm packages
#   scripts/setup.sh test    -> the above plus Debian's Chromium, chromedriver, fonts-noto-cjk and PostgreSQL, and
#                               Schemathesis and aiosmtpd (the server tests' SMTP server; PyPI) in .venv
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Cuts the wasm at the app's lazy routes (scripts/split.py, run by Trunk after each build).
WASM_SPLIT_VERSION=0.2.4
# The wasm-bindgen CLI must match the crate exactly: read it from Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v trunk >/dev/null || ! trunk --version | grep -q "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # --locked fails today: a locked dependency is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (a minute or two, once)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
fi

if ! command -v brotli >/dev/null; then
  say "installing brotli from Debian (the build writes precompressed files)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq brotli >/dev/null
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen's wasm-opt, terser, Playwright, axe-core)"
  npm ci --no-audit --no-fund
fi

if [ "${1:-build}" = test ]; then
  if [ ! -x .venv/bin/st ] || ! cmp -s tests/contract/requirements.txt .venv/requirements.txt; then
    say "installing Schemathesis and aiosmtpd (PyPI, versions pinned in tests/contract/requirements.txt) into .venv"
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r tests/contract/requirements.txt
    cp tests/contract/requirements.txt .venv/requirements.txt
  fi
  # A CJK font too: without it every zh-CN screenshot shows boxes instead of Chinese.
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    say "installing Chromium, chromedriver and a CJK font from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
  fi
  # The server suite runs on PostgreSQL too (scripts/postgres.sh starts a private server).
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing PostgreSQL from Debian (the server suite runs on it too)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
fi
