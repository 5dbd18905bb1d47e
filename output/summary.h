/*
 * summary — statistics across replications, accumulated as replications
 * stream in: memory depends on the number of values per replication,
 * never on the number of replications.
 *
 *  - mean and standard deviation by Welford's algorithm;
 *  - quantiles by the extended P-square algorithm (Raatikainen 1987,
 *    CACM 30; after Jain & Chlamtac 1985): one set of 2m + 3 markers per
 *    value tracks all m quantiles at once (at each quantile, midway
 *    between neighbours, and at the extremes), about half the work and
 *    memory of m separate estimators; exact (linear interpolation between
 *    order statistics) while fewer than 2m + 3 replications are in.
 *
 * Many values never change across replications (regions without plants,
 * months without exports).  A value whose replications have all been
 * equal so far keeps no P-square state of its own: its markers are all
 * that value and their positions are those of any constant stream, kept
 * once per quantile.  The state is filled in when a different value
 * arrives, so the estimates are bit for bit those of running P-square on
 * every value.
 *
 * Results depend on the order in which replications are added; callers
 * add them in replication order so that they are reproducible.  The values
 * can be split into parts (sum_acc_split) that different threads fold at
 * the same time, each part in that order (sum_acc_add_part): the estimates
 * do not depend on the split.  Not thread-safe otherwise.
 *
 * Ownership: sum_acc_init/sum_acc_free pair.
 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stddef.h>

#define SUM_MAX_QUANTILES 8
#define SUM_MAX_MARKERS (2 * SUM_MAX_QUANTILES + 3)

/* A contiguous range of the values, folded independently of the others:
 * different threads may fold different parts of the same replications at
 * once.  Estimates do not depend on how the values are split (a part's
 * constant-stream markers depend only on its count). */
typedef struct sum_part {
    size_t lo, hi;   /* values [lo, hi) */
    long count;      /* replications added to this part */
    size_t nvaried;  /* entries of varied[lo..) in use */
    double flat_h[SUM_MAX_MARKERS];   /* a constant stream's markers ... */
    int flat_n[SUM_MAX_MARKERS];      /* ... and their positions */
} sum_part;

typedef struct sum_acc {
    size_t n;        /* values per replication */
    double *mean, *m2;
    int nq;          /* quantiles tracked (0: none) */
    double p[SUM_MAX_QUANTILES];   /* increasing */
    int nm;          /* markers per value: 2 nq + 3 */
    double frac[SUM_MAX_MARKERS];  /* desired position of each marker, as a share of count - 1 */
    double *qh;      /* marker heights [n][nm] */
    int *qn;         /* positions of the inner markers [n][nm - 2]; the outer
                        ones are always 0 and count - 1 */
    unsigned char *flat;   /* [n] 1 while every replication of value i equalled flat_v[i] */
    double *flat_v;        /* [n] */
    size_t *varied;        /* per part, from varied[lo]: its values that are not flat, in index order */
    sum_part *part;        /* [nparts] */
    int nparts;
} sum_acc;

/* Track n values per replication and the nq quantiles p[0..nq) (in
 * (0, 1), increasing); nq may be 0.  Returns SIM_OK, SIM_EINVAL or
 * SIM_ENOMEM. */
int sum_acc_init(sum_acc *a, size_t n, int nq, const double *p);
void sum_acc_free(sum_acc *a);

/* Fold the values in nparts contiguous parts (at most n) that
 * sum_acc_add_part can fold independently; only before the first
 * replication is added.  Returns SIM_OK, SIM_EINVAL or SIM_ENOMEM. */
int sum_acc_split(sum_acc *a, int nparts);

/* Forget every replication added, keeping the memory. */
void sum_acc_reset(sum_acc *a);

/* Add one replication's values x[0..n). */
void sum_acc_add(sum_acc *a, const double *x);

/* Add the values of part k of a replication (x[0..n), of which this reads
 * the part's range).  Parts are independent: each must see replications
 * in the same order, one thread at a time per part.  Read estimates only
 * once every part has as many replications. */
void sum_acc_add_part(sum_acc *a, int k, const double *x);

/* Replications added (to every part). */
long sum_acc_count(const sum_acc *a);

double sum_acc_mean(const sum_acc *a, size_t i);
/* Sample standard deviation; 0 with fewer than two replications. */
double sum_acc_sd(const sum_acc *a, size_t i);
/* Estimate of quantile number k of value i; NaN before any replication. */
double sum_acc_quantile(const sum_acc *a, size_t i, int k);
/* Every quantile of the n values i0, i0 + stride, ...: quantile k of the
 * j-th into out[k * n + j].  The same numbers as sum_acc_quantile; faster
 * for writing whole datasets, where values lie far apart in memory (their
 * markers are fetched a few values ahead). */
void sum_acc_quantile_rows(const sum_acc *a, size_t i0, size_t stride, size_t n, double *out);

/* Exact sample quantiles p[0..nq) (increasing) of x[0..n): linear
 * interpolation between order statistics (Hyndman and Fan's type 7,
 * numpy's default), into out[0..nq).  x is reordered.  NaN when n is 0. */
void sum_exact(double *x, size_t n, int nq, const double *p, double *out);

/* The same for m columns of n floats each (column j at cols[j * n],
 * left as they are), quantile k of column j into out[k * ld + j], on
 * `threads` threads. */
void sum_exact_columns_f(const float *cols, size_t n, size_t m, int nq, const double *p, double *out, size_t ld,
                         int threads);

/* Exact quantiles of n values over `count` replications read in passes
 * (the replications are not held: memory depends on n only, about
 * sum_select_bytes of it).  Start from each value's mean and standard
 * deviation (NULL or NaN: none known); then, while !sum_select_done:
 * sum_select_begin, sum_select_add every replication (in any order, in
 * batches of rows), sum_select_end.  sum_select_result gives what
 * sum_exact gives on the same values, bit for bit.  NULL when out of
 * memory or given no replication. */
typedef struct sum_select sum_select;
size_t sum_select_bytes(size_t n, int nq);
sum_select *sum_select_new(size_t n, long count, int nq, const double *p, const double *mean, const double *sd);
void sum_select_free(sum_select *s);
int sum_select_done(const sum_select *s);
int sum_select_begin(sum_select *s);   /* SIM_OK or SIM_ENOMEM */
/* nrows replications' values: row i is rows[i * ld .. i * ld + n). */
void sum_select_add(sum_select *s, const double *rows, size_t ld, long nrows, int threads);
void sum_select_end(sum_select *s);
int sum_select_passes(const sum_select *s);
/* Quantile k of value j into out[k * ld + j]. */
void sum_select_result(const sum_select *s, double *out, size_t ld);

#endif
