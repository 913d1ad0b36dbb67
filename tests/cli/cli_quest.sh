# Xapian's own tools read the archive: quest with Omega's title prefix finds the article.
source "$(dirname "$0")/lib.sh"
command -v quest >/dev/null || fail "quest (xapian-tools) is not installed"
A="$T/archive"
printf '%s\n' '{"id":"q1","title":"Lighthouse keepers strike in Halifax","body":"The keepers walked out.","date":"2022-03-04T05:06:07Z","source":"Harbor Wire"}' \
  '{"id":"q2","title":"Ferry timetable changes","body":"A lighthouse is mentioned only here.","date":"2022-04-01"}' > "$T/in.jsonl"
expect_status 0 "$INDEX" add --archive "$A" "$T/in.jsonl"
quest -d "$A" -p title:S 'title:lighthouse' > "$T/quest.out"
grep -q 'MSet:' "$T/quest.out" || fail "quest printed no MSet"
grep -q 'Exactly 1 matches' "$T/quest.out" || { cat "$T/quest.out"; fail "quest did not report exactly one match"; }
hits=$(grep -ac '^[0-9]*: \[' "$T/quest.out" || true)
[ "$hits" -eq 1 ] || { cat "$T/quest.out"; fail "quest title:lighthouse found $hits documents, expected 1"; }
# The one document quest found is q1, checked through xapian-delve's term list.
docid=$(grep -ao '^[0-9]*: \[' "$T/quest.out" | head -1 | cut -d: -f1)
xapian-delve -d "$A" -r "$docid" > "$T/delve.out" 2>&1 || true
grep -q 'Qq1' "$T/delve.out" || { cat "$T/delve.out"; fail "quest's hit is not article q1"; }
echo "1 passed, 0 failed"
