# morgue-bench: index, export and query on the bundled sample, through the executables.
source "$(dirname "$0")/lib.sh"
A="$T/archive"
lines=$(wc -l < "$MORGUE_SAMPLE")
expect_status 0 "$BENCH" index --json --archive "$A" "$MORGUE_SAMPLE"
python3 - "$T/out" "$lines" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert d["read"] == n and d["articles"] == n, d
assert d["articles_per_s"] > 0 and d["mb_per_s"] > 0 and d["peak_rss_mb"] > 1, d
assert d["raw_text_bytes"] > 100000 and 0 < d["store_ratio"] < 1.2, d
assert d["archive_bytes"] > d["store_bytes"] > 0, d
PY
# A second run into the same archive is refused: it would not measure a fresh build.
expect_status 2 "$BENCH" index --archive "$A" "$MORGUE_SAMPLE"
grep -q 'fresh build' "$T/err" || fail "no reason given for refusing a used archive"

# The plain Xapian writer peer: every article of the file, or the first N, into a new database only.
expect_status 0 "$BENCH" plain-xapian --db "$T/plain" --json "$MORGUE_SAMPLE"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=int(sys.argv[2]); assert d["articles"] == n and d["articles_per_s"] > 0 and d["database_bytes"] > 0, d' "$T/out" "$lines"
expect_status 2 "$BENCH" plain-xapian --db "$T/plain" --limit 5 "$MORGUE_SAMPLE"
grep -q 'fresh build' "$T/err" || fail "plain-xapian did not refuse a used database"
expect_status 0 "$BENCH" plain-xapian --db "$T/plain5" --limit 5 --json "$MORGUE_SAMPLE"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["articles"] == 5, d' "$T/out"

# Export gives back every article; indexed again it makes the same archive contents.
expect_status 0 "$BENCH" export --archive "$A" --out "$T/export.jsonl"
[ "$(wc -l < "$T/export.jsonl")" -eq "$lines" ] || fail "export has $(wc -l < "$T/export.jsonl") lines, want $lines"
expect_status 0 "$INDEX" add --archive "$T/again" --json "$T/export.jsonl"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["added"]==int(sys.argv[2]), d' "$T/out" "$lines"
expect_status 0 "$SEARCH" --archive "$A" --json 'energy prices'
cp "$T/out" "$T/first.json"
expect_status 0 "$SEARCH" --archive "$T/again" --json 'energy prices'
python3 - "$T/first.json" "$T/out" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["total"] == b["total"] and a["total"] > 0, (a["total"], b["total"])
assert [r["id"] for r in a["results"]] == [r["id"] for r in b["results"]]
assert [r["snippet"] for r in a["results"]] == [r["snippet"] for r in b["results"]]
PY

# Query latency: the overall figures at the top level, one entry per query, same hits on 1 and 2 threads.
printf 'energy prices\nflood defences\n\nharbor strike\n"heavy rain"\nzzzqqq nosuchword\n' > "$T/queries.txt"
expect_status 0 "$BENCH" query --archive "$A" --queries "$T/queries.txt" --snippets --passes 3 --json
cp "$T/out" "$T/one.json"
expect_status 0 "$BENCH" query --archive "$A" --queries "$T/queries.txt" --snippets --threads 2 --passes 3 --json
python3 - "$T/one.json" "$T/out" <<'PY'
import json, sys
one, two = (json.load(open(p)) for p in sys.argv[1:3])
for d in (one, two):
    for k in ("p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms", "qps", "mean_hits"):
        assert isinstance(d[k], (int, float)) and d[k] >= 0, (k, d)
    assert d["queries"] == 5 and d["searches"] == 15 and len(d["per_query"]) == 5, d
    assert 0 < d["p50_ms"] <= d["p90_ms"] <= d["p99_ms"] <= d["max_ms"], d
    assert all(q["runs"] == 3 for q in d["per_query"]), d["per_query"]
    assert d["per_query"][4]["hits"] == 0 and d["per_query"][0]["hits"] > 0, d["per_query"]
    # Where the time goes: every phase named, the ranked match and snippets took time,
    # the phrase was checked against stored text, no facets were asked for, and the phases add
    # up to no more than a search.
    ph = d["phase_mean_ms"]
    assert set(ph) == {"parse", "match", "check", "suggest", "count", "fetch", "similar", "snippets", "facets"}, ph
    assert ph["match"] > 0 and ph["snippets"] > 0 and ph["fetch"] > 0 and ph["check"] > 0 and ph["facets"] == 0, ph
    assert sum(ph.values()) <= d["mean_ms"] * 1.0001, (ph, d["mean_ms"])
