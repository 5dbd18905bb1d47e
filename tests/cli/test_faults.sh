#!/usr/bin/env bash
# Runtime faults: an unwritable output path, a full disk (file-size limit) and
# memory exhaustion give a clear message, a non-zero exit and no file,
# complete or partial.
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

# Memory exhaustion on an absurd size: a synthetic network of 20,000 nodes
# under a 150-250 MB address-space limit fails cleanly wherever the
# allocation fails, with no file left.
if [ -z "${ANODESIM_NO_ULIMIT_V:-}" ]; then   # sanitizers need a huge address space
"$bin" generate --nodes 20000 -o "$tmp/big" >/dev/null
for lim in 100000 150000 200000; do
  ( ulimit -v $lim; "$bin" run "$tmp/big/scenario.yaml" -q -r 2 -t 1 -o "$tmp/oom.h5" >/dev/null 2>"$tmp/err" )
  code=$?
  check '[ $code -eq 1 ]' "memory limit ${lim} KiB: exit 1 (got $code)"
  check 'grep -q "out of memory" "$tmp/err" && [ $(wc -l <"$tmp/err") -eq 1 ]' "memory limit ${lim} KiB: one line saying out of memory"
  check '[ ! -e "$tmp/oom.h5" ] && [ ! -e "$tmp/oom.h5.partial" ]' "memory limit ${lim} KiB: no file left"
done
fi

echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
