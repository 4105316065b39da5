#!/usr/bin/env bash
# Name lookups, zerosock beside glibc, against the same local DNS server in
# one run (issue 15): user-space instructions per lookup (callgrind: the
# whole-program count at N and 2N lookups, differenced, so start-up cancels)
# and the interleaved wall-clock ratio, for a literal, a hosts-file name and
# a DNS name (A + AAAA).
#
# Runs in a network and mount namespace it creates (`unshare --net
# --mount`): only `lo`, dnsmasq on 127.0.0.1:53 with the bench's zone, and
# its own /etc/hosts, /etc/resolv.conf and /etc/nsswitch.conf bind-mounted,
# so no lookup can leave the machine. Needs root, dnsmasq and valgrind;
# prints SKIPPED otherwise. N (default 200) lookups for the short run.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200}

for tool in valgrind unshare; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIPPED: $tool not installed" >&2; exit 0; }
done
[ -x /usr/sbin/dnsmasq ] || { echo "SKIPPED: dnsmasq not installed (ci/setup.sh)" >&2; exit 0; }
unshare --net --mount true 2>/dev/null || { echo "SKIPPED: cannot create namespaces (needs root)" >&2; exit 0; }

bin=$(cargo build --release --bench resolve --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*resolve[^"]*\)".*/\1/p' | tail -n 1)
[[ -n "$bin" && -x "$bin" ]] || { echo "error: could not build benches/resolve.rs" >&2; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '127.0.0.1 localhost\n127.0.0.1 bench-files\n' >"$dir/hosts"
printf '# zerosock-bench\nnameserver 127.0.0.1\noptions timeout:2 attempts:2\n' >"$dir/resolv.conf"
printf 'hosts: files dns\n' >"$dir/nsswitch.conf"
printf '192.0.2.1 bench.test\n2001:db8::1 bench.test\n' >"$dir/zone"

unshare --net --mount bash -s "$bin" "$dir" "$N" <<'INNER'
set -euo pipefail
bin=$1 dir=$2 N=$3
ip link set lo up
for f in hosts resolv.conf nsswitch.conf; do mount --bind "$dir/$f" "/etc/$f"; done
/usr/sbin/dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
  --listen-address=127.0.0.1 --bind-interfaces --port=53 --user=root --pid-file \
  --local=/#/ --addn-hosts="$dir/zone" &
dns=$!
trap 'kill $dns 2>/dev/null; wait $dns 2>/dev/null || true' EXIT
for _ in $(seq 50); do "$bin" zerosock dns 1 2>/dev/null && break; sleep 0.1; done
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 |
    sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
}
echo "user-space instructions per lookup (callgrind, N=$N and 2N):"
for case in literal files dns; do
  for imp in zerosock glibc; do
    short=$(count "$imp" "$case" "$N"); long=$(count "$imp" "$case" $((2 * N)))
    awk -v c="$case" -v i="$imp" -v s="$short" -v l="$long" -v n="$N" \
      'BEGIN { printf "  %-8s %-9s %10.0f\n", c, i, (l - s) / n }'
  done
done
echo "wall clock (interleaved rounds, this machine):"
for case in literal files dns; do "$bin" ratios "$case" 40 | sed 's/^/  /'; done
INNER
