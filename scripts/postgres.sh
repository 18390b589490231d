#!/usr/bin/env bash
# A private PostgreSQL server from Debian's packages (scripts/setup.sh installs them), for the
# tests, `make soak` and a developer's `make run`: its own data folder and port, loopback only,
# trust sign-in for the `portico` role (nothing else can reach it).
#   scripts/postgres.sh start        -> starts it (made on first use); prints nothing
#   scripts/postgres.sh stop         -> stops it (the data folder stays)
#   scripts/postgres.sh url          -> the URL of its `postgres` database
#   scripts/postgres.sh with CMD...  -> a fresh server for CMD (PORTICO_TEST_DATABASE_URL set),
#                                       stopped and removed afterwards, whatever CMD answered
# PORTICO_PG_PORT (25432: below the ephemeral ports, which a busy client may hold) and
# PORTICO_PG_DIR choose the port and the data folder.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${PORTICO_PG_PORT:-25432}
dir=${PORTICO_PG_DIR:-/tmp/portico-pg-$port}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed: run scripts/setup.sh test" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root, its own `postgres` user runs it.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
url() { echo "postgres://portico@127.0.0.1:$port/postgres"; }

start() {
  if [ ! -s "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir" -U portico --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # A test server: durability off (the tests kill Portico, never PostgreSQL), room for the
  # suite's pools side by side.
  as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -s start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
}

stop() {
  if [ -s "$dir/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir" -w -s -m fast stop || true
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  url) url ;;
  with)
    shift
    stop
    rm -rf "$dir"
    start
    trap 'stop; rm -rf "$dir"' EXIT
    PORTICO_TEST_DATABASE_URL=$(url) "$@"
    ;;
  *) echo "usage: $0 start|stop|url|with CMD..." >&2; exit 2 ;;
esac
