#!/bin/bash
# @file search_features.sh
# @brief What the searcher's features cost, measured in one run on the shared Reuters corpora:
#   1. the spelling table ("did you mean"): morgue-bench index with and without --no-spelling
#      (time, CPU, archive size), alternating runs, medians;
#   2. facets: morgue-bench query over the Robust04 topic titles with and without --facets
#      (latency percentiles), same archive, alternating passes.
# Usage: benchmarks/search_features.sh BUILD_DIR WORK_DIR [RUNS=3]
# Inputs: $MORGUE_SHARED (default ../shared): corpus/reuters21578/*.sgm, corpus/rcv1_ifn647/docs,
# queries/robust04_titles.txt. Prints JSON lines per run, then one summary table.
set -euo pipefail
BIN=${1:?usage: search_features.sh BUILD_DIR WORK_DIR [RUNS]}
WORK=${2:?usage: search_features.sh BUILD_DIR WORK_DIR [RUNS]}
RUNS=${3:-3}
SHARED=${MORGUE_SHARED:-$(dirname "$0")/../../shared}
[ ! -e "$WORK" ] || [ -z "$(ls -A "$WORK")" ] || { echo "search_features: $WORK is not empty" >&2; exit 2; }
mkdir -p "$WORK"
INPUTS=("$SHARED"/corpus/reuters21578/reut2-0*.sgm "$SHARED/corpus/rcv1_ifn647/docs")
QUERIES="$SHARED/queries/robust04_titles.txt"
for run in $(seq 1 "$RUNS"); do
  for mode in spelling no-spelling; do
    extra=()
    [ "$mode" = no-spelling ] && extra=(--no-spelling)
    rm -rf "$WORK/$mode"
    "$BIN/morgue-bench" index --archive "$WORK/$mode" --no-compact --json "${extra[@]}" "${INPUTS[@]}" \
      | python3 -c 'import json,sys; d=json.load(sys.stdin); d["mode"]=sys.argv[1]; print(json.dumps(d))' "$mode" \
      >> "$WORK/index.jsonl"
  done
done
for run in $(seq 1 "$RUNS"); do
  for mode in plain facets; do
    extra=()
    [ "$mode" = facets ] && extra=(--facets)
    "$BIN/morgue-bench" query --archive "$WORK/spelling" --queries "$QUERIES" --snippets --json "${extra[@]}" \
      | python3 -c 'import json,sys; d=json.load(sys.stdin); d["mode"]=sys.argv[1]; print(json.dumps(d))' "$mode" \
      >> "$WORK/query.jsonl"
  done
done
python3 - "$WORK" <<'PY'
import json, statistics, sys, os
work = sys.argv[1]
idx = [json.loads(l) for l in open(os.path.join(work, "index.jsonl"))]
qry = [json.loads(l) for l in open(os.path.join(work, "query.jsonl"))]
def med(rows, mode, *path):
    vals = []
    for r in rows:
        if r["mode"] != mode: continue
        v = r
        for p in path:
            v = v.get(p) if isinstance(v, dict) else None
        if isinstance(v, (int, float)): vals.append(v)
    return statistics.median(vals) if vals else float("nan")
rows = [
    ("index: wall seconds", med(idx, "spelling", "seconds"), med(idx, "no-spelling", "seconds")),
    ("index: CPU seconds", med(idx, "spelling", "cpu_seconds"), med(idx, "no-spelling", "cpu_seconds")),
    ("index: archive MB", med(idx, "spelling", "archive_bytes") / 1e6, med(idx, "no-spelling", "archive_bytes") / 1e6),
    ("index: peak RSS MB", med(idx, "spelling", "peak_rss_mb"), med(idx, "no-spelling", "peak_rss_mb")),
]
print("| %d runs each, median | with spelling | --no-spelling | ratio |" % len([r for r in idx if r["mode"] == "spelling"]))
print("|---|---|---|---|")
for name, a, b in rows:
    print("| %s | %.2f | %.2f | %.3f |" % (name, a, b, a / b if b else float("nan")))
print()
print("| Robust04 titles (%d), top 10 + snippets, median of runs | plain | --facets | ratio |" % qry[0]["queries"])
print("|---|---|---|---|")
for key in ("p50_ms", "p90_ms", "p99_ms", "mean_ms"):
    a, b = med(qry, "plain", key), med(qry, "facets", key)
    print("| %s | %.2f | %.2f | %.2f |" % (key, a, b, b / a if a else float("nan")))
print("| mean hits | %.0f | %.0f | |" % (med(qry, "plain", "mean_hits"), med(qry, "facets", "mean_hits")))
PY
