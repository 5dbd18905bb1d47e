#define _XOPEN_SOURCE 700   /* realpath */
#include "batch.h"

#include <dirent.h>
#include <libgen.h>
#include <math.h>
#include <omp.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "h5out.h"
#include "h5writer.h"
#include "outfile.h"
#include "model.h"
#include "sim_err.h"
#include "sim_mpi.h"
#include "sim_runner.h"
#include "summary.h"
#include "summary_jobs.h"
#include "sumfold.h"
#include "results_schema.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct batch {
    const batch_opts *o;
    const sweep *sw;
    long P, R;
    scenario *scn;            /* [P] */
    model_def *def;           /* [P] */
    int nscn, ndef;           /* how many were initialised (for cleanup) */
    /* summaries for the screen: yearly values [year][region or national][metric] */
    sum_acc *yearly;          /* [P] (regions kept only when P == 1) */
    double *vec;
    double *he_cap;           /* [nyears][2]: high-efficiency and all open capacity of point 0, summed over replications */
    double max_balance;       /* largest mass-balance residual, relative to the throughput */
    double max_balance_t;     /* and in tonnes, of replications read back (merge, resume) */
    unsigned long long events;
    long done, total;
    double t_start, last_progress;
    int progress;             /* a progress line on the terminal */
    int heartbeat;            /* not a terminal: a line every heartbeat_s (batch logs) */
    double heartbeat_s;
    /* results file */
    h5o_file *h5;
    rs_schema *schema;        /* what the results file holds */
    sum_fold *sf;             /* the summaries across replications, a point at a time (NULL: none made) */
    double *rbvec;            /* the summary vector of a replication read back */
    sum_jobs *sj;             /* a point's summaries encoded by every thread (NULL: by the consumer) */
    const long *todo;         /* linear index (point * R + rep) of each task; NULL: identity */
    unsigned char *have;      /* [P * R] already in a resumed file */
    long next_fold;           /* linear indices below this are folded */
    model_result *readback;
    model_instance *fix;      /* re-runs replications found damaged in a resumed or merged file */
    h5c_chunks raw;           /* merge: the chunks of readback as the shard stores them */
    h5o_file **shards;        /* merge: the input shard files */
    int nshards;
    signed char *src;         /* merge: shard that holds each linear index */
    const char *out_path;     /* the file written (the shard's own for a shard run) */
    int subset;               /* this process runs some of the tasks (shard or MPI rank) */
    int mpi;                  /* several MPI ranks share the tasks */
    unsigned char *global_done;   /* MPI resume: tasks any rank's file already holds */
    char *overrides;          /* --set values as text, kept in the file */
    struct rep_out *pool;     /* consumed replications' buffers, for reuse */
    h5w *w;                   /* stores replications on a thread of its own (NULL: none) */
    double consumer_s;        /* time the (serial) consumer took */
    char *input_abspath;
} batch;

typedef struct scratch {
    model_instance *m;
    h5c_coder *coder;         /* compresses this thread's replications */
} scratch;

/* What a task hands to the consumer: the replication and, when results
 * are written, its chunks already compressed in the worker thread. */
typedef struct rep_out {
    model_result *r;
    double *vec;              /* its summary vector (rs_gather), when summaries are made */
    double *yvec;             /* its yearly values for the screen (yearly_values) */
    atomic_int refs;          /* holders: the fold, and the writer thread while it stores it */
    h5c_chunks ck;
    int packed;
    struct rep_out *next;     /* in the pool */
} rep_out;

static void rep_out_free(rep_out *o)
{
    if (!o)
        return;
    model_result_free(o->r);
    free(o->vec);
    free(o->yvec);
    h5c_chunks_free(&o->ck);
    free(o);
}

/* ---- yearly summaries for the screen ------------------------------------ */

static int year_regions(const batch *b)
{
    return b->P == 1 ? b->scn[0].nregions : 0;
}

static size_t vec_index(const batch *b, int year, int region, int metric)
{
    return ((size_t)year * (size_t)(year_regions(b) + 1) + (size_t)region) * RM_NMETRICS + (size_t)metric;
}

static size_t vec_len(const batch *b)
{
    return (size_t)b->scn[0].nyears * (size_t)(year_regions(b) + 1) * RM_NMETRICS;
}

/* One month's metrics of a region into a year's accumulator `acc` (flows
 * add, levels take the year's first or last month, ratios are weighted:
 * divided by their weight in finish_yearly). */
static void fold_month(double *acc, const double *v, int first, int region0)
{
    for (int mt = 0; mt < RM_NMETRICS; mt++) {
        const model_metric_info *mi = &model_region_metrics[mt];
        switch (mi->agg) {
        case MDL_AGG_END:   /* a level: the year's last month (summed over regions) */
            acc[mt] = (region0 ? 0 : acc[mt]) + v[mt];
            break;
        case MDL_AGG_START:
            if (first)
                acc[mt] += v[mt];
            break;
        case MDL_AGG_WMEAN:
            acc[mt] += v[mi->weight] * v[mt];
            break;
        default:
            acc[mt] += v[mt];
        }
    }
}

static void finish_yearly(double *acc)
{
    for (int mt = 0; mt < RM_NMETRICS; mt++) {
        const model_metric_info *mi = &model_region_metrics[mt];
        if (mi->agg == MDL_AGG_WMEAN)
            acc[mt] = acc[mi->weight] > 0 ? acc[mt] / acc[mi->weight] : mi->empty;
    }
}

/* A replication's yearly values into vec (vec_len of them): in the
 * worker that ran it, so that the serial consumer only adds them up. */
