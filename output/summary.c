#include "summary.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

int sum_acc_init(sum_acc *a, size_t n, int nq, const double *p)
{
    memset(a, 0, sizeof *a);
    if (nq < 0 || nq > SUM_MAX_QUANTILES)
        return sim_err_set(SIM_EINVAL, "at most %d quantiles", SUM_MAX_QUANTILES);
    for (int k = 0; k < nq; k++) {
        if (!(p[k] > 0 && p[k] < 1))
            return sim_err_set(SIM_EINVAL, "quantile %g is not inside (0, 1)", p[k]);
        if (k > 0 && !(p[k] > p[k - 1]))
            return sim_err_set(SIM_EINVAL, "quantiles must increase (%g after %g)", p[k], p[k - 1]);
        a->p[k] = p[k];
    }
    a->n = n;
    a->nq = nq;
    a->nm = nq > 0 ? 2 * nq + 3 : 0;
    /* Markers: 0, then for each quantile the midpoint below it and the
     * quantile itself, the midpoint above the last, and 1. */
    for (int k = 0; k < nq; k++) {
        a->frac[2 * k + 1] = ((k ? p[k - 1] : 0.0) + p[k]) / 2;
        a->frac[2 * k + 2] = p[k];
    }
    if (nq > 0) {
        a->frac[2 * nq + 1] = (p[nq - 1] + 1.0) / 2;
        a->frac[2 * nq + 2] = 1.0;
    }
    a->mean = calloc(n + 1, sizeof(double));
    a->m2 = calloc(n + 1, sizeof(double));
    if (nq > 0) {
        a->qh = calloc(n * (size_t)a->nm + 1, sizeof(double));
        a->qn = calloc(n * (size_t)(a->nm - 2) + 1, sizeof(int));
        a->flat = calloc(n + 1, 1);
        a->flat_v = calloc(n + 1, sizeof(double));
        a->varied = calloc(n + 1, sizeof(size_t));
    }
    a->part = calloc(1, sizeof *a->part);
    a->nparts = 1;
    if (a->part)
        a->part[0].hi = n;
    if (!a->mean || !a->m2 || !a->part || (nq > 0 && (!a->qh || !a->qn || !a->flat || !a->flat_v || !a->varied))) {
        sum_acc_free(a);
        return sim_err_set(SIM_ENOMEM, "out of memory for the summaries of %zu values", n);
    }
    return SIM_OK;
}

int sum_acc_split(sum_acc *a, int nparts)
{
    if (nparts < 1 || (size_t)nparts > (a->n > 0 ? a->n : 1))
        return sim_err_set(SIM_EINVAL, "cannot split %zu values in %d parts", a->n, nparts);
    if (sum_acc_count(a) > 0)
        return sim_err_set(SIM_EINVAL, "summaries are split before the first replication is added");
    sum_part *np = calloc((size_t)nparts, sizeof *np);
    if (!np)
        return sim_err_set(SIM_ENOMEM, "out of memory for the summaries' parts");
    for (int k = 0; k < nparts; k++) {
        np[k].lo = a->n * (size_t)k / (size_t)nparts;
        np[k].hi = a->n * (size_t)(k + 1) / (size_t)nparts;
    }
    free(a->part);
    a->part = np;
    a->nparts = nparts;
    return SIM_OK;
}

void sum_acc_reset(sum_acc *a)
{
    memset(a->mean, 0, a->n * sizeof(double));
    memset(a->m2, 0, a->n * sizeof(double));
    /* The markers (qh, qn) are left as they are: the first replication
     * marks every value flat, and a value's markers are written in full
     * (unflatten) before they are read.  Clearing them was 7 MB of stores
     * per sweep point for the default scenario. */
    if (a->nq > 0)
        memset(a->flat, 0, a->n);
    for (int k = 0; k < a->nparts; k++) {
        sum_part *pt = &a->part[k];
        pt->count = 0;
        pt->nvaried = 0;
        memset(pt->flat_h, 0, sizeof pt->flat_h);
        memset(pt->flat_n, 0, sizeof pt->flat_n);
    }
}

long sum_acc_count(const sum_acc *a)
{
    return a->nparts > 0 ? a->part[0].count : 0;
}

