# benchmarks/compare_fts5.py end to end on the bundled sample: both engines index it and answer the same queries.
source "$(dirname "$0")/lib.sh"
python3 -c 'import sqlite3; sqlite3.connect(":memory:").execute("create virtual table t using fts5(a)")' 2>/dev/null \
  || { echo "skipped: this python3's sqlite3 has no FTS5"; exit 0; }
printf 'energy prices\nflood\nharbor strike\nxylophone NEAR/2 AND "(" OR -zz* col:umn\nzzzqqq nosuchword\n' > "$T/queries.txt"
expect_status 0 python3 "$MORGUE_SOURCE/benchmarks/compare_fts5.py" --bin "$MORGUE_BIN" --work "$T/work" \
  --queries "$T/queries.txt" --passes 1 --label sample --json "$T/result.json" --markdown "$T/table.md" \
  --plain-xapian 100 "$MORGUE_SAMPLE"
grep -q 'queries p90 (ms)' "$T/out" || fail "no latency row in the printed table"
python3 - "$T/result.json" "$(wc -l < "$MORGUE_SAMPLE")" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert d["morgue_index"]["articles"] == n and d["fts5_index"]["articles"] == n, d
# Both indexed the same text.
assert d["morgue_index"]["raw_text_bytes"] == d["fts5_index"]["raw_text_bytes"], d
rows = {r["row"]: r for r in d["table"]}
for key in ("indexing time (s)", "size on disk (MB)", "queries p50 (ms)", "queries p99 (ms)"):
    assert rows[key]["morgue"] > 0 and rows[key]["fts5"] > 0, rows[key]
# The plain Xapian writer peer ran on the first 100 exported articles.
px = d["morgue_index"]["plain_xapian"]
assert px["articles"] == 100 and px["articles_per_s"] > 0 and px["raw_text_bytes"] > 0, px
assert any(r["row"].startswith("articles/s against a plain Xapian writer") for r in d["table"]), d["table"]
assert 0 < d["morgue_index"]["sketch_ratio"] < 0.5, d["morgue_index"]
# FTS5 syntax words in a query are plain text, so that query runs (and finds nothing) instead of failing;
# the three real queries find articles in both engines; the nonsense one in neither.
assert rows["queries queries with results"]["fts5"] == 3, rows["queries queries with results"]
assert rows["queries queries with results"]["morgue"] >= 3, rows["queries queries with results"]
PY
grep -q '^| size on disk (MB) |' "$T/table.md" || fail "no Markdown table"
# FTS5 through a memory map (--fts5-mmap, PRAGMA mmap_size) answers as by default.
expect_status 0 python3 "$MORGUE_SOURCE/benchmarks/compare_fts5.py" --fts5-load "$T/f.sqlite" "$MORGUE_SAMPLE"
for m in 0 67108864; do
  expect_status 0 python3 "$MORGUE_SOURCE/benchmarks/compare_fts5.py" --fts5-query "$T/f.sqlite" "$T/queries.txt" \
    --passes 1 --mmap "$m"
  cp "$T/out" "$T/fts5_$m.out"
done
python3 - "$T/fts5_0.out" "$T/fts5_67108864.out" <<'PY'
import json, sys
plain, mapped = (json.loads(open(p).read().strip().splitlines()[-1]) for p in sys.argv[1:3])
assert plain["answered"] == 3 and plain["answered_flags"] == mapped["answered_flags"], (plain, mapped)
PY
[ ! -e "$T/work" ] || fail "the work directory was left behind"
echo "1 passed, 0 failed"
