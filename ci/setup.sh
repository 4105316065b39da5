#!/usr/bin/env bash
# Installs the system tools the tests and checks use, if they are missing:
# strace (one syscall per send/recv), iproute2 (ss, ip netns), python3 (interop
# tests), valgrind (instruction counts), binutils (nm/readelf for the static
# binary), dnsmasq (the real DNS server of the resolver tests: one small
# binary, no daemon to stop, zone data from the command line and a hosts file),
# mosquitto (the MQTT broker of tests/embedded's minimq flows; each test
# starts its own on 127.0.0.1 with its own config file).
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have strace || need+=(strace)
have ip || need+=(iproute2)
have ss || need+=(iproute2)
have python3 || need+=(python3)
have valgrind || need+=(valgrind)
have readelf || need+=(binutils)
have dnsmasq || [ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
have mosquitto || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)

# rustfmt and clippy come with the machine's toolchain; say so clearly if not.
for tool in fmt clippy; do
  cargo "$tool" --version >/dev/null 2>&1 || echo "ci/setup.sh: cargo $tool is missing from the toolchain" >&2
done

if [ ${#need[@]} -eq 0 ]; then
  echo "ci/setup.sh: all tools present"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "ci/setup.sh: not root; tests needing ${need[*]} will say SKIPPED" >&2
  exit 0
fi
echo "ci/setup.sh: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# A failed install is not a failed build: the tests that need a missing tool
# say SKIPPED.
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }; then
  echo "ci/setup.sh: could not install ${need[*]}; the tests that need them will say SKIPPED" >&2
fi
