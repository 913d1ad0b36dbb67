# Errors: one line on stderr naming what failed, documented exit codes, rejects kept.
source "$(dirname "$0")/lib.sh"
A="$T/archive"
printf '%s\n' '{"id":"g1","title":"Good one","body":"harbour cranes"}' \
  '{"id":"b1","title":"broken' \
  '{"id":"g2","title":"Good two","body":"harbour pilots"}' > "$T/mixed.jsonl"
expect_status 3 "$INDEX" add --archive "$A" "$T/mixed.jsonl"
grep -q "mixed.jsonl:2: malformed JSON" "$T/err" || fail "reject not reported as FILE:LINE: reason"
grep -q '"line":2' "$A/.morgue/rejects.jsonl" || fail "reject not kept in the rejects file"
expect_status 0 "$SEARCH" --archive "$A" --count harbour
[ "$(cat "$T/out")" -eq 2 ] || fail "records around the bad line were lost"
# --strict stops at the first reject, keeping what came before.
expect_status 1 "$INDEX" add --archive "$T/strict" --strict "$T/mixed.jsonl"
[ "$(wc -l < "$T/err")" -le 2 ] || fail "strict error is not one line"
expect_status 0 "$SEARCH" --archive "$T/strict" --count harbour
[ "$(cat "$T/out")" -eq 1 ] || fail "strict run lost what came before the reject"
# Usage errors: exit 2, one line.
expect_status 2 "$INDEX" add --archive "$A" --format nonesuch "$T/mixed.jsonl"
[ "$(wc -l < "$T/err")" -eq 1 ] || fail "usage error is not one line"
expect_status 2 "$INDEX" frobnicate
expect_status 2 "$SEARCH" --archive "$A"
expect_status 2 "$SEARCH" --archive "$A" --limit notanumber word
# Missing input file and missing archive: exit 1, named.
expect_status 1 "$INDEX" add --archive "$A" "$T/nope.jsonl"
grep -q "nope.jsonl" "$T/err" || fail "missing file not named"
expect_status 1 "$SEARCH" --archive "$T/no-archive" word
grep -q "no-archive" "$T/err" || fail "missing archive not named"
# Empty input file: skipped with a note, nothing indexed, not an error.
: > "$T/empty.jsonl"
expect_status 0 "$INDEX" add --archive "$T/e" "$T/empty.jsonl"
grep -q "empty.jsonl: skipped" "$T/err" || fail "empty file not noted"
echo "1 passed, 0 failed"