static void yearly_values(const batch *b, const model_result *r, double *vec)
{
    const scenario *s = &b->scn[r->point];
    int NR = year_regions(b);
    memset(vec, 0, vec_len(b) * sizeof(double));
    for (int k = 0; k < r->nmonths; k++) {
        int y = (s->start_month - 1 + k) / 12;
        int first = k == 0 || (s->start_month - 1 + k) % 12 == 0;
        double *nat = &vec[vec_index(b, y, NR, 0)];
        for (int g = 0; g < s->nregions; g++) {
            const double *v = model_rm(r, k, g, 0);
            if (NR)
                fold_month(&vec[vec_index(b, y, g, 0)], v, first, 1);
            fold_month(nat, v, first, g == 0);
        }
    }
    for (int y = 0; y < s->nyears; y++)
        for (int g = 0; g <= NR; g++)
            finish_yearly(&vec[vec_index(b, y, g, 0)]);
}

/* ---- summaries ---------------------------------------------------------------- */

/* Bytes of the exact quantiles' memory (sumfold.h, h5o_quantiles_from_file):
 * the scratch at the end of a full run, taken whatever the replications
 * so that memory does not grow with them (ANODESIM_QUANTILE_MB: another
 * size, for tests and small machines). */
static size_t quantile_memory(void)
{
    const char *e = getenv("ANODESIM_QUANTILE_MB");
    unsigned long long mb;
    if (e && scn_parse_whole(e, 0, 1 << 20, &mb) == 0)   /* (0: no columns, the selection only) */
        return (size_t)mb << 20;
    return (size_t)64 << 20;
}

static void rep_out_give(batch *b, rep_out *o);

static void fold_release(void *ctx, void *item)
{
    rep_out_give(ctx, item);
}

static void task_help(void *ctx)
{
    batch *b = ctx;
    sjob_help(b->sj);   /* first: the consumer waits for these */
    sf_help(b->sf);
}

/* ---- the writer thread ------------------------------------------------------ */

/* Storing a replication was most of what the serial consumer did: it
 * hands replications, in order, to the writer thread (h5writer.h).  A
 * replication's buffer goes back to the pool once both the fold and the
 * writer are done with it. */

static void writer_item(void *ctx, void *item, rs_record *rec, const h5c_chunks **packed)
{
    (void)ctx;
    const rep_out *o = item;
    model_record_of(o->r, rec);
    *packed = o->packed ? &o->ck : NULL;
}

static void writer_release(void *ctx, void *item)
{
    rep_out_give(ctx, item);
}

/* Queue o for storing (the consumer, in task order). */
static int writer_put(batch *b, rep_out *o)
{
    atomic_fetch_add(&o->refs, 1);
    int rc = h5w_put(b->w, o);
    if (rc != SIM_OK)
        atomic_fetch_sub(&o->refs, 1);   /* (not queued: the writer never holds it) */
    return rc;
}

static int writer_finish(batch *b)
{
    int rc = h5w_finish(b->w);
    b->w = NULL;
    return rc;
}

/* ---- folding replications in order ---------------------------------------- */

/* Open capacity by class (plants' yearly capacity, so exits and openings
 * count), for the printed high-efficiency share. */
static void fold_he(batch *b, const model_result *r)
{
    const scenario *s = &b->scn[0];
    for (int y = 0; y < r->nyears; y++)
        for (int p = 0; p < s->nplants; p++) {
            double cap = *model_pm(r, y, p, PM_CAPACITY);
            b->he_cap[2 * y] += s->classes[s->plants[p].cls].high_efficiency ? cap : 0.0;
            b->he_cap[2 * y + 1] += cap;
        }
}

/* Fold replication r into the summaries.  o, when not NULL, holds r and
 * passes to the fold queue (which gives it back to the pool); otherwise
 * (a replication read back from a file) r is folded at once. */
static int fold(batch *b, const model_result *r, rep_out *o)
{
    if (!o)
        yearly_values(b, r, b->vec);
    sum_acc_add(&b->yearly[r->point], o ? o->yvec : b->vec);
    if (r->point == 0)
        fold_he(b, r);
    for (int k = 0; k < BAL_N; k++) {
        /* Read back from a file a replication has its residuals but not
         * their scale: those count in tonnes (merge says which). */
        if (r->balance_scale[0] > 0)
            b->max_balance = fmax(b->max_balance, fabs(r->balance[k]) / r->balance_scale[k]);
        else
            b->max_balance_t = fmax(b->max_balance_t, fabs(r->balance[k]));
    }
    b->events += r->events;
    if (!b->h5 || b->subset) {   /* a shard's summaries are made when merging */
        rep_out_give(b, o);
        return SIM_OK;
    }
    long point = (long)r->point, rep = r->rep;
    int last = rep + 1 == b->R;
    if (o) {
        sf_add(b->sf, o, o->vec, rep);   /* o is the fold's now */
    } else {
        rs_record rec;
        model_record_of(r, &rec);
        rs_gather(b->schema, &rec, b->rbvec);
        sf_add(b->sf, NULL, b->rbvec, rep);
    }
    if (!last)
        return SIM_OK;
    /* The point's last replication: its summaries are final. */
    h5o_summaries sm;
    sf_point(b->sf, &sm, omp_in_parallel() ? 1 : omp_get_max_threads());
    h5w_lock(b->w);
    int rc = b->sj ? sjob_write(b->sj, b->h5, point, &sm) : h5o_write_summary(b->h5, point, &sm);
    h5w_unlock(b->w);
    sf_reset(b->sf);
    return rc;
}

/* *m made ready for model d: rebound when it can be, else made anew
 * (stopping when a signal asks). */
static int instance_for(model_instance **m, const model_def *d)
{
    if (*m && model_instance_rebind(*m, d) == SIM_OK)
        return SIM_OK;
    model_instance_free(*m);
    if (!(*m = model_instance_new(d)))
        return sim_err_set(SIM_ENOMEM, "out of memory for a model instance");
    model_set_cancel(*m, &interrupted);
    return SIM_OK;
}

