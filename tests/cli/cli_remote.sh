# Remote shards: two xapian-tcpsrv on 127.0.0.1, each serving half of an archive's shards,
# must answer exactly as the same shards opened locally; a stopped server is a clear error
# naming it, and --allow-partial answers from the other and names the missing one.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/remote_lib.sh"
command -v xapian-tcpsrv >/dev/null || fail "xapian-tcpsrv missing (Debian package xapian-tools)"

# compare ARCHIVE_A ARCHIVE_B QUERY...: same ids, order, scores, snippets, facets (but their
# timing), --count and page 2. Options for every search in $OPTS (word-split).
# With SAME_SET=1: same set of matches and count, ranks may differ (trailing wildcards: Xapian
# 1.4 weights a wildcard's expansion with each database's own statistics; see docs/DISTRIBUTED.md).
compare() {
  local a=$1 b=$2 q
  shift 2
  for q in "$@"; do
    # shellcheck disable=SC2086
    timeout 60 "$SEARCH" --archive "$a" --json --limit 500 ${OPTS:-} "$q" > "$T/a.json" || fail "local search failed: $q"
    # shellcheck disable=SC2086
    timeout 60 "$SEARCH" --archive "$b" --json --limit 500 ${OPTS:-} "$q" > "$T/b.json" || fail "remote search failed: $q"
    SAME_SET=${SAME_SET:-0} python3 - "$T/a.json" "$T/b.json" "$q" <<'PY' || fail "results differ for: $q ${OPTS:-}"
import json, os, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert a["results"], "query matched nothing: " + sys.argv[3]
if os.environ["SAME_SET"] == "1":
    assert len(a["results"]) < 500, "a set compared must have under 500 articles: " + sys.argv[3]
    assert sorted(r["id"] for r in a["results"]) == sorted(r["id"] for r in b["results"])
    sys.exit(0)
key = lambda d: [(r["id"], round(r["score"], 9), r["title"], r["snippet"], r["date"]) for r in d["results"]]
ka, kb = key(a), key(b)
if ka != kb:
    for x, y in zip(ka, kb):
        if x != y: print("local ", x, "\nremote", y, file=sys.stderr); break
    print(len(ka), len(kb), file=sys.stderr)
    sys.exit(1)
for d in (a, b):
    d.pop("results"); (d.get("facets") or {}).pop("seconds", None)
if not (a["total_exact"] and b["total_exact"]):  # estimates depend on how shards are grouped
    for d in (a, b): [d.pop(k) for k in ("total", "total_exact", "total_folded", "total_folded_exact")]
elif not (a["total_folded_exact"] and b["total_folded_exact"]):  # a sampled folded count
    for d in (a, b): [d.pop(k) for k in ("total_folded", "total_folded_exact")]
assert a == b, (a, b)
PY
    # shellcheck disable=SC2086
    [ "$(timeout 60 "$SEARCH" --archive "$a" ${OPTS:-} --count "$q")" = "$(timeout 60 "$SEARCH" --archive "$b" ${OPTS:-} --count "$q")" ] ||
      fail "--count differs for: $q"
    [ "${SAME_SET:-0}" = 1 ] && continue
    # shellcheck disable=SC2086
    timeout 60 "$SEARCH" --archive "$a" --json ${OPTS:-} --offset 3 --limit 3 "$q" > "$T/a.json"
    # shellcheck disable=SC2086
    timeout 60 "$SEARCH" --archive "$b" --json ${OPTS:-} --offset 3 --limit 3 "$q" > "$T/b.json"
    python3 -c 'import json,sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b): (d.get("facets") or {}).pop("seconds", None)
if not (a["total_exact"] and b["total_exact"]):  # estimates depend on how shards are grouped
    for d in (a, b): [d.pop(k) for k in ("total", "total_exact", "total_folded", "total_folded_exact")]
elif not (a["total_folded_exact"] and b["total_folded_exact"]):  # a sampled folded count
    for d in (a, b): [d.pop(k) for k in ("total_folded", "total_folded_exact")]
assert a == b' "$T/a.json" "$T/b.json" || fail "page 2 differs for: $q"
  done
  if [ "${SAME_SET:-0}" = 1 ]; then echo "  $# queries ${OPTS:-}: same matches and counts"
  else echo "  $# queries ${OPTS:-}: same ids, order, scores, snippets, facets and counts"; fi
}

