/*
 * batch — the driver behind `anodesim run` and `anodesim sweep`: scenario
 * points x replications on all threads, results folded in task order into
 * streaming summaries and (optionally) an HDF5 file, then a summary on
 * stdout.
 */
#ifndef BATCH_H
#define BATCH_H

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

/* The file a shard writes for output PATH: PATH without ".h5", then
 * ".shard-K-of-N.h5" (static buffer). */
const char *batch_shard_name(const char *output, int k, int n);

/* Run and return the process exit code (messages printed). */
int batch_run(const batch_opts *o);

#endif
