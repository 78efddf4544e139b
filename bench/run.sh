#!/usr/bin/env bash
# zlack ingest benchmark: one command, run from anywhere in the repo.
#
#   bench/run.sh
#
# Builds the release binaries, installs wrk if missing, then for each
# scenario starts a fresh server per run, warms up, and measures with wrk:
#
#   ceiling  bench/ceiling, a bare axum server answering 200 "OK"
#   slack    zlack, signed /zoom slash commands (POST /slack/commands)
#   zoom     zlack, distinct signed Zoom webhooks (POST /zoom/webhook)
#
# Every zlack run gets a fresh SQLite database in a temp dir. The webhook
# figure that counts is the distinct rows stored in `inbox` during the
# measured window divided by its duration, not wrk's request count.
# zlack's worker answers each slash command through its response_url; that
# and every Slack/Zoom API URL point at a loopback stub (a second ceiling
# process, on the load generator's CPU): nothing leaves this machine.
#
# Knobs (environment):
#   RUNS=3          measured runs per scenario (medians are reported)
#   DURATION=10     seconds per measured run
#   WARMUP=2        seconds of warm-up per run (not measured)
#   CONNECTIONS=64  wrk connections, the same for every scenario
#   PIN=1           1: server on CPU 1, wrk on CPU 0 (one each); 0: no pinning
#   WRK_THREADS     wrk threads (default 1 pinned, 2 unpinned)
#   SCENARIOS="ceiling slack zoom"
#   KEEP_TMP=0      1 keeps the temp dir (databases, request files, logs)
#   SERVE_ARGS=""   extra `zlack serve` flags, e.g. --no-worker to measure
#                   ingest without the background worker (diagnosis only)
#   PERF=0          1 records a `perf` CPU profile of the server over each
#                   measured window into bench/out/.../<scenario>-<run>.perf.data
#                   (diagnosis only: profiling slows the server down)
#
# Raw results go to bench/out/<UTC timestamp>/ (results.jsonl, wrk output,
# summary.md); the summary table is printed at the end.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
(( DURATION >= 3 )) || { echo "DURATION must be at least 3 seconds" >&2; exit 1; }
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-64}
PIN=${PIN:-1}
SCENARIOS=${SCENARIOS:-"ceiling slack zoom"}
KEEP_TMP=${KEEP_TMP:-0}
PERF=${PERF:-0}
read -r -a SERVE_ARGS <<<"${SERVE_ARGS:-}"
if [[ $PIN == 1 ]]; then WRK_THREADS=${WRK_THREADS:-1}; else WRK_THREADS=${WRK_THREADS:-2}; fi
WARMUP_REQUESTS=60000   # distinct requests for the warm-up (repeats are fine there)
CEILING_REQUESTS=100000 # the ceiling neither verifies nor dedupes: repeats are fine
MIN_REQUESTS=150000     # zlack runs: at least this many distinct requests ...
MAX_REQUESTS=1500000    # ... and at most this many (2.5x what the warm-up rate needs)

SLACK_SECRET=bench-slack-signing-secret
ZOOM_SECRET=bench-zoom-webhook-secret
BENCH=bench
OUT=$BENCH/out/$(date -u +%Y%m%dT%H%M%SZ)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/zlack-bench.XXXXXX")
RESULTS=$OUT/results.jsonl
mkdir -p "$OUT"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

