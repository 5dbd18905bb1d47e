#include "summary_jobs.h"

#include <omp.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "sim_err.h"

struct sum_jobs {
    const h5o_file *f;
    int n;                     /* jobs per point */
    int nthreads;
    h5o_summaries sm;          /* of the open point */
    atomic_long next;          /* next job to take; >= n: none open */
    atomic_int done;           /* jobs of the open point finished */
    sim_err_first failed;      /* the first job that failed, and its message */
    h5c_chunks *ck;            /* [n] each job's encoded chunk */
    h5c_coder **coder;         /* [nthreads] */
    double **buf;              /* [nthreads] */
};

void sjob_free(sum_jobs *sj)
{
    if (!sj)
        return;
    for (int j = 0; sj->ck && j < sj->n; j++)
        h5c_chunks_free(&sj->ck[j]);
    for (int t = 0; t < sj->nthreads; t++) {
        if (sj->coder)
            h5c_coder_free(sj->coder[t]);
        if (sj->buf)
            free(sj->buf[t]);
    }
    free(sj->ck);
    free(sj->coder);
    free(sj->buf);
    free(sj);
}

sum_jobs *sjob_new(const h5o_file *f, int nthreads)
{
    sum_jobs *sj = calloc(1, sizeof *sj);
    if (!sj) {
        sim_err_set(SIM_ENOMEM, "out of memory for the summaries");
        return NULL;
    }
    sj->f = f;
    sj->n = h5o_summary_njobs(f);
    sj->nthreads = nthreads > 0 ? nthreads : 1;
    atomic_init(&sj->next, sj->n);
    atomic_init(&sj->done, 0);
    sim_err_first_init(&sj->failed);
    sj->ck = calloc((size_t)sj->n, sizeof *sj->ck);
    sj->coder = calloc((size_t)sj->nthreads, sizeof *sj->coder);
    sj->buf = calloc((size_t)sj->nthreads, sizeof *sj->buf);
    if (!sj->ck || !sj->coder || !sj->buf) {
        sjob_free(sj);
        sim_err_set(SIM_ENOMEM, "out of memory for the summaries");
        return NULL;
    }
    return sj;
}

/* Thread t's coder and value buffer, made when it first takes a job: on
 * large networks the buffer is several MB (the flow matrix), and threads
 * that never help need none. */
static int thread_tools(sum_jobs *sj, int t)
{
    if (!sj->coder[t] && !(sj->coder[t] = h5c_coder_new(H5O_DEFLATE_LEVEL)))
        return sim_err_set(SIM_ENOMEM, "out of memory for a compressor");
    if (!sj->buf[t] && !(sj->buf[t] = malloc(h5o_summary_buf_len(sj->f) * sizeof(double))))
        return sim_err_set(SIM_ENOMEM, "out of memory for the summaries");
    return SIM_OK;
}

void sjob_help(sum_jobs *sj)
{
    if (!sj)
        return;
    int t = omp_get_thread_num();
    if (t >= sj->nthreads)
        return;
    while (atomic_load(&sj->next) < sj->n) {
        long j = atomic_fetch_add(&sj->next, 1);
        if (j >= sj->n)
            return;
        int rc = thread_tools(sj, t);
        if (rc == SIM_OK)
            rc = h5o_summary_encode(sj->f, (int)j, &sj->sm, sj->coder[t], sj->buf[t], &sj->ck[j]);
        if (rc != SIM_OK)
            sim_err_first_keep(&sj->failed, rc);
        atomic_fetch_add_explicit(&sj->done, 1, memory_order_release);
    }
}

int sjob_write(sum_jobs *sj, h5o_file *f, long point, const h5o_summaries *sm)
{
    /* Open the jobs: `done` and the inputs first, then `next`, whose store
     * publishes them (a helper that reads next < n sees both). */
    sj->sm = *sm;
    atomic_store(&sj->done, 0);
    sim_err_first_init(&sj->failed);
    atomic_store_explicit(&sj->next, 0, memory_order_release);
    if (!omp_in_parallel() && sj->nthreads > 1) {
#pragma omp parallel num_threads(sj->nthreads)
        sjob_help(sj);
    } else {
        sjob_help(sj);
    }
    while (atomic_load_explicit(&sj->done, memory_order_acquire) < sj->n)
        sched_yield();   /* jobs another thread is finishing */
    SIM_CHECK(sim_err_first_take(&sj->failed));
    for (int j = 0; j < sj->n; j++)
        SIM_CHECK(h5o_summary_store(f, point, j, &sj->ck[j]));
    return SIM_OK;
}
