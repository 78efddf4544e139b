#!/usr/bin/env bash
# Query plans of zlack's hot statements on a preloaded database: one
# command, from anywhere in the repo.
#
#   bench/explain.sh
#
# Builds the harness (bench/e2e), makes a throwaway database per backend
# with PRELOAD finished rows in the growing tables (inbox, jobs, meetings,
# occurrences, notices; the mix is described in bench/e2e/src/preload.rs),
# and prints the plan of each hot statement (job claim and settle, inbox
# dedupe insert, meeting and occurrence lookups, metrics, pruning):
# `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL. Statements that
# read a whole table are flagged [FULL SCAN] and listed at the end. The
# statements are copied from crates/zlack/src/store/*.rs into
# bench/e2e/src/explain.rs: keep them in step.
#
# Knobs (environment):
#   DATABASE="sqlite postgres"   backends to explain on
#   PRELOAD=1000000              rows to preload first
#   POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
#
# The output also goes to bench/out/explain-<UTC timestamp>.txt.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DATABASE=${DATABASE:-"sqlite postgres"}
PRELOAD=${PRELOAD:-1000000}
POSTGRES_URL=${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
OUT=bench/out/explain-$(date -u +%Y%m%dT%H%M%SZ).txt
mkdir -p bench/out

cargo build --release --quiet -p e2e
HARNESS=${CARGO_TARGET_DIR:-$PWD/target}/release/e2e

for db in $DATABASE; do
  echo "# $db, $PRELOAD rows preloaded ($(git rev-parse --short HEAD 2>/dev/null || echo none))"
  echo
  "$HARNESS" explain --database "$db" --postgres-url "$POSTGRES_URL" --rows "$PRELOAD"
  echo
done | tee "$OUT"
echo "[explain] written to $OUT" >&2
