#!/usr/bin/env bash
# Interrupting a run (SIGINT, SIGTERM) leaves no final file but a partial one
# marked as such; --resume completes it, and the result equals an
# uninterrupted run's bit for bit; resuming a complete file does nothing.
# Signals are sent once the partial holds a number of replications, never
# after a fixed sleep (on a fast machine the run had finished by then).
# usage: test_interrupt.sh ANODESIM SOURCE_DIR PYTHON
set -u
bin=$1
scen=$2/scenarios/china-2024/scenario.yaml
py=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
ok() { n=$((n + 1)); if ! eval "$1"; then echo "FAIL: $2"; fail=$((fail + 1)); fi; }

. "$(dirname "$0")/lib.sh"   # wait_done

R=600
args=(run "$scen" -q -r $R -t 2 --set run.end=2026-12-31)
"$bin" "${args[@]}" -o "$tmp/full.h5" >/dev/null
ok '[ -f "$tmp/full.h5" ]' "uninterrupted run wrote its file"

for sig in INT TERM; do
  out="$tmp/int-$sig.h5"
  "$bin" "${args[@]}" -o "$out" >/dev/null 2>"$tmp/err" &
  pid=$!
  wait_done "$out.partial" 20
  kill -$sig $pid
  wait $pid
  code=$?
  ok '[ $code -ne 0 ]' "SIG$sig: non-zero exit (got $code)"
  ok '[ ! -e "$out" ]' "SIG$sig: no final file after an interruption"
  ok '[ -f "$out.partial" ]' "SIG$sig: partial file kept"
  ok 'grep -q "resume" "$tmp/err"' "SIG$sig: message says how to resume"
  "$bin" info "$out.partial" >"$tmp/info" 2>&1
  ok 'grep -q "status *partial" "$tmp/info"' "SIG$sig: info reads the partial file and says partial"
  done_n=$(sed -n 's/.*replications *\([0-9]*\) of.*/\1/p' "$tmp/info")
  ok '[ -n "$done_n" ] && [ "$done_n" -lt $R ]' "SIG$sig: partial file holds fewer than $R replications ($done_n)"
  "$bin" "${args[@]}" -o "$out" --resume >/dev/null 2>"$tmp/err2"
  ok '[ $? -eq 0 ]' "SIG$sig: resume succeeded"
  ok 'grep -q "resuming" "$tmp/err2"' "SIG$sig: resume says what it does"
  ok '[ -f "$out" ] && [ ! -e "$out.partial" ]' "SIG$sig: resume produced the final file"
  for ds in production consumption shortage exports flow plant_production balance_residual replication_seed \
            events realization_done summary/production_mean summary/production_quantile summary/flow_mean; do
    h5diff -q "$tmp/full.h5" "$out" "/$ds" "/$ds" >/dev/null 2>&1
    ok '[ $? -eq 0 ]' "SIG$sig: /$ds equals the uninterrupted run's"
  done
done

# kill -9: no chance to clean up; every replication written before it is
# on disk, and the resume completes only the missing ones.
out="$tmp/kill.h5"
"$bin" "${args[@]}" -o "$out" >/dev/null 2>&1 &
pid=$!
wait_done "$out.partial" 20
kill -9 $pid
wait $pid 2>/dev/null
ok '[ ! -e "$out" ] && [ -f "$out.partial" ]' "kill -9: a partial file is left"
"$bin" "${args[@]}" -o "$out" --resume >/dev/null 2>"$tmp/err4"
ok '[ $? -eq 0 ] && grep -q "resuming .* [1-9][0-9]* of $R replications already done" "$tmp/err4"' "kill -9: resume reuses finished replications"
for ds in production flow replication_seed summary/production_quantile summary/flow_mean; do
  h5diff -q "$tmp/full.h5" "$out" "/$ds" "/$ds" >/dev/null 2>&1
  ok '[ $? -eq 0 ]' "kill -9: /$ds equals the uninterrupted run's"
done

# More kills at other moments: a kill in the middle of HDF5's flush must
# neither mark a replication whose data is not on disk nor leave a file
# that cannot be resumed (both happened before the done marks lagged one
# flush behind and resume recovered the end of file).  The moments are
# counts of replications done plus a random few milliseconds, so that
# they fall anywhere in a flush whatever the machine's speed; a run that
# finished first is simply compared.
for t in 1 30 120 300; do
  out="$tmp/kill-$t.h5"
  "$bin" "${args[@]}" -o "$out" >/dev/null 2>&1 &
  pid=$!
  wait_done "$out.partial" $t
  sleep "0.0$((RANDOM % 10))"
  kill -9 $pid
  wait $pid 2>/dev/null
  if [ -f "$out.partial" ]; then
    "$bin" "${args[@]}" -o "$out" --resume >/dev/null 2>"$tmp/err5"
    ok '[ $? -eq 0 ]' "kill -9 after ${t} replications: resume succeeds ($(tail -1 "$tmp/err5"))"
  fi
  for ds in production flow realization_done summary/production_quantile; do
    h5diff -q "$tmp/full.h5" "$out" "/$ds" "/$ds" >/dev/null 2>&1
    ok '[ $? -eq 0 ]' "kill -9 after ${t} replications: /$ds equals the uninterrupted run's"
  done
done

"$bin" "${args[@]}" -o "$tmp/full.h5" --resume >"$tmp/out3" 2>&1
ok '[ $? -eq 0 ] && grep -q "nothing to resume" "$tmp/out3"' "resume of a complete file does nothing and says so"

echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
