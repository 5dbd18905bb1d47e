#include "sumfold.h"

#include <omp.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "sim_err.h"

/* Replications staged before they go into the columns: written one at a
 * time, each value of a replication lands in its own cache line of
 * qcols; SF_STAGE consecutive replications fill one. */
#define SF_STAGE 16

typedef struct sf_item {
    void *item;
    const double *x;
    long rep;
} sf_item;

struct sum_fold {
    const rs_schema *s;
    long R;
    sf_mode mode;
    sum_acc acc;              /* mean and std of the summary vector */
    sum_acc p2;               /* SF_P2: P-square estimates over [0, sum_qlen) */
    float *qcols;             /* SF_MEMORY: the point's values, [sum_qlen][R] */
    float *stage;             /* SF_MEMORY: values not yet in qcols, [SF_STAGE][sum_qlen] */
    long *stage_rep;          /* [nparts][SF_STAGE] their replications */
    int *stage_n;             /* [nparts] rows staged */
    double *quant;            /* SF_MEMORY: their exact quantiles, [H5O_NQ][sum_qlen] */
    sf_release_fn release;
    void *ctx;
    /* the queue */
    long cap;                 /* items waiting, at most */
    sf_item *q;               /* [cap] by sequence number % cap */
    atomic_int *left;         /* [cap] parts not yet folded */
    atomic_long tail;         /* items queued so far */
    int nparts;
    atomic_long *next;        /* [nparts] next sequence number each part folds */
    omp_lock_t *lock;         /* [nparts] */
};

static const char *const mode_names[] = { "exact", "exact",
                                          "P-square estimate (Raatikainen 1987; error: docs/results-format.md)" };

void sf_free(sum_fold *f)
{
    if (!f)
        return;
    for (int k = 0; f->lock && k < f->nparts; k++)
        omp_destroy_lock(&f->lock[k]);
    sum_acc_free(&f->acc);
    sum_acc_free(&f->p2);
    free(f->qcols), free(f->quant), free(f->q), free(f->left), free(f->next), free(f->lock);
    free(f->stage), free(f->stage_rep), free(f->stage_n);
    free(f);
}

int sf_new(sum_fold **out, const rs_schema *s, long R, int threads, int keep_values, size_t qmem,
           sf_release_fn release, void *ctx)
{
    *out = NULL;
    sum_fold *f = calloc(1, sizeof *f);
    if (!f)
        return sim_err_set(SIM_ENOMEM, "out of memory for the summaries");
    f->s = s;
    f->R = R;
    f->release = release;
    f->ctx = ctx;
    f->mode = !keep_values ? SF_FILE
            : (double)s->sum_qlen * (double)R * sizeof(float) <= 4.0 * (double)qmem ? SF_MEMORY : SF_P2;
    threads = threads > 0 ? threads : 1;
    f->cap = 2L * threads + 2;
    f->nparts = (size_t)(2 * threads) < s->sum_qlen ? 2 * threads : 1;
    f->q = calloc((size_t)f->cap, sizeof *f->q);
    f->left = calloc((size_t)f->cap, sizeof *f->left);
    f->next = calloc((size_t)f->nparts, sizeof *f->next);
    int rc = f->q && f->left && f->next ? SIM_OK : SIM_ENOMEM;
    if (rc == SIM_OK)
        rc = sum_acc_init(&f->acc, s->sum_len, 0, NULL);
    if (rc == SIM_OK && f->mode == SF_P2)
        rc = sum_acc_init(&f->p2, s->sum_qlen, H5O_NQ, h5o_quantiles);
    if (rc == SIM_OK && f->mode == SF_MEMORY) {
        f->qcols = malloc(s->sum_qlen * (size_t)R * sizeof *f->qcols + 1);
        f->quant = malloc(H5O_NQ * s->sum_qlen * sizeof *f->quant + 1);
        f->stage = malloc(SF_STAGE * s->sum_qlen * sizeof *f->stage + 1);
        f->stage_rep = malloc((size_t)f->nparts * SF_STAGE * sizeof *f->stage_rep);
        f->stage_n = calloc((size_t)f->nparts, sizeof *f->stage_n);
        rc = f->qcols && f->quant && f->stage && f->stage_rep && f->stage_n ? SIM_OK : SIM_ENOMEM;
    }
    if (rc == SIM_OK)
        rc = sum_acc_split(&f->acc, f->nparts);
    if (rc == SIM_OK && f->mode == SF_P2)
        rc = sum_acc_split(&f->p2, f->nparts);
    if (rc == SIM_OK && !(f->lock = calloc((size_t)f->nparts, sizeof *f->lock)))
        rc = SIM_ENOMEM;
    if (rc != SIM_OK) {
        sf_free(f);
        return rc == SIM_ENOMEM ? sim_err_set(SIM_ENOMEM, "out of memory for the summaries") : rc;
    }
    for (int k = 0; k < f->nparts; k++) {
        omp_init_lock(&f->lock[k]);
        atomic_init(&f->next[k], 0);
    }
    atomic_init(&f->tail, 0);
    *out = f;
    return SIM_OK;
}

sf_mode sf_mode_of(const sum_fold *f)
{
    return f->mode;
}

