# Read replicas: xapian-replicate-server on the master archive, scripts/replicate-archive.sh on
# the replica; after a second night's run the replica catches up (changesets for the shards
# that changed, copies of the new ones), and a xapian-tcpsrv serving the replica sees it too.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/remote_lib.sh"
command -v xapian-replicate-server >/dev/null || fail "xapian-replicate-server missing (Debian package xapian-tools)"
REPLICATE="$(dirname "$0")/../../scripts/replicate-archive.sh"
M="$T/master" R="$T/replica"
# Changesets let a replica fetch only what a night changed (else it copies whole shards).
export XAPIAN_MAX_CHANGESETS=10
printf '%s\n' \
  '{"id":"night2-1","title":"Quayside zanzibarquux opens","body":"The zanzibarquux quay opened on Monday.","date":"2019-03-04T10:00:00Z","source":"Harbor Wire"}' \
  '{"id":"night2-2","title":"Cranes for zanzibarquux","body":"New cranes arrived at the zanzibarquux quay.","date":"2019-03-05T10:00:00Z","source":"Harbor Wire"}' \
  '{"id":"night2-3","title":"Zanzibarquux ferry","body":"A ferry now calls at zanzibarquux daily.","date":"2019-08-05T10:00:00Z","source":"Harbor Wire"}' \
  > "$T/night2.jsonl"

# same_answers A B: both archives give the same counts and top ids for a few queries.
same_answers() {
  local q
  for q in energy '"regional assembly"' 'source:"harbor wire"' zanzibarquux; do
    [ "$(timeout 60 "$SEARCH" --archive "$1" --count "$q")" = "$(timeout 60 "$SEARCH" --archive "$2" --count "$q")" ] ||
      fail "counts differ for $q: $1 vs $2"
    [ "$(timeout 60 "$SEARCH" --archive "$1" --json --limit 20 "$q")" = "$(timeout 60 "$SEARCH" --archive "$2" --json --limit 20 "$q")" ] ||
      fail "results differ for $q: $1 vs $2"
  done
}

# Night 1: the master indexes the first half of 2019; the replica copies it.
expect_status 0 "$INDEX" add --archive "$M" --months ..2019-06 "$MORGUE_SAMPLE"
start_server RPORT xapian-replicate-server -I 127.0.0.1 -p @PORT@ "$M"
expect_status 0 timeout 120 sh "$REPLICATE" --host 127.0.0.1 --port "$RPORT" --shards "$M/XAPIANDB" "$R"
same_answers "$M" "$R"
n1=$("$SEARCH" --archive "$R" --count energy)
# A search node serving the replica.
start_server SPORT xapian-tcpsrv --quiet --interface 127.0.0.1 --port @PORT@ "$R"
printf 'remote 127.0.0.1:%s\n' "$SPORT" > "$T/node.stub"
same_answers "$M" "$T/node.stub"

# Night 2: more months (new shards) and new articles in an old month (a changed shard).
expect_status 0 "$INDEX" add --archive "$M" --months ..2019-12 "$MORGUE_SAMPLE" "$T/night2.jsonl"
[ "$("$SEARCH" --archive "$M" --count zanzibarquux)" -eq 3 ] || fail "master lacks night 2"
[ "$("$SEARCH" --archive "$R" --count zanzibarquux)" -eq 0 ] || fail "replica has night 2 before replicating"
[ "$("$SEARCH" --archive "$M" --count energy)" -gt "$n1" ] || fail "night 2 added no energy stories: test data changed?"
expect_status 0 timeout 120 sh "$REPLICATE" --host 127.0.0.1 --port "$RPORT" --shards "$M/XAPIANDB" "$R"
same_answers "$M" "$R"
[ "$("$SEARCH" --archive "$R" --count zanzibarquux)" -eq 3 ] || fail "replica did not catch up"
# The changed shard came as a changeset, not a copy; the new shards as copies.
expect_status 0 xapian-replicate -v -o -h 127.0.0.1 -p "$RPORT" -m 2019-03 "$T/probe-2019-03"
grep -q "1 copies" "$T/out" || fail "a fresh replica is not a copy: $(cat "$T/out")"
"$INDEX" add --archive "$M" --quiet "$T/night2.jsonl"  # unchanged: no new changeset
printf '%s\n' '{"id":"night3-1","title":"Zanzibarquux night three","body":"zanzibarquux again","date":"2019-03-06T10:00:00Z"}' > "$T/night3.jsonl"
"$INDEX" add --archive "$M" --quiet "$T/night3.jsonl"
expect_status 0 xapian-replicate -v -o -h 127.0.0.1 -p "$RPORT" -m 2019-03 "$T/probe-2019-03"
grep -q "0 copies, 1 changesets" "$T/out" || fail "a night's change to one shard was not sent as a changeset: $(cat "$T/out")"
# The search node serving the replica sees the new shards on its next connection.
expect_status 0 timeout 120 sh "$REPLICATE" --host 127.0.0.1 --port "$RPORT" --shards "$M/XAPIANDB" "$R"
same_answers "$M" "$T/node.stub"
# A shard the master does not have: the script says which, keeps the rest current.
printf 'glass 2019-01\nglass 1999-01\n' > "$T/shards"
expect_status 1 timeout 120 sh "$REPLICATE" --host 127.0.0.1 --port "$RPORT" --shards "$T/shards" "$T/replica2"
grep -q "shard 1999-01 from 127.0.0.1:$RPORT failed" "$T/err" || fail "failed shard not named: $(cat "$T/err")"
[ "$("$SEARCH" --archive "$T/replica2" --count energy)" = "$("$SEARCH" --archive "$M/2019-01" --count energy)" ] ||
  fail "the shard that did replicate is not searchable"
stop_servers
echo "1 passed, 0 failed"
