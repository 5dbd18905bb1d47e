#!/bin/sh
# docs/results-format.md holds `anodesim schema` of the default scenario
# between its markers, unchanged: no variable, unit or coordinate goes
# undocumented (refresh with scripts/docs-params).
#   test_docs_schema.sh ANODESIM SOURCE_DIR
bin=$1 src=$2
doc="$src/docs/results-format.md"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" schema "$src/scenarios/china-2024/scenario.yaml" >"$tmp/want" || exit 1
awk '/<!-- end of schema tables -->/ { on = 0 } on { print } /<!-- schema tables:/ { on = 1 }' "$doc" >"$tmp/have"
if ! [ -s "$tmp/want" ] || ! cmp -s "$tmp/want" "$tmp/have"; then
  echo "FAIL: the schema tables of docs/results-format.md differ from anodesim schema (run scripts/docs-params):"
  diff "$tmp/have" "$tmp/want" | head -20
  exit 1
fi
echo "docs/results-format.md holds the schema ($(grep -c '^| `' "$tmp/want") rows)"
