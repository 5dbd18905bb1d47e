#!/usr/bin/env bash
# Runtime faults: an unwritable output path, a full disk (file-size limit) and
# memory exhaustion give a clear message and a non-zero exit; finished
# replications are kept, resumable, and nothing else is left.
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
check '[ $code -eq 2 ] && [ $(wc -l <"$tmp/err") -eq 1 ]' "missing directory: one-line error, exit 2 (got $code)"
check 'grep -q "no/such/dir does not exist" "$tmp/err"' "missing directory: message names the folder"
check '[ ! -e "$tmp/no" ]' "missing directory: nothing created"

mkdir "$tmp/isdir.h5.partial"
"$bin" run "$scen" -q -r 2 -o "$tmp/isdir.h5" >/dev/null 2>"$tmp/err"
code=$?
check '[ $code -eq 2 ] && [ $(wc -l <"$tmp/err") -eq 1 ]' "partial path is a directory: one-line error, exit 2 (got $code)"
check '[ ! -e "$tmp/isdir.h5" ] && [ -d "$tmp/isdir.h5.partial" ]' "partial path is a directory: left alone, no final file"
rmdir "$tmp/isdir.h5.partial"

# A full disk (file-size limit).  Before any replication is finished
# (100 KiB) nothing is left; after some (3000 KiB) they are kept in the
# partial, the message says how to finish, and --resume gives the file an
# uninterrupted run writes.
"$bin" run "$scen" -q -r 30 -t 2 -o "$tmp/ref.h5" >/dev/null 2>"$tmp/err"
for limit in 100 3000; do
  ( ulimit -f $limit; exec timeout 120 "$bin" run "$scen" -q -r 30 -t 2 -o "$tmp/full.h5" >/dev/null 2>"$tmp/err" )
  code=$?
  check '[ $code -eq 1 ]' "disk full at ${limit} KiB: exit 1 (got $code)"
  check 'grep -q "File too large" "$tmp/err"' "disk full at ${limit} KiB: the reason is given"
  if [ $limit = 100 ]; then
    check '[ ! -e "$tmp/full.h5" ] && [ ! -e "$tmp/full.h5.partial" ]' "disk full before a replication: no file left"
  else
    check '[ -f "$tmp/full.h5.partial" ] && grep -q -- "--resume" "$tmp/err"' "disk full: finished work kept, resume offered"
    timeout 120 "$bin" run "$scen" -q -r 30 -t 2 -o "$tmp/full.h5" --resume >/dev/null 2>"$tmp/err"
    code=$?
    check '[ $code -eq 0 ] && [ -f "$tmp/full.h5" ]' "disk full: resume finishes (got $code)"
    bad=""
    for ds in production shortage flow plant_production coke_price anode_price replication_seed realization_done \
              summary/production_mean summary/production_quantile; do
      h5diff -q "$tmp/ref.h5" "$tmp/full.h5" "/$ds" "/$ds" >/dev/null 2>&1 || bad="$bad $ds"
    done
    check '[ -z "$bad" ]' "disk full then resume: differs from an uninterrupted run in:$bad"
  fi
done

# Memory exhaustion on an absurd size: a synthetic network of 20,000 nodes
# under an address-space limit fails cleanly wherever the allocation
# fails, with no file left.  The limits are set above what the program
# needs to start here (its libraries' size depends on the machine), and
# every run has a timeout: the test fails, it never hangs.
if [ -z "${ANODESIM_NO_ULIMIT_V:-}" ]; then   # sanitizers need a huge address space
"$bin" generate --nodes 20000 -o "$tmp/big" >/dev/null
base=0
for try in 20000 40000 60000 80000 120000 160000 240000 320000; do
  if ( ulimit -v $try; exec timeout 20 "$bin" version >/dev/null 2>&1 ); then base=$try; break; fi
done
check '[ $base -gt 0 ]' "the program starts under some address-space limit"
for extra in 30000 60000 100000; do
  lim=$((base + extra))
  ( ulimit -v $lim; exec timeout 120 "$bin" run "$tmp/big/scenario.yaml" -q -r 2 -t 1 -o "$tmp/oom.h5" >/dev/null 2>"$tmp/err" )
  code=$?
  check '[ $code -eq 1 ]' "memory limit ${lim} KiB: exit 1 (got $code)"
  check 'grep -q "out of memory" "$tmp/err" && [ $(wc -l <"$tmp/err") -eq 1 ]' "memory limit ${lim} KiB: one line saying out of memory"
  check '[ ! -e "$tmp/oom.h5" ] && [ ! -e "$tmp/oom.h5.partial" ]' "memory limit ${lim} KiB: no file left"
done
fi

echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