/* The streams point p draws from: common random numbers put replication
 * r of every point on the same streams. */
static uint64_t stream_point_of(const batch *b, long p)
{
    return b->sw->crn && !b->o->independent_streams ? 0 : (uint64_t)p;
}

/* Replication rep of point p could not be read back (a checksum failed:
 * the file was damaged): say so, run it again here and write it over
 * the damaged one, so that the rest of the file is kept and the result
 * is what an undamaged file gives. */
static int rerun_damaged(batch *b, long p, long rep)
{
    char pt[48] = "";
    if (b->P > 1)
        snprintf(pt, sizeof pt, " of point %ld", p);
    fprintf(stderr, "anodesim: replication %ld%s is damaged in the file (%s): running it again\n", rep, pt,
            sim_err_msg());
    SIM_CHECK(instance_for(&b->fix, &b->def[p]));
    SIM_CHECK(model_run(b->fix, stream_point_of(b, p), rep, b->readback));
    b->readback->point = (uint64_t)p;
    rs_record rec;
    model_record_of(b->readback, &rec);
    rs_round(b->schema, &rec);
    h5w_lock(b->w);
    int rc = h5o_rewrite(b->h5, &rec);
    h5w_unlock(b->w);
    return rc;
}

/* Fold the replications a resumed file already holds, below linear index
 * `upto`, so every summary sees replications in order. */
static int fold_resumed(batch *b, long upto)
{
    for (; b->next_fold < upto; b->next_fold++) {
        if (!b->have || !b->have[b->next_fold])
            continue;
        long p = b->next_fold / b->R, rep = b->next_fold % b->R;
        rs_record rec;
        model_record_of(b->readback, &rec);
        int rc, wrc = SIM_OK;
        h5w_lock(b->w);
        if (b->nshards) {   /* merging: from its shard into the final file */
            rc = h5o_read(b->shards[b->src[b->next_fold]], p, rep, &rec, &b->raw);
            if (rc == SIM_OK)
                wrc = h5o_write(b->h5, &rec, &b->raw);   /* the chunks as they are */
        } else {
            rc = h5o_read(b->h5, p, rep, &rec, NULL);
        }
        h5w_unlock(b->w);
        SIM_CHECK(wrc);
        if (rc == SIM_OK)
            model_record_back(b->readback, &rec);
        if (rc == SIM_ENOMEM)
            return rc;
        if (rc != SIM_OK)
            SIM_CHECK(rerun_damaged(b, p, rep));
        SIM_CHECK(fold(b, b->readback, NULL));
    }
    return SIM_OK;
}

/* Seconds between heartbeat lines when stderr is not a terminal (a batch
 * log): often enough to see a job is alive, rarely enough to stay short. */
#define HEARTBEAT_S 15.0

static void progress(batch *b, int final)
{
    double now = omp_get_wtime();
    double el = now - b->t_start;
    double rate = el > 0 ? b->done / el : 0;
    double left = rate > 0 ? (b->total - b->done) / rate : 0;
    if (b->heartbeat && !final && now - b->last_progress >= b->heartbeat_s) {
        b->last_progress = now;
        fprintf(stderr, "anodesim: %ld/%ld replications (%.0f %%), %.1f/s, about %.0f s left\n", b->done, b->total,
                b->total > 0 ? 100.0 * (double)b->done / (double)b->total : 100.0, rate, left);
        fflush(stderr);
        return;
    }
    if (!b->progress || (!final && now - b->last_progress < 0.5))
        return;
    b->last_progress = now;
    fprintf(stderr, "\r%ld/%ld replications, %.1f/s, %.0f s left   %s", b->done, b->total, rate, left,
            final ? "\n" : "");
    fflush(stderr);
}

/* ---- runner callbacks ---------------------------------------------------------- */

static void *task_scratch(void *ctx)
{
    (void)ctx;
    return calloc(1, sizeof(scratch));
}

static void task_scratch_free(void *ctx, void *p)
{
    (void)ctx;
    scratch *sc = p;
    model_instance_free(sc->m);
    h5c_coder_free(sc->coder);
    free(sc);
}

/* Replications' buffers (about 0.5 MB each) go back to a pool and serve
 * again: allocated and freed every replication, they fragmented the heap
 * around HDF5's long-lived allocations and memory grew with the number
 * of replications. */
static rep_out *rep_out_take(batch *b, const model_def *d)
{
    rep_out *o;
#pragma omp critical(anodesim_rep_pool)
    {
        o = b->pool;
        if (o)
            b->pool = o->next;
    }
    const scenario *s = d->scn;
    if (o && (o->r->nmonths != s->nmonths || o->r->nregions != s->nregions || o->r->nyears != s->nyears ||
              o->r->nplants != s->nplants)) {
        rep_out_free(o);
        o = NULL;
    }
    if (!o) {
        o = calloc(1, sizeof *o);
        if (o && (!(o->r = model_result_alloc(d)) || !(o->yvec = malloc((vec_len(b) + 1) * sizeof *o->yvec)) ||
                  (b->sf && !(o->vec = malloc((b->schema->sum_len + 1) * sizeof *o->vec))))) {
            rep_out_free(o);
            o = NULL;
        }
    }
    if (o) {
        h5c_chunks_clear(&o->ck);
        o->packed = 0;
        o->next = NULL;
        atomic_init(&o->refs, 1);
    }
    return o;
}

/* One holder is done with o: the last gives it back to the pool. */
static void rep_out_give(batch *b, rep_out *o)
{
    if (!o || atomic_fetch_sub(&o->refs, 1) != 1)
        return;
#pragma omp critical(anodesim_rep_pool)
    {
        o->next = b->pool;
        b->pool = o;
    }
}

/* Allocate (and touch) the n buffers the runner's window can hold at
 * once, so that a run's memory peaks when it starts: otherwise it crept up
 * by ~2 MB over the first thousands of replications as timing now and
 * then filled the window, and a job that started fine could run out of
 * memory hours later. */
