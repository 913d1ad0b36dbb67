# morgue-ner train reproduces the shipped model byte for byte, and the model scores >= 90 F1 on valid.txt.
# Skips (with a message) when ../shared or iso-codes is not there.
source "$(dirname "$0")/lib.sh"
NER="$MORGUE_BIN/morgue-ner"
: "${MORGUE_SHARED:?}" "${MORGUE_SOURCE:?}"
if [ ! -f "$MORGUE_SHARED/ner/conll2003/train.txt" ] || [ ! -f /usr/share/iso-codes/json/iso_3166-2.json ]; then
  echo "skipped: needs $MORGUE_SHARED/ner/conll2003 and the iso-codes package"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
expect_status 0 "$NER" train --shared "$MORGUE_SHARED" --out "$T/model.bin"
cmp "$T/model.bin" "$MORGUE_SOURCE/indexer/ner/models/morgue-ner-en.bin" ||
  fail "morgue-ner train did not reproduce indexer/ner/models/morgue-ner-en.bin"
expect_status 0 "$NER" eval --model "$T/model.bin" --conll "$MORGUE_SHARED/ner/conll2003/valid.txt" --json
python3 - "$T/out" <<'PY' || fail "F1 on valid.txt below 90"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["overall"]["f1"] >= 90.0, d
PY
echo "1 passed, 0 failed"
