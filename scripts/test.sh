#!/usr/bin/env bash
# Runs every zlack test, once on SQLite and once on PostgreSQL.
#
# PostgreSQL: ZLACK_TEST_POSTGRES_URL (a server URL whose user may create
# databases) or a server on 127.0.0.1:5432 with trust auth; on a machine
# with neither, PostgreSQL is installed from apt and a throwaway cluster is
# started for this run and removed afterwards (ZLACK_TEST_THROWAWAY_PG=1
# forces that path even when a server runs). Each run gets a fresh
# database, dropped at the end.
#
# Browser tests drive Debian's Chromium (ZLACK_CHROMIUM, default
# /usr/bin/chromium) through playwright-core from tests/browser; a missing
# Chromium, node or npm is installed from apt. No browser is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  log "installing $* from apt"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

cleanup_cmds=()
cleanup() {
  local i
  for ((i = ${#cleanup_cmds[@]} - 1; i >= 0; i--)); do eval "${cleanup_cmds[$i]}" || true; done
}
trap cleanup EXIT

start_throwaway_cluster() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || apt_install postgresql
  local bin port dir
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || bin=$(dirname "$(command -v initdb)")
  port=55432
  while port_open 127.0.0.1 "$port"; do port=$((port + 1)); done
  dir=$(mktemp -d /tmp/zlack-pg.XXXXXX)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root.
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
    chown postgres "$dir"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
  cleanup_cmds+=("${run[*]} $bin/pg_ctl -D $dir/data -m immediate stop >/dev/null 2>&1; rm -rf $dir")
  local tries=0
  until log "starting a throwaway PostgreSQL cluster on 127.0.0.1:$port" &&
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then
      cat "$dir/log" >&2
      return 1
    fi
    port=$((port + 1))
  done
  PG_SERVER="postgres://postgres@127.0.0.1:$port"
}

if [ -n "${ZLACK_TEST_POSTGRES_URL:-}" ]; then
  # postgres://user@host:port/db?params: the server is everything before
  # the database name; the run's own database replaces that name.
  rest="${ZLACK_TEST_POSTGRES_URL#*://}"
  scheme="${ZLACK_TEST_POSTGRES_URL%%://*}"
  PG_SERVER="$scheme://${rest%%/*}"
  PG_ADMIN_URL="$ZLACK_TEST_POSTGRES_URL"
  case "$rest" in */*) ;; *) PG_ADMIN_URL="$PG_SERVER/postgres" ;; esac
elif [ -z "${ZLACK_TEST_THROWAWAY_PG:-}" ] && port_open 127.0.0.1 5432; then
  PG_SERVER="postgres://postgres@127.0.0.1:5432"
else
  start_throwaway_cluster
fi
PG_ADMIN_URL="${PG_ADMIN_URL:-$PG_SERVER/postgres}"
command -v psql >/dev/null 2>&1 || apt_install postgresql-client

db="zlack_test_$(date +%s)_$$"
log "creating database $db"
psql -q -v ON_ERROR_STOP=1 "$PG_ADMIN_URL" -c "CREATE DATABASE $db" >/dev/null
cleanup_cmds+=("psql -q '$PG_ADMIN_URL' -c 'DROP DATABASE IF EXISTS $db WITH (FORCE)' >/dev/null 2>&1")
export ZLACK_TEST_POSTGRES_URL="$PG_SERVER/$db"

if cargo nextest --version >/dev/null 2>&1; then
  runner=(cargo nextest run --workspace --no-fail-fast)
else
  runner=(cargo test --workspace --no-fail-fast)
fi

export ZLACK_CHROMIUM="${ZLACK_CHROMIUM:-/usr/bin/chromium}"
[ -x "$ZLACK_CHROMIUM" ] || apt_install chromium
{ command -v node && command -v npm; } >/dev/null 2>&1 || apt_install nodejs npm
command -v openssl >/dev/null 2>&1 || apt_install openssl # certificates for https://zlack.test
# npm ci starts from scratch, so it runs only when the lock file changed.
stamp=tests/browser/node_modules/.zlack-package-lock.json
if ! cmp -s tests/browser/package-lock.json "$stamp"; then
  log "installing the browser test driver (npm ci in tests/browser)"
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp tests/browser/package-lock.json "$stamp"
fi
# Browser tests fail, rather than skip, when anything above is missing.
export ZLACK_BROWSER_TESTS=required

log "building tests"
cargo build --workspace --tests --locked

status=0
for backend in sqlite postgres; do
  log "running every test on $backend"
  ZLACK_TEST_DATABASE=$backend "${runner[@]}" || status=1
done

# The Debian package, once the tests passed: built from the debug binary
# the tests use and checked (scripts/package-check.sh; no release build).
# ZLACK_SKIP_PACKAGE=1 leaves it out.
if [ "$status" -eq 0 ] && [ -z "${ZLACK_SKIP_PACKAGE:-}" ]; then
  log "package check"
  { command -v strip && command -v objdump; } >/dev/null 2>&1 || apt_install binutils
  command -v curl >/dev/null 2>&1 || apt_install curl
  scripts/package-check.sh "${CARGO_TARGET_DIR:-target}/debug/zlack" || status=1
fi

# Fuzz smoke, once the tests passed: every fuzz target for 20,000
# executions or 10 s (fuzz/run.sh; skipped without a nightly toolchain).
# The fuzz build lives outside the checkout, so a fresh clone reuses it.
# ZLACK_SKIP_FUZZ=1 leaves it out.
if [ "$status" -eq 0 ] && [ -z "${ZLACK_SKIP_FUZZ:-}" ]; then
  log "fuzz smoke"
  fuzz_start=$(date +%s)
  SMOKE=1 TARGET_DIR="${ZLACK_FUZZ_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zlack/fuzz-target}" \
    fuzz/run.sh || status=1
  log "fuzz smoke took $(($(date +%s) - fuzz_start)) s"
fi
exit $status
