#!/usr/bin/env bash
# Installs what ci/cross.sh needs, idempotently and only what is missing:
# the three Rust targets, the cross C toolchains (linkers and their libc for
# the test binaries), qemu-user (bookworm-backports' 10.x when Debian's mirror
# can serve it, else bookworm's 7.2), and binfmt_misc entries so that a test
# binary re-executing itself (current_exe) or a child it spawns runs under
# qemu too. Never fails: whatever cannot be had is reported, and ci/cross.sh
# says SKIPPED for the targets that lack it.
set -uo pipefail

say() { echo "ci/cross-setup.sh: $*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

targets=(aarch64-unknown-linux-gnu riscv64gc-unknown-linux-gnu armv7-unknown-linux-gnueabihf)

# 1. Rust targets (each alone, so one that fails does not hide the others).
installed=$(rustup target list --installed 2>/dev/null || true)
for t in "${targets[@]}"; do
  grep -qx "$t" <<<"$installed" && continue
  rustup target add "$t" >/dev/null 2>&1 || say "rustup target add $t failed"
done

# 2. Debian packages.
need=()
have aarch64-linux-gnu-gcc || need+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
have riscv64-linux-gnu-gcc || need+=(gcc-riscv64-linux-gnu libc6-dev-riscv64-cross)
have arm-linux-gnueabihf-gcc || need+=(gcc-arm-linux-gnueabihf libc6-dev-armhf-cross)
# qemu-user: wanted if missing, or if it is older than 10 (7.2 has more
# gaps) and not yet tried from bookworm-backports.
qemu_major=$(qemu-aarch64-static --version 2>/dev/null | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -n 1)
if ! { have qemu-aarch64-static && have qemu-riscv64-static && have qemu-arm-static; } ||
  { [ "${qemu_major:-0}" -lt 10 ] && [ ! -e /etc/apt/sources.list.d/zerosock-bookworm-backports.sources ]; }; then
  need+=(qemu-user-static)
fi
have update-binfmts || need+=(binfmt-support)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    say "not root: cannot install ${need[*]}"
  else
    export DEBIAN_FRONTEND=noninteractive
    apt_opts=(-y -qq --no-install-recommends -o DPkg::Lock::Timeout=600)
    # bookworm-backports from the Debian mirror the machine already uses.
    backports=/etc/apt/sources.list.d/zerosock-bookworm-backports.sources
    if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/ &&
      grep -rqs 'deb.debian.org/debian$\|deb.debian.org/debian ' /etc/apt/sources.list /etc/apt/sources.list.d/ &&
      grep -rqs bookworm /etc/apt/sources.list /etc/apt/sources.list.d/; then
      printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm-backports' \
        'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' >"$backports"
    fi
    apt-get update -qq -o DPkg::Lock::Timeout=600 >/dev/null 2>&1 || say "apt-get update failed"
    rest=()
    for p in "${need[@]}"; do
      if [ "$p" = qemu-user-static ] && apt-cache policy qemu-user-static 2>/dev/null | grep -q bookworm-backports; then
        apt-get install "${apt_opts[@]}" -t bookworm-backports qemu-user-static >/dev/null ||
          apt-get install "${apt_opts[@]}" qemu-user-static >/dev/null ||
          say "could not install qemu-user-static"
      else
        rest+=("$p")
      fi
    done
    if [ ${#rest[@]} -gt 0 ]; then
      apt-get install "${apt_opts[@]}" "${rest[@]}" >/dev/null || say "could not install ${rest[*]}"
    fi
  fi
fi

# 3. binfmt_misc: the kernel runs foreign ELF files through qemu, so that
# current_exe() re-executions and child processes need no runner.
if [ "$(id -u)" = 0 ]; then
  bm=/proc/sys/fs/binfmt_misc
  [ -e "$bm/register" ] || mount -t binfmt_misc binfmt_misc "$bm" 2>/dev/null || say "cannot mount binfmt_misc"
  if [ -e "$bm/register" ]; then
    for q in aarch64 riscv64 arm; do
      [ -e "$bm/qemu-$q" ] && continue
      if have update-binfmts && [ -e "/usr/share/binfmts/qemu-$q" ]; then
        update-binfmts --import "qemu-$q" >/dev/null 2>&1
        update-binfmts --enable "qemu-$q" >/dev/null 2>&1
      fi
      [ -e "$bm/qemu-$q" ] || say "could not register binfmt_misc for qemu-$q"
    done
  fi
else
  say "not root: binfmt_misc not registered"
fi
exit 0
