#!/usr/bin/env bash
# Every benchmark once, with no timing: they build and run correctly.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --benches --all-features
