/* Exact quantiles from the stored replications (h5o_quantiles_from_file):
 * the replications of each variable read back and decoded on every
 * thread into columns, or, beyond three passes so, a selection in passes
 * (sum_select). */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "h5out_impl.h"
#include "sim_err.h"


/* Replications whose chunks are read before they are decoded together
 * (as many as an h5c_chunks holds). */
#define QF_BATCH H5C_MAX_CHUNKS

/* The [point] slab of summary dataset ds (n doubles, one chunk as
 * h5oi_store_chunk wrote it, every filter applied) into buf, decoded here
 * like the replications' chunks.  Through HDF5 it went wrong: with one
 * point a summary dataset is a single chunk, and HDF5 1.10 then reports
 * a chunk written by H5Dwrite_chunk in the same open file as unfiltered
 * (filter mask all ones) and H5Dread read past its buffer
 * (AddressSanitizer); the file as written is right (readers decode it). */
static int summary_read(h5o_file *f, hid_t ds, long point, double *buf, size_t n)
{
    hsize_t off[RS_MAX_DIMS + 2] = { (hsize_t)point }, size = 0;
    uint32_t mask = 0;
    HCHECK(H5Dget_chunk_storage_size(ds, off, &size), "read a summary");
    if (size == 0) {   /* (not written: no spread known) */
        for (size_t i = 0; i < n; i++)
            buf[i] = NAN;
        return SIM_OK;
    }
    h5c_chunks_clear(&f->raw);
    unsigned char *at;
    SIM_CHECK(h5c_append(&f->raw, (size_t)size, &at));
    HCHECK(H5Dread_chunk(ds, H5P_DEFAULT, off, &mask, at), "read a summary");
    return h5c_decode(f->coder, at, (size_t)size, buf, n, 1, (int)sizeof(double));
}

/* Tools of the quantile passes: a decoder per thread, the batch of
 * decoded replications, and the scratch the columns or the selection
 * live in (kept from point to point). */
typedef struct qf_tools {
    int nthreads;
    h5c_coder **coder;      /* [nthreads] */
    double *rows;           /* [QF_BATCH][longest variable] */
} qf_tools;

static void qf_free(qf_tools *t)
{
    for (int k = 0; t->coder && k < t->nthreads; k++)
        h5c_coder_free(t->coder[k]);
    free(t->coder);
    free(t->rows);
}

static int qf_init(qf_tools *t, int threads, size_t longest)
{
    t->nthreads = threads > 0 ? threads : 1;
    t->coder = calloc((size_t)t->nthreads, sizeof *t->coder);
    t->rows = malloc((QF_BATCH * longest + 1) * sizeof *t->rows);
    int ok = t->coder && t->rows;
    for (int k = 0; ok && k < t->nthreads; k++)
        ok = (t->coder[k] = h5c_coder_new(H5O_DEFLATE_LEVEL)) != NULL;
    if (!ok) {
        qf_free(t);
        return sim_err_set(SIM_ENOMEM, "out of memory for the quantiles");
    }
    return SIM_OK;
}

/* What a pass does with each batch of decoded replications r0.. r0+nb-1
 * (rows[k * len + j]): keep values [j0, j0 + m) as columns, or feed a
 * selection. */
typedef struct qf_sink {
    size_t j0, m;
    float *cols;            /* [m][R], or NULL */
    sum_select *sel;        /* or this */
} qf_sink;

static void qf_take(const qf_sink *k, const double *rows, size_t len, long r0, long nb, long R, int threads)
{
    if (k->sel) {
        sum_select_add(k->sel, rows + k->j0, len, nb, threads);
        return;
    }
#pragma omp parallel for schedule(static) num_threads(threads)
    for (size_t j = 0; j < k->m; j++)
        for (long i = 0; i < nb; i++)
            k->cols[j * (size_t)R + (size_t)(r0 + i)] = (float)rows[(size_t)i * len + k->j0 + j];
}

/* One pass over every replication of `point` for variable i: chunks read
 * here, a batch at a time, decoded on every thread. */
static int qf_pass(h5o_file *f, qf_tools *t, int i, long point, const qf_sink *sink)
{
    const rs_var *v = &f->sch->var[i];
    long R = f->o.nreps;
    for (long r0 = 0; r0 < R; r0 += QF_BATCH) {
        long nb = R - r0 < QF_BATCH ? R - r0 : QF_BATCH;
        h5c_chunks_clear(&f->raw);
        size_t size[QF_BATCH];
        for (long k = 0; k < nb; k++) {
            unsigned char *at;
            SIM_CHECK(h5oi_chunk_read(f, i, point, r0 + k, &f->raw, &at, &size[k]));
        }
        int failed = SIM_OK;
#pragma omp parallel for schedule(static) num_threads(t->nthreads)
        for (long k = 0; k < nb; k++) {
            int rc = h5c_decode(t->coder[omp_get_thread_num()], f->raw.data + f->raw.off[k], size[k],
                                t->rows + (size_t)k * v->len, v->len, 1, h5oi_elem_size(v));
            if (rc != SIM_OK) {
#pragma omp critical(h5o_qf)
                failed = rc;
            }
        }
        if (failed != SIM_OK)
            return sim_err_prefix(failed, "%s: replications %ld-%ld of point %ld, %s", f->partial, r0, r0 + nb - 1,
                                  point, v->name);
        qf_take(sink, t->rows, v->len, r0, nb, R, t->nthreads);
    }
    return SIM_OK;
}