assert two["threads"] == 2
assert [q["hits"] for q in one["per_query"]] == [q["hits"] for q in two["per_query"]]
# Block reads: from memory maps by default (the sample's tables are mostly below the size
# worth mapping, so some go to pread), all by pread with --pread.
assert one["mapped_reads"] is True and one["pread_calls"] + one["reads_from_maps"] > 0, one
PY
cp "$T/out" "$T/two.json"
expect_status 0 "$BENCH" query --archive "$A" --queries "$T/queries.txt" --snippets --passes 3 --json --pread
python3 - "$T/one.json" "$T/out" <<'PY'
import json, sys
mapped, pread = (json.load(open(p)) for p in sys.argv[1:3])
assert pread["mapped_reads"] is False and pread["mapped_files"] == 0 and pread["reads_from_maps"] == 0, pread
assert pread["pread_calls"] > 0, pread
assert [q["hits"] for q in mapped["per_query"]] == [q["hits"] for q in pread["per_query"]]
PY
# Without the entity boost: the same matches (the boost only ranks), and the JSON says so.
expect_status 0 "$BENCH" query --archive "$A" --queries "$T/queries.txt" --snippets --json --no-entity-boost
python3 - "$T/one.json" "$T/out" <<'PY'
import json, sys
boosted, plain = (json.load(open(p)) for p in sys.argv[1:3])
assert boosted["entity_boost"] is True and plain["entity_boost"] is False, (boosted["entity_boost"], plain["entity_boost"])
assert [q["hits"] for q in boosted["per_query"]] == [q["hits"] for q in plain["per_query"]]
PY
expect_status 0 "$BENCH" query --archive "$A" --queries "$T/queries.txt" --facets --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["facets"] is True and d["per_query"][0]["hits"] > 0 and d["phase_mean_ms"]["facets"] > 0, d' "$T/out"
expect_status 0 "$BENCH" query --archive "$A" --queries "$T/queries.txt"
grep -q 'p50 .* p99 .* q/s' "$T/out" || fail "no percentile line in the text report"
grep -q 'where the time goes (mean ms per search): parse .* match .* snippets' "$T/out" || fail "no phase line in the text report"
if command -v gnuplot >/dev/null; then
  expect_status 0 "$BENCH" query --archive "$A" --queries "$T/queries.txt" --plot "$T/latency.png"
  head -c 8 "$T/latency.png" | od -c | grep -q 'P   N   G' || fail "--plot wrote no PNG"
  [ ! -e "$T/latency.png.gp" ] || fail "--plot left its script behind"
else
  echo "skipped --plot: gnuplot is not installed"
fi

# benchmarks/index_pair.sh: the plain writer and morgue-bench index on the same articles, a line per round
# with both rates and the ratio, then the median ratio.
sh "$MORGUE_SOURCE/benchmarks/index_pair.sh" "$MORGUE_BIN" "$T/pair" "$MORGUE_SAMPLE" 100 2 > "$T/pair.out" 2>&1 \
  || { cat "$T/pair.out"; fail "index_pair.sh failed"; }
[ "$(grep -c '^round [12]: plain Xapian [0-9]* articles/s .* Morgue [0-9]* articles/s .*: [0-9.]*x$' "$T/pair.out")" = 2 ] \
  || { cat "$T/pair.out"; fail "index_pair.sh: no line per round"; }
grep -q '^median Morgue / plain over 2 rounds: [0-9.]*x$' "$T/pair.out" || fail "index_pair.sh: no median"

# Errors: a missing query file names it; an unknown command is a usage error.
expect_status 1 "$BENCH" query --archive "$A" --queries "$T/nope.txt"
grep -q 'nope.txt' "$T/err" || fail "missing query file not named"
expect_status 2 "$BENCH" frobnicate
expect_status 1 "$BENCH" query --archive "$T/missing" --queries "$T/queries.txt"
grep -q 'missing' "$T/err" || fail "missing archive not named"
echo "1 passed, 0 failed"
