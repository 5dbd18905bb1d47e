#!/bin/bash
# Slurm job array: a sweep (or a run) split into N shards, one per array task.
#   sbatch --array=0-31 scripts/slurm-array.sh SWEEP.yaml results/lhs.h5 32 [ANODESIM OPTIONS...]
# Task K runs every N-th (point, replication), t mod N = K, and writes
# results/lhs.shard-K-of-N.h5; when all are done, merge them:
#   build/anodesim merge -o results/lhs.h5 results/lhs.shard-*-of-32.h5
# N is given (third argument, or ANODESIM_SHARDS), never taken from the
# array: re-running one task (sbatch --array=7 ... 32) must still mean
# shard 7 of 32, and stepped arrays (--array=0-30:2) work the same way.
# A task that was pre-empted, requeued or hit its time limit is simply run
# again: --resume continues its shard where it stopped (and starts it
# when there is nothing to resume).
#SBATCH --job-name=anodesim
#SBATCH --cpus-per-task=8
#SBATCH --time=02:00:00
#SBATCH --signal=B:TERM@120        # to this batch shell (anodesim, by exec), two minutes before the limit
#SBATCH --requeue                  # pre-empted tasks are requeued ...
#SBATCH --open-mode=append         # ... and append to their log instead of overwriting it
#SBATCH --output=anodesim-%A_%a.out
set -euo pipefail
usage="usage: sbatch --array=0-N-1 scripts/slurm-array.sh SWEEP.yaml OUTPUT.h5 N [OPTIONS...]"
input=${1:?$usage}
out=${2:?$usage}
shards=${3:-${ANODESIM_SHARDS:-}}
shift $(( $# < 3 ? $# : 3 ))   # what is left goes to anodesim (-r 400, --set KEY=VALUE, ...)
bin=${ANODESIM:-build/anodesim}
task=${SLURM_ARRAY_TASK_ID:-}
whole='^(0|[1-9][0-9]*)$'
if ! [[ $shards =~ $whole ]] || [ "$shards" -lt 1 ]; then
  echo "slurm-array.sh: the shard count N must be given as a whole number >= 1 (third argument or ANODESIM_SHARDS), got '$shards'" >&2
  exit 2
fi
if ! [[ $task =~ $whole ]] || [ "$task" -ge "$shards" ]; then
  echo "slurm-array.sh: SLURM_ARRAY_TASK_ID must be a whole number below N=$shards (run it with sbatch --array=0-$((shards - 1))), got '$task'" >&2
  exit 2
fi
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
cmd=run   # a sweep file is the one with a design
grep -qE '^design:' "$input" && cmd=sweep
# exec: the signal Slurm sends the batch shell reaches anodesim itself.
# No -q: without a terminal anodesim writes a heartbeat line to the log.
exec "$bin" "$cmd" "$input" -t "$OMP_NUM_THREADS" -o "$out" --resume --shard "$task/$shards" "$@"
