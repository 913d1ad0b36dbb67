#!/bin/sh
# Quick start, step 1: build, index the bundled sample into ./demo-archive, run a query.
set -eu
cd "$(dirname "$0")/.."
sh scripts/build.sh >/dev/null
rm -rf demo-archive
./build/morgue-index add --archive demo-archive build/sample/sample.jsonl
./build/morgue-index stats --archive demo-archive | tail -1
echo
./build/morgue-search --archive demo-archive --limit 5 "${@:-dock strike}"
