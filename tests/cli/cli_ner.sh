# morgue-ner: help, exit codes, eval --json as one object, tag on stdin, and the installed model lookup.
source "$(dirname "$0")/lib.sh"
NER="$MORGUE_BIN/morgue-ner"
expect_status 0 "$NER" --help
grep -q "train" "$T/out" || fail "--help does not list the commands"
for cmd in train eval tag; do
  expect_status 0 "$NER" "$cmd" --help
  grep -q "Usage: morgue-ner $cmd" "$T/out" || fail "$cmd --help has no usage line"
done
expect_status 2 "$NER"
expect_status 2 "$NER" frobnicate
expect_status 2 "$NER" eval
[ "$(wc -l < "$T/err")" -eq 1 ] || fail "usage error is not one line"
expect_status 2 "$NER" eval --conll x --no-such-option
expect_status 1 "$NER" eval --conll "$T/nope.conll"
grep -q "nope.conll" "$T/err" || fail "missing CoNLL file not named"
printf 'EU NNP B-NP B-ORG\nrejects VBZ B-VP Q-ORG\n' > "$T/bad.conll"
expect_status 1 "$NER" eval --conll "$T/bad.conll"
grep -q "bad.conll:2:" "$T/err" || fail "bad CoNLL line not reported as FILE:LINE"
expect_status 1 "$NER" tag --model "$T/no-model.bin" < /dev/null
grep -q "no-model.bin" "$T/err" || fail "missing model not named"

# eval --json: exactly one JSON object with the contracted fields.
printf '%s\n' '-DOCSTART- -X- -X- O' '' 'German JJ B-NP B-MISC' 'Chancellor NNP I-NP O' 'Helmut NNP I-NP B-PER' \
  'Kohl NNP I-NP I-PER' 'visited VBD B-VP O' 'Paris NNP B-NP B-LOC' '. . O O' > "$T/tiny.conll"
expect_status 0 "$NER" eval --conll "$T/tiny.conll" --json
python3 - "$T/out" <<'PY' || fail "eval --json output is not the contracted JSON object"
import json, sys
text = open(sys.argv[1]).read()
obj = json.loads(text)
assert text.strip().count("\n") == 0
for k in ("precision", "recall", "f1"):
    assert 0 <= obj["overall"][k] <= 100
assert set(obj["per_type"]) == {"PER", "ORG", "LOC", "MISC"}
assert obj["tokens_per_second"] > 0
assert obj["overall"]["f1"] == 100.0, obj
PY

# tag: the headline line and the body, resolved.
printf '%s\n' 'KOHL MEETS CHIRAC IN PARIS' '' 'German Chancellor Helmut Kohl met French President Jacques Chirac in Paris on Monday.' \
  'Kohl said the talks went well.' > "$T/article.txt"
expect_status 0 "$NER" tag < "$T/article.txt"
grep -qP '^PER\tHelmut Kohl\t3$' "$T/out" || { cat "$T/out"; fail "tag did not resolve Kohl to Helmut Kohl"; }
grep -qP '^LOC\tParis\t2$' "$T/out" || { cat "$T/out"; fail "tag did not find Paris twice"; }

# Installed layout: the model is found beside the executable, from any directory.
cmake --install "$MORGUE_BIN" --prefix "$T/prefix" >/dev/null
[ -f "$T/prefix/share/morgue/morgue-ner-en.bin" ] || fail "model not installed to share/morgue"
(cd / && env -u MORGUE_NER_MODEL "$T/prefix/bin/morgue-ner" eval --conll "$T/tiny.conll") > "$T/out"
grep -q "model: $T/prefix/share/morgue/morgue-ner-en.bin" "$T/out" || { cat "$T/out"; fail "installed morgue-ner did not use the installed model"; }
MORGUE_NER_MODEL="$T/prefix/share/morgue/morgue-ner-en.bin" "$NER" eval --conll "$T/tiny.conll" > "$T/out"
grep -q "model: $T/prefix/share/morgue/morgue-ner-en.bin" "$T/out" || fail "MORGUE_NER_MODEL not honoured"
echo "1 passed, 0 failed"
