/*
 * summary_jobs — a point's summaries encoded by every thread.
 *
 * When a point's last replication is folded, its summaries (52 datasets,
 * about 2.8 MB of doubles for the default scenario) are compressed and
 * written.  Done by the consumer alone, that took 20-25 ms a point (after
 * HDF5's own write path, 70, was replaced) on one thread while the others
 * simulated: in sweeps of many points with few replications, the serial
 * consumer capped the points per second.
 * Here the consumer opens the point's jobs (h5o_summary_encode, one per
 * dataset) and takes them itself; worker threads take them too between
 * replications (sjob_help, from the runner's help hook).  The consumer
 * then stores the chunks in job order, so the file does not depend on
 * which thread encoded what.
 *
 * Ownership: sjob_new/sjob_free pair; the jobs keep their chunks, and a
 * coder and a value buffer for each thread that has taken a job, reused
 * from point to point.
 */
#ifndef SUMMARY_JOBS_H
#define SUMMARY_JOBS_H

#include "h5out.h"

typedef struct sum_jobs sum_jobs;

/* Jobs for f's summaries, for threads 0..nthreads-1 of the runner.
 * NULL when out of memory (message set). */
sum_jobs *sjob_new(const h5o_file *f, int nthreads);
void sjob_free(sum_jobs *sj);

/* Any thread of the runner, any time: encode open jobs, if any. */
void sjob_help(sum_jobs *sj);

/* The writer: encode the summaries of `point` (with the helpers, inside
 * the runner's parallel region; on nthreads threads of its own outside
 * it) and write them.  The accumulators must be final, and stay unchanged
 * until this returns.  SIM_OK, SIM_ENOMEM or SIM_EIO. */
int sjob_write(sum_jobs *sj, h5o_file *f, long point, const h5o_summaries *sm);

#endif
