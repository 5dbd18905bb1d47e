/* Streaming summaries: Welford moments against two-pass formulas, P-square
 * quantiles against exact sample quantiles, exact values for few samples. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sim_err.h"
#include "sim_rng.h"
#include "summary.h"

/* sum_acc_quantile_rows gives what sum_acc_quantile gives, bit for bit,
 * for values i0, i0 + stride, ... (n of them). */
static int rows_match(const sum_acc *a, size_t i0, size_t stride, size_t n)
{
    double *out = malloc(5 * n * sizeof *out);
    int same = out != NULL;
    if (same)
        sum_acc_quantile_rows(a, i0, stride, n, out);
    for (size_t j = 0; same && j < n; j++)
        for (int k = 0; k < 5; k++) {
            double want = sum_acc_quantile(a, i0 + j * stride, k), got = out[(size_t)k * n + j];
            same &= (isnan(want) && isnan(got)) || memcmp(&want, &got, sizeof want) == 0;
        }
    free(out);
    return same;
}

/* Two accumulators give the same estimates for all n values, bit for bit. */
static int same_estimates(const sum_acc *a, const sum_acc *b, int n)
{
    int same = 1;
    for (int i = 0; i < n; i++) {
        same &= sum_acc_mean(a, i) == sum_acc_mean(b, i) && sum_acc_sd(a, i) == sum_acc_sd(b, i);
        for (int k = 0; k < 5; k++)
            same &= sum_acc_quantile(a, i, k) == sum_acc_quantile(b, i, k);
    }
    return same;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* sum_exact against sorting: type 7 quantiles of samples with ties,
 * constants, two values and one. */
static void exact_quantiles(void)
{
    const double p[5] = { 0.05, 0.25, 0.5, 0.75, 0.95 };
    unsigned long long st = 12345;
    for (int trial = 0; trial < 400; trial++) {
        size_t n = 1 + (size_t)(trial % 37) * (size_t)(1 + trial / 37);
        double x[2000], y[2000], q[5];
        int levels = trial % 5 == 0 ? 1 : trial % 3 == 0 ? 3 : 1000;
        for (size_t i = 0; i < n; i++) {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            x[i] = y[i] = (double)((st >> 33) % (unsigned long long)levels) * 0.5;
        }
        qsort(y, n, sizeof *y, cmp_d);
        sum_exact(x, n, 5, p, q);
        for (int k = 0; k < 5; k++) {
            double pos = p[k] * (double)(n - 1);
            size_t lo = (size_t)floor(pos), hi = lo + 1 < n ? lo + 1 : lo;
            double want = y[lo] + (pos - (double)lo) * (y[hi] - y[lo]);
            CHECK(q[k] == want);
        }
    }
    /* Sorted, reversed and organ-pipe inputs, and quantiles at the ends
     * (ranks at either end of the range and next to each other). */
    const double pe[5] = { 0.0, 0.01, 0.5, 0.99, 1.0 };
    for (int shape = 0; shape < 3; shape++)
        for (size_t n = 1; n <= 300; n += 7) {
            double x[300], y[300], q[5];
            for (size_t i = 0; i < n; i++) {
                size_t v = shape == 0 ? i : shape == 1 ? n - i : (i < n / 2 ? i : n - i);
                x[i] = y[i] = (double)v;
            }
            qsort(y, n, sizeof *y, cmp_d);
            sum_exact(x, n, 5, pe, q);
            for (int k = 0; k < 5; k++) {
                double pos = pe[k] * (double)(n - 1);
                size_t lo = (size_t)floor(pos), hi = lo + 1 < n ? lo + 1 : lo;
                CHECK(q[k] == y[lo] + (pos - (double)lo) * (y[hi] - y[lo]));
            }
        }
    double none[1], q[5];
    sum_exact(none, 0, 5, p, q);
    CHECK(isnan(q[0]) && isnan(q[4]));
}

/* sum_select, in passes, gives sum_exact's numbers bit for bit: values
 * of every shape (ties, a constant, long tails, given or no mean and sd,
 * one or two replications). */
static void select_quantiles(void)
{
    const double p[5] = { 0.05, 0.25, 0.5, 0.75, 0.95 };
    enum { N = 9 };
    long counts[] = { 1, 2, 3, 7, 40, 333, 5000 };
    unsigned long long st = 99;
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        long R = counts[c];
        double *rows = malloc((size_t)R * N * sizeof *rows), *col = malloc((size_t)R * sizeof *col);
        double mean[N] = { 0 }, sd[N] = { 0 };
        for (long i = 0; i < R; i++)
            for (int j = 0; j < N; j++) {
                st = st * 6364136223846793005ULL + 1442695040888963407ULL;
                double u = (double)(st >> 11) / 9007199254740992.0;
                double x = j == 0 ? 5.0                                  /* constant */
                         : j == 1 ? (u < 0.97 ? 0.0 : 1e4 * u)           /* mostly zero, rare spikes */
                         : j == 2 ? floor(u * 4)                          /* four tied levels */
                         : j == 3 ? -log(u + 1e-300) * 1e6                /* long tail */
                         : j == 4 ? (double)(float)(u * 1e5)              /* floats */
                         : u;
                rows[i * N + j] = x;
                mean[j] += x / (double)R;
            }
        for (long i = 0; i < R; i++)
            for (int j = 0; j < N; j++)
                sd[j] += (rows[i * N + j] - mean[j]) * (rows[i * N + j] - mean[j]) / (double)(R > 1 ? R - 1 : 1);
        for (int j = 0; j < N; j++)
            sd[j] = j == 8 ? NAN : sqrt(sd[j]);   /* (one without a known spread) */
        sum_select *sel = sum_select_new(N, R, 5, p, mean, sd);
        CHECK(sel != NULL);
        while (sel && !sum_select_done(sel)) {
            CHECK(sum_select_begin(sel) == SIM_OK);
            for (long i0 = 0; i0 < R; i0 += 64)   /* in batches, as the writer reads them */
                sum_select_add(sel, rows + i0 * N, N, R - i0 < 64 ? R - i0 : 64, 2);
            sum_select_end(sel);
            CHECK(sum_select_passes(sel) <= 12);
        }
        double got[5 * N], want[5];
        if (sel)
            sum_select_result(sel, got, N);
        for (int j = 0; sel && j < N; j++) {
            for (long i = 0; i < R; i++)
                col[i] = rows[i * N + j];
            sum_exact(col, (size_t)R, 5, p, want);
            for (int k = 0; k < 5; k++)
                CHECK(memcmp(&got[k * N + j], &want[k], sizeof want[k]) == 0);
        }
        sum_select_free(sel);
        free(rows);
        free(col);
    }
}

