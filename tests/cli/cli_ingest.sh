# Issue 3's done-when: the real corpora in one command, every format detected by content.
source "$(dirname "$0")/lib.sh"
S="${MORGUE_SHARED:-}/corpus"
if [ ! -d "$S/reuters21578" ] || [ ! -d "$S/rcv1_ifn647/docs" ] || [ ! -d "$S/seed" ]; then
  echo "skipped: shared corpora not found under '$S'"; exit 0
fi
A="$T/archive"
expect_status 0 "$INDEX" add --archive "$A" --format auto --json "$S"/reuters21578/*.sgm "$S/rcv1_ifn647/docs" "$S"/seed/*.txt
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["added"]==19867 and d["rejected"]==0 and d["skipped_files"]==0, d' "$T/out"
# Every Reuters story dated February to June 1987; RCV1 in Aug/Sep 1996; the seed undated.
expect_status 0 "$INDEX" stats --archive "$A" --json
python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["articles"] == 19867, d["articles"]
by = {s["name"]: s["articles"] for s in d["shards"]}
reuters = sum(n for name, n in by.items() if name.startswith("1987-"))
assert reuters == 18000, by
assert all("1987-02" <= name <= "1987-06" for name in by if name.startswith("1987")), by
assert sum(n for name, n in by.items() if name.startswith("1996-")) == 1866, by
assert by.get("undated") == 1, by
PY
# Reuters places, people and organisations (and RCV1 countries) are searchable.
count() { expect_status 0 "$SEARCH" --archive "$A" --count "$1"; cat "$T/out"; }
[ "$(count 'place:usa')" -gt 10000 ] || fail "place:usa"
[ "$(count 'person:reagan')" -gt 100 ] || fail "person:reagan"
[ "$(count 'org:opec')" -gt 50 ] || fail "org:opec"
[ "$(count 'org:nyse')" -gt 10 ] || fail "org:nyse (an exchange)"
[ "$(count 'place:hkong')" -gt 5 ] || fail "place:hkong (RCV1 country code)"
[ "$(count 'topic:cocoa')" -gt 50 ] || fail "topic:cocoa"
[ "$(count 'id:reuters21578:12793')" -eq 1 ] || fail "NEWID 12793 (no text at all) not indexed"
[ "$(count 'id:rcv1:10117')" -eq 1 ] || fail "rcv1:10117"
[ "$(count 'date:none')" -eq 1 ] || fail "the undated seed article cannot be found as undated"
[ "$(count 'cocoa place:"el salvador"')" -ge 1 ] || fail "words with a place filter"
[ "$(count 'person:"james baker"')" -gt 10 ] || fail "person:\"james baker\" (a hyphenated Reuters value)"
# Learned debris: the wire's sign-off line, in almost every Reuters story, is not in the text.
expect_status 0 "$SEARCH" --archive "$A" --json --limit 1 'id:reuters21578:2'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["results"][0]; assert "Reuter" not in r["snippet"], r' "$T/out"
# The same stories again get the same ids: nothing added.
expect_status 0 "$INDEX" add --archive "$A" --json "$S/reuters21578/reut2-000.sgm"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["added"]==0 and d["replaced"]==0 and d["unchanged"]==1000, d' "$T/out"
# A directory walk: files no reader recognises are skipped with a note, not indexed.
expect_status 0 "$INDEX" add --archive "$T/walk" --json "$S/seed"
grep -q "README.md: skipped: no reader recognises" "$T/err" || fail "README not noted as skipped"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["added"]==1 and d["skipped_files"]==1, d' "$T/out"
# Standard input, compressed, read by content.
zstd -q -c "$S/reuters21578/reut2-001.sgm" > "$T/r1.sgm.zst"
expect_status 0 "$INDEX" add --archive "$T/stdin" --json - < "$T/r1.sgm.zst"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["added"]==1000, d' "$T/out"
echo "1 passed, 0 failed"
