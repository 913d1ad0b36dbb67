# morgue-search's options end to end: bad queries (exit 2, one line), JSON Lines, facets, plot, show, like.
source "$(dirname "$0")/lib.sh"
A="$T/archive"
expect_status 0 "$INDEX" add --archive "$A" "$MORGUE_SAMPLE"
for q in '"unbalanced' 'perso:kim' 'date:2021-02-30' '(flood' 'flood)' 'date:2021-05..2021-01'; do
  expect_status 2 "$SEARCH" --archive "$A" "$q"
  [ "$(wc -l < "$T/err")" -eq 1 ] || fail "error for '$q' is not one line"
  grep -q 'column' "$T/err" || fail "error for '$q' does not point at a column"
done
expect_status 2 "$SEARCH" --archive "$A" --from 2021-13 flood
expect_status 2 "$SEARCH" --archive "$A" --sort sideways flood
expect_status 2 "$SEARCH" --archive "$A" --recency soon flood
# A query of only dates, and --from/--to alone: every article in the range.
expect_status 0 "$SEARCH" --archive "$A" --count 'date:2021'
n=$(cat "$T/out")
[ "$n" -eq "$(grep -c '"date":"2021-' "$MORGUE_SAMPLE")" ] || fail "date:2021 counted $n"
expect_status 0 "$SEARCH" --archive "$A" --count --from 2021 --to 2021
[ "$(cat "$T/out")" -eq "$n" ] || fail "--from/--to 2021 differs from date:2021"
expect_status 0 "$SEARCH" --archive "$A" --jsonl --limit 3 --sort newest flood
[ "$(wc -l < "$T/out")" -eq 3 ] || fail "--jsonl did not print one line per result"
python3 - "$T/out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["rank"] for r in rows] == [1, 2, 3]
dates = [r["date"] for r in rows]
assert dates == sorted(dates, reverse=True), dates
for r in rows:
    assert set(r["entities"]) == {"person", "org", "place", "misc"}
PY
expect_status 0 "$SEARCH" --archive "$A" --json --facets --limit 2 flood
python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = d["facets"]
assert {"person", "org", "place", "source", "time", "sampled"} <= set(f), f.keys()
assert sum(b["count"] for b in f["time"]["buckets"]) + f["time"]["undated"] == d["total"]
assert all(0 < b["share"] <= 1 for b in f["time"]["buckets"] if b["count"])
assert 0 < d["total_folded"] <= d["total"]  # the sample's wire copies fold
PY
expect_status 0 "$SEARCH" --archive "$A" --facets --plot "$T/hist.png" flood
grep -q 'Over time' "$T/out" || fail "no histogram on the terminal"
[ "$(head -c 4 "$T/hist.png" | tail -c 3)" = "PNG" ] || fail "--plot wrote no PNG"
expect_status 0 "$SEARCH" --archive "$A" --show sample-0002
grep -q '^id: *sample-0002' "$T/out" || fail "--show did not print the article"
expect_status 1 "$SEARCH" --archive "$A" --show no-such-id
expect_status 0 "$SEARCH" --archive "$A" --json --like sample-0002 --limit 5
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); ids=[r["id"] for r in d["results"]]; assert ids and "sample-0002" not in ids, ids' "$T/out"
echo "1 passed, 0 failed"
