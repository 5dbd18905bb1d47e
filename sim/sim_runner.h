/*
 * sim_runner — independent tasks (replications) on OpenMP threads, results
 * delivered in task order.
 *
 * Tasks 0..ntasks-1 are handed to threads dynamically (whoever is free takes
 * the next one), so uneven replications balance themselves.  Each finished
 * task yields a heap result; results reach `consume` strictly in task order
 * and one at a time, so whatever the consumer writes never depends on thread
 * timing.  At most `window` results wait for delivery: a thread that would
 * run too far ahead of the slowest task first helps deliver, then waits,
 * which bounds memory independently of ntasks.
 *
 * Errors: the first non-zero status from run_task or consume stops the
 * hand-out of new tasks; tasks already running finish.  Results of tasks
 * before the first failed one are still consumed (a gap-free prefix, so a
 * partial output is a clean prefix); the others go to `discard`.  sim_runner_run returns that status with its
 * message on the calling thread.  A non-NULL `cancel` flag that becomes
 * non-zero (a signal handler sets it) stops the hand-out the same way and
 * yields SIM_EINTR, after every task before the first unfinished one has
 * been consumed.
 */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include <signal.h>
#include <stdint.h>

typedef struct sim_runner_spec {
    long first_task;      /* tasks first_task .. first_task+ntasks-1 */
    long ntasks;
    int nthreads;         /* 0: OpenMP's default */
    int window;           /* results in flight; 0: 8 per thread */
    void *ctx;            /* passed to every callback */

    /* Optional per-thread scratch (a model instance reused across tasks). */
    void *(*scratch_new)(void *ctx);
    void (*scratch_free)(void *ctx, void *scratch);

    /* Run one task; on success store a heap result in *result. */
    int (*run_task)(void *ctx, void *scratch, long task, void **result);
    /* Take ownership of a result, in task order. */
    int (*consume)(void *ctx, long task, void *result);
    /* Free a result that will not be consumed (after an error). */
    void (*discard)(void *ctx, void *result);
    /* Optional: work the consumer left for any thread (folding summaries
     * in parts), called by every thread after each task it runs and while
     * it waits for room in the window.  Thread-safe; a serial consumer
     * would otherwise cap the throughput of many threads. */
    void (*help)(void *ctx);

    volatile sig_atomic_t *cancel;

    /* Optional: where tasks come from when they are shared with other
     * processes (MPI).  Returns the next task number, or -1 when none is
     * left; called under a lock, one thread at a time.  The runner then
     * runs tasks in the order claimed and ignores first_task/ntasks. */
    long (*claim)(void *ctx);
} sim_runner_spec;

typedef struct sim_runner_stats {
    long consumed;        /* tasks delivered to consume */
    int nthreads;         /* threads actually used */
    double wall_s;
    double consume_s;     /* seconds in consume (one thread at a time: the serial part) */
    double busy_s[256];   /* seconds each thread spent in run_task */
    long tasks_per_thread[256];
} sim_runner_stats;

/* Run the tasks.  stats may be NULL.  Returns SIM_OK, the first callback
 * error, SIM_EINTR when cancelled, or SIM_ENOMEM. */
int sim_runner_run(const sim_runner_spec *spec, sim_runner_stats *stats);

#endif
