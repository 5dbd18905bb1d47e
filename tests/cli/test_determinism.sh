#!/usr/bin/env bash
# The determinism matrix: the same seed gives identical datasets with 1, 2,
# 4 and 7 threads, with 2 shards merged (on 1 or 5 threads), for a scenario with every source of
# randomness, with a sweep split in 3 shards, and
# (when built with MPI) with 1 and 2 MPI ranks.  Provenance attributes
# (threads, wall time) may differ; every dataset must not.
# usage: test_determinism.sh ANODESIM SOURCE_DIR [MPIEXEC]
set -u
bin=$1
src=$2
mpiexec=${3:-}
scen=$src/tests/data/short.yaml
sweep=$src/tests/data/sweep-2x2.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
DATASETS="production consumption shortage exports anode_stock production_cost flow plant_production coke_price anode_price
inert_share balance_residual replication_seed events realization_done summary/production_mean
summary/production_std summary/production_quantile summary/shortage_quantile summary/flow_mean
summary/coke_price_quantile summary/anode_price_quantile summary/inert_share_mean"

same() {   # same REF OTHER LABEL
  n=$((n + 1))
  local bad=""
  for ds in $DATASETS; do
    h5diff -q "$1" "$2" "/$ds" "/$ds" >/dev/null 2>&1 || bad="$bad $ds"
  done
  if [ -n "$bad" ]; then echo "FAIL: $3 differs in:$bad"; fail=$((fail + 1)); fi
}

run() { "$bin" "$@" -q >/dev/null 2>"$tmp/err" || { echo "FAIL: anodesim $*"; cat "$tmp/err"; fail=$((fail + 1)); }; }

run run "$scen" -r 6 -t 1 -o "$tmp/t1.h5"
for t in 2 4; do
  run run "$scen" -r 6 -t $t -o "$tmp/t$t.h5"
  same "$tmp/t1.h5" "$tmp/t$t.h5" "$t threads vs 1"
done
# Enough replications that the quantiles leave their exact phase (13) and
# the fold queue fills: threads (more than cores) fold parts of the
# monthly summaries at the same time.
run run "$scen" -r 40 -t 1 -o "$tmp/q1.h5"
run run "$scen" -r 40 -t 7 -o "$tmp/q7.h5"
same "$tmp/q1.h5" "$tmp/q7.h5" "40 replications, 7 threads vs 1"
run run "$scen" -r 40 -t 3 --shard 0/2 -o "$tmp/qs.h5"
run run "$scen" -r 40 -t 2 --shard 1/2 -o "$tmp/qs.h5"
run merge -t 5 -o "$tmp/qm.h5" "$tmp/qs.shard-0-of-2.h5" "$tmp/qs.shard-1-of-2.h5"
same "$tmp/q1.h5" "$tmp/qm.h5" "40 replications, 2 shards merged on 5 threads vs one run"
# A summary-only run's summaries are a full run's, bit for bit (both
# exact: the full run's quantiles from the file, this one's from memory),
# and the same quantiles beyond the memory bound come as P-square
# estimates, said so.
run run "$scen" -r 40 -t 3 --summary-only -o "$tmp/so.h5"
bad=""
for ds in $(h5ls "$tmp/q1.h5/summary" | awk '{print $1}'); do
  h5diff -q "$tmp/q1.h5" "$tmp/so.h5" "/summary/$ds" "/summary/$ds" >/dev/null 2>&1 || bad="$bad $ds"
done
n=$((n + 1))
[ -z "$bad" ] || { echo "FAIL: summary-only vs full run differs in:$bad"; fail=$((fail + 1)); }
export ANODESIM_QUANTILE_MB=0   # (an assignment before a shell function is not exported by every sh)
run run "$scen" -r 40 -t 2 --summary-only -o "$tmp/sp.h5"
n=$((n + 1))
h5dump -a /summary/production_quantile/quantile_method "$tmp/sp.h5" 2>/dev/null | grep -q "P-square" &&
  h5dump -a /summary/production_quantile/quantile_method "$tmp/so.h5" 2>/dev/null | grep -q '"exact"' ||
  { echo "FAIL: quantile_method does not say exact / P-square"; fail=$((fail + 1)); }
# No scratch for columns: the selection in passes (sum_select) gives the
# same quantiles.
run run "$scen" -r 40 -t 2 -o "$tmp/qz.h5"
unset ANODESIM_QUANTILE_MB
same "$tmp/q1.h5" "$tmp/qz.h5" "quantiles by selection in passes vs from columns"
run run "$scen" -r 6 -t 2 --shard 0/2 -o "$tmp/sh.h5"
run run "$scen" -r 6 -t 1 --shard 1/2 -o "$tmp/sh.h5"
run merge -o "$tmp/merged.h5" "$tmp/sh.shard-0-of-2.h5" "$tmp/sh.shard-1-of-2.h5"
same "$tmp/t1.h5" "$tmp/merged.h5" "2 shards merged vs one run"
# A Slurm array task's id and ANODESIM_SHARDS pick the shard (the array's
# own count and minimum do not: a re-run of task 1 alone has count 1).
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=1 ANODESIM_SHARDS=2 \
  run run "$scen" -r 6 -t 1 -o "$tmp/sl.h5"
