#!/usr/bin/env bash
# The no-panic link check (issue 6).
#
# Builds nopanic/ (a #![no_std] binary calling every public numkern function
# on inputs the optimiser cannot see) in release with fat LTO. Its panic
# handler calls `numkern_panic_is_linked`, which is defined nowhere: the link
# succeeds only if no panic path survives optimisation.
#
#   nopanic/check.sh [TARGET ...]    (default: the host)
#
# e.g. `nopanic/check.sh x86_64-unknown-linux-gnu thumbv7em-none-eabihf`
# (scalar, portable and AVX2 backends on the first; scalar and portable
# without SIMD on the second), or aarch64-unknown-linux-gnu for NEON (needs
# the cross linker named in .cargo/config.toml).
#
# Exit 0: proven for every target; 1: a panic path survives (on the host
# the call sites are listed with their source lines); 2: the check itself is
# broken or the build failed for another reason.
#
# For each target it also builds a canary (one deliberate bounds check) that
# must FAIL to link, so a check that has stopped working cannot pass.
# Extra cargo arguments can be given in NOPANIC_CARGO_ARGS, e.g.
# "--config profile.release.overflow-checks=true".
set -uo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR=never
# This workspace's own output directory, whatever the caller's: the call-site
# listing below reads the binary from target/.
unset CARGO_TARGET_DIR
mkdir -p target
log=target/check-build.log
host="$(rustc -vV | sed -n 's/^host: //p')"
read -r -a extra <<<"${NOPANIC_CARGO_ARGS:-}"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("$host")

build() {
  local target="$1"
  shift
  nice -n 10 cargo build --release --locked --target "$target" ${extra[@]+"${extra[@]}"} "$@" \
    >"$log" 2>&1
}

marker() {
  grep -q "numkern_panic_is_linked" "$log"
}

# Lists every call into the panic machinery in the host binary, with the
# inlined source frames of each call site.
locate() {
  local bin="target/$host/release/numkern-nopanic"
  if ! build "$host" --features locate; then
    cat "$log" >&2
    return
  fi
  echo
  echo "Call sites of panics (function, the panic it calls, inlined frames innermost first):"
  objdump -d --no-show-raw-insn -C "$bin" | awk '
    /^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn); next }
    /call/ && /<core::panicking::|<core::slice::index::|<core::option::(unwrap|expect)_failed|<core::result::unwrap_failed|<core::panic|<rust_begin_unwind/ {
      if (fn ~ /^core::/ || fn ~ /^rust_begin_unwind/ || fn ~ /^numkern_nopanic::panic/) next
      addr = $1; sub(/:$/, "", addr)
      callee = $0; sub(/^.*</, "", callee); sub(/>.*$/, "", callee)
      print addr "\t" fn "\t" callee
    }' | while IFS=$'\t' read -r addr fn callee; do
    echo "- $fn"
    echo "    calls $callee at 0x$addr"
    addr2line -e "$bin" -f -i -C "0x$addr" | paste - - | sed 's/^/      /'
  done
}

status=0
for target in "${targets[@]}"; do
  echo "== no-panic check, $target: every public numkern function, every backend"
  if build "$target"; then
    echo "   links: no panic path"
  elif marker; then
    echo "FAIL ($target): a panic path survives optimisation; the linker says:"
    grep -E "undefined (symbol|reference)|referenced by" "$log" | head -10
    if [ "$target" = "$host" ]; then
      locate
    else
      echo "(run nopanic/check.sh on the host target to list the call sites)"
    fi
    status=1
    continue
  else
    echo "BROKEN ($target): the build failed for another reason:" >&2
    cat "$log" >&2
    exit 2
  fi
  if build "$target" --features canary; then
    echo "BROKEN ($target): the canary (a deliberate bounds check) linked:" \
      "this check cannot detect panics there" >&2
    exit 2
  elif ! marker; then
    echo "BROKEN ($target): the canary build failed for another reason:" >&2
    cat "$log" >&2
    exit 2
  fi
  echo "   canary: a deliberate bounds check fails the link, as it must"
done

if [ $status -eq 0 ]; then
  echo "PASS: no public numkern function can panic (release, panic=abort, fat LTO;" \
    "${targets[*]}; $(rustc --version))"
fi
exit $status
