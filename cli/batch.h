/*
 * batch — the driver behind `anodesim run` and `anodesim sweep`: scenario
 * points x replications on all threads, results folded in task order into
 * streaming summaries and (optionally) an HDF5 file, then a summary on
 * stdout.
 */
#ifndef BATCH_H
#define BATCH_H

#include "model.h"
#include "scenario.h"
#include "sweep.h"

typedef struct batch_opts {
    sweep *sw;                 /* the points (sweep_single for a run) */
    const scn_override *ov;    /* --set, applied to every point */
    int nov;
    long replications;         /* -1: the sweep's, else the scenario's */
    int threads;               /* 0: all */
    int have_seed;
    unsigned long long seed;
    int year;                  /* 0: the first of the horizon */
    int json, quiet;
    const char *output;        /* HDF5 results, NULL: none */
    int resume, summary_only;
    int force;                 /* replace an existing output file or a stale partial */
    int independent_streams;   /* 1: no common random numbers across points */
    int shard_k, shard_n;      /* run only tasks t with t % n == k (n 0: all) */
    const char *const *merge;  /* shard files to merge into `output` instead of running */
    int nmerge;
} batch_opts;

/* What a finished batch shows its summary of (read-only, valid while
 * report_print runs): yearly values per point, for the whole country
 * and, with one point, each region (batch_yearly_index). */
typedef struct batch_view {
    const batch_opts *o;
    const sweep *sw;
    long P, R;
    const scenario *scn;       /* point 0's */
    const struct sum_acc *yearly;   /* [P] */
    int year_regions;          /* regions kept (P == 1), else 0: national only */
    const double *he_cap;      /* [nyears][2]: high-efficiency and all open capacity of point 0 */
    double max_balance;        /* largest mass-balance residual, relative to throughput */
    double max_balance_t;      /* and in tonnes, of replications read back */
    unsigned long long events;
    double wall, consumer_s;
    int threads, year;         /* year: index into the horizon */
} batch_view;

/* Index of (year, region or national = year_regions, metric) in the yearly values. */
static inline size_t batch_yearly_index(const batch_view *v, int year, int region, int metric)
{
    return ((size_t)year * (size_t)(v->year_regions + 1) + (size_t)region) * RM_NMETRICS + (size_t)metric;
}

/* Print the summary of a finished run or sweep (cli/report.c): a table,
 * a table of points, or JSON (o->json). */
void report_print(const batch_view *v);

/* The file a shard writes for output PATH: PATH without ".h5", then
 * ".shard-K-of-N.h5" (static buffer). */
const char *batch_shard_name(const char *output, int k, int n);

/* Run and return the process exit code (messages printed). */
int batch_run(const batch_opts *o);

#endif