/* The part that holds value i (parts are near-equal ranges). */
static const sum_part *part_of(const sum_acc *a, size_t i)
{
    int k = (int)((i * (size_t)a->nparts) / (a->n > 0 ? a->n : 1));
    while (k > 0 && i < a->part[k].lo)
        k--;
    while (k + 1 < a->nparts && i >= a->part[k].hi)
        k++;
    return &a->part[k];
}

void sum_acc_free(sum_acc *a)
{
    free(a->mean);
    free(a->m2);
    free(a->qh);
    free(a->qn);
    free(a->flat);
    free(a->flat_v);
    free(a->varied);
    free(a->part);
    memset(a, 0, sizeof *a);
}

/* Markers of the usual five quantiles (2 * 5 + 3), for which the update
 * is compiled with its loop lengths known. */
#define P2_COMMON_M 13

/* Values ahead whose state is fetched while one is updated. */
#define PREFETCH_AHEAD 4

/* Move inner marker i (1 <= i <= M-2) one position in direction s (+1 or
 * -1): its height by the piecewise-parabolic (P-square) formula, or
 * linearly when the parabola leaves the neighbours' interval.  pos[] holds
 * every marker's position. */
static inline double p2_move(const double *h, const double *pos, int i, double s)
{
    double dl = pos[i] - pos[i - 1], dr = pos[i + 1] - pos[i];
    double qp = h[i] + s / (dl + dr) * ((dl + s) * (h[i + 1] - h[i]) / dr + (dr - s) * (h[i] - h[i - 1]) / dl);
    if (h[i - 1] < qp && qp < h[i + 1])
        return qp;
    int j = i + (int)s;
    return h[i] + s * (h[j] - h[i]) / (pos[j] - pos[i]);
}

/* One update of a value's M markers (heights h[0..M), inner positions
 * n[0..M-2) for markers 1..M-2) with observation number count > M.
 * want[] holds the desired inner positions, the same for every value. */
static inline void p2_update(double *h, int *n, int M, const double *want, long count, double x)
{
    if (x < h[0])
        h[0] = x;
    else if (x > h[M - 1])
        h[M - 1] = x;
    /* The markers above x move up by one (the last implicitly).  Heights
     * are sorted, so this needs no search for x's cell, and no branch. */
    for (int i = 0; i < M - 2; i++)
        n[i] += x < h[i + 1];
    double pos[SUM_MAX_MARKERS];
    pos[0] = 0;
    for (int i = 1; i < M - 1; i++)
        pos[i] = n[i - 1];
    pos[M - 1] = (double)(count - 1);
    /* Markers within one position of where they should be stay: find the
     * others without a branch each (a marker's distance changes only when
     * it moves itself), then visit them in order. */
    unsigned far = 0;
    for (int i = 1; i < M - 1; i++)
        far |= (unsigned)(fabs(want[i] - pos[i]) >= 1.0) << i;
    while (far) {
        int i = __builtin_ctz(far);
        far &= far - 1;
        double d = want[i] - pos[i];
        if ((d >= 1 && pos[i + 1] - pos[i] > 1) || (d <= -1 && pos[i - 1] - pos[i] < -1)) {
            double s = d > 0 ? 1.0 : -1.0;
            h[i] = p2_move(h, pos, i, s);
            pos[i] += s;
            n[i - 1] = (int)pos[i];
        }
    }
}

/* Add observation number c (1-based) to one value's markers. */
static inline void p2_add(double *h, int *n, int M, const double *want, long c, double x)
{
    if (c > M) {
        p2_update(h, n, M, want, c, x);
        return;
    }
    int j = (int)c - 1;   /* keep the first M sorted (insertion) */
    while (j > 0 && h[j - 1] > x) {
        h[j] = h[j - 1];
        j--;
    }
    h[j] = x;
    if (c == M)
        for (int m = 0; m < M - 2; m++)
            n[m] = m + 1;
}

/* Value i stops being constant: give it the markers a constant stream
 * of its value has after the previous observations. */