static int reserve_pool(batch *b, int n)
{
    rep_out *taken = NULL;
    int rc = SIM_OK;
    for (int i = 0; i < n && rc == SIM_OK; i++) {
        rep_out *o = rep_out_take(b, &b->def[0]);
        if (!o) {
            rc = sim_err_set(SIM_ENOMEM, "out of memory for %d replications' results", n);
            break;
        }
        model_result_clear(o->r);
        o->next = taken;
        taken = o;
    }
    while (taken) {
        rep_out *o = taken;
        taken = o->next;
        rep_out_give(b, o);
    }
    return rc;
}

static long linear_of(const batch *b, long task)
{
    return b->todo ? b->todo[task] : task;
}

static int task_run(void *ctx, void *p, long task, void **result)
{
    batch *b = ctx;
    scratch *sc = p;
    long lin = linear_of(b, task), point = lin / b->R, rep = lin % b->R;
    const model_def *d = &b->def[point];
    SIM_CHECK(instance_for(&sc->m, d));
    rep_out *o = rep_out_take(b, d);
    if (!o)
        return sim_err_set(SIM_ENOMEM, "out of memory for the results of replication %ld", rep);
    model_result *r = o->r;
    int rc = model_run(sc->m, stream_point_of(b, point), rep, r);
    if (rc != SIM_OK) {
        rep_out_give(b, o);
        if (b->P > 1)
            sim_err_prefix(rc, "scenario point %ld", point);
        return rc;
    }
    r->point = (uint64_t)point;
    rs_record rec;
    model_record_of(r, &rec);
    if (b->h5) {
        /* As stored: then a resumed run's summaries, folded from values
         * read back from the file, match an uninterrupted run's bit for
         * bit, and so do a summary-only run's. */
        rs_round(b->schema, &rec);
        if (b->sf)
            rs_gather(b->schema, &rec, o->vec);
    }
    yearly_values(b, r, o->yvec);   /* (as stored, as a resumed run reads them) */
    if (b->h5 && !b->o->summary_only) {
        if (!sc->coder && !(sc->coder = h5c_coder_new(H5O_DEFLATE_LEVEL)))
            rc = sim_err_set(SIM_ENOMEM, "out of memory for the compressor");
        if (rc == SIM_OK)
            rc = h5o_pack(b->h5, sc->coder, &rec, &o->ck);
        if (rc != SIM_OK) {
            rep_out_give(b, o);
            return rc;
        }
        o->packed = 1;
    }
    *result = o;
    return SIM_OK;
}

static int task_consume(void *ctx, long task, void *result)
{
    batch *b = ctx;
    rep_out *o = result;
    long lin = linear_of(b, task);
    int rc = SIM_OK;
    if (b->h5) {
        if (!b->subset)
            rc = fold_resumed(b, lin);
        if (rc == SIM_OK && b->w) {
            rc = writer_put(b, o);
        } else if (rc == SIM_OK) {
            rs_record rec;
            model_record_of(o->r, &rec);
            rc = h5o_write(b->h5, &rec, o->packed ? &o->ck : NULL);
        }
        b->next_fold = lin + 1;
    }
    if (rc == SIM_OK)
        rc = fold(b, o->r, o);   /* o passes on */
    else
        rep_out_give(b, o);
    b->done++;
    progress(b, 0);
    return rc;
}

/* MPI: the next task from the counter shared by every rank. */
static long task_claim(void *ctx)
{
    batch *b = ctx;
    long t;
    do
        t = sim_mpi_counter_next(b->P * b->R);
    while (t >= 0 && b->global_done && b->global_done[t]);
    return t;
}

static void task_discard(void *ctx, void *result)
{
    rep_out_give(ctx, result);
}

/* ---- setting up ------------------------------------------------------------- */

/* Load every point's scenario (the --set overrides, then the point's values). */
static int load_points(batch *b)
{
    const batch_opts *o = b->o;
    const sweep *sw = b->sw;
    int nk = sw->nparams;
    scn_override *ov = malloc(((size_t)o->nov + (size_t)nk + 1) * sizeof *ov);
    char (*vals)[40] = malloc(((size_t)nk + 1) * sizeof *vals);
    if (!ov || !vals) {
        free(ov);
        free(vals);
        return sim_err_set(SIM_ENOMEM, "out of memory");
    }
    for (int i = 0; i < o->nov; i++)
        ov[i] = o->ov[i];
    int rc = SIM_OK;
    for (long p = 0; p < b->P && rc == SIM_OK; p++) {
        for (int k = 0; k < nk; k++) {
            snprintf(vals[k], sizeof vals[k], "%.17g", sweep_value(sw, p, k));
            ov[o->nov + k] = (scn_override){ sw->keys[k], vals[k] };
        }
        rc = scn_load(sw->scenario, ov, o->nov + nk, &b->scn[p]);
        if (rc != SIM_OK) {
            if (b->P > 1)
                sim_err_prefix(rc, "%s: scenario point %ld", sw->path, p);
            break;
        }
        b->nscn++;
        scenario *s = &b->scn[p];
        if (o->replications > 0)
            s->replications = o->replications;
        else if (sw->replications > 0)
            s->replications = sw->replications;
        if (o->have_seed)
            s->seed = o->seed;
        rc = model_def_init(&b->def[p], s);
        if (rc == SIM_OK)
            b->ndef++;
    }
    free(ov);
    free(vals);
    return rc;
}

const char *batch_shard_name(const char *output, int k, int n)
{
    static _Thread_local char buf[4096];
    size_t len = strlen(output);
    int strip = len > 3 && strcmp(output + len - 3, ".h5") == 0;
    snprintf(buf, sizeof buf, "%.*s.shard-%d-of-%d.h5", (int)(strip ? len - 3 : len), output, k, n);
    return buf;
}

