#!/usr/bin/env bash
# Builds examples/static-resolve (a static executable with no libc that
# resolves a name with zerosock's resolver and connects to it), checks it is
# static with no interpreter and no undefined symbols, then runs it in a
# network and mount namespace of its own (`unshare --net --mount`: its own
# /etc/hosts, resolv.conf and nsswitch.conf, dnsmasq on 127.0.0.1:53, a
# listener on port 8080): a hosts-file name, a DNS name through the search
# list, and a name that does not exist (exit 3). Prints the stripped size in
# bytes as the last line.
#
# Needs root, unshare, python3 (the listener) and dnsmasq for the run;
# without them it builds, checks and prints the size, and says SKIPPED.
set -euo pipefail
source "$(dirname "$0")/lib/static.sh"
cd "$(dirname "$0")/../examples/static-resolve"

cargo build --release --quiet
cargo build --profile unstripped --quiet
bin=$PWD/${CARGO_TARGET_DIR:-target}/release/static-resolve
unstripped=$PWD/${CARGO_TARGET_DIR:-target}/unstripped/static-resolve

fail() { echo "static-resolve: FAIL: $*" >&2; exit 1; }

check_static static-resolve "$bin" "$unstripped"

run=yes
for tool in unshare python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIPPED: $tool not installed: not run" >&2; run=; }
done
[ -x /usr/sbin/dnsmasq ] || { echo "SKIPPED: dnsmasq not installed: not run" >&2; run=; }
if [ -n "$run" ] && ! unshare --net --mount true 2>/dev/null; then
  echo "SKIPPED: cannot create namespaces (needs root): not run" >&2
  run=
fi

if [ -n "$run" ]; then
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  printf '127.0.0.1 localhost\n' >"$dir/hosts"
  printf 'nameserver 127.0.0.1\nsearch test\noptions timeout:1 attempts:2\n' >"$dir/resolv.conf"
  printf 'hosts: files dns\n' >"$dir/nsswitch.conf"
  printf '127.0.0.5 far.test\n' >"$dir/zone"
  unshare --net --mount bash -s "$bin" "$dir" <<'INNER'
set -euo pipefail
bin=$1 dir=$2
ip link set lo up
for f in hosts resolv.conf nsswitch.conf; do mount --bind "$dir/$f" "/etc/$f"; done
/usr/sbin/dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
  --listen-address=127.0.0.1 --bind-interfaces --port=53 --user=root --pid-file \
  --local=/#/ --addn-hosts="$dir/zone" &
dns=$!
python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080)); s.listen(8); s.settimeout(1)
end = time.time() + 20
while time.time() < end:
    try: s.accept()[0].close()
    except socket.timeout: pass
' &
listener=$!
trap 'kill $dns $listener 2>/dev/null; wait $dns $listener 2>/dev/null || true' EXIT
for _ in $(seq 100); do { exec 3<>/dev/tcp/127.0.0.1/8080; } 2>/dev/null && break; sleep 0.1; done
exec 3>&-
out=$("$bin" localhost 8080); [ "$out" = "connected to 127.0.0.1 8080" ] || { echo "localhost: $out" >&2; exit 1; }
echo "static-resolve localhost 8080: $out" >&2
out=$("$bin" far 8080); [ "$out" = "connected to 127.0.0.5 8080" ] || { echo "far: $out" >&2; exit 1; }
echo "static-resolve far 8080: $out" >&2
set +e; out=$("$bin" nx.test 8080); rc=$?; set -e
[ "$rc" = 3 ] || { echo "nx.test: exit $rc ($out)" >&2; exit 1; }
echo "static-resolve nx.test 8080: exit 3 ($out)" >&2
INNER
fi
size -A "$bin" | awk 'NR > 2 && $2 > 0 { printf "  %-16s %8d\n", $1, $2 }' >&2
stat -c %s "$bin"
