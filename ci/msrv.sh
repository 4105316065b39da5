#!/usr/bin/env bash
# The minimum supported Rust version (Cargo.toml's `rust-version`): installs
# that toolchain and builds and tests the library with it, in its own target
# directory (target/msrv).
#
# - `cargo +MSRV build --lib`, default features and --no-default-features,
#   in target/msrv.
#   Cargo refuses a dependency whose own rust-version is newer, so this also
#   checks the dependencies (heapless 0.9.3 declares 1.87: the floor).
# - The unit tests and doctests (`test --lib --doc`), both feature sets. They
#   use no dev-dependency, but cargo builds every dev-dependency for any
#   test, and some declare a newer Rust (proptest 1.12 wants 1.88). So they
#   run from a scratch copy of the package without [dev-dependencies]
#   (target/msrv-pkg, with its own target directory inside: the copy is
#   the same package to cargo, and sharing target/msrv would let one
#   build's fingerprints pass for the other's), and the integration tests
#   and benches are reported
#   as not run, with the reason cargo gives.
#
# If the toolchain cannot be installed the job says SKIPPED and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

msrv=$(sed -n 's/^rust-version *= *"\(.*\)"/\1/p' Cargo.toml | head -n1)
if [ -z "$msrv" ]; then
  echo "ci/msrv.sh: no rust-version in Cargo.toml" >&2
  exit 1
fi
step() { printf '\n== msrv %s: %s\n' "$msrv" "$*"; }

step "rustup toolchain install $msrv --profile minimal"
if ! command -v rustup >/dev/null 2>&1; then
  echo "SKIPPED msrv: rustup is not installed"
  exit 0
fi
if ! log=$(rustup toolchain install "$msrv" --profile minimal 2>&1); then
  echo "$log" | tail -n 5
  echo "SKIPPED msrv: rustup could not install Rust $msrv (see above)"
  exit 0
fi
cargo +"$msrv" --version

target=target/msrv

step "build --lib (default features: std)"
cargo +"$msrv" build --lib --target-dir "$target"
step "build --lib --no-default-features (no_std)"
cargo +"$msrv" build --lib --no-default-features --target-dir "$target"
step "build --lib --no-default-features --features embedded-async (the optional embedded traits)"
cargo +"$msrv" build --lib --no-default-features --features embedded-async --target-dir "$target"

# A copy of the package with the same sources and lock file, minus the
# dev-dependencies and the targets that need them.
pkg=target/msrv-pkg
rm -rf "$pkg/src"
mkdir -p "$pkg"
cp -r src README.md Cargo.lock "$pkg/"
awk '
  /^\[/ { skip = ($0 == "[dev-dependencies]" || $0 == "[[bench]]" || $0 == "[[test]]") }
  !skip
' Cargo.toml > "$pkg/Cargo.toml"

for features in "" "--no-default-features"; do
  for kind in --lib --doc; do
    step "test $kind ${features:-(default features)}, without dev-dependencies"
    # shellcheck disable=SC2086 # $features is one flag or none
    cargo +"$msrv" test "$kind" $features --manifest-path "$pkg/Cargo.toml" --target-dir "$pkg/target"
  done
done

step "integration tests and benches"
# Through the environment, not --target-dir: tests that start an example
# run `$CARGO run/build` themselves, and must find the examples this same
# toolchain built here, not rebuild them in target/ under Rust $msrv
# (minutes on a loaded machine, past those tests' start-up deadline).
export CARGO_TARGET_DIR="$target"
if out=$(cargo +"$msrv" test --no-run 2>&1); then
  cargo +"$msrv" test
else
  echo "$out" | grep -E 'requires rustc|not supported' || echo "$out" | tail -n 5
  echo "NOT RUN on Rust $msrv: the integration tests and benches (their dev-dependencies need a newer Rust, above)"
fi
echo "ci/msrv.sh: Rust $msrv builds the library (std and no_std) and passes its unit tests and doctests"
