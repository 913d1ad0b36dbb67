#!/bin/bash
# Query latency over remote shards on loopback against the same shards opened locally.
# Two xapian-tcpsrv on 127.0.0.1 serve the odd and the even shards of ARCHIVE; morgue-bench
# query runs the same queries over ARCHIVE (local) and over the stub joining the two servers
# (remote), alternating, RUNS times each, so that load from elsewhere hits both alike. Prints
# the median of each figure and the remote/local ratio, as one Markdown table.
#
# Usage: benchmarks/remote_bench.sh --archive DIR --queries FILE [--runs 5] [--bin BUILD_DIR]
#        [-- MORGUE-BENCH QUERY OPTIONS...]     (e.g. -- --snippets --limit 10)
# Exit status: 0 ok, 1 failure, 2 usage error.
set -euo pipefail
archive="" queries="" runs=5 bin="$(cd "$(dirname "$0")/.." && pwd)/build" extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --archive) archive=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "remote_bench: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "$archive" ] && [ -n "$queries" ] || { echo "remote_bench: --archive and --queries are required" >&2; exit 2; }
T=$(mktemp -d)
fail() { echo "remote_bench: $*" >&2; exit 1; }
source "$(dirname "$0")/../tests/cli/remote_lib.sh"
trap 'stop_servers; rm -rf "$T"' EXIT
odd=() even=() i=0
for s in $(grep -v '^#' "$archive/XAPIANDB" | awk '{print $2}'); do
  if [ $((i % 2)) -eq 0 ]; then odd+=("$archive/$s"); else even+=("$archive/$s"); fi
  i=$((i + 1))
done
[ "${#even[@]}" -ge 1 ] || fail "$archive has fewer than two shards"
start_server P1 xapian-tcpsrv --quiet --interface 127.0.0.1 --port @PORT@ "${odd[@]}"
start_server P2 xapian-tcpsrv --quiet --interface 127.0.0.1 --port @PORT@ "${even[@]}"
"$bin/morgue-index" stub --out "$T/remote.stub" --remote "127.0.0.1:$P1" --remote "127.0.0.1:$P2" 2>/dev/null
for r in $(seq 1 "$runs"); do
  for where in local remote; do
    a="$archive"; [ "$where" = remote ] && a="$T/remote.stub"
    "$bin/morgue-bench" query --archive "$a" --queries "$queries" --json "${extra[@]}" > "$T/$where.$r.json"
  done
done
python3 - "$T" "$runs" "${#odd[@]}" "${#even[@]}" <<'PY'
import json, statistics, sys
t, runs = sys.argv[1], int(sys.argv[2])
def load(where):
    return [json.load(open(f"{t}/{where}.{r}.json")) for r in range(1, runs + 1)]
loc, rem = load("local"), load("remote")
keys = [k for k in ("p50_ms", "p90_ms", "p99_ms", "mean_ms", "qps") if k in loc[0]]
print(f"{loc[0].get('queries', '?')} queries, {runs} alternating runs each; shards {sys.argv[3]} + {sys.argv[4]} on two servers")
print("| figure (median of runs) | local | remote (loopback) | remote / local |")
print("|---|---|---|---|")
for k in keys:
    l, r = statistics.median(x[k] for x in loc), statistics.median(x[k] for x in rem)
    print(f"| {k} | {l:.3f} | {r:.3f} | {r / l:.2f} |")
hits_l, hits_r = loc[0].get("mean_hits"), rem[0].get("mean_hits")
print(f"mean hits: local {hits_l}, remote {hits_r}")
PY