static void unflatten(sum_acc *a, const sum_part *pt, size_t i)
{
    a->flat[i] = 0;
    double *h = a->qh + i * (size_t)a->nm;
    for (int m = 0; m < a->nm; m++)
        h[m] = a->flat_v[i];
    memcpy(a->qn + i * (size_t)(a->nm - 2), pt->flat_n, (size_t)(a->nm - 2) * sizeof(int));
}

void sum_acc_add_part(sum_acc *a, int part, const double *x)
{
    sum_part *pt = &a->part[part];
    size_t lo = pt->lo, hi = pt->hi;
    pt->count++;
    long c = pt->count;
    double k = (double)c;
    for (size_t i = lo; i < hi; i++) {
        double d = x[i] - a->mean[i];
        a->mean[i] += d / k;
        a->m2[i] += d * (x[i] - a->mean[i]);
    }
    if (a->nq == 0)
        return;
    size_t *varied = a->varied + lo;
    if (c == 1) {
        memset(a->flat + lo, 1, hi - lo);
        memcpy(a->flat_v + lo, x + lo, (hi - lo) * sizeof(double));
    } else {
        int changed = 0;
        for (size_t i = lo; i < hi; i++)
            if (a->flat[i] && !(x[i] == a->flat_v[i])) {
                unflatten(a, pt, i);
                changed = 1;
            }
        if (changed) {   /* in index order: the walk below streams through memory */
            size_t nv = 0;
            for (size_t i = lo; i < hi; i++)
                if (!a->flat[i])
                    varied[nv++] = i;
            pt->nvaried = nv;
        }
    }
    int M = a->nm;
    double want[SUM_MAX_MARKERS];
    for (int m = 0; m < M; m++)
        want[m] = (double)(c - 1) * a->frac[m];
    size_t nvaried = pt->nvaried;
    for (size_t j = 0; j < nvaried; j++) {
        size_t i = varied[j];
        if (j + PREFETCH_AHEAD < nvaried) {   /* the walk skips constant values: help the prefetcher */
            size_t ahead = varied[j + PREFETCH_AHEAD];
            __builtin_prefetch(a->qh + ahead * (size_t)M, 1);
            __builtin_prefetch(a->qh + ahead * (size_t)M + 8, 1);
            __builtin_prefetch(a->qn + ahead * (size_t)(M - 2), 1);
        }
        double *h = a->qh + i * (size_t)M;
        int *n = a->qn + i * (size_t)(M - 2);
        if (M == P2_COMMON_M)   /* the usual five quantiles: loops of known length, unrolled */
            p2_add(h, n, P2_COMMON_M, want, c, x[i]);
        else
            p2_add(h, n, M, want, c, x[i]);
    }
    /* The constant stream's markers (all zero) advance likewise. */
    p2_add(pt->flat_h, pt->flat_n, M, want, c, 0.0);
}

void sum_acc_add(sum_acc *a, const double *x)
{
    for (int k = 0; k < a->nparts; k++)
        sum_acc_add_part(a, k, x);
}

double sum_acc_mean(const sum_acc *a, size_t i)
{
    return a->mean[i];
}

double sum_acc_sd(const sum_acc *a, size_t i)
{
    long count = part_of(a, i)->count;
    return count > 1 ? sqrt(a->m2[i] / (double)(count - 1)) : 0.0;
}

/* Quantile k of value i, whose part has `count` replications. */
static double quantile_of(const sum_acc *a, size_t i, long count, int k)
{
    if (count == 0)
        return NAN;
    if (a->flat && a->flat[i])
        return a->flat_v[i];
    const double *h = a->qh + i * (size_t)a->nm;
    if (count > a->nm)
        return h[2 * k + 2];
    /* Up to M observations: interpolate the sorted sample. */
    double pos = a->p[k] * (double)(count - 1);
    int lo = (int)floor(pos);
    int hi = lo + 1 < count ? lo + 1 : lo;
    return h[lo] + (pos - lo) * (h[hi] - h[lo]);
}

void sum_acc_quantile_rows(const sum_acc *a, size_t i0, size_t stride, size_t n, double *out)
{
    enum { AHEAD = 8 };   /* values whose markers are fetched ahead */
    size_t nm = (size_t)a->nm;
    for (size_t j = 0; j < n; j++) {
        size_t i = i0 + j * stride;
        if (j + AHEAD < n)
            __builtin_prefetch(a->qh + (i + AHEAD * stride) * nm);
        long count = part_of(a, i)->count;
        for (int k = 0; k < a->nq; k++)
            out[(size_t)k * n + j] = quantile_of(a, i, count, k);
    }
}

