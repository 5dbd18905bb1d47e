#include "sim_mpi.h"

#include "sim_err.h"

int sim_mpi_enabled(void)
{
#ifdef ANODESIM_HAVE_MPI
    return 1;
#else
    return 0;
#endif
}

#ifdef ANODESIM_HAVE_MPI
#include <mpi.h>

static int initialised_here;
static MPI_Win counter_win = MPI_WIN_NULL;
static long *counter_mem;

int sim_mpi_init(int *argc, char ***argv)
{
    int flag = 0, provided;
    MPI_Initialized(&flag);
    if (flag)
        return SIM_OK;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
        return sim_err_set(SIM_ERUNTIME, "MPI_Init_thread failed");
    initialised_here = 1;
    if (provided < MPI_THREAD_SERIALIZED)
        return sim_err_set(SIM_ERUNTIME, "this MPI library does not support MPI_THREAD_SERIALIZED");
    return SIM_OK;
}

void sim_mpi_finalize(void)
{
    int fin = 0;
    MPI_Finalized(&fin);
    if (initialised_here && !fin)
        MPI_Finalize();
}

int sim_mpi_rank(void)
{
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int sim_mpi_size(void)
{
    int n = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

void sim_mpi_barrier(void)
{
    MPI_Barrier(MPI_COMM_WORLD);
}

int sim_mpi_max_status(int status)
{
    int out = status;
    MPI_Allreduce(&status, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return out;
}

void sim_mpi_max_bytes(unsigned char *buf, long n)
{
    for (long off = 0; off < n; off += 1L << 30) {
        int len = (int)(n - off < (1L << 30) ? n - off : (1L << 30));
        MPI_Allreduce(MPI_IN_PLACE, buf + off, len, MPI_UNSIGNED_CHAR, MPI_MAX, MPI_COMM_WORLD);
    }
}

int sim_mpi_counter_open(void)
{
    MPI_Aint size = sim_mpi_rank() == 0 ? (MPI_Aint)sizeof(long) : 0;
    if (MPI_Win_allocate(size, sizeof(long), MPI_INFO_NULL, MPI_COMM_WORLD, &counter_mem, &counter_win) !=
        MPI_SUCCESS)
        return sim_err_set(SIM_ERUNTIME, "cannot create the MPI task counter");
    if (sim_mpi_rank() == 0)
        *counter_mem = 0;
    MPI_Barrier(MPI_COMM_WORLD);
    return SIM_OK;
}

long sim_mpi_counter_next(long limit)
{
    long one = 1, got = 0;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, counter_win);
    MPI_Fetch_and_op(&one, &got, MPI_LONG, 0, 0, MPI_SUM, counter_win);
    MPI_Win_unlock(0, counter_win);
    return got < limit ? got : -1;
}

void sim_mpi_counter_close(void)
{
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Win_free(&counter_win);
}

#else   /* one rank */

static long counter;

int sim_mpi_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return SIM_OK;
}

void sim_mpi_finalize(void) {}
int sim_mpi_rank(void) { return 0; }
int sim_mpi_size(void) { return 1; }
void sim_mpi_barrier(void) {}
int sim_mpi_max_status(int status) { return status; }

void sim_mpi_max_bytes(unsigned char *buf, long n)
{
    (void)buf;
    (void)n;
}

int sim_mpi_counter_open(void)
{
    counter = 0;
    return SIM_OK;
}

long sim_mpi_counter_next(long limit)
{
    long got = counter++;
    return got < limit ? got : -1;
}

void sim_mpi_counter_close(void) {}
#endif
