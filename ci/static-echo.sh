#!/usr/bin/env bash
# Builds examples/static-echo (no libc, static, no start files), starts it on
# a free loopback port, echoes several lines through it, resets a client and
# checks the server survives, stops it, checks the binary is static with no
# interpreter and no undefined symbols, and prints the stripped size in bytes
# as the LAST line (just the number). Fails if the size exceeds 4096 bytes.
#
# Needs: bash (its /dev/tcp), ldd, readelf, nm, size (binutils).
#
# For another architecture (ci/cross.sh): STATIC_ECHO_TARGET=<triple> builds
# for it (its linker from CARGO_TARGET_<TRIPLE>_LINKER), STATIC_ECHO_RUNNER
# runs it (qemu-<arch>-static) and STATIC_ECHO_TOOLS=<prefix> names the
# cross binutils (aarch64-linux-gnu-).
set -euo pipefail
source "$(dirname "$0")/lib/static.sh"
cd "$(dirname "$0")/../examples/static-echo"

LIMIT=4096

target=${CARGO_TARGET_DIR:-target}
cross=()
if [ -n "${STATIC_ECHO_TARGET:-}" ]; then
  cross=(--target "$STATIC_ECHO_TARGET")
  target=$target/$STATIC_ECHO_TARGET
fi
runner=${STATIC_ECHO_RUNNER:-}
tools=${STATIC_ECHO_TOOLS:-}
cargo build --release --quiet "${cross[@]}"
cargo build --profile unstripped --quiet "${cross[@]}"
bin=$target/release/static-echo
unstripped=$target/unstripped/static-echo

fail() {
  echo "static-echo: FAIL: $*" >&2
  exit 1
}

pid=
cleanup() {
  exec 3>&- 4>&-
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# Start on a free port: pick one at random and retry (bounded) if taken.
port=
for _ in $(seq 1 20); do
  candidate=$((20000 + RANDOM % 40000))
  $runner "$bin" "$candidate" &
  pid=$!
  # Up to 5 s for the server to answer.
  for _ in $(seq 1 50); do
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    # (The braces keep the 2>/dev/null from outliving the exec.)
    if { exec 3<>"/dev/tcp/127.0.0.1/$candidate"; } 2>/dev/null; then
      port=$candidate
      break
    fi
    sleep 0.1
  done
  [ -n "$port" ] && break
  # Not listening: it exited (98 = EADDRINUSE) or never answered.
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
done
[ -n "$port" ] || fail "could not start the server on a free port"
echo "static-echo: serving on 127.0.0.1:$port (pid $pid)" >&2

# Several lines through the first connection (fd 3), one at a time.
lines=("hello" "zerosock without libc" "$(printf '%0200d' 7)" "last line")
for line in "${lines[@]}"; do
  printf '%s\n' "$line" >&3
  IFS= read -r -t 5 back <&3 || fail "no echo for: $line"
  [ "$back" = "$line" ] || fail "sent '$line', got '$back'"
done
exec 3>&-

# A client that resets: it sends 64 KiB and closes without reading the
# echo, so its kernel answers the unread data with RST.
exec 4<>"/dev/tcp/127.0.0.1/$port"
head -c 65536 /dev/zero >&4
sleep 0.3
exec 4>&-
sleep 0.2
kill -0 "$pid" 2>/dev/null || fail "the server died after a client reset"

# And the next client is served.
exec 3<>"/dev/tcp/127.0.0.1/$port" || fail "no connection after the reset"
printf 'after the reset\n' >&3
IFS= read -r -t 5 back <&3 || fail "no echo after the reset"
[ "$back" = "after the reset" ] || fail "got '$back' after the reset"
exec 3>&-
echo "static-echo: echo ok, survived a reset" >&2

# Stop it: SIGTERM, which it does not handle, ends it at once.
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=

# Static, no interpreter, no undefined symbols.
check_static static-echo "$bin" "$unstripped" "${tools}nm"

# The stripped file's sections; the rest of the file is the ELF header,
# the program headers and the section table.
bytes=$(stat -c %s "$bin")
in_sections=$(section_sizes static-echo "$bin")
echo "static-echo: headers and section table: $((bytes - in_sections)) bytes" >&2
[ "$bytes" -le "$LIMIT" ] || fail "$bytes bytes, more than $LIMIT"
echo "$bytes"
