#!/usr/bin/env bash
# Soak: a long mixed load on zlack with Slack faults and kill -9s, then a
# check that every effect happened exactly once and that memory and open
# files stayed flat. Not run in CI.
#
#   bench/soak.sh                      # 30 minutes on SQLite
#   DATABASE=postgres bench/soak.sh    # 30 minutes, two replicas on PostgreSQL
#
# Builds zlack and the harness (bench/e2e), then runs `e2e soak`: a stub of
# Slack's Web API and Zoom's REST API (every answer after DELAY_MS) in the
# harness, and `zlack serve` as child process(es) on 127.0.0.1 with a fresh
# database seeded with the workspace install, the host's Zoom grant and
# the meetings the webhooks are about. For DURATION seconds it sends, open
# loop at RATE requests/s in all:
#
#   30 %  signed /zoom slash commands, each in a channel of its own
#   40 %  Zoom meeting webhooks: participant_joined, and for every other
#         meeting participant_left and meeting.ended after it
#   15 %  Zoom Phone phone.callee_missed for the connected host
#   15 %  Slack link_shared events with a Zoom whiteboard link
#
# a share DUPLICATES of the webhooks and events delivered a second time (the
# same event). The stub answers a share FAULTS_429 of Slack Web API calls
# with 429 (Retry-After: 1) and FAULTS_5XX with 500/503, before doing
# anything. Every KILL_EVERY seconds a zlack process gets kill -9 and a new
# one starts on its port (PostgreSQL: the two replicas take turns; both
# serve traffic, requests go round-robin). A request that got no 200 is sent
# again after a pause, to the next replica, as Slack and Zoom redeliver.
#
# After the load, once the stub has answered nothing new for DRAIN seconds,
# each acknowledged request's Slack effects are counted on the stub: a card
# per command, calls.participants.add per join, calls.end and the end
# summary per meeting.ended, a DM per missed call, chat.unfurl per
# link_shared; each must have happened exactly once (lost and duplicated
# are reported). VmRSS and the number of open files of each zlack process
# are sampled every SAMPLE_EVERY seconds; the mean over the first 5 minutes
# after WARMUP is compared with the last 5 minutes of the load.
#
# Knobs (environment):
#   DURATION=1800      seconds of load
#   RATE=200           requests per second
#   KILL_EVERY=180     seconds between kill -9s (0: none)
#   DATABASE=sqlite    sqlite (one process) or postgres (two replicas)
#   POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
#                      where the throwaway database is made (and dropped)
#   FAULTS_429=0.005   share of Slack calls answered 429
#   FAULTS_5XX=0.01    share of Slack calls answered 500 or 503
#   DUPLICATES=0.1     share of webhooks and events delivered twice
#   DELAY_MS=100       every stub answer waits this long
#   DRAIN=60           quiet seconds before the check
#   SAMPLE_EVERY=5     seconds between memory / open-file samples
#   WARMUP=60          seconds left out of the flatness check
#   NICE=19            niceness of the harness and zlack (shared machine)
#
# Results go to bench/out/soak-<database>-<UTC timestamp>/: result.json (the
# BENCH_JSON line), summary.md, samples.csv, machine.txt, soak.err (progress)
# and run/ (zlack's logs, the SQLite database). See docs/benchmarks.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-1800}
RATE=${RATE:-200}
KILL_EVERY=${KILL_EVERY:-180}
DATABASE=${DATABASE:-sqlite}
POSTGRES_URL=${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
FAULTS_429=${FAULTS_429:-0.005}
FAULTS_5XX=${FAULTS_5XX:-0.01}
DUPLICATES=${DUPLICATES:-0.1}
DELAY_MS=${DELAY_MS:-100}
DRAIN=${DRAIN:-60}
SAMPLE_EVERY=${SAMPLE_EVERY:-5}
WARMUP=${WARMUP:-60}
NICE=${NICE:-19}

OUT=bench/out/soak-$DATABASE-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
log() { printf '[soak %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

log "building release binaries"
cargo build --release --quiet -p zlack -p e2e
TARGET=${CARGO_TARGET_DIR:-$PWD/target}

{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo none) $(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo '(uncommitted changes)')"
  echo "cpus: $(nproc) x $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
  echo "memory: $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -sr); os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "settings: DURATION=$DURATION RATE=$RATE KILL_EVERY=$KILL_EVERY DATABASE=$DATABASE FAULTS_429=$FAULTS_429 FAULTS_5XX=$FAULTS_5XX DUPLICATES=$DUPLICATES DELAY_MS=$DELAY_MS DRAIN=$DRAIN NICE=$NICE"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

log "soak: $DURATION s at $RATE/s on $DATABASE (progress in $OUT/soak.err)"
status=0
nice -n "$NICE" "$TARGET/release/e2e" soak \
  --zlack "$TARGET/release/zlack" \
  --duration "$DURATION" --rate "$RATE" --kill-every "$KILL_EVERY" \
  --database "$DATABASE" --postgres-url "$POSTGRES_URL" \
  --faults-429 "$FAULTS_429" --faults-5xx "$FAULTS_5XX" --duplicates "$DUPLICATES" \
  --delay-ms "$DELAY_MS" --drain "$DRAIN" --sample-every "$SAMPLE_EVERY" --warmup "$WARMUP" \
  --out "$OUT" >"$OUT/soak.out" 2> >(tee "$OUT/soak.err" >&2) || status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
if [[ $status != 0 ]]; then
  log "the soak failed (exit $status); see $OUT/soak.err"
  exit "$status"
fi
sed -n 's/^BENCH_JSON //p' "$OUT/soak.out" >"$OUT/result.json"
python3 bench/summarize_soak.py "$OUT/result.json" | tee "$OUT/summary.md"
log "raw results in $OUT"
# Exit 1 when an effect was lost or doubled or memory / open files grew.
python3 - "$OUT/result.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
ok = r["effects_lost"] == 0 and r["effects_duplicated"] == 0 and r["flat"]["flat"]
sys.exit(0 if ok else 1)
EOF