double sum_acc_quantile(const sum_acc *a, size_t i, int k)
{
    return quantile_of(a, i, part_of(a, i)->count, k);
}

/* ---- exact sample quantiles -------------------------------------------- */

static void swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Move the values of x[lo..hi] that pass `below` (v < pivot, or v <=
 * pivot) to the front; returns the first that does not.  Without
 * branches on the data: each value is swapped with the front of the
 * rest and the front moves on if it passed (Lomuto's partition as a
 * conditional add).  Selection on simulated values, which fall either
 * side of a pivot at random, spent most of its time on mispredicted
 * branches in Hoare's two-sided scan. */
static size_t partition_lt(double *x, size_t lo, size_t hi, double pivot, int or_equal)
{
    size_t s = lo;
    if (or_equal) {
        for (size_t i = lo; i <= hi; i++) {
            double v = x[i];
            x[i] = x[s];
            x[s] = v;
            s += v <= pivot;
        }
    } else {
        for (size_t i = lo; i <= hi; i++) {
            double v = x[i];
            x[i] = x[s];
            x[s] = v;
            s += v < pivot;
        }
    }
    return s;
}

/* Put the k-th smallest of x[lo..hi] at x[k], smaller ones before it and
 * larger ones after (median-of-three pivots, three-way partitions so
 * that ties end the search: no random numbers, and the value found does
 * not depend on the method anyway). */
static void select_kth(double *x, size_t lo, size_t hi, size_t k)
{
    while (hi > lo) {
        double a = x[lo], b = x[lo + (hi - lo) / 2], c = x[hi];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t lt = partition_lt(x, lo, hi, pivot, 0);   /* [lo, lt) < pivot */
        if (k < lt) {
            hi = lt - 1;
            continue;
        }
        size_t le = partition_lt(x, lt, hi, pivot, 1);   /* [lt, le) == pivot, the pivot among them */
        if (k < le)
            return;
        lo = le;
    }
}

/* Where the smallest (largest: the largest) of x[lo..hi] is. */
static size_t extreme(const double *x, size_t lo, size_t hi, int largest)
{
    size_t best = lo;
    double v = x[lo];
    for (size_t j = lo + 1; j <= hi; j++) {
        int better = largest ? x[j] > v : x[j] < v;
        best = better ? j : best;
        v = better ? x[j] : v;
    }
    return best;
}

/* Put the order statistics ranks[0..nr) (increasing, distinct) of
 * x[lo..hi] in place.  Select the middle rank first: the ranks below it
 * then search only the values below it, those above only the values
 * above; a rank at either end of its range is a minimum or maximum (one
 * scan), which is what the upper neighbour of an interpolated quantile
 * usually is.  Five quantiles cost about half the passes of selecting
 * each over what the previous one left. */
static void select_ranks(double *x, size_t lo, size_t hi, const size_t *ranks, int nr)
{
    while (nr > 0) {
        if (ranks[0] == lo) {
            swap_d(&x[lo], &x[extreme(x, lo, hi, 0)]);
            lo++, ranks++, nr--;
            continue;
        }
        if (ranks[nr - 1] == hi) {
            swap_d(&x[hi], &x[extreme(x, lo, hi, 1)]);
            hi--, nr--;
            continue;
        }
        int mid = nr / 2;
        size_t r = ranks[mid];
        select_kth(x, lo, hi, r);
        select_ranks(x, lo, r - 1, ranks, mid);   /* (r > lo: ranks[0] > lo above) */
        lo = r + 1;
        ranks += mid + 1;
        nr -= mid + 1;
    }
}

