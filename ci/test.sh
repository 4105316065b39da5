#!/usr/bin/env bash
# The README's test command, exactly, then the list of tests that said
# SKIPPED (each test that cannot run here logs one line through
# tests/common's skip(): "SKIPPED <test name>: <reason>"). The exit status
# is the test run's: a failed test fails this script, skips or not.
set -uo pipefail
cd "$(dirname "$0")/.."

# .ci/run gives one log for the whole run (and prints it last); alone, this
# script makes its own.
if [ -z "${ZEROSOCK_SKIP_LOG:-}" ]; then
    ZEROSOCK_SKIP_LOG="$(mktemp "${TMPDIR:-/tmp}/zerosock-skips.XXXXXX")"
    trap 'rm -f "$ZEROSOCK_SKIP_LOG"' EXIT
fi
export ZEROSOCK_SKIP_LOG

cargo test --all-features
status=$?

n=$(grep -c '^SKIPPED ' "$ZEROSOCK_SKIP_LOG" || true)
echo
if [ "$n" -eq 0 ]; then
    echo "Skipped tests: none"
else
    echo "Skipped tests ($n):"
    grep '^SKIPPED ' "$ZEROSOCK_SKIP_LOG" | LC_ALL=C sort
fi
exit "$status"
