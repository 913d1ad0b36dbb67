# Shared helpers for the CLI tests: set -e, paths, assertions.
set -euo pipefail
: "${MORGUE_BIN:?}" "${MORGUE_TMP:?}"
INDEX="$MORGUE_BIN/morgue-index"
SEARCH="$MORGUE_BIN/morgue-search"
BENCH="$MORGUE_BIN/morgue-bench"
T="$MORGUE_TMP/$(basename "$0" .sh)"
rm -rf "$T"; mkdir -p "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_status N cmd... : runs cmd, checks its exit status
expect_status() {
  local want=$1; shift
  set +e; "$@" >"$T/out" 2>"$T/err"; local got=$?; set -e
  [ "$got" -eq "$want" ] || { cat "$T/err" >&2; fail "$* exited $got, expected $want"; }
}