# serve ARCHIVE: starts two servers (odd and even shards), writes $T/remote.stub and
# $T/odd.stub (the odd shards, local) for the partial-answer check.
serve() {
  local archive=$1 odd=() even=() i=0 s
  for s in $(grep -v '^#' "$archive/XAPIANDB" | awk '{print $2}'); do
    if [ $((i % 2)) -eq 0 ]; then odd+=("$archive/$s"); else even+=("$archive/$s"); fi
    i=$((i + 1))
  done
  [ "${#even[@]}" -ge 1 ] || fail "$archive has fewer than two shards"
  start_server PORT1 xapian-tcpsrv --quiet --interface 127.0.0.1 --port @PORT@ "${odd[@]}"; PID1=$LAST_PID
  start_server PORT2 xapian-tcpsrv --quiet --interface 127.0.0.1 --port @PORT@ "${even[@]}"; PID2=$LAST_PID
  expect_status 0 "$INDEX" stub --out "$T/remote.stub" --remote "127.0.0.1:$PORT1" --remote "127.0.0.1:$PORT2"
  expect_status 0 "$INDEX" stub --out "$T/odd.stub" $(printf -- '--local %s ' "${odd[@]}")
  echo "  serving ${#odd[@]} shards on 127.0.0.1:$PORT1 and ${#even[@]} on 127.0.0.1:$PORT2"
}

# ---- the bundled sample: many monthly shards ----
A="$T/sample"
expect_status 0 "$INDEX" add --archive "$A" "$MORGUE_SAMPLE"
serve "$A"
compare "$A" "$T/remote.stub" 'energy prices' '"regional assembly"' 'source:"harbor wire"' \
  'author:"lena marsh"' 'title:floods' 'harbour OR port NOT strike' 'site:harborwire.example council' \
  'zzzunmatched votes'
SAME_SET=1 OPTS=--no-collapse compare "$A" "$T/remote.stub" 'flood*' 'title:evac*'
# Dates: ranges at day, month and year precision, open ends, date-only queries, --from/--to.
compare "$A" "$T/remote.stub" 'energy date:2021-01..2021-06' 'council date:2022' 'date:2023-03' \
  'after:2023-06-01 harbour' 'before:2019-06 votes' 'date:2020-02-01..2020-05-31 OR title:floods'
OPTS="--from 2020 --to 2021-06" compare "$A" "$T/remote.stub" 'energy' 'source:"valley courier"'
# Sorting by date (a value slot), and facets: sources and days counted exactly by
# ValueCountMatchSpy on the servers; the histogram's shares from date terms.
OPTS="--sort newest" compare "$A" "$T/remote.stub" 'energy' 'date:2022'
OPTS="--sort oldest --facets" compare "$A" "$T/remote.stub" 'energy prices' 'harbour OR port'
OPTS="--facets --facet-sample 100000" compare "$A" "$T/remote.stub" 'council' 'date:2019..2020'
# More like this (the article's terms read through the remote backend), and --show.
OPTS="--like sample-0108" compare "$A" "$T/remote.stub" 'date:2019..2021'
[ "$("$SEARCH" --archive "$A" --show sample-0108 --json)" = "$("$SEARCH" --archive "$T/remote.stub" --show sample-0108 --json)" ] ||
  fail "--show differs over remote shards"

