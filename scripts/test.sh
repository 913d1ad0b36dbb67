#!/bin/sh
# Quick start, step 2: build, then run every test (doctest suites and CLI tests) through CTest.
set -eu
cd "$(dirname "$0")/.."
sh scripts/build.sh
cd build && ctest --output-on-failure -j2 "$@"
