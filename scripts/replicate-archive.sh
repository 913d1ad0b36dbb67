#!/bin/sh
# Brings a read replica of a Morgue archive up to date, shard by shard, with Xapian's own
# replication (xapian-replicate, one-shot), then rewrites the replica's stub so that
# `morgue-search --archive REPLICA` (or a xapian-tcpsrv serving REPLICA) sees every shard.
# Run it after each night's indexing run; see docs/DISTRIBUTED.md.
#
# Usage: replicate-archive.sh --host HOST --port PORT --shards FILE REPLICA_DIR
#   The master runs `xapian-replicate-server -p PORT ARCHIVE`. FILE lists the shards to
#   replicate: a copy of the master's ARCHIVE/XAPIANDB (lines `glass NAME`) or names, one a line.
# Exit status: 0 ok; 1 a shard failed (the others are still brought up to date); 2 usage error.
set -eu
usage() { echo "usage: $0 --host HOST --port PORT --shards FILE REPLICA_DIR" >&2; exit 2; }
host="" port="" shards="" replica=""
while [ $# -gt 0 ]; do
  case "$1" in
    --host) host=${2:-}; shift 2 || usage ;;
    --port) port=${2:-}; shift 2 || usage ;;
    --shards) shards=${2:-}; shift 2 || usage ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) [ -z "$replica" ] || usage; replica=$1; shift ;;
  esac
done
[ -n "$host" ] && [ -n "$port" ] && [ -n "$shards" ] && [ -n "$replica" ] || usage
[ -r "$shards" ] || { echo "replicate-archive: $shards: cannot read the shard list" >&2; exit 1; }
mkdir -p "$replica"
names=$(grep -v '^#' "$shards" | awk 'NF == 1 { print $1 } NF == 2 && $1 != "remote" { print $2 }')
[ -n "$names" ] || { echo "replicate-archive: $shards: no shards listed" >&2; exit 1; }
failed=0
tmp="$replica/.XAPIANDB.tmp"
echo "# Morgue replica stub, written by replicate-archive.sh from $host:$port" > "$tmp"
for name in $names; do
  case "$name" in
    /*|*..*) echo "replicate-archive: $shards: shard '$name' is not a name inside the archive" >&2; failed=1; continue ;;
  esac
  if xapian-replicate -q -o -t 30 -h "$host" -p "$port" -m "$name" "$replica/$name"; then
    echo "auto $name" >> "$tmp"
  elif [ -f "$replica/$name/XAPIANDB" ] && ! grep -q '^auto replica_0$' "$replica/$name/XAPIANDB"; then
    # (xapian-replicate leaves an empty replica_0 behind when its first copy fails.)
    echo "replicate-archive: shard $name from $host:$port failed; keeping the previous copy" >&2
    echo "auto $name" >> "$tmp"; failed=1
  else
    echo "replicate-archive: shard $name from $host:$port failed" >&2; failed=1
  fi
done
mv "$tmp" "$replica/XAPIANDB"
exit $failed
