#!/usr/bin/env bash
# Formatting, lints (default and no-std builds), docs, the benchmarks run
# once each, the static binaries (echo, resolve, http) and the instruction-count targets.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check
cargo fmt --manifest-path benches/instr/Cargo.toml --check

step "clippy, default features"
cargo clippy --all-targets -- -D warnings
step "clippy, all features"
cargo clippy --all-targets --all-features -- -D warnings
step "clippy, no default features (the no_std library)"
cargo clippy --lib --no-default-features -- -D warnings
step "clippy, the instruction harness (benches/instr)"
cargo clippy --manifest-path benches/instr/Cargo.toml -- -D warnings

step "tests without std (lib, integration tests, doctests)"
cargo test --no-default-features

step "ci/std-user.sh: a std user's first program, default features, warnings denied"
bash ci/std-user.sh

step "cargo doc, warnings denied"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --no-default-features
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features --document-private-items

step "the library never names alloc"
if grep -rnE 'extern crate alloc|(^|[^_a-z])alloc::' src; then
  echo "the library names alloc" >&2
  exit 1
fi

step "unsafe only in src/sys and src/abi"
if grep -rlE '\bunsafe\b' src | grep -vE '^src/(sys|abi)/'; then
  echo "unsafe outside its modules" >&2
  exit 1
fi

step "ci/benches.sh"
bash ci/benches.sh

step "ci/static-echo.sh"
bash ci/static-echo.sh

step "ci/static-resolve.sh"
bash ci/static-resolve.sh

step "ci/static-http.sh"
bash ci/static-http.sh

step "ci/resolve-bench.sh"
bash ci/resolve-bench.sh

step "ci/instructions.sh (every target enforced)"
bash ci/instructions.sh
