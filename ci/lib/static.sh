# The checks the static examples' scripts (ci/static-*.sh) share. Sourced,
# after the caller has defined fail (prints its message, exits 1).

# check_static NAME BIN UNSTRIPPED [NM]: BIN is static (ldd), with no
# PT_INTERP and no dynamic sections, and UNSTRIPPED (the same build with
# symbols) has no undefined symbols; NM (default nm) is the binutils nm for
# the binary's architecture. Says so on stderr, prefixed with NAME.
check_static() {
  local name=$1 bin=$2 unstripped=$3 nm=${4:-nm}
  local ldd_out undefined
  ldd_out=$(ldd "$bin" 2>&1 || true)
  case "$ldd_out" in
    *"not a dynamic executable"* | *"statically linked"*) ;;
    *) fail "ldd says: $ldd_out" ;;
  esac
  if readelf -lW "$bin" | grep -q INTERP; then
    fail "the binary has a PT_INTERP"
  fi
  if readelf -SW "$bin" | grep -qE '\.(dynamic|interp|dynsym)\b'; then
    fail "the binary has dynamic sections"
  fi
  undefined=$("$nm" -u "$unstripped")
  [ -z "$undefined" ] || fail "undefined symbols: $undefined"
  echo "$name: ldd: $(echo "$ldd_out" | tr -d '\t')" >&2
  echo "$name: no PT_INTERP, no undefined symbols" >&2
}

# section_sizes NAME BIN: each named section of BIN and its size in bytes
# on stderr, prefixed with NAME; the sum of those sizes on stdout.
section_sizes() {
  local name=$1 bin=$2 section hex sum=0
  while read -r section hex; do
    echo "$name: section $section: $((16#$hex)) bytes" >&2
    sum=$((sum + 16#$hex))
  done < <(readelf -SW "$bin" | awk '$1 ~ /^\[/ && $2 ~ /^\./ {print $2, $6} $1 ~ /^\[/ && $3 ~ /^\./ {print $3, $7}')
  echo "$sum"
}
