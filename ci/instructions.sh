#!/usr/bin/env bash
# User-space instructions per send+receive pair (per datagram in the batch
# groups), for zerosock and every peer, counted by callgrind; then checks
# issue 18's targets and exits 1 if zerosock misses one.
#
# The harness is benches/instr, a package of its own: zerosock built as its
# users build it (no default features: the no_std build, rustix without its
# `std` feature), and every peer (glibc's wrappers, std, rustix, socket2,
# nix) compiled with the same profile, fat LTO included (see its Cargo.toml).
#
# Each run executes one implementation of one group for N iterations and
# nothing else. Callgrind counts the whole program's instructions (Ir) at N
# and at 2N iterations; the difference over N is one iteration's cost, with
# start-up and set-up cancelled out. System calls cost 0 Ir inside the
# kernel: what is counted is exactly what each library adds in user space.
# The batch groups run N/32 batches of 32 datagrams and print per datagram.
#
# Prints one line per measurement, `<group> <implementation> <Ir>`. Groups
# ending in -mt are measured with a second, parked thread alive (glibc's
# wrappers then take their cancellation-point path).
#
# `floor` rows: the group's system calls (zerosock's: the same numbers and
# flags) issued by bare `syscall` instructions with only the arguments the
# kernel reads, followed by the checks every row makes (the error check any
# library makes, then the harness's length check) — the least any library
# can execute for the same kernel work in this harness.
#
# `batch-recv` has two rows more, for the typed receive: `libc-typed`
# (libc's row, then each sender decoded into an `Option<SocketAddr>` by the
# same decoder as libc's `udp-unconnected-typed` row: the same work as
# `zerosock-typed`, done by a C programmer over glibc) and `floor-typed`
# (the floor, then each sender decoded as IPv4 with no test of its family
# or length: wrong for any other sender, a lower bound for any decoder,
# not an implementation).
#
# The targets, checked on the single-threaded and on the -mt figures:
#   udp-connected, unix-dgram, tcp: zerosock <= floor + 1, < libc, < rustix
#   udp-unconnected-typed:          zerosock < every peer
#   udp-unconnected-raw:            zerosock <= libc
#   batch-recv, batch-send:         zerosock <= libc + 2 (low-level batch API)
#                                   zerosock-typed <= libc + 10 (typed API;
#                                   receive: a known miss, see BENCHMARKS.md)
#   batch-recv, like for like:      zerosock-typed <= libc-typed + 2 (a guard
#                                   on today's gap of 1.7, not a target)
#
# Environment: N (default 20000) iterations for the short run, 2N for the
# long one; INSTR_GROUPS (default: all) to measure only some groups, e.g.
# INSTR_GROUPS="udp-connected batch-recv" (targets are then checked only where
# both sides were measured).
# Needs valgrind (Debian/Ubuntu: apt-get install -y valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20000}
BATCH=32

if ! command -v valgrind >/dev/null 2>&1; then
    echo "SKIPPED: valgrind not installed (apt-get install -y valgrind)" >&2
    exit 0
fi

manifest=benches/instr/Cargo.toml
bin=$(cargo build --release --manifest-path "$manifest" --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\/instr\)".*/\1/p' | tail -n 1)
if [[ -z "$bin" || ! -x "$bin" ]]; then
    echo "error: could not build the instruction harness ($manifest)" >&2
    cargo build --release --manifest-path "$manifest" >&2 || true
    exit 1
fi

# The no_std claim, checked rather than assumed: nothing in the harness's
# build turns rustix's `std` feature on.
if cargo tree --manifest-path "$manifest" -e features -i rustix 2>/dev/null | grep -q 'rustix feature "std"'; then
    echo "error: rustix's std feature is on in the harness build; zerosock's figure would not be the no_std one" >&2
    exit 1
fi

# Whole-program Ir of one run.
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 |
        sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
}

declare -A ir
measure() {
    local group=$1 impl=$2 n=$N div=1 short long
    case $group in
        batch-*) n=$((N / BATCH)) div=$BATCH ;;
    esac
    short=$(count "$group" "$impl" "$n")
    long=$(count "$group" "$impl" $((2 * n)))
    if [[ -z "$short" || -z "$long" ]]; then
        echo "error: callgrind gave no count for $group $impl" >&2
        exit 1
    fi
    ir[$group/$impl]=$(awk -v s="$short" -v l="$long" -v n="$n" -v d="$div" 'BEGIN { printf "%.1f", (l - s) / n / d }')
    echo "$group $impl ${ir[$group/$impl]}"
}

