# Bad input through morgue-index add: every case reported as FILE:LINE: reason, kept with its raw
# bytes in the archive's rejects file, counted, and the run goes on (exit 3); --strict stops.
source "$(dirname "$0")/lib.sh"
A="$T/archive"
D="$T/in"; mkdir -p "$D"
for i in $(seq 1 400); do
  printf '{"id":"n%d","title":"Night story %d","body":"Harbour report number %d, written for the test."}\n' "$i" "$i" "$i"
done > "$T/good.jsonl"
gzip -c "$T/good.jsonl" > "$T/good.jsonl.gz"
head -c $(( $(stat -c %s "$T/good.jsonl.gz") / 2 )) "$T/good.jsonl.gz" > "$D/cut.jsonl.gz"
{
  echo '{"id":"a1","title":"First good","body":"harbour cranes"}'
  echo '{"id":"a2","title":"broken'
  echo '{"id":"a3","title":"","body":"  "}'
  printf '{"id":"a4",\x00\x01\x02\xff binary junk\n'
  printf '{"id":"a5","title":"big","body":"%s"}\n' "$(head -c 34000000 /dev/zero | tr '\0' x)"
  echo '{"id":"a6","title":"Last good","body":"harbour pilots"}'
} > "$D/mixed.jsonl"
expect_status 3 "$INDEX" add --archive "$A" --json "$D"
grep -q "mixed.jsonl:2: malformed JSON" "$T/err" || fail "malformed JSON not reported"
grep -q "mixed.jsonl:3: record has neither title nor text" "$T/err" || fail "empty record not reported"
grep -q "mixed.jsonl:4: malformed JSON" "$T/err" || fail "binary junk not reported"
grep -q "mixed.jsonl:5: record larger than 32 MB" "$T/err" || fail "oversize record not reported"
grep -q "cut.jsonl.gz:[0-9]*: truncated gzip stream" "$T/err" || fail "truncated gzip not reported"
python3 - "$T/out" "$A/.morgue/rejects.jsonl" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["rejected"] == 5, d
rejects = [json.loads(l) for l in open(sys.argv[2])]
assert len(rejects) == 5, rejects
by_line = {(r["file"].rsplit("/", 1)[-1], r["line"]): r for r in rejects}
assert by_line[("mixed.jsonl", 2)]["raw"] == '{"id":"a2","title":"broken'
assert "binary junk" in by_line[("mixed.jsonl", 4)]["raw"]
import base64
assert base64.b64decode(by_line[("mixed.jsonl", 4)]["raw_base64"]) == b'{"id":"a4",\x00\x01\x02\xff binary junk'
assert "raw_base64" not in by_line[("mixed.jsonl", 2)]  # UTF-8 raw needs no copy
assert len(by_line[("mixed.jsonl", 5)]["raw"]) <= 4096
cut = [r for r in rejects if r["file"].endswith("cut.jsonl.gz")][0]
assert cut["raw"].startswith('{"id":"n'), cut
# Everything before and after each bad record was indexed.
assert d["added"] == 2 + cut["line"] - 1, (d, cut["line"])
PY
expect_status 0 "$SEARCH" --archive "$A" --count 'harbour'
[ "$(cat "$T/out")" -ge 3 ] || fail "records around the bad ones were lost"
# --strict stops at the first reject, keeping what came before it.
expect_status 1 "$INDEX" add --archive "$T/strict" --strict "$D/mixed.jsonl"
grep -q "mixed.jsonl:2: malformed JSON" "$T/err" || fail "strict error does not name FILE:LINE"
expect_status 0 "$SEARCH" --archive "$T/strict" --count 'id:a1'
[ "$(cat "$T/out")" -eq 1 ] || fail "strict run lost what came before the reject"
# --map and a bad --map rule.
echo '{"headline":{"main":"Mapped headline"},"story":{"text":"Mapped harbour text."}}' > "$T/mapped.jsonl"
expect_status 0 "$INDEX" add --archive "$T/map" --map title=headline.main --map body=story.text "$T/mapped.jsonl"
expect_status 0 "$SEARCH" --archive "$T/map" --count 'title:mapped'
[ "$(cat "$T/out")" -eq 1 ] || fail "--map title not applied"
expect_status 2 "$INDEX" add --archive "$T/map" --map nonesuch=x "$T/mapped.jsonl"
echo "1 passed, 0 failed"
