#!/bin/sh
# Installs what is missing, then configures and builds Morgue (Release) in ./build.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${MORGUE_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$(nproc)"
