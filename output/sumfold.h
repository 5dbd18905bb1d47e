/*
 * sumfold — the summaries across replications of one scenario point at a
 * time, folded in parts by every thread.
 *
 * Each replication gives a summary vector (rs_gather).  Means and
 * standard deviations are accumulated (Welford) in replication order.
 * Quantiles are exact: from the stored replications at the end of a run
 * (SF_FILE: h5o_quantiles_from_file), or, when the run keeps no
 * replications and the point's values fit in four times the quantile
 * memory, from those values kept here (SF_MEMORY), with the same numbers;
 * beyond that, P-square estimates (SF_P2), which the file labels.
 *
 * Folding a replication is split in parts so that it is not the serial
 * consumer's: the consumer only queues it (sf_add), and every thread,
 * between tasks, folds whichever parts are free (sf_help; one thread per
 * part at a time, each part in replication order, so the summaries are
 * the same bit for bit whatever the number of threads).  A queued item
 * goes back through the release callback when its last part is folded.
 *
 * Ownership: sf_new/sf_free pair; the schema must outlive the fold.
 */
#ifndef SUMFOLD_H
#define SUMFOLD_H

#include "h5out.h"
#include "schema.h"
#include "summary.h"

typedef enum { SF_FILE, SF_MEMORY, SF_P2 } sf_mode;

typedef struct sum_fold sum_fold;
typedef void (*sf_release_fn)(void *ctx, void *item);

/* A fold for R replications a point, on `threads` threads; keep_values
 * 0 when the run stores every replication (quantiles from the file).
 * qmem: the quantile memory (bytes).  SIM_OK, SIM_ENOMEM or SIM_EINVAL. */
int sf_new(sum_fold **out, const rs_schema *s, long R, int threads, int keep_values, size_t qmem,
           sf_release_fn release, void *ctx);
void sf_free(sum_fold *f);

sf_mode sf_mode_of(const sum_fold *f);
/* What the results file says of the quantiles ("exact", or the estimate). */
const char *sf_quantile_method(const sum_fold *f);
/* Items the queue may hold at once (buffers to reserve). */
long sf_queue_cap(const sum_fold *f);

/* The consumer, in replication order: fold x (the summary vector of
 * replication rep) — queued, with the item released once folded; with
 * item NULL, folded at once (parts on every thread when none runs
 * alongside). */
void sf_add(sum_fold *f, void *item, const double *x, long rep);

/* Any thread, any time: fold the free parts. */
void sf_help(sum_fold *f);

/* Fold everything queued (before reading the summaries, or to give the
 * items back after an interruption). */
void sf_drain(sum_fold *f);

/* The point's last replication is in: fold what is queued and fill *sm
 * (in-memory quantiles computed on `threads` threads).  Valid until
 * sf_reset, which starts the next point. */
void sf_point(sum_fold *f, h5o_summaries *sm, int threads);
void sf_reset(sum_fold *f);

#endif