peers="zerosock libc std rustix socket2 nix"
impls_of() {
    case $1 in
        udp-connected | unix-dgram | tcp) echo "floor $peers" ;;
        udp-unconnected-typed) echo "$peers" ;;
        udp-unconnected-raw) echo "floor zerosock libc zerosock-by-value" ;;
        batch-recv) echo "floor floor-typed zerosock zerosock-typed libc libc-typed" ;;
        batch-send) echo "floor zerosock zerosock-typed libc" ;;
    esac
}

all="udp-connected unix-dgram tcp udp-unconnected-typed udp-unconnected-raw batch-recv batch-send"
groups=${INSTR_GROUPS:-$all}
for mt in "" -mt; do
    for group in $groups; do
        for impl in $(impls_of "$group"); do
            measure "$group$mt" "$impl"
        done
    done
done

# `check <description> <lhs> <op> <rhs> [<slack>]`: lhs op rhs + slack, op
# le or lt; skipped when either side was not measured. `known_miss` is the
# same check for a target the code does not meet yet (the typed receive
# batch, issue 18): its result is printed on every run but does not fail
# CI, and a met target says so, so the line can be turned back into
# `check` the day it holds.
failed=0
known_miss() {
    local failed_before=$failed
    check "$@"
    if [[ $failed != "$failed_before" ]]; then
        echo "  (known miss, not failing CI: see BENCHMARKS.md, issue 18)"
        failed=$failed_before
    fi
}
check() {
    local what=$1 lhs=$2 op=$3 rhs=$4 slack=${5:-0}
    [[ -n ${ir[$lhs]:-} && -n ${ir[$rhs]:-} ]] || return 0
    if awk -v a="${ir[$lhs]}" -v b="${ir[$rhs]}" -v s="$slack" -v op="$op" \
        'BEGIN { exit !((op == "le" && a <= b + s) || (op == "lt" && a < b + s)) }'; then
        echo "target ok: $what ($lhs ${ir[$lhs]} $op $rhs ${ir[$rhs]} + $slack)"
    else
        echo "TARGET MISSED: $what ($lhs ${ir[$lhs]}, $rhs ${ir[$rhs]} + $slack)"
        failed=1
    fi
}
for mt in "" -mt; do
    for g in udp-connected unix-dgram tcp; do
        check "$g$mt: zerosock at most the floor + 1" "$g$mt/zerosock" le "$g$mt/floor" 1
        check "$g$mt: zerosock fewer than libc" "$g$mt/zerosock" lt "$g$mt/libc"
        check "$g$mt: zerosock fewer than rustix" "$g$mt/zerosock" lt "$g$mt/rustix"
    done
    for peer in libc std rustix socket2 nix; do
        check "udp-unconnected-typed$mt: zerosock fewer than $peer" \
            "udp-unconnected-typed$mt/zerosock" lt "udp-unconnected-typed$mt/$peer"
    done
    check "udp-unconnected-raw$mt: zerosock no more than libc" \
        "udp-unconnected-raw$mt/zerosock" le "udp-unconnected-raw$mt/libc"
    for g in batch-recv batch-send; do
        check "$g$mt: SendBatch/RecvBatch at most libc + 2 per datagram" "$g$mt/zerosock" le "$g$mt/libc" 2
    done
    check "batch-send$mt: typed batch at most libc + 10 per datagram" \
        "batch-send$mt/zerosock-typed" le "batch-send$mt/libc" 10
    known_miss "batch-recv$mt: typed batch at most libc + 10 per datagram" \
        "batch-recv$mt/zerosock-typed" le "batch-recv$mt/libc" 10
    # Like for like, the same decoding over glibc: zerosock is 1.7 over it
    # today (the reset of `msg_namelen` a reusable table makes before each
    # call, 1, and a join of the V4 and V6 paths that LLVM lays out one
    # instruction longer); this guards that gap, it is not a target met.
    check "batch-recv$mt: typed batch within 2 of libc decoding the same senders (a guard)" \
        "batch-recv$mt/zerosock-typed" le "batch-recv$mt/libc-typed" 2
done
exit $failed
