#!/usr/bin/env bash
# Builds examples/static-http (examples/http's server with no libc, static,
# no start files), serves a temporary directory from a free loopback port,
# checks GET, HEAD, 404 and keep-alive (two requests on one connection) with
# their exact status lines, headers and bodies, stops it, checks the binary
# is static with no interpreter and no undefined symbols, and prints the
# stripped size in bytes as the LAST line (just the number). Fails if the
# size exceeds 65536 bytes.
#
# Needs: bash (its /dev/tcp), timeout, ldd, readelf, nm (binutils).
set -euo pipefail
source "$(dirname "$0")/lib/static.sh"
cd "$(dirname "$0")/../examples/static-http"

LIMIT=65536

cargo build --release --quiet
cargo build --profile unstripped --quiet
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/static-http
unstripped=$target/unstripped/static-http

fail() {
  echo "static-http: FAIL: $*" >&2
  exit 1
}

dir=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

mkdir "$dir/www"
printf '<h1>static</h1>\n' >"$dir/www/index.html"
printf 'hello, world\n' >"$dir/www/hello.txt"

# Start on port 0 and read the port it got from its first line. With a
# 256 KiB stack: the 1,024-slot table (4.7 MiB) must be built in place.
(ulimit -s 256 && exec "$bin" 127.0.0.1:0 "$dir/www") >"$dir/out" &
pid=$!
port=
for _ in $(seq 1 50); do
  kill -0 "$pid" 2>/dev/null || fail "the server exited: $(cat "$dir/out")"
  line=$(head -n 1 "$dir/out")
  if [[ $line =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)\  ]]; then
    port=${BASH_REMATCH[1]}
    break
  fi
  sleep 0.1
done
[ -n "$port" ] || fail "no 'listening on' line"
echo "static-http: $line (pid $pid)" >&2

# Sends the requests given (one string) on one connection and prints all
# the server sends until it closes, CRs removed and Date values replaced by D.
exchange() {
  exec 3<>"/dev/tcp/127.0.0.1/$port" || fail "cannot connect"
  printf '%b' "$1" >&3
  timeout 10 cat <&3 | tr -d '\r' | sed -E 's/^Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$/Date: D/'
  exec 3>&-
}

check() {
  local name=$1 got=$2 want=$3
  if [ "$got" != "$want" ]; then
    echo "--- want" >&2
    echo "$want" >&2
    echo "--- got" >&2
    echo "$got" >&2
    fail "$name"
  fi
  echo "static-http: $name ok" >&2
}

check "GET" "$(exchange 'GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')" \
"HTTP/1.1 200 OK
Server: zerosock
Date: D
Content-Type: text/plain; charset=utf-8
Content-Length: 13
Connection: close

hello, world"

check "HEAD" "$(exchange 'HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')" \
"HTTP/1.1 200 OK
Server: zerosock
Date: D
Content-Type: text/html; charset=utf-8
Content-Length: 16
Connection: close"

got=$(exchange 'GET /missing.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')
[[ $got == "HTTP/1.1 404 Not Found"* ]] || fail "404: got: $got"
echo "static-http: 404 ok" >&2

# Keep-alive: the first response leaves the connection open, the second
# request on it is answered, then the server closes as asked.
check "keep-alive" "$(exchange 'GET /index.html HTTP/1.1\r\nHost: t\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')" \
"HTTP/1.1 200 OK
Server: zerosock
Date: D
Content-Type: text/html; charset=utf-8
Content-Length: 16

<h1>static</h1>
HTTP/1.1 200 OK
Server: zerosock
Date: D
Content-Type: text/plain; charset=utf-8
Content-Length: 13
Connection: close

hello, world"

kill -0 "$pid" 2>/dev/null || fail "the server died"
# Stop it: SIGTERM, which it does not handle, ends it at once.
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=

# Static, no interpreter, no undefined symbols.
check_static static-http "$bin" "$unstripped"

bytes=$(stat -c %s "$bin")
section_sizes static-http "$bin" >/dev/null
[ "$bytes" -le "$LIMIT" ] || fail "$bytes bytes, more than $LIMIT"
echo "$bytes"
