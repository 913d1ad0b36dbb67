# Entities end to end: morgue-index tags articles (NER), morgue-search finds and ranks them by entity.
source "$(dirname "$0")/lib.sh"
SEED="$MORGUE_SHARED/corpus/seed"
if [ ! -d "$SEED" ]; then echo "SKIP: $SEED is absent"; echo "0 passed, 0 failed, 1 skipped"; exit 0; fi
A="$T/archive"
expect_status 0 "$INDEX" add -q --archive "$A" "$SEED"/*.txt
# What a reporter types: any case, quotes, surname only, a place named only in a photo caption.
for q in 'person:"kim jong un"' 'person:"Kim Jong Un"' 'person:"KIM JONG-UN"' 'person:biden' 'person:"kim jong il"' \
         'person:trump' 'org:"associated press"' "org:\"workers' party\"" 'org:"korean central news agency"' \
         'place:pyongyang' 'place:"north korea"' 'place:"south korea"' 'place:vietnam' 'place:washington' \
         'entity:"north korea"' 'sanctions person:"kim jong un"'; do
  expect_status 0 "$SEARCH" --archive "$A" --count "$q"
  [ "$(cat "$T/out")" -eq 1 ] || fail "$q found $(cat "$T/out") articles, expected 1"
done
for q in 'person:pyongyang' 'place:"kim jong un"' 'org:"nonesuch agency"'; do
  expect_status 0 "$SEARCH" --archive "$A" --count "$q"
  [ "$(cat "$T/out")" -eq 0 ] || fail "$q found $(cat "$T/out") articles, expected 0"
done
expect_status 0 "$SEARCH" --archive "$A" --json 'person:"kim jong un"'
python3 - "$T/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
e = r["entities"]
assert set(e) == {"person", "org", "place", "misc"}, e.keys()
for name in ["Kim Jong Un", "Kim Jong Il", "Joe Biden", "Trump"]:
    assert name in e["person"], (name, e["person"])
for name in ["Associated Press", "Korean Central News Agency"]:
    assert name in e["org"], (name, e["org"])
assert e["person"][0] == "Kim Jong Un", e["person"]
PY
# --no-ner: only what the collection gave (a text file gives none).
expect_status 0 "$INDEX" add -q --no-ner --archive "$T/plain" "$SEED"/*.txt
expect_status 0 "$SEARCH" --archive "$T/plain" --count 'person:biden'
[ "$(cat "$T/out")" -eq 0 ] || fail "--no-ner still tagged entities"
echo "1 passed, 0 failed"