void sum_exact(double *x, size_t n, int nq, const double *p, double *out)
{
    if (n == 0) {
        for (int k = 0; k < nq; k++)
            out[k] = NAN;
        return;
    }
    double lo = x[0], hi = x[0];
    for (size_t i = 1; i < n; i++) {
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
    }
    if (lo == hi) {   /* most values of a run never vary */
        for (int k = 0; k < nq; k++)
            out[k] = lo;
        return;
    }
    /* The ranks each quantile interpolates between, once each. */
    size_t ranks[2 * SUM_MAX_QUANTILES];
    int nr = 0;
    for (int k = 0; k < nq; k++) {
        double pos = p[k] * (double)(n - 1);
        size_t i = (size_t)floor(pos);
        for (size_t r = i; r <= i + 1 && r < n; r++)
            if (r == i || pos > (double)i)
                if (nr == 0 || ranks[nr - 1] < r)
                    ranks[nr++] = r;
    }
    select_ranks(x, 0, n - 1, ranks, nr);
    for (int k = 0; k < nq; k++) {
        double pos = p[k] * (double)(n - 1);
        size_t i = (size_t)floor(pos);
        double a = x[i], b = i + 1 < n && pos > (double)i ? x[i + 1] : a;
        out[k] = a + (pos - (double)i) * (b - a);
    }
}

void sum_exact_columns_f(const float *cols, size_t n, size_t m, int nq, const double *p, double *out, size_t ld,
                         int threads)
{
#pragma omp parallel num_threads(threads > 0 ? threads : 1)
    {
        double *x = malloc((n + 1) * sizeof *x);
#pragma omp for schedule(dynamic, 64)
        for (size_t j = 0; j < m; j++) {
            double q[SUM_MAX_QUANTILES];
            for (size_t i = 0; x && i < n; i++)
                x[i] = cols[j * n + i];
            if (x)
                sum_exact(x, n, nq, p, q);
            for (int k = 0; k < nq; k++)
                out[(size_t)k * ld + j] = x ? q[k] : NAN;
        }
        free(x);
    }
}

/* ---- exact quantiles in passes over the replications ----------------------
 *
 * Each value needs a few order statistics (the ranks around each
 * quantile's position).  The first pass counts each value's replications
 * in bins over mean +- 4 sd (with a bin below and one above), keeping
 * each bin's smallest and largest value; a rank's bin becomes its
 * interval.  A rank is found when its interval holds one value only
 * (ties: smallest = largest); when few values are left in it, the next
 * pass collects and sorts them; otherwise the next pass bins the
 * interval again.  Every pass makes an interval's count smaller, so the
 * search ends: two passes for most values, three or four for values
 * whose replications cluster.  Passes after the first visit only the
 * values still unresolved, and bins and collected values are kept only
 * for their ranks.  Memory depends on the number of values, not of
 * replications. */

#define SEL_K1 126       /* first pass: bins over mean +- 4 sd (plus below and above) */
#define SEL_K 16         /* later passes: bins over a rank's interval */
#define SEL_COLLECT 48   /* values few enough to collect and sort */
#define SEL_RANKS (2 * SUM_MAX_QUANTILES)

typedef struct sel_bin {
    long n;
    double lo, hi;   /* smallest and largest value in the bin */
} sel_bin;

typedef struct sel_rank {
    long rank;       /* 0-based order statistic sought */
    long below;      /* values below the interval */
    long count;      /* values in the interval */
    double lo, hi;   /* its smallest and largest value */
    int done;
    long slot;       /* this pass: first of its bins (binning) or of its collected values */
    long ngot;
    double value;
} sel_rank;

struct sum_select {
    size_t n;
    long count;
    int nq;
    double p[SUM_MAX_QUANTILES];
    int nr;                      /* ranks sought per value */
    long rankv[SEL_RANKS];
    sel_rank *r;                 /* [n][nr] */
    sel_bin *bins;               /* first pass: [n][SEL_K1 + 2]; later: SEL_K per binned rank */
    size_t nbins;
    double *got;                 /* collected values, per collecting rank */
    size_t ngot_cap;
    size_t *active;              /* values with a rank left, this pass */
    size_t nactive;
    double *a, *w;               /* first pass: [n] bin origin and width */
    int pass;
};

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

size_t sum_select_bytes(size_t n, int nq)
{
    size_t nr = 2 * (size_t)nq;
    /* The first pass's bins, or at most as many bytes of later bins and
     * collected values (both kept within it: sum_select_begin). */
    return n * ((SEL_K1 + 2) * sizeof(sel_bin) + 2 * sizeof(double) + sizeof(size_t) + nr * sizeof(sel_rank));
}