int main(void)
{
    exact_quantiles();
    select_quantiles();
    const double p[5] = { 0.05, 0.25, 0.5, 0.75, 0.95 };
    enum { N = 20000 };
    sum_acc a;
    CHECK(sum_acc_init(&a, 2, 5, p) == SIM_OK);
    double *x0 = malloc(N * sizeof *x0), *x1 = malloc(N * sizeof *x1);
    gsl_rng *r = sim_rng_alloc(11, 0, 0, 0);
    for (int i = 0; i < N; i++) {
        double v[2] = { gsl_ran_gaussian(r, 2.0) + 10.0, gsl_ran_exponential(r, 3.0) };
        x0[i] = v[0];
        x1[i] = v[1];
        sum_acc_add(&a, v);
    }
    CHECK_NEAR(sum_acc_mean(&a, 0), gsl_stats_mean(x0, 1, N), 1e-9);
    CHECK_NEAR(sum_acc_sd(&a, 1), gsl_stats_sd(x1, 1, N), 1e-9);
    gsl_sort(x0, 1, N);
    gsl_sort(x1, 1, N);
    for (int k = 0; k < 5; k++) {
        double e0 = gsl_stats_quantile_from_sorted_data(x0, 1, N, p[k]);
        double e1 = gsl_stats_quantile_from_sorted_data(x1, 1, N, p[k]);
        /* P-square is an estimate: within 2 % of the spread of the sample. */
        CHECK_MSG(fabs(sum_acc_quantile(&a, 0, k) - e0) < 0.02 * 2.0, "q%g normal %g vs %g", p[k],
                  sum_acc_quantile(&a, 0, k), e0);
        CHECK_MSG(fabs(sum_acc_quantile(&a, 1, k) - e1) < 0.02 * 3.0 * (1 + e1), "q%g exp %g vs %g", p[k],
                  sum_acc_quantile(&a, 1, k), e1);
    }
    sum_acc_free(&a);

    /* Fewer than six replications: exact interpolated quantiles. */
    CHECK(sum_acc_init(&a, 1, 5, p) == SIM_OK);
    CHECK(isnan(sum_acc_quantile(&a, 0, 2)));
    double vals[4] = { 4, 1, 3, 2 };
    for (int i = 0; i < 4; i++)
        sum_acc_add(&a, &vals[i]);
    CHECK_NEAR(sum_acc_quantile(&a, 0, 2), 2.5, 1e-12);
    CHECK_NEAR(sum_acc_quantile(&a, 0, 0), 1.15, 1e-12);
    CHECK_NEAR(sum_acc_sd(&a, 0), sqrt(5.0 / 3.0), 1e-12);
    sum_acc_free(&a);

    /* Values that stay constant keep no state of their own until they
     * change; then they must behave as if they had it all along. */
    CHECK(sum_acc_init(&a, 3, 5, p) == SIM_OK);
    double seq[5] = { 2, 2, 2, 1, 3 };   /* changes inside the first five */
    double *late = malloc(N * sizeof *late);
    for (int i = 0; i < N; i++) {
        /* value 0 constant throughout; value 1 as seq then constant 3;
         * value 2 constant 7 for 500 replications, then normal */
        double v[3] = { 4.5, i < 5 ? seq[i] : 3.0, i < 500 ? 7.0 : gsl_ran_gaussian(r, 1.0) + 7.0 };
        late[i] = v[2];
        sum_acc_add(&a, v);
        if (i == 4) {   /* exact while five are in: sorted 1 2 2 2 3 */
            CHECK_NEAR(sum_acc_quantile(&a, 1, 0), 1.2, 1e-12);
            CHECK_NEAR(sum_acc_quantile(&a, 1, 4), 2.8, 1e-12);
            CHECK_NEAR(sum_acc_quantile(&a, 0, 3), 4.5, 0);
        }
    }
    for (int k = 0; k < 5; k++)
        CHECK(sum_acc_quantile(&a, 0, k) == 4.5);
    CHECK(sum_acc_sd(&a, 0) == 0);
    gsl_sort(late, 1, N);
    for (int k = 0; k < 5; k++) {
        double e = gsl_stats_quantile_from_sorted_data(late, 1, N, p[k]);
        CHECK_MSG(fabs(sum_acc_quantile(&a, 2, k) - e) < 0.02, "q%g late change %g vs %g", p[k],
                  sum_acc_quantile(&a, 2, k), e);
    }
    CHECK_NEAR(sum_acc_quantile(&a, 1, 2), 3.0, 1e-6);
    /* Reset forgets which values were constant. */
    sum_acc_reset(&a);
    double w[3] = { 1, 2, 3 };
    sum_acc_add(&a, w);
    CHECK(sum_acc_quantile(&a, 0, 2) == 1 && sum_acc_quantile(&a, 2, 2) == 3);
    sum_acc_free(&a);
    free(late);

    /* Parts folded independently, each at its own pace, give the
     * estimates of the whole, bit for bit (values that change from
     * constant at different replications, in every part). */
    enum { NV = 61, NR = 400 };
    sum_acc whole, split;
    CHECK(sum_acc_init(&whole, NV, 5, p) == SIM_OK);
    CHECK(sum_acc_init(&split, NV, 5, p) == SIM_OK);
    CHECK(sum_acc_split(&split, 7) == SIM_OK);
    CHECK(sum_acc_split(&split, NV + 1) == SIM_EINVAL);
    double *rows = malloc((size_t)NR * NV * sizeof *rows);
    for (int rep = 0; rep < NR; rep++) {
        double *v = rows + (size_t)rep * NV;
        for (int i = 0; i < NV; i++)   /* value i constant until replication 3 i, then varies */
            v[i] = rep < 3 * i ? (double)i : gsl_ran_gaussian(r, 1.0 + i);
        sum_acc_add(&whole, v);
    }
    for (int k = 6; k >= 0; k--)   /* part by part, last first */
        for (int rep = 0; rep < NR; rep++)
            sum_acc_add_part(&split, k, rows + (size_t)rep * NV);
    CHECK(sum_acc_count(&split) == NR);
    CHECK(sum_acc_split(&split, 2) == SIM_EINVAL);   /* too late */
    CHECK_MSG(same_estimates(&whole, &split, NV), "a summary folded in parts differs from the whole");
    CHECK(rows_match(&whole, 0, 1, NV));       /* P-square, and values still flat */
    CHECK(rows_match(&split, 1, 3, (NV - 1) / 3));
    sum_acc_reset(&whole);
    CHECK(rows_match(&whole, 0, 2, NV / 2));   /* no replication yet: NaN */
    for (int rep = 0; rep < 4; rep++)
        sum_acc_add(&whole, rows + (size_t)rep * NV);
    CHECK(rows_match(&whole, 0, 1, NV));       /* exact, interpolated */

    /* A reset leaves the markers as they were: whatever they hold, a
     * reused accumulator must give what a new one gives. */
    sum_acc_reset(&whole);
    memset(whole.qh, 0xff, NV * (size_t)whole.nm * sizeof(double));   /* NaN everywhere */
    memset(whole.qn, 0x7f, NV * (size_t)(whole.nm - 2) * sizeof(int));
    sum_acc fresh;
    CHECK(sum_acc_init(&fresh, NV, 5, p) == SIM_OK);
    for (int rep = 0; rep < NR; rep++) {
        sum_acc_add(&whole, rows + (size_t)rep * NV);
        sum_acc_add(&fresh, rows + (size_t)rep * NV);
    }
    CHECK_MSG(same_estimates(&whole, &fresh, NV), "a reset and reused summary differs from a new one");
    sum_acc_free(&fresh);
    sum_acc_free(&whole);
    sum_acc_free(&split);
    free(rows);

    /* Bad quantiles are refused. */
    double bad = 1.5;
    CHECK(sum_acc_init(&a, 1, 1, &bad) == SIM_EINVAL);
    gsl_rng_free(r);
    free(x0);
    free(x1);
    return check_done("test_summary");
}
