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
        a->p[k] = p[k];
    }
    a->n = n;
    a->nq = nq;
    a->mean = calloc(n + 1, sizeof(double));
    a->m2 = calloc(n + 1, sizeof(double));
    if (nq > 0) {
        a->qh = calloc(n * (size_t)nq * 5 + 1, sizeof(double));
        a->qn = calloc(n * (size_t)nq * 3 + 1, sizeof(int));
        a->flat = calloc(n + 1, 1);
        a->flat_v = calloc(n + 1, sizeof(double));
    }
    if (!a->mean || !a->m2 || (nq > 0 && (!a->qh || !a->qn || !a->flat || !a->flat_v))) {
        sum_acc_free(a);
        return sim_err_set(SIM_ENOMEM, "out of memory for the summaries of %zu values", n);
    }
    return SIM_OK;
}

void sum_acc_reset(sum_acc *a)
{
    a->count = 0;
    memset(a->mean, 0, a->n * sizeof(double));
    if (a->nq > 0) {
        memset(a->qh, 0, a->n * (size_t)a->nq * 5 * sizeof(double));
        memset(a->qn, 0, a->n * (size_t)a->nq * 3 * sizeof(int));
        memset(a->flat, 0, a->n);
    }
    memset(a->flat_h, 0, sizeof a->flat_h);
    memset(a->flat_n, 0, sizeof a->flat_n);
    memset(a->m2, 0, a->n * sizeof(double));
}

void sum_acc_free(sum_acc *a)
{
    free(a->mean);
    free(a->m2);
    free(a->qh);
    free(a->qn);
    free(a->flat);
    free(a->flat_v);
    memset(a, 0, sizeof *a);
}

/* One P-square update of the five markers (heights h; inner positions
 * n[0..2] for markers 1..3, 0-based) with the count-th observation x
 * (count >= 6).  want[] holds the desired inner positions, the same for
 * every value of the replication. */
static inline void p2_update(double *h, int *n, const double *want, long count, double x)
{
    int k;
    if (x < h[0]) {
        h[0] = x;
        k = 0;
    } else if (x >= h[4]) {
        h[4] = x;
        k = 3;
    } else {
        k = (x >= h[1]) + (x >= h[2]) + (x >= h[3]);
    }
    /* Markers above the cell move up by one (marker 4 implicitly). */
    for (int i = k; i < 3; i++)
        n[i] += 1;
    double pos[5] = { 0, n[0], n[1], n[2], (double)(count - 1) };
    for (int i = 1; i <= 3; i++) {
        double d = want[i - 1] - pos[i];
        if ((d >= 1 && pos[i + 1] - pos[i] > 1) || (d <= -1 && pos[i - 1] - pos[i] < -1)) {
            double s = d > 0 ? 1.0 : -1.0;
            double qp = h[i] + s / (pos[i + 1] - pos[i - 1]) *
                                   ((pos[i] - pos[i - 1] + s) * (h[i + 1] - h[i]) / (pos[i + 1] - pos[i]) +
                                    (pos[i + 1] - pos[i] - s) * (h[i] - h[i - 1]) / (pos[i] - pos[i - 1]));
            if (!(h[i - 1] < qp && qp < h[i + 1])) {
                int j = i + (int)s;
                qp = h[i] + s * (h[j] - h[i]) / (pos[j] - pos[i]);
            }
            h[i] = qp;
            pos[i] += s;
            n[i - 1] = (int)pos[i];
        }
    }
}

/* Add observation number c (1-based) to one value's markers. */
static inline void p2_add(double *h, int *n, const double *want, long c, double x)
{
    if (c > 5) {
        p2_update(h, n, want, c, x);
        return;
    }
    int j = (int)c - 1;   /* keep the first five sorted (insertion) */
    while (j > 0 && h[j - 1] > x) {
        h[j] = h[j - 1];
        j--;
    }
    h[j] = x;
    if (c == 5)
        for (int m = 0; m < 3; m++)
            n[m] = m + 1;
}

/* Value i stops being constant: give it the markers a constant stream
 * of its value has after the previous observations. */
static void unflatten(sum_acc *a, size_t i)
{
    a->flat[i] = 0;
    for (int q = 0; q < a->nq; q++) {
        double *h = a->qh + ((size_t)q * a->n + i) * 5;
        for (int m = 0; m < 5; m++)
            h[m] = a->flat_v[i];
        memcpy(a->qn + ((size_t)q * a->n + i) * 3, a->flat_n[q], sizeof a->flat_n[q]);
    }
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
        for (size_t i = 0; i < a->n; i++)
            if (a->flat[i] && !(x[i] == a->flat_v[i]))
                unflatten(a, i);
    }
    for (int q = 0; q < a->nq; q++) {
        double *hq = a->qh + (size_t)q * a->n * 5;
        int *nq = a->qn + (size_t)q * a->n * 3;
        double p = a->p[q], cc = (double)(c - 1);
        const double want[3] = { cc * p / 2, cc * p, cc * (1 + p) / 2 };
        for (size_t i = 0; i < a->n; i++)
            if (!a->flat[i])
                p2_add(hq + i * 5, nq + i * 3, want, c, x[i]);
        /* The constant stream's markers (all zero) advance likewise. */
        p2_add(a->flat_h[q], a->flat_n[q], want, c, 0.0);
    }
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
    const double *h = a->qh + ((size_t)k * a->n + i) * 5;
    if (a->count > 5)
        return h[2];
    /* Up to five observations: interpolate the sorted sample. */
    double pos = a->p[k] * (double)(a->count - 1);
    int lo = (int)floor(pos);
    int hi = lo + 1 < a->count ? lo + 1 : lo;
    return h[lo] + (pos - lo) * (h[hi] - h[lo]);
}