/* Passes over the replications that keep the values as columns, at
 * most this many per variable; beyond, the selection (sum_select), whose
 * passes grow with the logarithm of the replications, not with them. */
#define QF_COLUMN_PASSES 3
#define QF_SELECT_MIN ((size_t)8 << 20)

/* The scratch of the quantiles: mem_bytes, allocated and touched the
 * first time whatever the replications, so that memory does not grow
 * with their number (a run of 100 replications peaks as one of 10,000). */
static int qf_scratch(h5o_file *f, size_t mem_bytes)
{
    if (f->qscratch && f->qscratch_len >= mem_bytes)
        return SIM_OK;
    free(f->qscratch);
    f->qscratch = malloc(mem_bytes + 1);
    if (!f->qscratch)
        return sim_err_set(SIM_ENOMEM, "out of memory for the quantiles (%zu MiB: set ANODESIM_QUANTILE_MB lower)",
                           mem_bytes >> 20);
    memset(f->qscratch, 0, mem_bytes);
    f->qscratch_len = mem_bytes;
    return SIM_OK;
}

/* Exact quantiles of variable i at `point` into out[q * len + j]. */
static int qf_var(h5o_file *f, qf_tools *t, int i, long point, size_t mem_bytes, double *out, double *mean,
                  double *sd)
{
    const rs_var *v = &f->sch->var[i];
    size_t R = (size_t)f->o.nreps;
    size_t m = mem_bytes / (R * sizeof(float));
    if (m >= 1 && (v->len + m - 1) / m <= QF_COLUMN_PASSES) {
        /* Columns: every replication of m values at a time, exact. */
        m = m > v->len ? v->len : m;
        for (size_t j0 = 0; j0 < v->len; j0 += m) {
            qf_sink k = { j0, v->len - j0 < m ? v->len - j0 : m, (float *)f->qscratch, NULL };
            SIM_CHECK(qf_pass(f, t, i, point, &k));
            sum_exact_columns_f(k.cols, R, k.m, H5O_NQ, h5o_quantiles, out + j0, v->len, t->nthreads);
        }
        return SIM_OK;
    }
    SIM_CHECK(summary_read(f, f->sv[i][SK_MEAN], point, mean, v->len));
    SIM_CHECK(summary_read(f, f->sv[i][SK_STD], point, sd, v->len));
    /* (the selection's state lives apart from the scratch: at least a
     * few MiB of it, or values one at a time would take a pass each) */
    m = (mem_bytes > QF_SELECT_MIN ? mem_bytes : QF_SELECT_MIN) / sum_select_bytes(1, H5O_NQ);
    m = m < 1 ? 1 : m > v->len ? v->len : m;
    for (size_t j0 = 0; j0 < v->len; j0 += m) {
        size_t mm = v->len - j0 < m ? v->len - j0 : m;
        qf_sink k = { j0, mm, NULL, sum_select_new(mm, (long)R, H5O_NQ, h5o_quantiles, mean + j0, sd + j0) };
        if (!k.sel)
            return sim_err_set(SIM_ENOMEM, "out of memory for the quantiles of %s", v->name);
        int rc = SIM_OK;
        while (rc == SIM_OK && !sum_select_done(k.sel)) {
            rc = sum_select_begin(k.sel) == SIM_OK ? qf_pass(f, t, i, point, &k)
                                                   : sim_err_set(SIM_ENOMEM, "out of memory for the quantiles of %s", v->name);
            sum_select_end(k.sel);
        }
        if (rc == SIM_OK)
            sum_select_result(k.sel, out + j0, v->len);
        sum_select_free(k.sel);
        SIM_CHECK(rc);
    }
    return SIM_OK;
}

int h5o_quantiles_from_file(h5o_file *f, long point, size_t mem_bytes, int threads)
{
    h5oi_quiet();
    const rs_schema *s = f->sch;
    if (!f->o.store_replications || f->o.nreps <= 0)
        return SIM_OK;
    if (f->raw_read == 0)
        f->raw_read = h5oi_chunks_decodable(f) ? 1 : -1;
    if (f->raw_read < 0)
        return sim_err_set(SIM_EINPUT, "%s stores its replications in a way this program does not decode", f->partial);
    SIM_CHECK(h5oi_need_coder(f));
    SIM_CHECK(qf_scratch(f, mem_bytes));
    size_t big = h5o_summary_buf_len(f);
    qf_tools t = { 0 };
    SIM_CHECK(qf_init(&t, threads, big / H5O_NQ + 1));
    double *out = malloc(big * sizeof *out), *mean = malloc(big * sizeof *mean), *sd = malloc(big * sizeof *sd);
    int rc = out && mean && sd ? SIM_OK : sim_err_set(SIM_ENOMEM, "out of memory for the quantiles");
    for (int i = 0; rc == SIM_OK && i < s->nvars; i++) {
        const rs_var *v = &s->var[i];
        if (!(v->summaries & RS_SUM_QUANTILES) || v->len == 0)
            continue;
        rc = qf_var(f, &t, i, point, mem_bytes, out, mean, sd);
        h5c_chunks_clear(&f->packed);
        if (rc == SIM_OK)
            rc = h5c_encode(f->coder, out, H5O_NQ * v->len, 1, (int)sizeof(double), &f->packed);
        if (rc == SIM_OK)
            rc = h5oi_store_chunk(f, f->sv[i][SK_QUANT], point, &f->packed);
        h5c_chunks_clear(&f->packed);
    }
    free(sd);
    free(mean);
    free(out);
    qf_free(&t);
    return rc;
}