n=$((n + 1))
[ -f "$tmp/sl.shard-1-of-2.h5" ] || { echo "FAIL: Slurm array task 1 with ANODESIM_SHARDS=2 did not write shard 1-of-2"; fail=$((fail + 1)); }
h5diff -q "$tmp/sh.shard-1-of-2.h5" "$tmp/sl.shard-1-of-2.h5" /production /production >/dev/null 2>&1 ||
  { echo "FAIL: the Slurm shard differs from --shard 1/2"; fail=$((fail + 1)); n=$((n + 1)); }

# Every source of randomness at once (inert anodes, volatile prices,
# outages, random closures): threads and shards must not matter either.
stoch=$src/tests/data/stochastic.yaml
run run "$stoch" -t 1 -o "$tmp/st1.h5"
run run "$stoch" -t 2 -o "$tmp/st2.h5"
same "$tmp/st1.h5" "$tmp/st2.h5" "stochastic scenario, 2 threads vs 1"
for k in 0 1 2; do run run "$stoch" -t 2 --shard $k/3 -o "$tmp/sts.h5"; done
run merge -o "$tmp/stm.h5" "$tmp"/sts.shard-*-of-3.h5
same "$tmp/st1.h5" "$tmp/stm.h5" "stochastic scenario, 3 shards merged vs one run"

run sweep "$sweep" -t 2 -o "$tmp/sw.h5"
# Each point's summaries are encoded by whichever threads are free: more
# threads than cores must give the same file.
run sweep "$sweep" -t 5 -o "$tmp/sw5.h5"
same "$tmp/sw.h5" "$tmp/sw5.h5" "sweep, 5 threads vs 2"
for k in 0 1 2; do run sweep "$sweep" -t 1 --shard $k/3 -o "$tmp/swsh.h5"; done
run merge -o "$tmp/swm.h5" "$tmp"/swsh.shard-*-of-3.h5
same "$tmp/sw.h5" "$tmp/swm.h5" "sweep in 3 shards merged vs one run"
n=$((n + 1))
h5diff -q "$tmp/sw.h5" "$tmp/swm.h5" /design /design >/dev/null 2>&1 || { echo "FAIL: sweep design differs"; fail=$((fail + 1)); }

if [ -n "$mpiexec" ]; then
  for np in 1 2; do
    $mpiexec --allow-run-as-root --oversubscribe -np $np "$bin" run "$scen" -q -r 6 -t 1 -o "$tmp/mpi$np.h5" >/dev/null 2>"$tmp/err" ||
      { echo "FAIL: mpiexec -np $np"; cat "$tmp/err"; fail=$((fail + 1)); }
    same "$tmp/t1.h5" "$tmp/mpi$np.h5" "MPI with $np ranks vs one run"
  done
  # SIGTERM to an MPI job, then --resume with the same ranks: equal to one run.
  full=$src/scenarios/china-2024/scenario.yaml
  "$bin" run "$full" -q -r 400 -t 2 -o "$tmp/mref.h5" >/dev/null 2>&1
  $mpiexec --allow-run-as-root --oversubscribe -np 2 "$bin" run "$full" -q -r 400 -t 1 -o "$tmp/mres.h5" >/dev/null 2>&1 &
  pid=$!
  sleep 1
  kill -TERM $pid
  wait $pid
  $mpiexec --allow-run-as-root --oversubscribe -np 2 "$bin" run "$full" -q -r 400 -t 1 -o "$tmp/mres.h5" --resume \
    >/dev/null 2>"$tmp/err" || { echo "FAIL: MPI resume"; cat "$tmp/err"; fail=$((fail + 1)); }
  same "$tmp/mref.h5" "$tmp/mres.h5" "MPI interrupted with SIGTERM and resumed vs one run"
  # Resuming rank files with another rank count is refused, naming it.
  $mpiexec --allow-run-as-root --oversubscribe -np 2 "$bin" run "$full" -q -r 4000 -t 1 -o "$tmp/mnp.h5" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 200); do [ -f "$tmp/mnp.rank-1-of-2.h5.partial" ] && break; sleep 0.05; done
  sleep 0.5
  kill -TERM $pid
  wait $pid
  n=$((n + 1))
  $mpiexec --allow-run-as-root --oversubscribe -np 3 "$bin" run "$full" -q -r 4000 -t 1 -o "$tmp/mnp.h5" --resume \
    >/dev/null 2>"$tmp/err"
  grep -q "resume with mpirun -np 2" "$tmp/err" && [ -f "$tmp/mnp.rank-0-of-2.h5.partial" ] ||
    { echo "FAIL: MPI resume with another rank count is not refused clearly"; cat "$tmp/err"; fail=$((fail + 1)); }
fi

echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
