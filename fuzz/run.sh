#!/usr/bin/env bash
# Runs zlack's fuzz targets one at a time, each for a fixed number of
# executions, on one core under `nice`, and writes a summary.
#
#   fuzz/run.sh                  every target, 10,000,000 executions each
#   fuzz/run.sh phone links      only the targets named
#   RUNS=1000000 fuzz/run.sh     another count
#   SMOKE=1 fuzz/run.sh          CI smoke: 20,000 executions or 10 s each
#
# Settings (environment):
#   RUNS        executions per target (libFuzzer -runs); default 10000000,
#               20000 with SMOKE=1
#   MAX_TIME    seconds per target at most (libFuzzer -max_total_time);
#               default none, 10 with SMOKE=1
#   MAX_LEN     longest input in bytes (libFuzzer -max_len); default 4096
#   SANITIZER   cargo fuzz --sanitizer; default none (zlack forbids unsafe
#               code; `address` also watches the dependencies' unsafe code,
#               at about half the speed)
#   TARGET_DIR  cargo's target dir for the fuzz build; default fuzz/target
#   OUT         where logs and summary.md go; default fuzz/out
#
# Needs a nightly toolchain (`cargo +nightly`); without one it says so and
# exits 0. cargo-fuzz is installed from crates.io when missing. Each
# target's corpus grows in fuzz/corpus/<target> (not committed), starting
# from the seeds in fuzz/seeds/<target>; a crash leaves its input in
# fuzz/artifacts/<target>/ and makes the script exit 1 once every target
# has run. Debug assertions and overflow checks are on.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '==> %s\n' "$*" >&2; }

if [ -n "${SMOKE:-}" ]; then
  RUNS="${RUNS:-20000}"
  MAX_TIME="${MAX_TIME:-10}"
else
  RUNS="${RUNS:-10000000}"
  MAX_TIME="${MAX_TIME:-}"
fi
MAX_LEN="${MAX_LEN:-4096}"
SANITIZER="${SANITIZER:-none}"
TARGET_DIR="${TARGET_DIR:-$root/fuzz/target}"
OUT="${OUT:-fuzz/out}"

if ! cargo +nightly --version >/dev/null 2>&1; then
  log "skipping fuzzing: no nightly toolchain (cargo +nightly); install one with: rustup toolchain install nightly"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz (cargo install cargo-fuzz --locked)"
  nice -n 19 cargo install cargo-fuzz --locked
fi

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi

fuzz_flags=(--sanitizer "$SANITIZER" --debug-assertions --target-dir "$TARGET_DIR")
log "building ${#targets[@]} fuzz targets (sanitizer: $SANITIZER)"
build_start=$(date +%s)
nice -n 19 cargo +nightly fuzz build "${fuzz_flags[@]}" >&2
build_secs=$(($(date +%s) - build_start))
log "built in ${build_secs} s"

mkdir -p "$OUT"
summary="$OUT/summary.md"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD -- .. 2>/dev/null; then commit="$commit (with local changes)"; fi
{
  echo "Fuzz run of $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit"
  echo "RUNS=$RUNS MAX_TIME=${MAX_TIME:-none} MAX_LEN=$MAX_LEN SANITIZER=$SANITIZER, one job, nice -n 19; build ${build_secs} s"
  echo
  echo "| target | execs | exec/s (execs / wall time) | wall time (s) | crashes | corpus (files) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
} >"$summary"

stat_of() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

failed=()
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  artifacts="fuzz/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  dirs=("$corpus")
  [ -d "fuzz/seeds/$t" ] && dirs+=("fuzz/seeds/$t")
  args=(-runs="$RUNS" -max_len="$MAX_LEN" -print_final_stats=1)
  [ -n "$MAX_TIME" ] && args+=(-max_total_time="$MAX_TIME")
  # Crashes, timeouts and out-of-memory inputs; slow-unit-* files are not failures.
  before=$(find "$artifacts" -type f ! -name 'slow-unit-*' | wc -l)
  log "fuzzing $t: ${args[*]}"
  start=$(date +%s%N)
  status=0
  nice -n 19 cargo +nightly fuzz run "${fuzz_flags[@]}" "$t" "${dirs[@]}" -- "${args[@]}" \
    >"$OUT/$t.log" 2>&1 || status=$?
  wall_ms=$((($(date +%s%N) - start) / 1000000))
  execs=$(stat_of number_of_executed_units "$OUT/$t.log")
  rate=
  [ -n "$execs" ] && [ "$wall_ms" -gt 0 ] && rate=$((execs * 1000 / wall_ms))
  crashes=$(($(find "$artifacts" -type f ! -name 'slow-unit-*' | wc -l) - before))
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    [ "$crashes" -gt 0 ] || crashes="exit $status"
    tail -n 40 "$OUT/$t.log" >&2
  fi
  corpus_files=$(find "$corpus" -type f | wc -l)
  printf '| %s | %s | %s | %d.%01d | %s | %s |\n' "$t" "${execs:-?}" "${rate:-?}" \
    $((wall_ms / 1000)) $((wall_ms % 1000 / 100)) \
    "$crashes" "$corpus_files" | tee -a "$summary" >&2
done

echo >>"$summary"
cat "$summary"
if [ "${#failed[@]}" -gt 0 ]; then
  log "crashes or failures in: ${failed[*]} (inputs in fuzz/artifacts/, logs in $OUT/)"
  exit 1
fi
