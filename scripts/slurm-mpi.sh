#!/bin/bash
# One MPI job: ranks share the (point, replication) tasks dynamically; rank 0
# merges the ranks' files into one results file at the end.
#   sbatch scripts/slurm-mpi.sh SWEEP.yaml results/lhs.h5
# Build first with MPI: cmake -S . -B build-mpi -DANODESIM_MPI=ON && cmake --build build-mpi
# Resubmitting the same job continues an interrupted one (--resume), with
# the same number of ranks (another count is refused, naming the one to use).
# If your site's srun does not start MPI processes by default, add
# --mpi=pmix (or the plugin `srun --mpi=list` shows); anodesim warns when
# Slurm started several tasks but MPI sees one rank.
#SBATCH --job-name=anodesim-mpi
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=2
#SBATCH --cpus-per-task=8
#SBATCH --time=04:00:00
#SBATCH --signal=B:TERM@120
#SBATCH --open-mode=append
set -euo pipefail
usage="usage: sbatch scripts/slurm-mpi.sh SWEEP.yaml OUTPUT.h5"
input=${1:?$usage}
out=${2:?$usage}
bin=${ANODESIM:-build-mpi/anodesim}
cpus=${SLURM_CPUS_PER_TASK:-1}
if ! [[ $cpus =~ ^[1-9][0-9]*$ ]]; then
  echo "slurm-mpi.sh: SLURM_CPUS_PER_TASK must be a whole number >= 1, got '$cpus'" >&2
  exit 2
fi
export OMP_NUM_THREADS=$cpus
cmd=run   # a sweep file is the one with a design
grep -qE '^design:' "$input" && cmd=sweep
# Since Slurm 22.05 srun does not inherit --cpus-per-task: pass it, or
# every rank's threads share one core.  exec: the TERM Slurm sends the
# batch shell reaches srun, which passes it to every rank.
exec srun -c "$cpus" --cpu-bind=cores "$bin" "$cmd" "$input" -t "$cpus" -o "$out" --resume