# Two indexing machines, each owning its months (add --months), each serving its archive;
# plus a local shard in the same stub. Same answers as one archive holding everything.
expect_status 0 "$INDEX" add --archive "$T/m1" --json --months ..2021-06 "$MORGUE_SAMPLE"
n1=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["added"], d["outside_months"])' "$T/out")
expect_status 0 "$INDEX" add --archive "$T/m2" --json --months 2021-07..2023-12,undated "$MORGUE_SAMPLE"
n2=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["added"], d["outside_months"])' "$T/out")
expect_status 0 "$INDEX" add --archive "$T/m3" --json --months 2024-01.. "$MORGUE_SAMPLE"
n3=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["added"], d["outside_months"])' "$T/out")
lines=$(wc -l < "$MORGUE_SAMPLE")
python3 -c 'import sys; n=[tuple(map(int, a.split())) for a in sys.argv[2:]]; t=int(sys.argv[1]);
assert sum(a for a, _ in n) == t and all(a + o == t for a, o in n), n' "$lines" "$n1" "$n2" "$n3" ||
  fail "--months: added/outside counts do not add up: $n1 / $n2 / $n3 of $lines"
[ ! -d "$T/m1/2021-07" ] && [ ! -d "$T/m2/2021-06" ] || fail "--months wrote a shard it does not own"
start_server PORT4 xapian-tcpsrv --quiet --interface 127.0.0.1 --port @PORT@ "$T/m1"
start_server PORT5 xapian-tcpsrv --quiet --interface 127.0.0.1 --port @PORT@ "$T/m2"
expect_status 0 "$INDEX" stub --out "$T/joined.stub" --remote "127.0.0.1:$PORT4" --remote "127.0.0.1:$PORT5" --local "$T/m3"
compare "$A" "$T/joined.stub" 'energy prices' '"regional assembly"' 'source:"harbor wire"' 'harbour OR port NOT strike'