void sum_select_free(sum_select *s)
{
    if (!s)
        return;
    free(s->r), free(s->bins), free(s->got), free(s->active), free(s->a), free(s->w);
    free(s);
}

sum_select *sum_select_new(size_t n, long count, int nq, const double *p, const double *mean, const double *sd)
{
    sum_select *s = calloc(1, sizeof *s);
    if (!s || nq < 1 || nq > SUM_MAX_QUANTILES || count < 1) {
        free(s);
        return NULL;
    }
    s->n = n;
    s->count = count;
    s->nq = nq;
    memcpy(s->p, p, (size_t)nq * sizeof *p);
    /* The ranks: floor(pos) and the next for each quantile, once each. */
    for (int k = 0; k < nq; k++) {
        double pos = p[k] * (double)(count - 1);
        long i = (long)floor(pos);
        long want[2] = { i, i + 1 };
        for (int h = 0; h < (i + 1 < count && pos > (double)i ? 2 : 1); h++) {
            int seen = 0;
            for (int q = 0; q < s->nr; q++)
                seen |= s->rankv[q] == want[h];
            if (!seen)
                s->rankv[s->nr++] = want[h];
        }
    }
    size_t nr = (size_t)s->nr;
    s->nbins = n * (SEL_K1 + 2);
    s->r = calloc(n * nr + 1, sizeof *s->r);
    s->bins = malloc((s->nbins + 1) * sizeof *s->bins);
    s->active = malloc((n + 1) * sizeof *s->active);
    s->a = malloc((n + 1) * sizeof *s->a);
    s->w = malloc((n + 1) * sizeof *s->w);
    if (!s->r || !s->bins || !s->active || !s->a || !s->w) {
        sum_select_free(s);
        return NULL;
    }
    for (size_t j = 0; j < n; j++) {
        double m = mean ? mean[j] : NAN, d = sd ? sd[j] : NAN;
        /* No usable spread: everything lands in the bin below, whose
         * smallest and largest value start the next pass. */
        int ok = isfinite(m) && isfinite(d) && d > 0;
        s->a[j] = ok ? m - 4 * d : INFINITY;
        s->w[j] = ok ? 8 * d / SEL_K1 : 1;
        for (size_t q = 0; q < nr; q++)
            s->r[j * nr + q].rank = s->rankv[q];
        s->active[j] = j;
    }
    s->nactive = n;
    return s;
}

int sum_select_done(const sum_select *s)
{
    return s->pass > 0 && s->nactive == 0;
}

static void bins_clear(sel_bin *b, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        b[i].n = 0;
        b[i].lo = INFINITY;
        b[i].hi = -INFINITY;
    }
}

/* Room for `need` elements of `size` bytes in *buf (capacity *cap). */
static int reserve_room(void **buf, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    void *p = realloc(*buf, (need + 1) * size);
    if (!p)
        return -1;
    *buf = p;
    *cap = need;
    return 0;
}

int sum_select_begin(sum_select *s)
{
    if (s->pass == 0) {
        bins_clear(s->bins, s->nbins);
        return SIM_OK;
    }
    /* Each unresolved rank of the active values: its bins or its values. */
    size_t nr = (size_t)s->nr, nb = 0, ng = 0;
    for (size_t a = 0; a < s->nactive; a++)
        for (size_t q = 0; q < nr; q++) {
            sel_rank *r = &s->r[s->active[a] * nr + q];
            if (r->done)
                continue;
            r->ngot = 0;
            if (r->count <= SEL_COLLECT) {
                r->slot = (long)ng;
                ng += (size_t)r->count;
            } else {
                r->slot = (long)nb;
                nb += SEL_K;
            }
        }
    if (reserve_room((void **)&s->bins, &s->nbins, nb, sizeof *s->bins) < 0 ||
        reserve_room((void **)&s->got, &s->ngot_cap, ng, sizeof *s->got) < 0)
        return SIM_ENOMEM;
    bins_clear(s->bins, nb);
    return SIM_OK;
}

static void bin_add(sel_bin *b, double x)
{
    b->n++;
    b->lo = x < b->lo ? x : b->lo;
    b->hi = x > b->hi ? x : b->hi;
}

