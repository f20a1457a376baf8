#!/usr/bin/env bash
# Runs every fuzz target for a while (issue 6): `bash fuzz/ci.sh [SECONDS]`
# (default 30 per target), as many at once as there are cores (FUZZ_JOBS to
# change it). Installs cargo-fuzz if it is missing. Exits non-zero if a
# target crashes; its input is left in fuzz/artifacts/<target>/ and
# libFuzzer's report (with the panic message) is printed. Each target's log
# and exit status go to fuzz/logs/<target>.{log,rc}, apart from the inputs.
#
# cargo-fuzz needs nightly flags (-Zsanitizer=address); on the stable
# toolchain RUSTC_BOOTSTRAP=1 allows them. Debug assertions and overflow
# checks are on (cargo-fuzz's default), AddressSanitizer catches any read or
# write past a slice (every slice ends at the end of its allocation).
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-30}"
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=never

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

targets=(sum moments dot sq_err ln bytes matrix)
# libFuzzer runs on one core: this many targets run at once, each for the
# full time (the machine CI runs on has 2 cores).
njobs="${FUZZ_JOBS:-$(nproc)}"
if ! [[ $njobs =~ ^[1-9][0-9]*$ ]]; then
  echo "FUZZ_JOBS must be a positive number, not '$njobs'" >&2
  exit 2
fi
mkdir -p logs
echo "=== build the fuzz targets"
nice -n 10 cargo fuzz build

# One target's run; its output goes to logs/<target>.log, its exit status to
# logs/<target>.rc.
run() {
  local t="$1"
  local rc=0
  nice -n 10 cargo fuzz run "$t" -- -max_total_time="$secs" >"logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"logs/$t.rc"
}

echo "=== fuzz ${targets[*]} (${secs}s each, $njobs at a time)"
rm -f logs/*.rc
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$njobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run "$t" &
  running=$((running + 1))
done
wait

failed=0
for t in "${targets[@]}"; do
  log="logs/$t.log"
  if [ "$(cat "logs/$t.rc" 2>/dev/null)" != 0 ]; then
    echo "FUZZ FAILURE in $t; libFuzzer's report:" >&2
    grep -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' "$log" | tail -60 >&2 || true
    failed=1
    continue
  fi
  # libFuzzer's last status line: executions, coverage, corpus size, speed.
  echo "$t: $(grep -E '^#[0-9]+\s+DONE' "$log" | tail -1 || tail -3 "$log")"
done
[ "$failed" -eq 0 ] || exit 1
echo "all ${#targets[@]} fuzz targets ran ${secs}s each without a finding"
