#!/bin/sh
# Installs whatever Morgue needs that is missing (Debian 12). Idempotent: does
# nothing when everything is there; runs apt-get (as root, or through sudo) otherwise.
set -eu
PACKAGES="build-essential cmake pkg-config python3
libxapian-dev xapian-tools libboost-program-options-dev libzstd-dev zstd
doctest-dev nlohmann-json3-dev libsimdjson-dev libbenchmark-dev libicu-dev zlib1g-dev
sqlite3 clang libclang-rt-14-dev iso-codes gnuplot-nox libjemalloc-dev"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
