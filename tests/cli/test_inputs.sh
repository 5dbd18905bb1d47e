#!/usr/bin/env bash
# Inputs a hostile or unlucky user gives: files that are not regular files
# (never waited on), text that is not UTF-8 (refused with its line), a
# byte-order mark (accepted, as Excel writes one), YAML aliases (refused),
# whole numbers written as fractions or exponents (refused), and a
# supplier table of 200,000 rows (set up at once, not in quadratic time:
# every command has a timeout, so the test fails rather than hangs).
# usage: test_inputs.sh ANODESIM SOURCE_DIR
set -u
bin=$1
base=$2/tests/malformed/base
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
check() { n=$((n + 1)); if ! eval "$1"; then echo "FAIL: $2"; cat "$tmp/err"; fail=$((fail + 1)); fi; }
cp "$base"/*.csv "$tmp/"
cp "$base/scenario.yaml" "$tmp/ok.yaml"
v() { timeout 60 "$bin" validate "$@" >/dev/null 2>"$tmp/err"; }
with_plants() {   # a scenario whose plant table is $1
  sed "s|plants.csv|$1|" "$tmp/ok.yaml" >"$tmp/s.yaml"
}

v "$tmp/ok.yaml"; code=$?
check '[ $code -eq 0 ]' "the base scenario is valid (exit $code)"

mkfifo "$tmp/fifo.yaml" "$tmp/fifo.csv"
v "$tmp/fifo.yaml"; code=$?
check '[ $code -eq 2 ] && grep -q "not a regular file" "$tmp/err"' "a FIFO as the scenario is refused, not waited on (exit $code)"
with_plants fifo.csv
v "$tmp/s.yaml"; code=$?
check '[ $code -eq 2 ] && grep -q "fifo.csv: the table is not a regular file" "$tmp/err"' "a FIFO as a table (exit $code)"
with_plants /dev/zero
v --inputs-anywhere "$tmp/s.yaml"; code=$?
check '[ $code -eq 2 ] && grep -q "/dev/zero: the table is not a regular file" "$tmp/err"' "/dev/zero as a table (exit $code)"

printf '\xef\xbb\xbf' >"$tmp/bom.csv"
cat "$tmp/plants.csv" >>"$tmp/bom.csv"
with_plants bom.csv
v "$tmp/s.yaml"; code=$?
check '[ $code -eq 0 ]' "a table with a UTF-8 byte-order mark is read (exit $code)"
printf '\xef\xbb\xbf' >"$tmp/bom.yaml"
cat "$tmp/ok.yaml" >>"$tmp/bom.yaml"
v "$tmp/bom.yaml"; code=$?
check '[ $code -eq 0 ]' "so is a scenario with one (exit $code)"

sed '3s/,A,/,\xe9A,/' "$tmp/plants.csv" >"$tmp/latin.csv"
with_plants latin.csv
v "$tmp/s.yaml"; code=$?
check '[ $code -eq 2 ] && grep -q "latin.csv:3: the table is not UTF-8 text (byte 0xE9)" "$tmp/err"' \
  "Latin-1 text is refused with its line (exit $code)"

sed 's/^name: \(.*\)/name: \&n \1\ndescription: *n/' "$tmp/ok.yaml" >"$tmp/alias.yaml"
v "$tmp/alias.yaml"; code=$?
check '[ $code -eq 2 ] && grep -q "aliases such as \*name are not allowed" "$tmp/err"' "YAML aliases are refused (exit $code)"

for bad in 1e3 2.5 -1 "' 5'" 100000001; do
  sed "s/^  replications: .*/  replications: $bad/" "$tmp/ok.yaml" >"$tmp/r.yaml"
  v "$tmp/r.yaml"; code=$?
  check '[ $code -eq 2 ] && grep -q "r.yaml:5: field .run.replications" "$tmp/err"' "replications: $bad is refused (exit $code)"
done
for bad in 1.9 1e30 -1 18446744073709551616; do
  sed "s/^  seed: .*/  seed: $bad/" "$tmp/ok.yaml" >"$tmp/r.yaml"
  v "$tmp/r.yaml"; code=$?
  check '[ $code -eq 2 ] && grep -q "r.yaml:4: field .run.seed" "$tmp/err"' "seed: $bad is refused (exit $code)"
done
sed "s/^  seed: .*/  seed: 18446744073709551615/" "$tmp/ok.yaml" >"$tmp/r.yaml"
v "$tmp/r.yaml"; code=$?
check '[ $code -eq 0 ]' "seed 2^64 - 1 is accepted (exit $code)"
for bad in 9223372036854775807 100000001 1e3 2.5 " 5" -3; do
  timeout 60 "$bin" run "$tmp/ok.yaml" -q -r "$bad" >/dev/null 2>"$tmp/err"; code=$?
  check '[ $code -eq 2 ] && grep -q "replications needs a whole number" "$tmp/err"' "-r '$bad' is refused (exit $code)"
done
for bad in 1.9 -1 " -5" 18446744073709551616; do
  timeout 60 "$bin" run "$tmp/ok.yaml" -q -r 1 -s "$bad" >/dev/null 2>"$tmp/err"; code=$?
  check '[ $code -eq 2 ] && grep -q "seed needs a whole number" "$tmp/err"' "-s '$bad' is refused (exit $code)"
done

# 200,000 suppliers, each with a link to plant X.
awk 'NR == 1 { print; next } { print } END { for (i = 0; i < 200000; i++) printf "S%d,cpc,A,1000,3000,CNY,t\n", i }' \
  "$tmp/suppliers.csv" >"$tmp/many-suppliers.csv"
awk 'NR == 1 { print; next } { print } END { for (i = 0; i < 200000; i++) printf "S%d,X,road,10,1,0,,,,t\n", i }' \
  "$tmp/links.csv" >"$tmp/many-links.csv"
sed 's|suppliers.csv|many-suppliers.csv|; s|links.csv|many-links.csv|' "$tmp/ok.yaml" >"$tmp/many.yaml"
timeout 120 "$bin" run "$tmp/many.yaml" -q -r 1 -t 1 >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 0 ]' "200,000 linked suppliers set up and run (exit $code; 124 is the timeout)"

echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
