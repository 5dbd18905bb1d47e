#!/usr/bin/env bash
# Runtime faults: an unwritable output path and a full disk (file-size limit)
# give a clear message, a non-zero exit and no file, complete or partial.
# usage: test_faults.sh ANODESIM SOURCE_DIR
set -u
bin=$1
scen=$2/scenarios/china-2024/scenario.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
check() { n=$((n + 1)); if ! eval "$1"; then echo "FAIL: $2"; cat "$tmp/err"; fail=$((fail + 1)); fi; }

"$bin" run "$scen" -q -r 2 -o "$tmp/no/such/dir/out.h5" >/dev/null 2>"$tmp/err"
code=$?
check '[ $code -eq 1 ]' "missing directory: exit 1 (got $code)"
check 'grep -q "cannot create the results file" "$tmp/err" && grep -q "out.h5.partial" "$tmp/err"' "missing directory: message names the file"
check '[ ! -e "$tmp/no" ]' "missing directory: nothing created"

mkdir "$tmp/isdir.h5.partial"
"$bin" run "$scen" -q -r 2 -o "$tmp/isdir.h5" >/dev/null 2>"$tmp/err"
code=$?
check '[ $code -eq 1 ] && [ $(wc -l <"$tmp/err") -eq 1 ]' "output path is a directory: one-line error, exit 1 (got $code)"
check '[ ! -e "$tmp/isdir.h5" ]' "output path is a directory: no final file"
rmdir "$tmp/isdir.h5.partial"

for limit in 100 3000; do
  ( ulimit -f $limit; "$bin" run "$scen" -q -r 30 -t 2 -o "$tmp/full.h5" >/dev/null 2>"$tmp/err" )
  code=$?
  check '[ $code -eq 1 ]' "disk full at ${limit} KiB: exit 1 (got $code)"
  check 'grep -q "File too large" "$tmp/err"' "disk full at ${limit} KiB: the reason is given"
  check '[ ! -e "$tmp/full.h5" ] && [ ! -e "$tmp/full.h5.partial" ]' "disk full at ${limit} KiB: no file left"
done

echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