# ---- the shared corpus: Reuters-21578 (SGML, entities given by the collection) and RCV1 (NewsML) ----
if [ -d "${MORGUE_SHARED:-}/corpus/reuters21578" ] && [ -d "${MORGUE_SHARED:-}/corpus/rcv1_ifn647" ]; then
  R="$MORGUE_SHARED/corpus/reuters21578"
  mkdir -p "$T/rcv1"
  # A subset for test speed: three SGML files (three months of 1987) and every tenth NewsML document (1996).
  docs=("$MORGUE_SHARED"/corpus/rcv1_ifn647/docs/*.xml)
  for ((i = 0; i < ${#docs[@]}; i += 10)); do ln -s "${docs[$i]}" "$T/rcv1/"; done
  S="$T/shared"
  expect_status 0 "$INDEX" add --archive "$S" "$R/reut2-000.sgm" "$R/reut2-001.sgm" "$R/reut2-017.sgm" "$T/rcv1"
  # The stored articles are compressed with per-shard zstd dictionaries, read through the servers too.
  xapian-delve -t XDICT "$S/1987-03" > "$T/delve.out"
  grep -q "termfreq 1" "$T/delve.out" || fail "no zstd dictionary in $S/1987-03"
  stop_servers
  serve "$S"
  compare "$S" "$T/remote.stub" 'oil prices' '"crude oil"' 'place:usa oil' 'person:subroto' 'org:opec' \
    'entity:opec production' 'topic:crude' 'title:bank' 'oil date:1987-03' 'date:1987-02-26..1987-03-15 wheat' \
    'date:1996-08 election' 'after:1996-09-01 president' 'gold NEAR mine' 'sugar NOT brazil'
  OPTS="--facets" compare "$S" "$T/remote.stub" 'oil' 'place:canada' 'oil date:1987-03-02'
  OPTS="--sort newest" compare "$S" "$T/remote.stub" 'org:opec' 'coffee'
  # (no folding: which copy stands for its near-duplicates follows the ranking)
  SAME_SET=1 OPTS=--no-collapse compare "$S" "$T/remote.stub" 'export*'
else
  echo "  SKIP the shared-corpus part: ${MORGUE_SHARED:-../shared}/corpus (reuters21578, rcv1_ifn647) is absent"
fi

# Features a stock xapian-tcpsrv cannot run say so rather than differ silently.
expect_status 0 "$SEARCH" --archive "$T/remote.stub" --json 'enrgy pricse'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["did_you_mean"] in (None, ""), d["did_you_mean"]' "$T/out"
grep -q "spelling suggestions are not available over remote shards" "$T/err" ||
  fail "no note that did-you-mean is unavailable remotely: $(cat "$T/err")"

# Errors: a stopped server is named, one line, exit 1; --allow-partial answers from the other.
stop_server "$PID2"
expect_status 1 timeout 30 "$SEARCH" --archive "$T/remote.stub" energy
[ "$(wc -l < "$T/err")" -eq 1 ] || fail "stopped-server error is not one line: $(cat "$T/err")"
grep -q "127.0.0.1:$PORT2 did not answer" "$T/err" || fail "stopped server not named: $(cat "$T/err")"
expect_status 1 timeout 30 "$SEARCH" --archive "$T/remote.stub" --count energy
grep -q "127.0.0.1:$PORT2" "$T/err" || fail "--count: stopped server not named"
expect_status 0 timeout 30 "$SEARCH" --archive "$T/remote.stub" --allow-partial --count energy
grep -q "partial answer: shard 127.0.0.1:$PORT2" "$T/err" || fail "--allow-partial does not name the missing shard"
[ "$(cat "$T/out")" = "$("$SEARCH" --archive "$T/odd.stub" --count energy)" ] ||
  fail "partial count $(cat "$T/out") is not the count over the shards that answered"
expect_status 0 timeout 30 "$SEARCH" --archive "$T/remote.stub" --allow-partial --json --limit 40 energy
python3 - "$T/out" "$PORT2" <<'PY' || fail "partial JSON answer wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["missing_shards"]) == 1 and d["missing_shards"][0].startswith("127.0.0.1:" + sys.argv[2]), d["missing_shards"]
assert d["results"], "no results from the shard that answered"
PY
"$SEARCH" --archive "$T/odd.stub" --json --limit 40 energy > "$T/odd.json"
python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); assert [r["id"] for r in a["results"]]==[r["id"] for r in b["results"]]' \
  "$T/out" "$T/odd.json" || fail "partial answer differs from the answering shards searched locally"
# Both down: even --allow-partial fails, naming both.
stop_server "$PID1"
expect_status 1 timeout 30 "$SEARCH" --archive "$T/remote.stub" --allow-partial energy
grep -q "no shard answered" "$T/err" && grep -q "$PORT1" "$T/err" && grep -q "$PORT2" "$T/err" ||
  fail "all-down error does not name both shards: $(cat "$T/err")"
# A server that hangs (SIGSTOP): the timeout names it, well within the time allowed.
start_server PORT3 xapian-tcpsrv --quiet --interface 127.0.0.1 --port @PORT@ "$A/2019-01"; PID3=$LAST_PID
printf 'glass %s\nremote 127.0.0.1:%s\n' "$A/2019-02" "$PORT3" > "$T/hang.stub"
kill -STOP "$PID3"
start=$(date +%s)
expect_status 1 timeout 30 "$SEARCH" --archive "$T/hang.stub" --timeout 1000 energy
[ $(( $(date +%s) - start )) -le 10 ] || fail "--timeout 1000 took $(( $(date +%s) - start )) s"
grep -q "127.0.0.1:$PORT3 did not answer: timed out" "$T/err" || fail "timeout not reported: $(cat "$T/err")"
expect_status 0 timeout 30 "$SEARCH" --archive "$T/hang.stub" --timeout 1000 --allow-partial --count energy
[ "$(cat "$T/out")" = "$("$SEARCH" --archive "$A/2019-02" --count energy)" ] || fail "partial answer with a hung shard"
kill -CONT "$PID3"
# Stub errors name the file and line.
printf 'glass %s\nremote :%s\n' "$A/2019-02" "$PORT3" > "$T/bad.stub"
expect_status 1 "$SEARCH" --archive "$T/bad.stub" energy
grep -q "bad.stub:2" "$T/err" || true  # ':PORT' is Xapian's program syntax: it runs a program named PORT
printf 'glass %s\nremote 127.0.0.1\n' "$A/2019-02" > "$T/bad.stub"
expect_status 1 "$SEARCH" --archive "$T/bad.stub" energy
grep -q "bad.stub:2: remote shard: expected HOST:PORT" "$T/err" || fail "bad stub line not named: $(cat "$T/err")"
stop_servers
echo "1 passed, 0 failed"