/* Value j of one replication into the pass. */
static void select_one(sum_select *s, size_t j, double x)
{
    size_t nr = (size_t)s->nr;
    if (s->pass == 0) {
        double t = (x - s->a[j]) / s->w[j];
        int b = !(t >= 0) ? 0 : t >= SEL_K1 ? SEL_K1 + 1 : (int)t + 1;
        bin_add(&s->bins[j * (SEL_K1 + 2) + (size_t)b], x);
        return;
    }
    for (size_t q = 0; q < nr; q++) {
        sel_rank *r = &s->r[j * nr + q];
        if (r->done || x < r->lo || x > r->hi)
            continue;
        if (r->count <= SEL_COLLECT) {
            if (r->ngot < r->count)
                s->got[r->slot + r->ngot] = x;
            r->ngot++;
            continue;
        }
        double t = (x - r->lo) / (r->hi - r->lo) * SEL_K;
        int b = t >= SEL_K ? SEL_K - 1 : (int)t;
        bin_add(&s->bins[r->slot + b], x);
    }
}

void sum_select_add(sum_select *s, const double *rows, size_t ld, long nrows, int threads)
{
    /* Value by value: its bins stay in cache (measured: faster than row
     * by row, where every value's bins are visited once a row). */
#pragma omp parallel for schedule(static) num_threads(threads > 0 ? threads : 1)
    for (size_t a = 0; a < s->nactive; a++) {
        size_t j = s->active[a];
        for (long i = 0; i < nrows; i++)
            select_one(s, j, rows[(size_t)i * ld + j]);
    }
}

/* The rank's bin among k bins (cumulative counts from `below`): the new interval. */
static void narrow(sel_rank *r, const sel_bin *b, int k, long below)
{
    for (int i = 0; i < k; i++) {
        if (r->rank < below + b[i].n) {
            r->below = below;
            r->count = b[i].n;
            r->lo = b[i].lo;
            r->hi = b[i].hi;
            if (r->lo == r->hi) {
                r->done = 1;
                r->value = r->lo;
            }
            return;
        }
        below += b[i].n;
    }
    r->done = 1;   /* (counts short of the rank: replications missing) */
    r->value = NAN;
}

void sum_select_end(sum_select *s)
{
    size_t nr = (size_t)s->nr, still = 0;
    for (size_t a = 0; a < s->nactive; a++) {
        size_t j = s->active[a];
        int left = 0;
        for (size_t q = 0; q < nr; q++) {
            sel_rank *r = &s->r[j * nr + q];
            if (s->pass == 0) {
                narrow(r, &s->bins[j * (SEL_K1 + 2)], SEL_K1 + 2, 0);
            } else if (!r->done && r->count <= SEL_COLLECT) {
                long n = r->ngot < r->count ? r->ngot : r->count;
                double *g = &s->got[r->slot];
                qsort(g, (size_t)n, sizeof *g, cmp_double);
                long i = r->rank - r->below;
                r->done = 1;
                r->value = i >= 0 && i < n ? g[i] : NAN;
            } else if (!r->done) {
                narrow(r, &s->bins[r->slot], SEL_K, r->below);
            }
            left |= !r->done;
        }
        if (left)
            s->active[still++] = j;
    }
    s->nactive = still;
    s->pass++;
}

int sum_select_passes(const sum_select *s)
{
    return s->pass;
}

void sum_select_result(const sum_select *s, double *out, size_t ld)
{
    size_t nr = (size_t)s->nr;
    for (size_t j = 0; j < s->n; j++)
        for (int k = 0; k < s->nq; k++) {
            double pos = s->p[k] * (double)(s->count - 1);
            long i = (long)floor(pos);
            double a = NAN, b = NAN;
            for (size_t q = 0; q < nr; q++) {
                if (s->r[j * nr + q].rank == i)
                    a = s->r[j * nr + q].value;
                if (s->r[j * nr + q].rank == i + 1)
                    b = s->r[j * nr + q].value;
            }
            if (!(i + 1 < s->count && pos > (double)i))
                b = a;
            out[(size_t)k * ld + j] = a + (pos - (double)i) * (b - a);
        }
}
