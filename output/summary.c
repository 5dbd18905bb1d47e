#include "summary.h"

#include <math.h>
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
    if (!a->mean || !a->m2 || (nq > 0 && (!a->qh || !a->qn || !a->flat || !a->flat_v || !a->varied))) {
        sum_acc_free(a);
        return sim_err_set(SIM_ENOMEM, "out of memory for the summaries of %zu values", n);
    }
    return SIM_OK;
}

void sum_acc_reset(sum_acc *a)
{
    a->count = 0;
    memset(a->mean, 0, a->n * sizeof(double));
    memset(a->m2, 0, a->n * sizeof(double));
    if (a->nq > 0) {
        memset(a->qh, 0, a->n * (size_t)a->nm * sizeof(double));
        memset(a->qn, 0, a->n * (size_t)(a->nm - 2) * sizeof(int));
        memset(a->flat, 0, a->n);
    }
    a->nvaried = 0;
    memset(a->flat_h, 0, sizeof a->flat_h);
    memset(a->flat_n, 0, sizeof a->flat_n);
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
static void unflatten(sum_acc *a, size_t i)
{
    a->flat[i] = 0;
    double *h = a->qh + i * (size_t)a->nm;
    for (int m = 0; m < a->nm; m++)
        h[m] = a->flat_v[i];
    memcpy(a->qn + i * (size_t)(a->nm - 2), a->flat_n, (size_t)(a->nm - 2) * sizeof(int));
}

void sum_acc_add(sum_acc *a, const double *x)
{
    a->count++;
    long c = a->count;
    double k = (double)c;
    for (size_t i = 0; i < a->n; i++) {
        double d = x[i] - a->mean[i];
        a->mean[i] += d / k;
        a->m2[i] += d * (x[i] - a->mean[i]);
    }
    if (a->nq == 0)
        return;
    if (c == 1) {
        memset(a->flat, 1, a->n);
        memcpy(a->flat_v, x, a->n * sizeof(double));
    } else {
        int changed = 0;
        for (size_t i = 0; i < a->n; i++)
            if (a->flat[i] && !(x[i] == a->flat_v[i])) {
                unflatten(a, i);
                changed = 1;
            }
        if (changed) {   /* in index order: the walk below streams through memory */
            size_t nv = 0;
            for (size_t i = 0; i < a->n; i++)
                if (!a->flat[i])
                    a->varied[nv++] = i;
            a->nvaried = nv;
        }
    }
    int M = a->nm;
    double want[SUM_MAX_MARKERS];
    for (int m = 0; m < M; m++)
        want[m] = (double)(c - 1) * a->frac[m];
    for (size_t j = 0; j < a->nvaried; j++) {
        size_t i = a->varied[j];
        if (j + PREFETCH_AHEAD < a->nvaried) {   /* the walk skips constant values: help the prefetcher */
            size_t ahead = a->varied[j + PREFETCH_AHEAD];
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
    p2_add(a->flat_h, a->flat_n, M, want, c, 0.0);
}

double sum_acc_mean(const sum_acc *a, size_t i)
{
    return a->mean[i];
}

double sum_acc_sd(const sum_acc *a, size_t i)
{
    return a->count > 1 ? sqrt(a->m2[i] / (double)(a->count - 1)) : 0.0;
}

double sum_acc_quantile(const sum_acc *a, size_t i, int k)
{
    if (a->count == 0)
        return NAN;
    if (a->flat && a->flat[i])
        return a->flat_v[i];
    const double *h = a->qh + i * (size_t)a->nm;
    if (a->count > a->nm)
        return h[2 * k + 2];
    /* Up to M observations: interpolate the sorted sample. */
    double pos = a->p[k] * (double)(a->count - 1);
    int lo = (int)floor(pos);
    int hi = lo + 1 < a->count ? lo + 1 : lo;
    return h[lo] + (pos - lo) * (h[hi] - h[lo]);
}