const char *sf_quantile_method(const sum_fold *f)
{
    return mode_names[f->mode];
}

long sf_queue_cap(const sum_fold *f)
{
    return f->cap;
}

/* Part k's staged replications into their columns. */
static void unstage(sum_fold *f, int k)
{
    size_t lo = f->acc.part[k].lo, hi = f->acc.part[k].hi, q = f->s->sum_qlen, R = (size_t)f->R;
    const long *rep = f->stage_rep + (size_t)k * SF_STAGE;
    int nb = f->stage_n[k];
    for (size_t j = lo; j < hi && j < q; j++)
        for (int b = 0; b < nb; b++)
            f->qcols[j * R + (size_t)rep[b]] = f->stage[(size_t)b * q + j];
    f->stage_n[k] = 0;
}

/* Part k of replication rep's summary vector x. */
static void fold_part_of(sum_fold *f, int k, const double *x, long rep)
{
    sum_acc_add_part(&f->acc, k, x);
    if (f->mode == SF_P2) {
        sum_acc_add_part(&f->p2, k, x);
    } else if (f->mode == SF_MEMORY) {
        size_t lo = f->acc.part[k].lo, hi = f->acc.part[k].hi, q = f->s->sum_qlen;
        int b = f->stage_n[k]++;
        float *row = f->stage + (size_t)b * q;
        for (size_t j = lo; j < hi && j < q; j++)
            row[j] = (float)x[j];
        f->stage_rep[(size_t)k * SF_STAGE + b] = rep;
        if (f->stage_n[k] == SF_STAGE)
            unstage(f, k);
    }
}

/* Fold what is queued for part k, unless another thread is at it. */
static void fold_part(sum_fold *f, int k)
{
    if (!omp_test_lock(&f->lock[k]))
        return;
    long n = atomic_load(&f->next[k]), tail = atomic_load_explicit(&f->tail, memory_order_acquire);
    for (; n < tail; n++) {
        const sf_item *it = &f->q[n % f->cap];
        fold_part_of(f, k, it->x, it->rep);
        void *item = it->item;
        atomic_store_explicit(&f->next[k], n + 1, memory_order_release);
        if (atomic_fetch_sub(&f->left[n % f->cap], 1) == 1)
            f->release(f->ctx, item);
    }
    omp_unset_lock(&f->lock[k]);
}

void sf_help(sum_fold *f)
{
    if (!f)
        return;
    /* From a place that depends on the thread, so that threads spread
     * over the parts. */
    int first = omp_get_thread_num() * f->nparts / omp_get_num_threads();
    for (int j = 0; j < f->nparts; j++)
        fold_part(f, (first + j) % f->nparts);
}

/* Items queued and not yet folded by every part. */
static long backlog(const sum_fold *f)
{
    long tail = atomic_load(&f->tail), lag = 0;
    for (int k = 0; k < f->nparts; k++) {
        long d = tail - atomic_load(&f->next[k]);
        lag = d > lag ? d : lag;
    }
    return lag;
}

void sf_drain(sum_fold *f)
{
    if (!f)
        return;
    while (backlog(f) > 0) {
        sf_help(f);
        sched_yield();   /* a part another thread is folding */
    }
}

void sf_add(sum_fold *f, void *item, const double *x, long rep)
{
    if (!item) {
        sf_drain(f);   /* in replication order */
        int np = f->nparts;
        if (np > 1 && !omp_in_parallel()) {
#pragma omp parallel for schedule(static, 1) num_threads(np / 2)   /* (2 parts per thread) */
            for (int k = 0; k < np; k++)
                fold_part_of(f, k, x, rep);
        } else {
            for (int k = 0; k < np; k++)
                fold_part_of(f, k, x, rep);
        }
        return;
    }
    while (backlog(f) >= f->cap) {   /* room first: fold until there is */
        sf_help(f);
        sched_yield();   /* (the parts left are another thread's) */
    }
    long t = atomic_load(&f->tail);
    f->q[t % f->cap] = (sf_item){ item, x, rep };
    atomic_store(&f->left[t % f->cap], f->nparts);
    atomic_store_explicit(&f->tail, t + 1, memory_order_release);
}

void sf_point(sum_fold *f, h5o_summaries *sm, int threads)
{
    sf_drain(f);
    const rs_schema *s = f->s;
    for (int k = 0; f->mode == SF_MEMORY && k < f->nparts; k++)
        unstage(f, k);
    if (f->mode == SF_MEMORY)
        sum_exact_columns_f(f->qcols, (size_t)f->R, s->sum_qlen, H5O_NQ, h5o_quantiles, f->quant, s->sum_qlen,
                            threads);
    *sm = (h5o_summaries){ &f->acc, f->mode == SF_MEMORY ? f->quant : NULL, f->mode == SF_P2 ? &f->p2 : NULL };
}

void sf_reset(sum_fold *f)
{
    sum_acc_reset(&f->acc);
    if (f->mode == SF_P2)
        sum_acc_reset(&f->p2);
    for (int k = 0; f->mode == SF_MEMORY && k < f->nparts; k++)
        f->stage_n[k] = 0;
}
