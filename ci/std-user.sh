#!/usr/bin/env bash
# Builds and runs ci/std-user, a first program written the way a std::net
# user writes it, against zerosock's default features, warnings denied.
set -euo pipefail
cd "$(dirname "$0")/.."
RUSTFLAGS="-D warnings" cargo run --quiet --manifest-path ci/std-user/Cargo.toml \
    --target-dir target/std-user
