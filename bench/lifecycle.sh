#!/usr/bin/env bash
# zlack meeting-lifecycle latency benchmark: one command, from anywhere in
# the repo.
#
#   bench/lifecycle.sh
#
# Builds the release binaries once (zlack and the bench/lifecycle harness),
# then runs the harness RUNS times. Each run, per scenario, starts the Slack
# and Zoom fakes inside the harness, seeds a fresh database with one
# announced meeting per webhook, starts `zlack serve` on 127.0.0.1, sends
# Zoom-signed webhooks open-loop at RATE/s (WARMUP s unmeasured, then
# DURATION s measured) and times each one until the fake Slack receives its
# effect:
#
#   joined     meeting.participant_joined -> calls.participants.add
#   recording  recording.completed        -> chat.postMessage (thread reply)
#
# Knobs (environment):
#   RUNS=3            runs (medians are reported)
#   RATE=200          webhooks per second
#   DURATION=20       measured seconds per scenario and run
#   WARMUP=3          unmeasured seconds before them, same rate
#   SCENARIOS=joined,recording
#   DATABASE=sqlite   or postgres (a throwaway database on POSTGRES_URL)
#   POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
#   PIN=1             1: zlack on CPU 1, the harness (load + fakes) on CPU 0;
#                     0: no pinning
#   SERVE_ENV=""      extra `zlack serve` settings, space-separated KEY=VALUE
#                     (diagnosis, e.g. "ZLACK_WORKER_POLL_MS=100")
#   KEEP_TMP=0        1 keeps each run's directory (database, server log)
#
# Raw results go to bench/out/lifecycle-<UTC timestamp>/ (results.jsonl,
# each run's output, machine.txt, summary.md); the summary table of medians
# is printed at the end. Nothing leaves 127.0.0.1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-3}
RATE=${RATE:-200}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
SCENARIOS=${SCENARIOS:-joined,recording}
DATABASE=${DATABASE:-sqlite}
POSTGRES_URL=${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PIN=${PIN:-1}
KEEP_TMP=${KEEP_TMP:-0}
read -r -a SERVE_ENV <<<"${SERVE_ENV:-}"

OUT=bench/out/lifecycle-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
log() { printf '[lifecycle %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

log "building release binaries"
cargo build --release --quiet -p zlack -p lifecycle
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
ZLACK=$TARGET/release/zlack
HARNESS=$TARGET/release/lifecycle

ARGS=(--zlack "$ZLACK" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP"
  --scenarios "$SCENARIOS" --database "$DATABASE" --postgres-url "$POSTGRES_URL")
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
  echo "temp fs: $(df -T "${TMPDIR:-/tmp}" | awk 'NR==2{print $2}')"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rustc: $(rustc --version | cut -d' ' -f2)"
  echo "settings: RUNS=$RUNS RATE=$RATE DURATION=${DURATION}s WARMUP=${WARMUP}s SCENARIOS=$SCENARIOS DATABASE=$DATABASE PIN=$PIN SERVE_ENV=${SERVE_ENV[*]}"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

for run in $(seq "$RUNS"); do
  log "run $run of $RUNS"
  "${HARNESS_CMD[@]}" "${ARGS[@]}" >"$OUT/run-$run.out" || { log "run $run failed"; exit 1; }
  sed -n 's/^BENCH_JSON //p' "$OUT/run-$run.out" |
    python3 -c 'import json,sys; [print(json.dumps({**json.loads(l), "run": int(sys.argv[1])})) for l in sys.stdin]' "$run" \
      >>"$OUT/results.jsonl"
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
python3 bench/summarize_lifecycle.py "$OUT/results.jsonl" | tee "$OUT/summary.md"
log "raw results in $OUT"
