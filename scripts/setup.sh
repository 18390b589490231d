#!/usr/bin/env bash
# Installs whatever this machine is missing to build and test Portico.
# Idempotent: a second run installs nothing. Never downloads a prebuilt binary.
#   scripts/setup.sh build   -> wasm target, Trunk, wasm-bindgen CLI, wasm-split-cli, brotli (Debian), wasm-opt and terser (npm),
#                               npm packages
#   scripts/setup.sh test    -> the above plus Debian's Chromium, chromedriver, fonts-noto-cjk and PostgreSQL, and
#                               Schemathesis and aiosmtpd (the server tests' SMTP server; PyPI) in .venv
# Its parts, for scripts/test.sh, which runs them beside the first builds:
#   scripts/setup.sh tools     -> the wasm target and the tools built from crates.io (Trunk, wasm-bindgen, wasm-split)
#   scripts/setup.sh packages  -> Debian's packages, the npm packages and .venv (what `test` adds, and brotli)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Cuts the wasm at the app's lazy routes (scripts/split.py, run by Trunk after each build).
WASM_SPLIT_VERSION=0.2.4
# The wasm-bindgen CLI must match the crate exactly: read it from Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# Debian's package lists are read once per run, by the first install that needs them.
apt_updated=0
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ $apt_updated = 0 ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

tools() {
  # The tools are built for this machine only: without the link-time optimisation their own release
  # profiles ask for (Trunk's fat LTO in one codegen unit alone takes minutes), at a lower
  # optimisation level. What they do with a build is the same; they only run a little slower.
  export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1
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
}

brotli_package() {
  if ! command -v brotli >/dev/null; then
    say "installing brotli from Debian (the build writes precompressed files)"
    apt_install brotli
  fi
}

npm_packages() {
  if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (binaryen's wasm-opt, terser, Playwright, axe-core)"
    npm ci --no-audit --no-fund
  fi
}

test_packages() {
  if [ ! -x .venv/bin/st ] || ! cmp -s tests/contract/requirements.txt .venv/requirements.txt; then
    say "installing Schemathesis and aiosmtpd (PyPI, versions pinned in tests/contract/requirements.txt) into .venv"
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r tests/contract/requirements.txt
    cp tests/contract/requirements.txt .venv/requirements.txt
  fi
  # A CJK font too: without it every zh-CN screenshot shows boxes instead of Chinese.
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    say "installing Chromium, chromedriver and a CJK font from Debian"
    apt_install chromium chromium-driver fonts-noto-cjk
  fi
  # The server suite runs on PostgreSQL too (scripts/postgres.sh starts a private server).
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing PostgreSQL from Debian (the server suite runs on it too)"
    apt_install postgresql
  fi
}

case ${1:-build} in
  build) tools; brotli_package; npm_packages ;;
  test) tools; brotli_package; npm_packages; test_packages ;;
  tools) tools ;;
  packages) brotli_package; npm_packages; test_packages ;;
  *) echo "usage: $0 build|test|tools|packages" >&2; exit 2 ;;
esac
