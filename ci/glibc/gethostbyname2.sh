#!/usr/bin/env bash
# Prints what glibc's own gethostbyname2 gives for a hosts file, as
# tests/resolve_files.rs's host_by_name_is_glibcs_gethostbyname2 records it
# (that test's expected lines were made with this script). Root only: the
# file is bind-mounted over /etc/hosts, with `hosts: files` and a loopback
# nameserver, in a private mount namespace, so nothing leaves the machine
# and the real files are untouched.
#
#   bash ci/glibc/gethostbyname2.sh HOSTS_FILE 4 dual.test 6 dual.test ...
set -euo pipefail
hosts=$(realpath "$1")
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cc -O1 -o "$dir/g" "$(dirname "$0")/gethostbyname2.c"
printf 'hosts: files\n' >"$dir/nsswitch.conf"
printf 'nameserver 127.0.0.1\n' >"$dir/resolv.conf"
unshare -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2/nsswitch.conf" /etc/nsswitch.conf &&
  mount --bind "$2/resolv.conf" /etc/resolv.conf && shift 2 && exec "$@"' \
  sh "$hosts" "$dir" "$dir/g" "$@"
