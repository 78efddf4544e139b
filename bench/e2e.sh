#!/usr/bin/env bash
# The /zoom flow end to end, zlack next to Bolt for Python and Bolt for
# JavaScript: one command, from anywhere in the repo.
#
#   bench/e2e.sh
#
# Builds zlack and the harness (bench/e2e), installs the reference apps'
# pinned dependencies (pip into a venv, npm ci) under bench/out/deps/, then
# for every scenario, app and run starts a fresh app against a stub of
# Slack's Web API and Zoom's REST API that answers every call after
# DELAY_MS, and measures:
#
#   burst      COMMANDS distinct signed /zoom over CONNECTIONS keep-alive
#              connections, as fast as the app acks; until every card is
#              posted (chat.postMessage answered by the stub)
#   sustained  /zoom open loop at RATE/s for DURATION s
#   webhook    zlack only: Zoom meeting.participant_joined open loop at
#              WEBHOOK_RATE/s for WEBHOOK_DURATION s (after WEBHOOK_WARMUP s),
#              each until its calls.participants.add
#   ingest     bench/run.sh as it is (ceiling, slash-command ack, webhooks)
#
# Each /zoom is typed by one connected user in a channel of its own (its
# card is found by channel); zlack gets a fresh database, seeded with the
# workspace install and the user's Zoom grant, copied from a preloaded
# template when PRELOAD > 0. Everything runs on 127.0.0.1.
#
# Knobs (environment):
#   RUNS=3               runs per scenario and app (medians are reported)
#   DELAY_MS=150         every stub answer waits this long
#   COMMANDS=2000        burst: commands
#   CONNECTIONS=32       burst: keep-alive connections
#   RATE=200             sustained: commands per second
#   DURATION=60          sustained: seconds
#   WARMUP=20            commands sent and awaited before each measured load
#   WEBHOOK_RATE=500     webhook: events per second
#   WEBHOOK_DURATION=20  webhook: measured seconds
#   WEBHOOK_WARMUP=3     webhook: unmeasured seconds before them
#   DRAIN=60             seconds without a new card before the rest count as lost
#   SCENARIOS="burst sustained webhook ingest"
#   APPS="zlack bolt-python bolt-js"
#   DATABASE=sqlite      zlack's database: sqlite, postgres, or "sqlite postgres"
#   POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
#   PRELOAD=0            rows already in zlack's growing tables; a list
#                        ("0 1000000") runs each, to compare
#   PIN=1                1: the app on CPU 1, the harness (load + stub) on
#                        CPU 0; 0: no pinning. PostgreSQL is never pinned.
#   SERVE_ENV=""         extra `zlack serve` settings, KEY=VALUE ...
#                        (e.g. "ZLACK_WORKER_CONCURRENCY=512")
#   KEEP_TMP=0           1 keeps each run's directory (database, logs)
#
# Raw results go to bench/out/e2e-<UTC timestamp>/ (results.jsonl, each
# run's output, machine.txt, summary.md); the summary table of medians is
# printed at the end. See docs/benchmarks.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-3}
DELAY_MS=${DELAY_MS:-150}
COMMANDS=${COMMANDS:-2000}
CONNECTIONS=${CONNECTIONS:-32}
RATE=${RATE:-200}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-20}
WEBHOOK_RATE=${WEBHOOK_RATE:-500}
WEBHOOK_DURATION=${WEBHOOK_DURATION:-20}
WEBHOOK_WARMUP=${WEBHOOK_WARMUP:-3}
DRAIN=${DRAIN:-60}
SCENARIOS=${SCENARIOS:-"burst sustained webhook ingest"}
APPS=${APPS:-"zlack bolt-python bolt-js"}
DATABASE=${DATABASE:-sqlite}
POSTGRES_URL=${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PRELOAD=${PRELOAD:-0}
PIN=${PIN:-1}
KEEP_TMP=${KEEP_TMP:-0}
read -r -a SERVE_ENV <<<"${SERVE_ENV:-}"

OUT=bench/out/e2e-$(date -u +%Y%m%dT%H%M%SZ)
DEPS=bench/out/deps
TMP=$(mktemp -d "${TMPDIR:-/tmp}/zlack-e2e.XXXXXX")
mkdir -p "$OUT" "$DEPS"
log() { printf '[e2e %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

TEMPLATES=() # PostgreSQL template databases to drop at the end
cleanup() {
  for name in "${TEMPLATES[@]}"; do
    psql "$POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
  done
  if [[ $KEEP_TMP == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wants() { [[ " $1 " == *" $2 "* ]]; }

log "building release binaries"
cargo build --release --quiet -p zlack -p e2e
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
ZLACK=$TARGET/release/zlack
HARNESS=$TARGET/release/e2e

# The reference apps' dependencies, pinned, installed once per lock file.
hash_of() { cat "$@" | sha256sum | cut -c1-12; }
PYTHON="" NODE_APP=""
if wants "$APPS" bolt-python && { wants "$SCENARIOS" burst || wants "$SCENARIOS" sustained; }; then
  req=bench/reference/bolt-python/requirements.txt
  venv=$PWD/$DEPS/bolt-python-$(hash_of "$req")
  if [[ ! -x $venv/bin/python ]]; then
    log "installing Bolt for Python into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  fi
  PYTHON=$venv/bin/python
fi
if wants "$APPS" bolt-js && { wants "$SCENARIOS" burst || wants "$SCENARIOS" sustained; }; then
  src=bench/reference/bolt-js
  dir=$PWD/$DEPS/bolt-js-$(hash_of "$src/package.json" "$src/package-lock.json")
  if [[ ! -d $dir/node_modules ]]; then
    log "installing Bolt for JavaScript into $dir"
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$src/package.json" "$src/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  cp "$src/app.js" "$dir/app.js" # next to its node_modules
  NODE_APP=$dir/app.js
fi

ARGS=(--zlack "$ZLACK" --delay-ms "$DELAY_MS" --drain "$DRAIN" --postgres-url "$POSTGRES_URL")
[[ -n $PYTHON ]] && ARGS+=(--python "$PYTHON")
[[ -n $NODE_APP ]] && ARGS+=(--node-app "$NODE_APP")
for kv in "${SERVE_ENV[@]}"; do ARGS+=(--env "$kv"); done
[[ $KEEP_TMP == 1 ]] && ARGS+=(--keep)
if [[ $PIN == 1 ]]; then
  (( $(nproc) >= 2 )) || { echo "PIN=1 needs 2 CPUs; use PIN=0" >&2; exit 1; }
  ARGS+=(--server-cpus 1)
  HARNESS_CMD=(taskset -c 0 "$HARNESS")
else
  HARNESS_CMD=("$HARNESS")
fi

{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo none) $(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo '(uncommitted changes)')"
  echo "cpus: $(nproc) x $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
  echo "memory: $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -sr); os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rustc: $(rustc --version | cut -d' ' -f2); python: $(python3 --version | cut -d' ' -f2); node: $(node --version 2>/dev/null || echo none)"
  echo "settings: RUNS=$RUNS DELAY_MS=$DELAY_MS COMMANDS=$COMMANDS CONNECTIONS=$CONNECTIONS RATE=$RATE DURATION=$DURATION WARMUP=$WARMUP WEBHOOK_RATE=$WEBHOOK_RATE WEBHOOK_DURATION=$WEBHOOK_DURATION SCENARIOS=$SCENARIOS APPS=$APPS DATABASE=$DATABASE PRELOAD=$PRELOAD PIN=$PIN SERVE_ENV=${SERVE_ENV[*]}"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

# run_one LABEL EXTRA_ARGS...: one harness run, its JSON appended to results.
run_one() {
  local label=$1; shift
  log "$label"
  if ! "${HARNESS_CMD[@]}" run "${ARGS[@]}" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err"; then
    log "$label failed:"; tail -20 "$OUT/$label.err" >&2; return 1
  fi
  sed -n 's/^BENCH_JSON //p' "$OUT/$label.out" |
    python3 -c 'import json,sys; [print(json.dumps({**json.loads(l), "run": int(sys.argv[1]), "preload": int(sys.argv[2])})) for l in sys.stdin]' \
      "${label##*-}" "$PRELOAD_NOW" >>"$OUT/results.jsonl"
  python3 bench/summarize_e2e.py --one "$(tail -1 "$OUT/results.jsonl")" >&2
}

first_pass=1
for PRELOAD_NOW in $PRELOAD; do
  for db in $DATABASE; do
    template=()
    if (( PRELOAD_NOW > 0 )) && wants "$APPS" zlack; then
      if [[ $db == sqlite ]]; then to=$TMP/preload-$PRELOAD_NOW.db; else to=zlack_bench_tmpl_$$_$PRELOAD_NOW; TEMPLATES+=("$to"); fi
      log "preloading $PRELOAD_NOW rows ($db)"
      "$HARNESS" preload --database "$db" --postgres-url "$POSTGRES_URL" --rows "$PRELOAD_NOW" --to "$to" 2>&1 |
        tail -1 >&2
      template=(--template "$to")
    fi
    for scenario in burst sustained webhook; do
      wants "$SCENARIOS" "$scenario" || continue
      for app in $APPS; do
        [[ $app != zlack && $scenario == webhook ]] && continue
        # The Bolt apps have no database: once is enough.
        [[ $app != zlack && $first_pass != 1 ]] && continue
        case $scenario in
          burst) extra=(--commands "$COMMANDS" --connections "$CONNECTIONS" --warmup "$WARMUP") ;;
          sustained) extra=(--rate "$RATE" --duration "$DURATION" --warmup "$WARMUP") ;;
          webhook) extra=(--rate "$WEBHOOK_RATE" --duration "$WEBHOOK_DURATION" --warmup "$WEBHOOK_WARMUP") ;;
        esac
        for run in $(seq "$RUNS"); do
          run_one "$scenario-$app-$db-p$PRELOAD_NOW-$run" --app "$app" --scenario "$scenario" \
            --database "$db" "${template[@]}" "${extra[@]}"
        done
      done
    done
    first_pass=0
    if [[ ${#template[@]} -gt 0 && $db == sqlite ]]; then rm -f "${template[1]}"; fi
  done
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
if [[ -s $OUT/results.jsonl ]]; then
  python3 bench/summarize_e2e.py "$OUT/results.jsonl" | tee "$OUT/summary.md"
fi
if wants "$SCENARIOS" ingest; then
  log "ingest scenarios: bench/run.sh"
  RUNS=$RUNS PIN=$PIN bench/run.sh 2>&1 | tee "$OUT/ingest.txt" | grep -v '^\[bench' || true
fi
log "raw results in $OUT"
