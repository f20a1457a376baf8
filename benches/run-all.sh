#!/usr/bin/env bash
# numkern's whole benchmark suite (issue 3) and the README's summary table.
#
#   bash benches/run-all.sh                 # ~10 minutes on 2 cores; run on a quiet machine
#   bash benches/run-all.sh -- '/4096$'     # extra arguments go to both criterion benches
#   NUMPY_BENCH_ARGS="--quick --filter /4096$" bash benches/run-all.sh -- --warm-up-time 0.01 \
#       --measurement-time 0.05 '/4096$'   # a smoke run of the whole pipeline
#   NUMKERN_BENCH_MISALIGN=16 bash benches/run-all.sh
#                                           # inputs 16 bytes past a 64-byte boundary
#                                           # (default: on one; benches/common/mod.rs),
#                                           # results apart: target/criterion-misalign16,
#                                           # table in target/bench-summary-misalign16.md
#
# 1. cargo bench --bench kernels   numkern (every backend), plain loops, roofs
# 2. benches/peers (own package)  ndarray, NumKong (baseline build, like step 1), each
#                                  beside numkern's free function, then wide's ln rebuilt
#                                  with -C target-cpu=native (issue 5 asks for wide built
#                                  that way) in target/native; writes
#                                  target/peers-accuracy.md (dot and ln accuracy) and
#                                  target/peers-paired.tsv (1 Mi and 16 Mi ratios to
#                                  the peers and to the roof, and matvec's to the roof,
#                                  measured in alternating pairs)
# 3. benches/numpy_bench.py        NumPy (pip install numpy), target/numpy-bench.json,
#                                  with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset
#                                  (this machine may set them; they slow NumPy down)
# 4. cargo run --release --example bench_summary
#                                  the table, printed and written to target/bench-summary.md,
#                                  (the main table, then the small ln table), followed
#                                  by the accuracy tables of step 2
#
# Nothing else may run meanwhile: the ratios are only meaningful from one quiet run.
set -euo pipefail
cd "$(dirname "$0")/.."

args=("$@")
if [[ ${#args[@]} -gt 0 && ${args[0]} == "--" ]]; then args=("${args[@]:1}"); fi
# The same arguments without a positional filter, for step 2's second run,
# whose own filter is '/wide/' (criterion takes one filter).
# Criterion's options that take a value keep it; `--exact` is left out
# (with it, '/wide/' would match no id).
opts=()
for ((i = 0; i < ${#args[@]}; i++)); do
    a="${args[i]}"
    case "$a" in
        --warm-up-time | --measurement-time | --sample-size | --noise-threshold | \
            --confidence-level | --significance-level | --nresamples | --save-baseline | -s | \
            --baseline | -b | --baseline-lenient | --load-baseline | --output-format | \
            --format | --color | -c | --profile-time | --plotting-backend)
            opts+=("$a")
            if ((i + 1 < ${#args[@]})); then
                opts+=("${args[i + 1]}")
                i=$((i + 1))
            fi
            ;;
        --exact) ;;
        -*) opts+=("$a") ;;
        *) ;;
    esac
done

target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"  # absolute: the peers package builds from its own folder

# Each alignment keeps its own results apart: criterion's data, NumPy's
# timings and the table (bench-summary.md, or bench-summary-misalign16.md for
# NUMKERN_BENCH_MISALIGN=16, bench-summary-misalign8-b16.md for
# NUMKERN_BENCH_MISALIGN=8 NUMKERN_BENCH_MISALIGN_B=16, which places the
# second input of dot, sse and mse apart).
suffix="${NUMKERN_BENCH_MISALIGN:+-misalign$NUMKERN_BENCH_MISALIGN}"
if [ -n "${NUMKERN_BENCH_MISALIGN_B:-}" ]; then
    suffix="${suffix:--misalign0}-b$NUMKERN_BENCH_MISALIGN_B"
fi
export CRITERION_HOME="$target/criterion$suffix"
numpy_json="$target/numpy-bench$suffix.json"
paired_tsv="$target/peers-paired$suffix.tsv"
summary="$target/bench-summary$suffix.md"

step() { printf '\n=== %s (%s)\n' "$*" "$(date +%T)" >&2; }

step "numkern kernels"
cargo bench --bench kernels -- "${args[@]}"

step "peers: ndarray, NumKong (baseline build, like ours)"
(cd benches/peers && CARGO_TARGET_DIR="$target" NUMKERN_PAIRED_OUT="$paired_tsv" \
    cargo bench --bench peers -- "${args[@]}")

step "peers: wide's ln again, built with -C target-cpu=native (issue 5)"
# A separate build directory so the baseline build above is not clobbered;
# CRITERION_HOME puts the results beside the others, replacing the baseline
# wide numbers. Only wide is rerun (at every size: a filter given to this
# script is not applied here): ndarray and NumKong stay baseline.
# NUMKERN_PAIRED_OUT empty: no paired ratios from this build.
(cd benches/peers && CARGO_TARGET_DIR="$target/native" CRITERION_HOME="$CRITERION_HOME" \
    NUMKERN_PAIRED_OUT= RUSTFLAGS="-C target-cpu=native" \
    cargo bench --bench peers -- "${opts[@]}" '/wide/')

step "NumPy"
if ! python3 -c 'import numpy' 2>/dev/null; then
    python3 -m pip install --quiet numpy
fi
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    python3 benches/numpy_bench.py "$numpy_json" ${NUMPY_BENCH_ARGS:-}

step "summary"
cargo run --quiet --release --example bench_summary -- --numpy "$numpy_json" \
    --paired "$paired_tsv" > "$summary"
if [[ -f "$target/peers-accuracy.md" ]]; then
    {
        printf '\nAccuracy, from benches/peers.rs (target/peers-accuracy.md).\n\n'
        cat "$target/peers-accuracy.md"
    } >> "$summary"
fi
cat "$summary"
echo "(written to $summary; command: ${NUMKERN_BENCH_MISALIGN:+NUMKERN_BENCH_MISALIGN=$NUMKERN_BENCH_MISALIGN }${NUMKERN_BENCH_MISALIGN_B:+NUMKERN_BENCH_MISALIGN_B=$NUMKERN_BENCH_MISALIGN_B }bash benches/run-all.sh)" >&2
