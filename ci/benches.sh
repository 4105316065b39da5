#!/usr/bin/env bash
# Every benchmark once, with no timing: they build and run correctly.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --benches --all-features
# The instruction harness is a package of its own (benches/instr); its smoke
# test runs every implementation of every group a few times.
cargo run --manifest-path benches/instr/Cargo.toml
