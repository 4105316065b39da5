#!/usr/bin/env bash
# The README's test command, exactly.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --all-features
