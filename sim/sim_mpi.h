/*
 * sim_mpi — the little of MPI the drivers need, and a stand-in when
 * anodesim is built without MPI (-DANODESIM_MPI=OFF): one rank.
 *
 * Tasks are handed out dynamically through a counter that lives on rank 0
 * (an MPI window updated with MPI_Fetch_and_op), so fast ranks take more.
 * MPI is initialised with MPI_THREAD_SERIALIZED: only one OpenMP thread
 * of a rank calls MPI at a time (the runner claims tasks under its lock).
 */
#ifndef SIM_MPI_H
#define SIM_MPI_H

/* Initialise (no-op without MPI).  Returns SIM_OK or SIM_ERUNTIME. */
int sim_mpi_init(int *argc, char ***argv);
void sim_mpi_finalize(void);
int sim_mpi_rank(void);
int sim_mpi_size(void);
/* 1 when built with MPI. */
int sim_mpi_enabled(void);
void sim_mpi_barrier(void);

/* The largest status over all ranks (collective): a rank that failed makes
 * every rank see the failure. */
int sim_mpi_max_status(int status);

/* Element-wise maximum of a byte array over all ranks (collective), in
 * place: the union of "done" masks. */
void sim_mpi_max_bytes(unsigned char *buf, long n);

/* A shared task counter starting at 0 (collective open and close).
 * sim_mpi_counter_next returns the next task number, or -1 past `limit`. */
int sim_mpi_counter_open(void);
long sim_mpi_counter_next(long limit);
void sim_mpi_counter_close(void);

#endif
