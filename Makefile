# Portico: `make run` to try it, `make test` for every check. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
# wasm tests run from each crate's folder: one browser setup for all of them.
export WASM_BINDGEN_TEST_WEBDRIVER_JSON := $(CURDIR)/webdriver.json

# Panic locations in the wasm name their source files: the crate registry's long prefix is cut from
# those paths wherever CARGO_HOME is (added to .cargo/config.toml's flags for the wasm target; read
# when a recipe starts, so after `setup` has filled the registry).
CARGO_HOME ?= $(HOME)/.cargo
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS = $(foreach src,$(wildcard $(CARGO_HOME)/registry/src/*),--remap-path-prefix=$(src)=)

PORTICO_ADDR ?= 127.0.0.1:8080
PORTICO_PARTNER_DEMO_ADDR ?= 127.0.0.1:8081
PORTICO_DATA_DIR ?= ./data

.PHONY: run test setup setup-test app server debug-server fmt-check clippy rust-test wasm-test contract e2e bench soak openapi clean-data

setup:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

## The release bundles into dist/: the portal, the widget (dist/widget/ + its loader
## dist/widget.js) and the staff app (dist/staff/); each file also brotli- and gzip-compressed.
app: setup
	trunk build --release --offline
	trunk build --release --offline --config widget/Trunk.toml
	scripts/widget.py dist --release
	trunk build --release --offline --config staff/Trunk.toml
	@! grep -rlaF '/registry/src/' dist || { echo 'the wasm above names registry paths: CARGO_HOME=$(CARGO_HOME)?' >&2; exit 1; }
	scripts/compress.sh dist

server:
	cargo build --profile server -p portico-server

## Build everything and start Portico with demo data on PORTICO_ADDR.
run: app server
	PORTICO_ADDR=$(PORTICO_ADDR) PORTICO_DATA_DIR=$(PORTICO_DATA_DIR) PORTICO_DEMO=1 \
		PORTICO_PARTNER_DEMO_ADDR=$(PORTICO_PARTNER_DEMO_ADDR) \
		target/server/portico-server --static-dir dist

## Every check: format, clippy, Rust tests, wasm tests, the contract (Schemathesis against the
## served OpenAPI document) and end-to-end tests in headless Chromium. Each build made once and
## reused, side by side where two cores allow; the stage times at the end (scripts/test.sh).
## The targets below run one check each, for working on it.
test:
	@scripts/test.sh

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy -p portico-api -p portico-server --all-targets -- -D warnings
	cargo clippy -p portico -p portico-client -p portico-ui -p portico-widget -p portico-staff --target wasm32-unknown-unknown --all-targets -- -D warnings

## The server suite twice: on SQLite (the default), then on a private PostgreSQL server started
## for it and stopped after (scripts/postgres.sh). Its delivery tests start a real SMTP server
## (tests/smtp/sink.py, aiosmtpd from .venv). The schema test compares SQLite with PostgreSQL: it
## fails without PostgreSQL, so the SQLite pass skips it and the PostgreSQL pass runs it.
rust-test: setup-test
	cargo test -p portico-api -p portico-server -- --skip schema::
	scripts/postgres.sh with cargo test -p portico-server --test api

wasm-test:
	cargo test -p portico -p portico-client -p portico-widget -p portico-staff --target wasm32-unknown-unknown

## The server the contract and e2e checks run (a debug build: quick to build, same behaviour).
debug-server:
	cargo build -p portico-server

contract: setup-test debug-server
	scripts/contract.sh
	scripts/postgres.sh with scripts/contract.sh

e2e: app debug-server
	npx playwright test --config tests/e2e/playwright.config.ts

## Sizes of the release app and the order-detail API under load, into bench/results.md.
bench: app server
	scripts/bench.sh

## Kill test (bounded, loopback, about 3 minutes): mixed traffic on two instances sharing a fresh PostgreSQL
## database, then again with one killed (kill -9) every 10 s, then one SQLite instance killed likewise;
## the database read afterwards for lost, duplicated and twice-sent writes. Into bench/results.md.
soak: setup-test server
	scripts/soak.py

## Rewrite the committed OpenAPI document from the code.
openapi:
	UPDATE_OPENAPI=1 cargo test -p portico-server --test api openapi::