/* The linear indices of this shard (skipping those in `done`). */
static int shard_list(batch *b, const unsigned char *done, long **todo, long *ntodo)
{
    const batch_opts *o = b->o;
    long total = b->P * b->R, n = 0;
    long *list = malloc(((size_t)total / (size_t)o->shard_n + 2) * sizeof *list);
    if (!list)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    for (long i = o->shard_k; i < total; i += o->shard_n)
        if (!done || !done[i])
            list[n++] = i;
    *todo = list;
    *ntodo = n;
    return SIM_OK;
}

/* Merge: open every shard, check together they hold every replication,
 * create the final file; the replications are then copied and folded in
 * order by fold_resumed. */
static int open_merge(batch *b, const h5o_options *ho, long *ntodo)
{
    const batch_opts *o = b->o;
    long total = b->P * b->R;
    b->shards = calloc((size_t)o->nmerge, sizeof *b->shards);
    b->src = malloc((size_t)total + 1);
    b->have = calloc((size_t)total + 1, 1);
    b->readback = model_result_alloc(&b->def[0]);
    if (!b->shards || !b->src || !b->have || !b->readback)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    memset(b->src, -1, (size_t)total);
    for (int i = 0; i < o->nmerge; i++) {
        h5o_options so = *ho;
        so.path = o->merge[i];
        h5o_done done;
        SIM_CHECK(h5o_open_shard(&b->shards[i], o->merge[i], b->schema, &so, &done));
        b->nshards = i + 1;
        for (long l = 0; l < total; l++)
            if (done.mask[l] && b->src[l] < 0) {
                b->src[l] = (signed char)i;
                b->have[l] = 1;
            }
        free(done.mask);
    }
    for (long l = 0; l < total; l++)
        if (!b->have[l])
            return sim_err_set(SIM_EINPUT, "the shards lack replication %ld of point %ld (task %ld, and maybe more): run or resume the shard that holds it",
                               l % b->R, l / b->R, l);
    *ntodo = 0;
    return h5o_create(&b->h5, b->schema, ho);
}

/* The schema, and (unless this process runs a subset of the tasks,
 * whose summaries are made when merging) the summaries' fold. */
static int summaries_init(batch *b, int threads)
{
    SIM_CHECK(model_schema_new(&b->schema, &b->scn[0], b->sw->nparams > 0 ? b->sw : NULL, b->P));
    if (b->subset)
        return SIM_OK;
    if (!(b->rbvec = malloc((b->schema->sum_len + 1) * sizeof *b->rbvec)))
        return sim_err_set(SIM_ENOMEM, "out of memory for the summaries");
    return sf_new(&b->sf, b->schema, b->R, threads, b->o->summary_only, quantile_memory(), fold_release, b);
}

static int open_output(batch *b, int threads, long **todo, long *ntodo)
{
    const batch_opts *o = b->o;
    const sweep *sw = b->sw;
    SIM_CHECK(summaries_init(b, threads));
    h5o_options ho = { .path = b->out_path, .npoints = b->P, .nreps = b->R,
                       .store_replications = !o->summary_only, .threads = threads, .ranks = sim_mpi_size(),
                       .shard_k = o->shard_k, .shard_n = o->shard_n,
                       .input_kind = sw->path ? "sweep" : "scenario", .input_abspath = b->input_abspath,
                       .sweep_path = sw->path, .design = sweep_design_names[sw->design], .crn = sw->crn,
                       .quantile_method = b->sf ? sf_quantile_method(b->sf) : "exact", .overrides = b->overrides,
                       .independent_streams = o->independent_streams, .force = o->force };
    *todo = NULL;
    *ntodo = b->P * b->R;
    if (o->nmerge > 0)
        return open_merge(b, &ho, ntodo);
    if (o->shard_n > 0 && !o->resume) {
        SIM_CHECK(shard_list(b, NULL, todo, ntodo));
        return h5o_create(&b->h5, b->schema, &ho);
    }
    if (!o->resume)
        return h5o_create(&b->h5, b->schema, &ho);
    if (o->summary_only)
        return sim_err_set(SIM_EINPUT, "a --summary-only run keeps no replications and cannot be resumed; run it "
                                       "again (with --force to replace %s)", h5o_partial_name(b->out_path));
    h5o_done done;
    int rc = h5o_open_resume(&b->h5, b->schema, &ho, &done);
    if (b->mpi) {
        /* Collective: every rank takes part in the union of done masks,
         * with an empty mask when it has no partial file of its own. */
        if (rc == SIM_ENOTFOUND) {
            long total = b->P * b->R;
            b->global_done = calloc((size_t)total + 1, 1);
            if (!b->global_done)
                return sim_err_set(SIM_ENOMEM, "out of memory");
            sim_mpi_max_bytes(b->global_done, total);
            return h5o_create(&b->h5, b->schema, &ho);
        }
    }
    if (rc == SIM_ENOTFOUND) {
        if (access(b->out_path, F_OK) == 0)
            return SIM_ENOTFOUND;    /* complete already: the caller says so */
        fprintf(stderr, "anodesim: no partial results at %s: starting a new run\n", h5o_partial_name(b->out_path));
        if (o->shard_n > 0)
            SIM_CHECK(shard_list(b, NULL, todo, ntodo));
        return h5o_create(&b->h5, b->schema, &ho);
    }
    SIM_CHECK(rc);
    fprintf(stderr, "anodesim: resuming %s: %ld of %ld replications already done\n", h5o_partial_name(b->out_path),
            done.completed, done.total);
    if (b->mpi) {   /* tasks done in any rank's file are not run again */
        b->global_done = malloc((size_t)done.total + 1);
        if (!b->global_done) {
            free(done.mask);
            return sim_err_set(SIM_ENOMEM, "out of memory");
        }
        memcpy(b->global_done, done.mask, (size_t)done.total);
        sim_mpi_max_bytes(b->global_done, done.total);
        b->have = done.mask;
        return SIM_OK;   /* tasks come from the shared counter, by global number */
    }
    long *list = malloc(((size_t)(done.total - done.completed) + 1) * sizeof *list);
    b->readback = model_result_alloc(&b->def[0]);
    if (!list || !b->readback) {
        free(list);
        free(done.mask);
        return sim_err_set(SIM_ENOMEM, "out of memory");
    }
    long n = 0;
    for (long i = 0; i < done.total; i++)
        if (!done.mask[i] && (o->shard_n == 0 || i % o->shard_n == o->shard_k))
            list[n++] = i;
    b->have = done.mask;
    *todo = list;
    *ntodo = n;
    return SIM_OK;
}

