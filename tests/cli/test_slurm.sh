#!/usr/bin/env bash
# The Slurm array script's command lines under simulated Slurm
# environments: a whole array, a re-run of one task (Slurm then sets
# SLURM_ARRAY_TASK_COUNT=1 and SLURM_ARRAY_TASK_MIN=K), a stepped array, a
# requeue after SIGTERM; the merged file must equal one run's.  Bad Slurm
# variables exit 2 with a message.  Heartbeat lines reach a log that is
# not a terminal.  (The #SBATCH lines are comments to bash.)
# usage: test_slurm.sh ANODESIM SOURCE_DIR PYTHON
set -u
bin=$1
src=$2
py=$3
scen=$src/tests/data/short.yaml
script=$src/scripts/slurm-array.sh
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
n=0
. "$(dirname "$0")/lib.sh"   # wait_done
check() { n=$((n + 1)); if ! eval "$1"; then echo "FAIL: $2"; cat "$tmp/err" 2>/dev/null; fail=$((fail + 1)); fi; }
export ANODESIM=$bin SLURM_CPUS_PER_TASK=1
same() {   # same A B: the datasets that matter are equal
  local bad=""
  for ds in production shortage flow plant_production coke_price anode_price replication_seed realization_done \
            summary/production_mean summary/production_quantile; do
    h5diff -q "$1" "$2" "/$ds" "/$ds" >/dev/null 2>&1 || bad="$bad $ds"
  done
  [ -z "$bad" ]
}
task() {   # task ID [COUNT MIN]: the script as Slurm would start array task ID
  SLURM_ARRAY_TASK_ID=$1 SLURM_ARRAY_TASK_COUNT=${2:-3} SLURM_ARRAY_TASK_MIN=${3:-0} \
    bash "$script" "$scen" "$tmp/a.h5" 3 >>"$tmp/log" 2>&1
}
R=$(sed -n 's/^ *replications: *//p' "$scen" | head -1)
"$bin" run "$scen" -q -t 2 -o "$tmp/ref.h5" >/dev/null 2>"$tmp/err"

# A whole array of 3, then a merge.
for k in 0 1 2; do task $k; done
"$bin" merge -o "$tmp/a.h5" "$tmp"/a.shard-*-of-3.h5 >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 0 ] && same "$tmp/ref.h5" "$tmp/a.h5"' "array of 3 shards merged equals one run (exit $code)"

# Task 1 re-run alone after a SIGTERM (count 1, min 1): it resumes shard 1
# of 3, it does not start shard 0 of 1.
rm -f "$tmp"/a.h5 "$tmp"/a.shard-1-of-3.h5
SLURM_ARRAY_TASK_ID=1 bash "$script" "$src/scenarios/china-2024/scenario.yaml" "$tmp/b.h5" 3 -r 600 >"$tmp/log1" 2>&1 &
p=$!
wait_done "$tmp/b.shard-1-of-3.h5.partial" 3
kill -TERM $p; wait $p
check '[ -f "$tmp/b.shard-1-of-3.h5.partial" ]' "SIGTERM (Slurm's --signal=B:TERM) leaves the shard's partial"
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=1 SLURM_ARRAY_TASK_MIN=1 \
  bash "$script" "$src/scenarios/china-2024/scenario.yaml" "$tmp/b.h5" 3 -r 600 >>"$tmp/log1" 2>&1; code=$?
check '[ $code -eq 0 ] && [ -f "$tmp/b.shard-1-of-3.h5" ] && [ ! -e "$tmp/b.shard-0-of-1.h5" ] && grep -q "resuming" "$tmp/log1"' \
  "a re-run of task 1 alone (requeue) resumes shard 1 of 3 (exit $code)"

# A stepped array: --array=0-4:2 runs 0, 2, 4 of 5; then 1 and 3.
for k in 0 2 4; do SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_STEP=2 \
  bash "$script" "$scen" "$tmp/c.h5" 5 >>"$tmp/log" 2>&1 || echo "task $k failed" >>"$tmp/log"; done
for k in 1 3; do SLURM_ARRAY_TASK_ID=$k bash "$script" "$scen" "$tmp/c.h5" 5 >>"$tmp/log" 2>&1; done
"$bin" merge -o "$tmp/c.h5" "$tmp"/c.shard-*-of-5.h5 >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 0 ] && same "$tmp/ref.h5" "$tmp/c.h5"' "a stepped array of 5 merged equals one run (exit $code)"

# Bad variables and arguments: exit 2, a message, nothing written.
SLURM_ARRAY_TASK_ID=abc bash "$script" "$scen" "$tmp/d.h5" 3 >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && grep -q "SLURM_ARRAY_TASK_ID" "$tmp/err" && ! ls "$tmp"/d.* >/dev/null 2>&1' "SLURM_ARRAY_TASK_ID=abc (exit $code)"
SLURM_ARRAY_TASK_ID=3 bash "$script" "$scen" "$tmp/d.h5" 3 >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && grep -q "below N=3" "$tmp/err"' "task 3 of 3 (exit $code)"
SLURM_ARRAY_TASK_ID=0 bash "$script" "$scen" "$tmp/d.h5" >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && grep -q "shard count N must be given" "$tmp/err"' "no shard count (exit $code)"
SLURM_ARRAY_TASK_ID=0 "$bin" run "$scen" -q -o "$tmp/d.h5" >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && grep -q "ANODESIM_SHARDS" "$tmp/err"' "anodesim in an array task without a shard count (exit $code)"
SLURM_ARRAY_TASK_ID=x ANODESIM_SHARDS=3 "$bin" run "$scen" -q -o "$tmp/d.h5" >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ]' "SLURM_ARRAY_TASK_ID=x with ANODESIM_SHARDS (exit $code)"

# A batch log (not a terminal) gets heartbeat lines; -q silences them.
ANODESIM_HEARTBEAT_S=1 "$bin" run "$src/scenarios/china-2024/scenario.yaml" -r 100000 -t 1 >/dev/null 2>"$tmp/hb" &
p=$!
for _ in $(seq 100); do grep -q "replications (" "$tmp/hb" && break; sleep 0.1; done
kill -TERM $p; wait $p
check 'grep -qE "^anodesim: [0-9]+/100000 replications \([0-9]+ %\), [0-9.]+/s, about [0-9]+ s left" "$tmp/hb"' \
  "a heartbeat line reaches a log"
ANODESIM_HEARTBEAT_S=1 "$bin" run "$src/scenarios/china-2024/scenario.yaml" -q -r 100000 -t 1 >/dev/null 2>"$tmp/hb" &
p=$!
sleep 2.5
kill -TERM $p; wait $p
check '! grep -q "replications (" "$tmp/hb"' "-q: no heartbeat"
SLURM_NTASKS=4 "$bin" run "$scen" -q -r 1 >/dev/null 2>"$tmp/err"
check 'grep -q "SLURM_NTASKS=4 but this process is the only MPI rank" "$tmp/err"' "a warning when Slurm started 4 tasks but MPI sees one"

echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
