#!/usr/bin/env bash
# Runs every fuzz target for a while (issue 6): `bash fuzz/ci.sh [SECONDS]`
# (default 30 per target). Installs cargo-fuzz if it is missing. Exits
# non-zero on the first target that crashes; its input is left in
# fuzz/artifacts/<target>/ and libFuzzer's report (with the panic message)
# is printed.
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
mkdir -p artifacts
echo "=== build the fuzz targets"
nice -n 10 cargo fuzz build
for t in "${targets[@]}"; do
  log="artifacts/$t.log"
  echo "=== fuzz $t (${secs}s)"
  if ! nice -n 10 cargo fuzz run "$t" -- -max_total_time="$secs" >"$log" 2>&1; then
    echo "FUZZ FAILURE in $t; libFuzzer's report:" >&2
    grep -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' "$log" | tail -60 >&2
    exit 1
  fi
  # libFuzzer's last status line: executions, coverage, corpus size, speed.
  grep -E '^#[0-9]+\s+DONE' "$log" | tail -1 || tail -3 "$log"
done
echo "all ${#targets[@]} fuzz targets ran ${secs}s each without a finding"
