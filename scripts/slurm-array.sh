#!/bin/bash
# Slurm job array: a sweep split into shards, one per array task.
#   sbatch --array=0-31 scripts/slurm-array.sh scenarios/sweeps/lhs-supply-chain.yaml results/lhs.h5
# Each task runs every 32nd (point, replication) and writes
# results/lhs.shard-K-of-32.h5; when all are done, merge them:
#   build/anodesim merge -o results/lhs.h5 results/lhs.shard-*-of-32.h5
# A task that was pre-empted or hit its time limit is simply run again
# (sbatch --array=K ...): --resume continues its shard where it stopped.
#SBATCH --job-name=anodesim
#SBATCH --cpus-per-task=8
#SBATCH --time=02:00:00
#SBATCH --signal=TERM@120          # SIGTERM two minutes before the limit: the shard is kept, resumable
#SBATCH --requeue
set -euo pipefail
sweep=${1:?usage: sbatch --array=0-N scripts/slurm-array.sh SWEEP.yaml OUTPUT.h5}
out=${2:?usage: sbatch --array=0-N scripts/slurm-array.sh SWEEP.yaml OUTPUT.h5}
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
# SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT select the shard.
exec build/anodesim sweep "$sweep" -q -t "$OMP_NUM_THREADS" -o "$out" --resume
