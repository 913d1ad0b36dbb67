#!/bin/sh
# Indexing against the plain Xapian writer (the benchmarks issue's peer), same machine, same script:
# `morgue-bench plain-xapian` and `morgue-bench index --no-compact` (everything on, both cores) on
# the same first N articles, alternating, ROUNDS times; one line per round with its ratio, then the median.
#
#   sh benchmarks/index_pair.sh BUILD_DIR WORK_DIR INPUT.jsonl [N=100000] [ROUNDS=2]
#
# INPUT is JSON Lines (e.g. `morgue-gen scale --count 100000 --out s100k.jsonl`). WORK_DIR is
# created and emptied; each run writes a new database there.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 BUILD_DIR WORK_DIR INPUT.jsonl [N] [ROUNDS]" >&2; exit 2; }
bin=$1 work=$2 input=$3 n=${4:-100000} rounds=${5:-2}
mkdir -p "$work"
head -n "$n" "$input" > "$work/input.jsonl"
field() { python3 -c "import json,sys; print(json.loads(sys.stdin.read())['$1'])"; }
round=1
ratios=""
while [ "$round" -le "$rounds" ]; do
  rm -rf "$work/plain" "$work/morgue"
  plain=$("$bin/morgue-bench" plain-xapian --db "$work/plain" --json "$work/input.jsonl")
  morgue=$("$bin/morgue-bench" index --archive "$work/morgue" --no-compact --json "$work/input.jsonl")
  p_rate=$(echo "$plain" | field articles_per_s)
  m_rate=$(echo "$morgue" | field articles_per_s)
  ratio=$(python3 -c "print($m_rate / $p_rate)")
  printf 'round %s: plain Xapian %.0f articles/s (%.1f CPU s), Morgue %.0f articles/s (%.1f CPU s, peak %.0f MB): %.2fx\n' \
    "$round" "$p_rate" "$(echo "$plain" | field cpu_seconds)" "$m_rate" "$(echo "$morgue" | field cpu_seconds)" \
    "$(echo "$morgue" | field peak_rss_mb)" "$ratio"
  ratios="$ratios $ratio"
  round=$((round + 1))
done
python3 -c "import statistics, sys; r = [float(x) for x in sys.argv[1:]]; print('median Morgue / plain over %d rounds: %.2fx' % (len(r), statistics.median(r)))" $ratios
rm -rf "$work/plain" "$work/morgue" "$work/input.jsonl"
