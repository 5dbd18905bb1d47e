#include "sim_runner.h"

#include <omp.h>
#include <limits.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

typedef struct {
    const sim_runner_spec *spec;
    long window;
    void **slot;               /* result of task t at slot[t % window] */
    atomic_int *ready;         /* slot holds a finished result */
    atomic_long next_take;     /* next task index to hand out (relative) */
    atomic_long next_deliver;  /* next task index to consume (relative) */
    sim_err_first failed;      /* the first error, and its message */
    atomic_long limit;         /* local tasks: ntasks, or where claims ran out */
    long *claimed;             /* claim mode: task of each local slot */
    omp_lock_t claim_lock;
    long consumed;             /* results consumed (under deliver_lock) */
    double consume_s;          /* time spent consuming (under deliver_lock) */
    int gap;                   /* a task or consume failed: stop consuming */
    omp_lock_t deliver_lock;
} runner;

/* Deliver every ready result in order.  One deliverer at a time; others
 * return at once and rely on the holder (or their own next call) to pick
 * their result up. */
static void try_deliver(runner *r)
{
    const sim_runner_spec *s = r->spec;
    for (;;) {
        if (!omp_test_lock(&r->deliver_lock))
            return;
        long d;
        while ((d = atomic_load(&r->next_deliver)) < atomic_load(&r->limit) &&
               atomic_load_explicit(&r->ready[d % r->window], memory_order_acquire)) {
            long i = d % r->window;
            void *res = r->slot[i];
            r->slot[i] = NULL;
            atomic_store_explicit(&r->ready[i], 0, memory_order_relaxed);
            /* Consume a gap-free prefix: tasks finished before a failed
             * or skipped one are kept, nothing after it, and nothing
             * once the consumer itself has failed. */
            if (!res)
                r->gap = 1;
            if (res && !r->gap) {
                long task = r->claimed ? r->claimed[i] : s->first_task + d;
                double t0 = omp_get_wtime();
                int rc = s->consume(s->ctx, task, res);
                r->consume_s += omp_get_wtime() - t0;
                if (rc != SIM_OK) {
                    sim_err_first_keep(&r->failed, rc);
                    r->gap = 1;
                } else {
                    r->consumed++;
                }
            } else if (res && s->discard) {
                s->discard(s->ctx, res);
            }
            atomic_store_explicit(&r->next_deliver, d + 1, memory_order_release);
        }
        omp_unset_lock(&r->deliver_lock);
        /* A result may have become ready between the last check and the
         * unlock; look once more so that it is not stranded. */
        d = atomic_load(&r->next_deliver);
        if (d >= atomic_load(&r->limit) || !atomic_load(&r->ready[d % r->window]))
            return;
    }
}

static int stop_requested(runner *r)
{
    const sim_runner_spec *s = r->spec;
    if (sim_err_first_code(&r->failed) != 0)
        return 1;
    if (s->cancel && *s->cancel) {
        sim_err_set(SIM_EINTR, "interrupted");
        sim_err_first_keep(&r->failed, SIM_EINTR);
        return 1;
    }
    return 0;
}