static void cleanup(batch *b)
{
    writer_finish(b);   /* (an early failure: what is queued is stored, then dropped below) */
    if (b->h5)
        h5o_abort(b->h5, 0);
    sf_drain(b->sf);   /* (after an interruption: gives the buffers back) */
    sf_free(b->sf);
    sjob_free(b->sj);
    while (b->pool) {
        rep_out *o = b->pool;
        b->pool = o->next;
        rep_out_free(o);
    }
    for (int i = 0; i < b->nshards; i++)
        h5o_close_input(b->shards[i]);
    free(b->shards);
    free(b->src);
    free(b->overrides);
    free(b->input_abspath);
    free(b->global_done);
    free(b->have);
    model_result_free(b->readback);
    h5c_chunks_free(&b->raw);
    free(b->rbvec);
    rs_free(b->schema);
    for (long p = 0; b->yearly && p < b->P; p++)
        sum_acc_free(&b->yearly[p]);
    free(b->yearly);
    free(b->vec);
    free(b->he_cap);
    model_instance_free(b->fix);
    for (int p = 0; p < b->ndef; p++)
        model_def_free(&b->def[p]);
    for (int p = 0; p < b->nscn; p++)
        scn_free(&b->scn[p]);
    free(b->def);
    free(b->scn);
}

/* What merge needs to rebuild this run: the input file's absolute path and
 * the --set values. */
static int provenance(batch *b)
{
    const batch_opts *o = b->o;
    const char *in = b->sw->path ? b->sw->path : b->sw->scenario;
    b->input_abspath = realpath(in, NULL);
    size_t len = 1;
    for (int i = 0; i < o->nov; i++)
        len += strlen(o->ov[i].key) + strlen(o->ov[i].value) + 2;
    b->overrides = malloc(len);
    if (!b->input_abspath || !b->overrides)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    b->overrides[0] = '\0';
    for (int i = 0; i < o->nov; i++) {
        strcat(b->overrides, o->ov[i].key);
        strcat(b->overrides, "=");
        strcat(b->overrides, o->ov[i].value);
        strcat(b->overrides, "\n");
    }
    return SIM_OK;
}

/* MPI: each rank's file, for output PATH: PATH without ".h5", then
 * ".rank-K-of-N.h5". */
static const char *rank_name(const char *output, int k, int n)
{
    static _Thread_local char buf[4096];
    size_t len = strlen(output);
    int strip = len > 3 && strcmp(output + len - 3, ".h5") == 0;
    snprintf(buf, sizeof buf, "%.*s.rank-%d-of-%d.h5", (int)(strip ? len - 3 : len), output, k, n);
    return buf;
}

/* MPI resume: the rank count of rank files of `output` written by another
 * number of ranks than n (0: none), its first file's name in found. */
static int other_rank_count(const char *output, int n, char *found, size_t size)
{
    char *copy = strdup(output), *copy2 = strdup(output);
    int other = 0;
    if (copy && copy2) {
        const char *dir = dirname(copy), *base = basename(copy2);
        size_t len = strlen(base);
        int strip = len > 3 && strcmp(base + len - 3, ".h5") == 0;
        char stem[4096];
        snprintf(stem, sizeof stem, "%.*s.rank-", (int)(strip ? len - 3 : len), base);
        DIR *d = opendir(dir);
        for (struct dirent *e; d && !other && (e = readdir(d)) != NULL;) {
            int k, m, used = 0;
            if (strncmp(e->d_name, stem, strlen(stem)) == 0 &&
                sscanf(e->d_name + strlen(stem), "%d-of-%d.h5%n", &k, &m, &used) == 2 && used > 0 && m != n) {
                other = m;
                snprintf(found, size, "%s/%s", dir, e->d_name);
            }
        }
        if (d)
            closedir(d);
    }
    free(copy);
    free(copy2);
    return other;
}

/* MPI, after every rank wrote its file: rank 0 merges them into the
 * output and removes them.  Returns the exit code. */
static int merge_ranks(const batch_opts *o, int ok)
{
    int nranks = sim_mpi_size();
    int all = sim_mpi_max_status(ok ? SIM_OK : SIM_ERUNTIME);
    if (sim_mpi_rank() != 0)
        return all == SIM_OK ? 0 : 1;
    if (all != SIM_OK) {
        fprintf(stderr, "anodesim: a rank failed or was interrupted; its files (%s...) are kept: run the same "
                        "command with --resume and the same number of ranks to finish\n",
                rank_name(o->output, 0, nranks));
        return 1;
    }
    char **names = calloc((size_t)nranks, sizeof *names);
    for (int k = 0; names && k < nranks; k++)
        names[k] = strdup(rank_name(o->output, k, nranks));
    batch_opts m = *o;
    m.merge = (const char *const *)names;
    m.nmerge = nranks;
    m.resume = 0;
    m.force = 1;   /* (an interrupted merge's partial: made again from the rank files, which are complete) */
    int code = names ? batch_run(&m) : cli_fail(sim_err_set(SIM_ENOMEM, "out of memory"));
    for (int k = 0; names && k < nranks; k++) {
        if (code == 0 && names[k])
            unlink(names[k]);
        free(names[k]);
    }
    free(names);
    return code;
}

