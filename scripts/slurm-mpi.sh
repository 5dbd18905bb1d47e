#!/bin/bash
# One MPI job: ranks share the (point, replication) tasks dynamically; rank 0
# merges the ranks' files into one results file at the end.
#   sbatch scripts/slurm-mpi.sh scenarios/sweeps/lhs-supply-chain.yaml results/lhs.h5
# Build first with MPI: cmake -S . -B build-mpi -DANODESIM_MPI=ON && cmake --build build-mpi
# (For runs that must survive pre-emption, prefer the array job: shards resume.)
#SBATCH --job-name=anodesim-mpi
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=2
#SBATCH --cpus-per-task=8
#SBATCH --time=04:00:00
set -euo pipefail
sweep=${1:?usage: sbatch scripts/slurm-mpi.sh SWEEP.yaml OUTPUT.h5}
out=${2:?usage: sbatch scripts/slurm-mpi.sh SWEEP.yaml OUTPUT.h5}
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
srun --cpu-bind=cores build-mpi/anodesim sweep "$sweep" -q -t "$OMP_NUM_THREADS" -o "$out"