SERVER_PID="" STUB_PID=""
stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
  stop_server
  if [[ -n $STUB_PID ]]; then kill -TERM "$STUB_PID" 2>/dev/null || true; wait "$STUB_PID" 2>/dev/null || true; fi
  if [[ $KEEP_TMP == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools and binaries ------------------------------------------------------
if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
log "building release binaries"
cargo build --release --quiet -p zlack -p ceiling
ZLACK=$PWD/target/release/zlack
CEILING=$PWD/target/release/ceiling

if [[ $PIN == 1 ]]; then
  (( $(nproc) >= 2 )) || { echo "PIN=1 needs 2 CPUs; use PIN=0" >&2; exit 1; }
  SERVER_CMD=(taskset -c 1)
  CLIENT_CMD=(taskset -c 0)
else
  SERVER_CMD=()
  CLIENT_CMD=()
fi
WRK_CMD=("${CLIENT_CMD[@]}" wrk)

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$SERVER_PID/status"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; } # all CPUs, not idle/iowait
sql() { # DB QUERY: the first column of the first row
  python3 -c 'import sqlite3,sys; c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True, timeout=30); print(c.execute(sys.argv[2]).fetchone()[0])' "$1" "$2"
}
# zlack's own group-commit metrics: "batch_sum batch_count commit_s_sum commit_count".
commit_stats() {
  curl -s --max-time 5 "$1/metrics" | awk '
    /^zlack_inbox_batch_size_sum /{bs=$2} /^zlack_inbox_batch_size_count /{bc=$2}
    /^zlack_inbox_commit_seconds_sum /{cs=$2} /^zlack_inbox_commit_seconds_count /{cc=$2}
    END{print bs+0, bc+0, cs+0, cc+0}'
}
wait_ready() { # URL METHOD: bounded wait for any HTTP answer, then 200
  for _ in $(seq 200); do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited"; return 1; }
    code=$(curl -s -o /dev/null -w '%{http_code}' -X "$2" --max-time 1 "$1" || true)
    [[ $code == 200 ]] && return 0
    sleep 0.05
  done
  log "server not ready at $1"; return 1
}

# wrk_run LABEL URL FILE KIND SECONDS [measure]: prints wrk's BENCH_JSON
# object; with `measure`, adds the CPU use (in cores) of the server, of wrk
# and of everything else on the machine (noise: other people's compiles),
# sampled over the measured window less half a second at each end.
wrk_run() {
  local label=$1 url=$2 file=$3 kind=$4 secs=$5 measure=${6:-}
  local raw=$OUT/$label.txt ready=$TMP/$label.ready cpu=""
  "${WRK_CMD[@]}" -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 10s --latency \
    -s "$BENCH/wrk/replay.lua" "$url" -- "$file" "$kind" "$WRK_THREADS" "$ready" >"$raw" 2>&1 &
  local wpid=$!
  if [[ -n $measure ]]; then
    for _ in $(seq 1200); do # wait (at most 60 s) for every thread to load its requests
      [[ -f $ready && $(wc -l <"$ready") -ge $WRK_THREADS ]] && break
      kill -0 "$wpid" 2>/dev/null || break
      sleep 0.05
    done
    sleep 0.5
    local s0 w0 a0 c0 s1 w1 a1 c1
    s0=$(ticks "$SERVER_PID"); w0=$(ticks "$wpid"); a0=$(busy_ticks); c0=$EPOCHREALTIME
    if [[ $PERF == 1 ]]; then
      perf record -q -F 499 -g --call-graph dwarf,16384 -p "$SERVER_PID" -o "$OUT/$label.perf.data" \
        -- sleep "$((secs - 1))" >/dev/null 2>&1 || sleep "$((secs - 1))"
    else
      sleep "$((secs - 1))"
    fi
    s1=$(ticks "$SERVER_PID"); w1=$(ticks "$wpid"); a1=$(busy_ticks); c1=$EPOCHREALTIME
    cpu=$(awk -v s="$((s1 - s0))" -v w="$((w1 - w0))" -v a="$((a1 - a0))" -v c0="$c0" -v c1="$c1" \
      -v hz="$(getconf CLK_TCK)" 'BEGIN{t = (c1 - c0) * hz; o = (a - s - w) / t; if (o < 0) o = 0;
        if (w < 0) w = 0; printf ",\"server_cores\":%.3f,\"wrk_cores\":%.3f,\"other_cores\":%.3f", s/t, w/t, o}')
  fi
  if ! wait "$wpid"; then log "wrk failed, see $raw"; cat "$raw" >&2; return 1; fi
  local json; json=$(sed -n 's/^BENCH_JSON //p' "$raw")
  [[ -n $json ]] || { log "wrk printed no result, see $raw"; return 1; }
  printf '%s' "${json%\}}$cpu}"
}

one_run() { # SCENARIO RUN
  local scenario=$1 run=$2 dir=$TMP/$1-$2
  mkdir -p "$dir"
  local port; port=$(free_port)
  local url=http://127.0.0.1:$port kind=slack secret=$SLACK_SECRET
  if [[ $scenario == zoom ]]; then kind=zoom; secret=$ZOOM_SECRET; fi

  if [[ $scenario == ceiling ]]; then
    "${SERVER_CMD[@]}" "$CEILING" "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
    SERVER_PID=$!
    wait_ready "$url/" POST
  else
    (
      cd "$dir" # no stray zlack.toml; all state stays in the temp dir
      export ZLACK_CONFIG=$dir/zlack.toml \
        ZLACK_LISTEN=127.0.0.1:$port \
        ZLACK_PUBLIC_URL=$url \
        ZLACK_DATABASE_URL=sqlite://$dir/zlack.db \
        ZLACK_ENCRYPTION_KEY="$("$ZLACK" keygen)" \
        ZLACK_SLACK_SIGNING_SECRET=$SLACK_SECRET \
        ZLACK_ZOOM_WEBHOOK_SECRET=$ZOOM_SECRET \
        ZLACK_LOG=warn
      # Every outbound URL is the loopback stub (response_urls too: zlack
      # only posts to those on Slack's API host).
      export ZLACK_SLACK_API_URL=$STUB/api \
        ZLACK_SLACK_AUTHORIZE_URL=$STUB/oauth \
        ZLACK_ZOOM_API_URL=$STUB/v2 \
        ZLACK_ZOOM_OAUTH_URL=$STUB
      exec "${SERVER_CMD[@]}" "$ZLACK" serve "${SERVE_ARGS[@]}" >"$dir/server.log" 2>&1
    ) &
    SERVER_PID=$!
    wait_ready "$url/healthz" GET
  fi
  sleep 1
  local idle_rss; idle_rss=$(kib VmRSS)

  # Warm-up: its own distinct requests, results discarded.
  python3 "$BENCH/gen_requests.py" "$kind" "$WARMUP_REQUESTS" "$secret" "$dir/warmup.txt" "w$run"
  local warm; warm=$(wrk_run "$scenario-$run-warmup" "$url" "$dir/warmup.txt" "$kind" "$WARMUP")
  local count=$CEILING_REQUESTS
  if [[ $scenario != ceiling ]]; then
    count=$(python3 -c 'import json,sys; w=json.loads(sys.argv[1]); n=int(w["requests"]/(w["duration_us"]/1e6)*int(sys.argv[2])*2.5); print(max(int(sys.argv[3]),min(int(sys.argv[4]),n)))' \
      "$warm" "$DURATION" "$MIN_REQUESTS" "$MAX_REQUESTS")
  fi
  # Signed right before the run: signatures are accepted for 5 minutes.
  python3 "$BENCH/gen_requests.py" "$kind" "$count" "$secret" "$dir/requests.txt" "r$run"

  local rows_before=0 rows_after=0 m0="0 0 0 0" m1="0 0 0 0"
  if [[ $scenario != ceiling ]]; then
    rows_before=$(sql "$dir/zlack.db" "SELECT COUNT(*) FROM inbox")
    m0=$(commit_stats "$url")
  fi
  local res; res=$(wrk_run "$scenario-$run" "$url" "$dir/requests.txt" "$kind" "$DURATION" measure)
  sleep 0.5 # let in-flight commits land before counting
  local jobs='{}'
  if [[ $scenario != ceiling ]]; then
    rows_after=$(sql "$dir/zlack.db" "SELECT COUNT(*) FROM inbox")
    m1=$(commit_stats "$url")
    # The worker's progress: jobs by status once the load stops.
    jobs=$(sql "$dir/zlack.db" "SELECT '{' || COALESCE(group_concat('\"' || status || '\":' || n), '') || '}' FROM (SELECT status, COUNT(*) AS n FROM jobs GROUP BY status)")
  fi
  local rss_after hwm; rss_after=$(kib VmRSS); hwm=$(kib VmHWM)
  stop_server

  local line="${res%\}},\"scenario\":\"$scenario\",\"run\":$run,\"generated\":$count"
  line+=",\"idle_rss_kib\":$idle_rss,\"rss_after_kib\":$rss_after,\"hwm_kib\":$hwm"
  line+=",\"stored\":$((rows_after - rows_before)),\"jobs_after\":$jobs"
  # Group commits during the measured run: mean batch size and commit time.
  line+=$(awk -v a="$m0" -v b="$m1" 'BEGIN{split(a, x); split(b, y); n = y[2] - x[2]; c = y[4] - x[4];
    printf ",\"commits\":%d,\"batch_mean\":%.1f,\"commit_ms_mean\":%.2f}", n, n ? (y[1] - x[1]) / n : 0, c ? (y[3] - x[3]) / c * 1000 : 0}')
  echo "$line" >>"$RESULTS"
  log "$scenario run $run: $(python3 "$BENCH/summarize.py" --one "$line")"
}

# The stand-in for Slack and Zoom: answers 200 to every POST.
STUB_PORT=$(free_port)
STUB=http://127.0.0.1:$STUB_PORT
"${CLIENT_CMD[@]}" "$CEILING" "127.0.0.1:$STUB_PORT" >"$TMP/stub.log" 2>&1 &
STUB_PID=$!
SERVER_PID=$STUB_PID wait_ready "$STUB/" POST
export BENCH_RESPONSE_URL=$STUB/commands/T0BENCH/1/abc

{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo none) $(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo '(uncommitted changes)')"
  echo "cpus: $(nproc) x $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
  echo "memory: $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -sr); os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "temp fs: $(df -T "$TMP" | awk 'NR==2{print $2}')"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); rustc: $(rustc --version | cut -d' ' -f2)"
  echo "settings: RUNS=$RUNS DURATION=${DURATION}s WARMUP=${WARMUP}s CONNECTIONS=$CONNECTIONS WRK_THREADS=$WRK_THREADS PIN=$PIN SERVE_ARGS=${SERVE_ARGS[*]}"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

for scenario in $SCENARIOS; do
  for run in $(seq "$RUNS"); do
    one_run "$scenario" "$run"
  done
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
python3 "$BENCH/summarize.py" "$RESULTS" | tee "$OUT/summary.md"
log "raw results in $OUT"