int batch_run(const batch_opts *o)
{
    /* Before any file is made: a signal while the results file is being
     * created must leave a partial that resume accepts, not kill the
     * process halfway through (the run stops at its next check). */
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    batch b = { .o = o, .sw = o->sw, .P = o->sw->npoints };
    b.mpi = sim_mpi_size() > 1 && o->nmerge == 0;
    /* srun started several tasks but MPI sees one: each would run every
     * task (a build without MPI, or srun without its --mpi plugin). */
    const char *ntasks = getenv("SLURM_NTASKS");
    unsigned long long nt;
    if (ntasks && o->nmerge == 0 && sim_mpi_size() == 1 && scn_parse_whole(ntasks, 2, 100000000, &nt) == 0)
        fprintf(stderr, "anodesim: warning: SLURM_NTASKS=%s but this process is the only MPI rank (%s): each task "
                        "runs every replication; use build-mpi/anodesim, or srun --mpi=pmix\n",
                ntasks, sim_mpi_enabled() ? "srun may lack --mpi=pmix" : "this build has no MPI");
    /* Ranks write their own files and rank 0 merges them into the output
     * at the end: the output is checked now, not after the run. */
    if (b.mpi && o->output && !o->resume && of_check_target(o->output, o->force) != SIM_OK) {
        if (sim_mpi_rank() == 0)
            cli_fail(SIM_EINPUT);
        return 2;
    }
    b.subset = o->shard_n > 0 || b.mpi;
    if (b.mpi && (!o->output || o->shard_n > 0 || o->summary_only)) {
        if (sim_mpi_rank() == 0)
            fprintf(stderr, "anodesim: under MPI with several ranks, give --output FILE (without --shard or --summary-only)\n");
        return 2;
    }
    b.out_path = !o->output ? NULL
               : b.mpi ? rank_name(o->output, sim_mpi_rank(), sim_mpi_size())
               : o->shard_n > 0 ? batch_shard_name(o->output, o->shard_k, o->shard_n) : o->output;
    b.scn = calloc((size_t)b.P, sizeof *b.scn);
    b.def = calloc((size_t)b.P, sizeof *b.def);
    b.yearly = calloc((size_t)b.P, sizeof *b.yearly);
    int rc = b.scn && b.def && b.yearly ? SIM_OK : sim_err_set(SIM_ENOMEM, "out of memory for %ld points", b.P);
    if (rc == SIM_OK)
        rc = load_points(&b);
    if (rc == SIM_OK && o->output)
        rc = provenance(&b);
    if (rc == SIM_OK && (o->shard_n > 0 || o->nmerge > 0) && o->summary_only)
        rc = sim_err_set(SIM_EINPUT, "--summary-only cannot be combined with shards or merging (summaries are made from every replication when merging)");
    if (rc != SIM_OK) {
        cleanup(&b);
        return cli_fail(rc);
    }
    const scenario *s = &b.scn[0];
    b.R = s->replications;
    int y = o->year ? o->year - s->start_year : 0;
    if (y < 0 || y >= s->nyears) {
        fprintf(stderr, "anodesim: --year %d lies outside the horizon %d-%d\n", o->year, s->start_year,
                s->start_year + s->nyears - 1);
        cleanup(&b);
        return 2;
    }
    b.vec = malloc(vec_len(&b) * sizeof(double));
    b.he_cap = calloc(2 * (size_t)s->nyears, sizeof *b.he_cap);
    if (!b.vec || !b.he_cap)
        rc = sim_err_set(SIM_ENOMEM, "out of memory");
    for (long p = 0; rc == SIM_OK && p < b.P; p++)
        rc = sum_acc_init(&b.yearly[p], vec_len(&b), 0, NULL);
    /* The team the runner will get: OMP_THREAD_LIMIT caps it below what
     * omp_get_max_threads says, and provenance must say the true count. */
    int threads = o->threads ? o->threads : omp_get_max_threads();
    if (threads > omp_get_thread_limit())
        threads = omp_get_thread_limit();
    long *todo = NULL, ntodo = b.P * b.R;
    if (rc == SIM_OK && b.mpi && o->resume) {
        int mine = access(h5o_partial_name(b.out_path), F_OK) == 0;
        if (!sim_mpi_max_status(mine) && access(o->output, F_OK) == 0) {
            if (sim_mpi_rank() == 0)
                printf("%s is already complete: nothing to resume\n", o->output);
            cleanup(&b);
            return 0;
        }
        /* Rank files of another rank count: their tasks are split another
         * way, so they cannot be continued by this many ranks. */
        char found[4600] = "";
        int other = sim_mpi_rank() == 0 ? other_rank_count(o->output, sim_mpi_size(), found, sizeof found) : 0;
        if (sim_mpi_max_status(other) > 0) {
            if (sim_mpi_rank() == 0)
                fprintf(stderr, "anodesim: %s was written by a run on %d ranks: resume with mpirun -np %d (or start "
                                "over with --force after removing its rank files)\n", found, other, other);
            cleanup(&b);
            return 2;
        }
        /* Every rank's file complete: the run was stopped while rank 0
         * merged them.  Merge again rather than run every task again. */
        int complete = !mine && access(b.out_path, F_OK) == 0;
        if (!sim_mpi_max_status(!complete)) {
            if (sim_mpi_rank() == 0)
                fprintf(stderr, "anodesim: every rank's file is complete: merging them into %s\n", o->output);
            cleanup(&b);
            return merge_ranks(o, 1);
        }
    }
    if (rc == SIM_OK && o->output) {
        rc = open_output(&b, threads, &todo, &ntodo);
        if (rc == SIM_ENOTFOUND) {
            printf("%s is already complete: nothing to resume\n", b.out_path);
            cleanup(&b);
            return 0;
        }
        if (rc == SIM_OK && b.h5 && !b.subset && !(b.sj = sjob_new(b.h5, threads)))
            rc = SIM_ENOMEM;
    }
    b.todo = todo;
    b.total = ntodo;
    b.progress = !o->quiet && isatty(2);
    b.heartbeat = !o->quiet && !isatty(2);
    b.heartbeat_s = HEARTBEAT_S;
    const char *hb = getenv("ANODESIM_HEARTBEAT_S");   /* (another period: for tests, or chattier logs) */
    unsigned long long hbs;
    if (hb && scn_parse_whole(hb, 1, 86400, &hbs) == 0)
        b.heartbeat_s = (double)hbs;
    b.t_start = b.last_progress = omp_get_wtime();
    if (b.mpi && rc == SIM_OK)
        rc = sim_mpi_counter_open();
    /* Results waiting for delivery in order: each holds about 0.6 MB, so
     * a short queue (2 per thread) keeps memory small; a stalled task
     * still leaves every thread work for two replications.  One more
     * buffer is in the consumer's hands. */
    int window = 2 * threads;
    long wcap = 2L * threads + 2;   /* replications queued for the writer, at most */
    if (rc == SIM_OK)
        rc = reserve_pool(&b, window + 1 + (b.sf ? (int)sf_queue_cap(b.sf) : 0) + (b.h5 ? (int)wcap : 0));
    if (rc == SIM_OK && b.h5 && ntodo > 0)
        rc = h5w_start(&b.w, b.h5, wcap, writer_item, writer_release, &b);
    /* Resuming: fold what the file holds before the first task left to
     * run now, on every thread, rather than in the consumer once the
     * threads are busy (where the whole run would wait for it). */
    if (rc == SIM_OK && b.h5 && !b.subset && b.have)
        rc = fold_resumed(&b, ntodo > 0 ? linear_of(&b, 0) : b.P * b.R);
    if (rc == SIM_OK) {
        sim_runner_spec spec = {
            .ntasks = ntodo, .nthreads = threads, .ctx = &b,
            .scratch_new = task_scratch, .scratch_free = task_scratch_free,
            .run_task = task_run, .consume = task_consume, .discard = task_discard, .help = task_help,
            .cancel = &interrupted, .claim = b.mpi ? task_claim : NULL,
            .window = window,
        };
        sim_runner_stats st;
        rc = sim_runner_run(&spec, &st);
        b.consumer_s = st.consume_s;
    }
    /* Everything handed over is stored (even after a failure or a stop:
     * finished replications are kept). */
    int wrc = writer_finish(&b);
    if (rc == SIM_OK)
        rc = wrc;
    if (b.mpi)
        sim_mpi_counter_close();
    if (rc == SIM_OK && b.h5 && !b.subset)
        rc = fold_resumed(&b, b.P * b.R);
    /* Exact quantiles, from the replications in the file, on every thread. */
    for (long p = 0; rc == SIM_OK && b.h5 && b.sf && sf_mode_of(b.sf) == SF_FILE && p < b.P; p++)
        rc = h5o_quantiles_from_file(b.h5, p, quantile_memory(), threads);
    double wall = omp_get_wtime() - b.t_start;
    progress(&b, 1);
    if (b.h5) {
        if (rc == SIM_OK) {
            rc = h5o_finish(b.h5, wall, b.events);
        } else if (rc == SIM_EINTR && o->summary_only) {
            /* Summaries alone cannot be continued: nothing to offer. */
            h5o_abort(b.h5, 0);
            sim_err_set(SIM_EINTR, "interrupted: a --summary-only run keeps no replications, so it cannot be "
                                   "resumed; run it again (without --summary-only to be able to resume)");
        } else if (rc == SIM_EINTR) {
            h5o_abort(b.h5, 1);
            sim_err_set(SIM_EINTR, "interrupted: %ld more replications kept in %s; finish with the same command and --resume",
                        b.done, h5o_partial_name(b.out_path));
        } else if ((o->resume || b.done > 0) && !o->summary_only && o->nmerge == 0) {
            /* Finished work is never deleted by a failure (a full disk, a
             * damaged file): what was written stays, resumable. */
            char msg[1024];
            snprintf(msg, sizeof msg, "%s", sim_err_msg());
            h5o_abort(b.h5, 1);
            sim_err_set(rc, "%s; the replications finished are kept in %s: fix the cause and finish with the "
                            "same command and --resume", msg, h5o_partial_name(b.out_path));
        } else {
            h5o_abort(b.h5, 0);
        }
        b.h5 = NULL;
    }
    if (b.mpi) {
        int ok = rc == SIM_OK;
        if (!ok)
            cli_fail(rc);
        free(todo);
        cleanup(&b);
        return merge_ranks(o, ok);
    }
    if (rc == SIM_OK && o->shard_n > 0) {
        printf("shard %d/%d: %ld replications in %s; merge the shards with: anodesim merge -o %s SHARD_FILES...\n",
               o->shard_k, o->shard_n, b.done, b.out_path, o->output);
    } else if (rc == SIM_OK) {
        batch_view v = { .o = o, .sw = b.sw, .P = b.P, .R = b.R, .scn = &b.scn[0], .yearly = b.yearly,
                         .year_regions = year_regions(&b), .he_cap = b.he_cap, .max_balance = b.max_balance,
                         .max_balance_t = b.max_balance_t, .events = b.events, .wall = wall,
                         .consumer_s = b.consumer_s, .threads = threads, .year = y };
        report_print(&v);
    }
    int code = rc == SIM_OK ? 0 : cli_fail(rc);
    free(todo);
    cleanup(&b);
    return code;
}
