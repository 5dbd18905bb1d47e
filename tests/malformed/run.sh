#!/usr/bin/env bash
# Every malformed scenario under tests/malformed/*/ must fail with the exit
# code and the message key words in its `expect` file (first line: code; then
# one extended regular expression per line), as one line on stderr, and must
# leave no output file.   usage: run.sh ANODESIM
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
for dir in "$here"/*/; do
  name=$(basename "$dir")
  [ "$name" = base ] && continue
  exp="$dir/expect"
  want=$(head -n 1 "$exp")
  out="$tmp/$name.h5"
  # The cases share tables in ../base: allowed, except where a case
  # checks that tables outside the folder are refused (file `confined`).
  anywhere=--inputs-anywhere
  [ -e "$dir/confined" ] && anywhere=
  "$bin" run "$dir/scenario.yaml" -q -r 1 -t 1 $anywhere -o "$out" >"$tmp/stdout" 2>"$tmp/stderr"
  got=$?
  bad=""
  [ "$got" -eq "$want" ] || bad="exit $got, expected $want"
  [ -z "$bad" ] && [ "$(wc -l <"$tmp/stderr")" -ne 1 ] && bad="message is not one line"
  if [ -z "$bad" ]; then
    while IFS= read -r pat; do
      grep -qE -- "$pat" "$tmp/stderr" || { bad="message lacks /$pat/"; break; }
    done < <(tail -n +2 "$exp")
  fi
  [ -z "$bad" ] && { [ -e "$out" ] || [ -e "$out.partial" ]; } && bad="an output file was left behind"
  if [ -n "$bad" ]; then
    echo "FAIL $name: $bad"
    sed 's/^/    /' "$tmp/stderr"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -ge 30 ]