static void worker(runner *r, sim_runner_stats *stats)
{
    const sim_runner_spec *s = r->spec;
    int tid = omp_get_thread_num();
    void *scratch = NULL;
    if (s->scratch_new) {
        scratch = s->scratch_new(s->ctx);
        if (!scratch) {
            sim_err_set(SIM_ENOMEM, "cannot allocate a model instance for thread %d", tid);
            sim_err_first_keep(&r->failed, SIM_ENOMEM);
            return;
        }
    }
    double busy = 0.0;
    long done = 0;
    for (;;) {
        if (stop_requested(r))
            break;
        long t, task;
        if (s->claim) {
            /* Local order and claimed task are taken together. */
            omp_set_lock(&r->claim_lock);
            t = atomic_load(&r->next_take);
            task = t < atomic_load(&r->limit) ? s->claim(s->ctx) : -1;
            if (task < 0 && t < atomic_load(&r->limit))
                atomic_store(&r->limit, t);
            else if (task >= 0)
                atomic_store(&r->next_take, t + 1);
            omp_unset_lock(&r->claim_lock);
            if (task < 0)
                break;
        } else {
            t = atomic_fetch_add(&r->next_take, 1);
            if (t >= atomic_load(&r->limit))
                break;
            task = s->first_task + t;
        }
        /* Bound the results in flight: wait until task t has a free slot. */
        while (t >= atomic_load(&r->next_deliver) + r->window) {
            try_deliver(r);
            if (s->help)
                s->help(s->ctx);
            sched_yield();
        }
        void *res = NULL;
        double t0 = omp_get_wtime();
        /* A task once handed out is always run, so that every task before
         * a failed one completes and the consumed prefix is gap-free. */
        int rc = s->run_task(s->ctx, scratch, task, &res);
        busy += omp_get_wtime() - t0;
        done++;
        if (rc != SIM_OK)
            sim_err_first_keep(&r->failed, rc);
        /* Publish even on error (res NULL) so that delivery never stalls. */
        if (r->claimed)
            r->claimed[t % r->window] = task;
        r->slot[t % r->window] = res;
        atomic_store_explicit(&r->ready[t % r->window], 1, memory_order_release);
        try_deliver(r);
        if (s->help)
            s->help(s->ctx);
    }
    try_deliver(r);
    if (scratch && s->scratch_free)
        s->scratch_free(s->ctx, scratch);
    if (stats && tid < 256) {
        stats->busy_s[tid] = busy;
        stats->tasks_per_thread[tid] = done;
    }
}

int sim_runner_run(const sim_runner_spec *spec, sim_runner_stats *stats)
{
    runner r;
    memset(&r, 0, sizeof r);
    r.spec = spec;
    int nthreads = spec->nthreads > 0 ? spec->nthreads : omp_get_max_threads();
    if (nthreads > 256)
        nthreads = 256;
    r.window = spec->window > 0 ? spec->window : 8L * nthreads;
    r.slot = calloc((size_t)r.window, sizeof *r.slot);
    r.ready = calloc((size_t)r.window, sizeof *r.ready);
    if (!r.slot || !r.ready) {
        free(r.slot);
        free(r.ready);
        return sim_err_set(SIM_ENOMEM, "cannot allocate the result window");
    }
    atomic_init(&r.next_take, 0);
    atomic_init(&r.next_deliver, 0);
    sim_err_first_init(&r.failed);
    atomic_init(&r.limit, spec->claim ? LONG_MAX : spec->ntasks);
    if (spec->claim && !(r.claimed = calloc((size_t)r.window, sizeof *r.claimed))) {
        free(r.slot);
        free(r.ready);
        return sim_err_set(SIM_ENOMEM, "cannot allocate the result window");
    }
    omp_init_lock(&r.deliver_lock);
    omp_init_lock(&r.claim_lock);
    if (stats)
        memset(stats, 0, sizeof *stats);

    double t0 = omp_get_wtime();
#pragma omp parallel num_threads(nthreads)
    worker(&r, stats);
    double wall = omp_get_wtime() - t0;

    /* After a failure some slots may hold results that were never reached
     * by delivery (tasks behind a failed one). */
    for (long i = 0; i < r.window; i++)
        if (atomic_load(&r.ready[i]) && r.slot[i] && spec->discard)
            spec->discard(spec->ctx, r.slot[i]);
    omp_destroy_lock(&r.deliver_lock);
    omp_destroy_lock(&r.claim_lock);
    free(r.claimed);
    free(r.slot);
    free(r.ready);
    if (stats) {
        stats->consumed = r.consumed;
        stats->consume_s = r.consume_s;
        stats->nthreads = nthreads;
        stats->wall_s = wall;
    }
    return sim_err_first_take(&r.failed);
}
