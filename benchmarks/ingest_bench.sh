#!/bin/bash
# Ingest benchmark (issue 3): the done-when command on the shared corpora, timed, with the learned-debris
# pass (default) against --keep-debris (one pass), alternately, RUNS times each into fresh archives.
# Prints the median seconds and articles/s of each, and their ratio.
# Usage: benchmarks/ingest_bench.sh [--runs N] [--bin BUILD_DIR] [--shared SHARED_DIR]
set -euo pipefail
RUNS=3
BIN="$(dirname "$0")/../build"
SHARED="${MORGUE_SHARED:-$(dirname "$0")/../../shared}"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    --shared) SHARED=$2; shift 2 ;;
    *) echo "ingest_bench: unknown option $1" >&2; exit 2 ;;
  esac
done
S="$SHARED/corpus"
[ -d "$S/reuters21578" ] || { echo "ingest_bench: no corpora under $S" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for i in $(seq 1 "$RUNS"); do
  for mode in learned one-pass; do
    extra=(); [ "$mode" = one-pass ] && extra=(--keep-debris)
    rm -rf "$TMP/a"
    "$BIN/morgue-index" add --archive "$TMP/a" --format auto --json --quiet "${extra[@]}" \
      "$S"/reuters21578/*.sgm "$S/rcv1_ifn647/docs" "$S"/seed/*.txt > "$TMP/$mode.$i.json"
  done
done
python3 - "$TMP" "$RUNS" <<'PY'
import json, statistics, sys
tmp, runs = sys.argv[1], int(sys.argv[2])
res = {}
for mode in ("learned", "one-pass"):
    rows = [json.load(open(f"{tmp}/{mode}.{i}.json")) for i in range(1, runs + 1)]
    res[mode] = (statistics.median(r["seconds"] for r in rows), rows[0]["added"], rows[0]["rejected"])
print("| mode | articles | rejected | median s | articles/s |")
print("|---|---|---|---|---|")
for mode, (sec, added, rej) in res.items():
    print(f"| {mode} | {added} | {rej} | {sec:.2f} | {added / sec:.0f} |")
print(f"learned / one-pass time: {res['learned'][0] / res['one-pass'][0]:.2f}")
PY
