# End to end through the executables: index the sample, search it as text and JSON.
source "$(dirname "$0")/lib.sh"
A="$T/archive"
expect_status 0 "$INDEX" add --archive "$A" --json "$MORGUE_SAMPLE"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["added"]>200 and d["rejected"]==0, d' "$T/out"
lines=$(wc -l < "$MORGUE_SAMPLE")
expect_status 0 "$INDEX" stats --archive "$A" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["articles"]==int(sys.argv[2]), d["articles"]' "$T/out" "$lines"
expect_status 0 "$SEARCH" --archive "$A" --limit 3 energy prices
grep -q '^1\. 20' "$T/out" || fail "no ranked result line"
grep -q 'https://' "$T/out" || fail "no URL shown"
expect_status 0 "$SEARCH" --archive "$A" --json --limit 4 'flood*'
python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert set(["query", "total", "total_exact", "results"]) <= set(d), d.keys()
assert d["total"] >= 4 and len(d["results"]) == 4
for i, r in enumerate(d["results"]):
    assert set(["rank", "id", "score", "title", "date", "source", "url", "snippet"]) <= set(r), r.keys()
    assert r["rank"] == i + 1
    assert r["date"].endswith("Z") and len(r["date"]) == 20
# Wildcard expansions are highlighted in snippets (a title-only match may have none in the body).
assert any("<b>flood" in r["snippet"].lower() for r in d["results"]), [r["snippet"] for r in d["results"]]
PY
expect_status 0 "$SEARCH" --archive "$A" --count 'source:"northern ledger"'
expected=$(grep -c '"source":"Northern Ledger"' "$MORGUE_SAMPLE")
[ "$(cat "$T/out")" -eq "$expected" ] || fail "count $(cat "$T/out") != $expected"
# Repeat: nothing added twice.
expect_status 0 "$INDEX" add --archive "$A" --json "$MORGUE_SAMPLE"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["added"]==0 and d["replaced"]==0 and d["unchanged"]==int(sys.argv[2]), d' "$T/out" "$lines"
# Every executable has a full --help.
for exe in "$INDEX" "$SEARCH" "$BENCH" "$MORGUE_BIN/morgue-gen"; do
  expect_status 0 "$exe" --help
  grep -qi 'usage' "$T/out" || fail "$exe --help has no usage"
  grep -qi 'exit status' "$T/out" || fail "$exe --help does not document exit codes"
done
echo "1 passed, 0 failed"
