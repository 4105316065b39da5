#!/usr/bin/env bash
# The crate on aarch64, riscv64 and 32-bit ARM (armv7, hard float), tested
# under qemu-user (issue 14). For each target:
#   cargo build --lib --no-default-features --target T   (the no_std library)
#   cargo test --all-features --target T                  (the whole suite)
# then the static, libc-free echo for that target (ci/static-echo.sh).
#
# ci/cross-setup.sh installs what is missing first (targets, cross gcc,
# qemu-user, binfmt_misc). A target that cannot be had is a visible
# `SKIPPED cross <T>: <why>`, never a pass. CARGO_BUILD_TARGET is exported
# for each run, so the examples the tests build with `cargo run`/`cargo
# build` (echo, soak) are built for the target under test, not the host;
# binfmt_misc (or the runner) runs them under qemu.
#
# Prints per target `T: N passed, F failed, K skipped (S s)` and the total
# wall time; exits 1 if any target failed. CROSS_TARGETS="..." limits the
# run to some targets. A target in the list below but not in PORTED is
# printed `SKIPPED cross <T>: not yet ported` (an honest skip, not a pass).
set -uo pipefail
cd "$(dirname "$0")/.."

start_all=$(date +%s)
bash ci/cross-setup.sh

targets=${CROSS_TARGETS:-"aarch64-unknown-linux-gnu riscv64gc-unknown-linux-gnu armv7-unknown-linux-gnueabihf"}
# The targets whose whole suite has been seen green under qemu-user; a
# target not listed here is not run and says so.
PORTED="aarch64-unknown-linux-gnu riscv64gc-unknown-linux-gnu armv7-unknown-linux-gnueabihf"
installed=$(rustup target list --installed 2>/dev/null || true)
summary=()
failed=0

for T in $targets; do
  case $T in
    aarch64-*) gcc=aarch64-linux-gnu-gcc qemu=qemu-aarch64-static sysroot=/usr/aarch64-linux-gnu ;;
    riscv64*) gcc=riscv64-linux-gnu-gcc qemu=qemu-riscv64-static sysroot=/usr/riscv64-linux-gnu ;;
    armv7-*) gcc=arm-linux-gnueabihf-gcc qemu=qemu-arm-static sysroot=/usr/arm-linux-gnueabihf ;;
    *) echo "SKIPPED cross $T: not a target ci/cross.sh knows" >&2; continue ;;
  esac
  why=
  grep -qw -- "$T" <<<"$PORTED" || why="not yet ported"
  [ -z "$why" ] && ! grep -qx "$T" <<<"$installed" && why="rustup target $T is not installed"
  [ -z "$why" ] && ! command -v "$gcc" >/dev/null && why="no $gcc (gcc cross package)"
  [ -z "$why" ] && ! command -v "$qemu" >/dev/null && why="no $qemu (qemu-user-static)"
  [ -z "$why" ] && [ ! -d "$sysroot/lib" ] && why="no $sysroot (libc6-dev cross package)"
  if [ -n "$why" ]; then
    echo "SKIPPED cross $T: $why"
    summary+=("SKIPPED cross $T: $why")
    continue
  fi

  echo
  echo "== cross $T ($($qemu --version | head -n 1))"
  t0=$(date +%s)
  env_name=$(echo "$T" | tr 'a-z-' 'A-Z_')
  log=$(mktemp)
  (
    export CARGO_BUILD_TARGET="$T"
    export "CARGO_TARGET_${env_name}_LINKER=$gcc"
    export "CARGO_TARGET_${env_name}_RUNNER=$qemu -L $sysroot"
    # binfmt_misc runs re-executed test binaries and child processes through
    # qemu without the runner: it finds the target's dynamic loader here.
    export QEMU_LD_PREFIX="$sysroot"
    # For kernels without /proc/sys/kernel/arch (tests/common/emulation.rs).
    export ZEROSOCK_EMULATED=1
    cargo build --lib --no-default-features &&
      cargo test --all-features --no-fail-fast
  ) 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  secs=$(($(date +%s) - t0))
  read -r passed failed_n < <(awk '/^test result:/ { p += $4; f += $6 } END { print p + 0, f + 0 }' "$log")
  skipped=$(grep -c '^SKIPPED' "$log")
  if [ "$status" != 0 ] && [ "$failed_n" = 0 ]; then failed_n="build or run error"; fi
  [ "$status" != 0 ] && failed=1
  summary+=("$T: $passed passed, $failed_n failed, $skipped skipped (${secs} s)")
  grep '^SKIPPED' "$log" | sort | uniq -c | sed "s/^/  $T /"
  rm -f "$log"

  # The static, libc-free echo for this target, with x86_64's smoke test.
  echo "== static-echo $T"
  if size=$(env "CARGO_TARGET_${env_name}_LINKER=$gcc" STATIC_ECHO_TARGET="$T" \
    STATIC_ECHO_RUNNER="$qemu" STATIC_ECHO_TOOLS="${gcc%gcc}" bash ci/static-echo.sh | tail -n 1); then
    summary+=("static-echo $T: $size bytes")
  else
    summary+=("static-echo $T: FAILED")
    failed=1
  fi
  # Beside it, the same echo in C, static with glibc, -Os -s.
  c_bin=$(mktemp)
  if "$gcc" -Os -s -static -o "$c_bin" examples/static-echo/echo.c 2>/dev/null; then
    summary+=("C echo $T (glibc, static, -Os -s): $(stat -c %s "$c_bin") bytes")
  fi
  rm -f "$c_bin"
done

echo
echo "== cross summary"
printf '%s\n' "${summary[@]}"
echo "cross wall time: $(($(date +%s) - start_all)) s"
exit $failed
