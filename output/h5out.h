/*
 * h5out — the HDF5 results file, readable by netCDF tools and by
 * xarray.open_dataset(path, engine="h5netcdf") without custom code.
 *
 * What the file holds is the recorder schema's (schema.h): this writer
 * loops over its dimensions, coordinates and variables and knows nothing
 * of the model.  Layout (docs/results-format.md): the root group holds
 * every replication's variables over (realization, point, own dims...),
 * realization being the record (unlimited) dimension, plus seeds, event
 * counts and done marks; the group "summary" holds, per point, means,
 * standard deviations and quantiles across replications.  Every dimension
 * is an HDF5 dimension scale with a numeric coordinate; text labels are
 * auxiliary coordinates; every variable has `units` and `long_name`.
 *
 * Quantiles are exact sample quantiles (linear interpolation between
 * order statistics) computed from the stored replications at the end of
 * a run (h5o_quantiles_from_file), or given by the caller; a P-square
 * estimate only where the caller says so (h5o_options.quantile_method).
 *
 * Safety: the file is written as PATH.partial and renamed to PATH only by
 * h5o_finish.  Replications are written as they arrive and the file is
 * flushed after each; a replication's done mark goes out with the next
 * flush, once its data is on disk.  An interrupted run (even kill -9)
 * leaves a PATH.partial whose `realization_done` dataset says what it
 * holds; h5o_open_resume continues it.
 *
 * Ownership: h5o_create/h5o_open_resume return a handle that h5o_finish
 * or h5o_abort releases (exactly one of them).  The schema is not owned
 * and must outlive the handle.
 */
#ifndef H5OUT_H
#define H5OUT_H

#include <stdio.h>

#include "h5chunk.h"
#include "schema.h"
#include "summary.h"

typedef struct h5o_file h5o_file;

typedef struct h5o_options {
    const char *path;            /* final file name */
    long npoints;                /* scenario points (1 for a single run) */
    long nreps;                  /* replications per point */
    int store_replications;      /* 1: per-replication series; 0: summaries only */
    int threads, ranks;          /* provenance */
    int shard_k, shard_n;        /* this file holds shard k of n (n 0: all) */
    /* What `anodesim merge` needs to rebuild the run: */
    const char *input_kind;      /* "scenario" or "sweep" */
    const char *input_abspath;   /* scenario or sweep file */
    const char *sweep_path;      /* as given (NULL: a single run) */
    const char *design;          /* the sweep's design ("single" for a run) */
    int crn;                     /* common random numbers across points */
    const char *quantile_method; /* how the quantiles are had (NULL: "exact") */
    const char *overrides;       /* --set values, one KEY=VALUE a line */
    int independent_streams;
    int force;                   /* replace an existing file or stale partial */
} h5o_options;

typedef struct h5o_done {
    long total, completed;
    unsigned char *mask;         /* [npoints * nreps], 1 when written */
} h5o_done;

/* Create PATH.partial, exclusively and locked (outfile.h): PATH must be
 * a possible results file, not there already, and no partial may exist,
 * unless o->force.  SIM_EINPUT when refused, SIM_EIO when it cannot be
 * created; messages name the path. */
int h5o_create(h5o_file **out, const rs_schema *sch, const h5o_options *o);

/* Reopen PATH.partial of an interrupted run of the same scenario and
 * options; *done receives which replications it holds (caller frees
 * done->mask).  SIM_ENOTFOUND when there is no partial file, SIM_EINPUT
 * when it belongs to another scenario or settings. */
int h5o_open_resume(h5o_file **out, const rs_schema *sch, const h5o_options *o, h5o_done *done);

/* Open a complete shard file read-only, checking it belongs to the same
 * run; *done says which replications it holds.  Release with
 * h5o_close_input. */
int h5o_open_shard(h5o_file **out, const char *path, const rs_schema *sch, const h5o_options *o, h5o_done *done);
void h5o_close_input(h5o_file *f);

/* Read a text attribute of a results file (malloc'd; NULL when absent or
 * unreadable) and a whole-number one (-1 when absent). */
char *h5o_file_attr_text(const char *path, const char *name);
long long h5o_file_attr_long(const char *path, const char *name);
/* A numeric attribute of a file as a double; NaN when absent. */
double h5o_file_attr_double(const char *path, const char *name);

/* Read back replication `rep` of `point` from an open file (for rebuilding
 * the summaries on resume, and merging) into the blocks of r, and its
 * seed key and event count into r.  `raw`, when not NULL, receives
 * its chunks as stored, for h5o_write to store as they are (none, n 0,
 * when the file stores them in a way this program does not decode).
 * Returns SIM_OK, SIM_EIO, SIM_EINPUT (damaged chunks) or SIM_ENOMEM. */
int h5o_read(h5o_file *f, long point, long rep, rs_record *r, h5c_chunks *raw);

/* Deflate level of the per-replication series (coders for h5o_pack):
 * level 1 gets most of what level 6 would at a fraction of the time. */
#define H5O_DEFLATE_LEVEL 1
/* Replications are made durable together, every H5O_FLUSH_SECONDS or
 * H5O_FLUSH_BATCH replications, whichever comes first. */
#define H5O_FLUSH_SECONDS 0.25
#define H5O_FLUSH_BATCH 1024

/* Encode one replication's chunks for h5o_write (compression and
 * checksums).  Thread-safe: it reads only the layout of f, fixed at
 * creation, and calls no HDF5 function, so worker threads encode
 * replications while one thread writes.  Returns SIM_OK or SIM_ENOMEM. */
int h5o_pack(const h5o_file *f, h5c_coder *coder, const rs_record *r, h5c_chunks *out);

/* Write one replication; `packed` is h5o_pack's encoding of r, or NULL to
 * encode it here.  Returns SIM_OK or SIM_EIO. */
int h5o_write(h5o_file *f, const rs_record *r, const h5c_chunks *packed);

/* Write replication r again over one the file holds (found damaged and
 * run anew): as h5o_write, encoded here, not counted a second time. */
int h5o_rewrite(h5o_file *f, const rs_record *r);

/* A point's summaries, over the schema's summary vector (rs_gather). */
typedef struct h5o_summaries {
    const sum_acc *acc;       /* mean and std of every value */
    const double *quant;      /* exact quantiles [H5O_NQ][sum_qlen], or NULL */
    const sum_acc *p2;        /* else P-square estimates over [0, sum_qlen), or NULL */
} h5o_summaries;

/* Write the summaries of one scenario point.  Quantiles come from
 * sm->quant, else sm->p2; with neither, they are left for
 * h5o_quantiles_from_file.  Returns SIM_OK, SIM_ENOMEM or SIM_EIO. */
int h5o_write_summary(h5o_file *f, long point, const h5o_summaries *sm);

/* The same in parts, so that other threads can encode: a point's
 * summaries are h5o_summary_njobs chunks (one per summary dataset).
 * h5o_summary_encode computes job `job`'s values from the accumulators
 * into buf (h5o_summary_buf_len doubles) and encodes them into `out`; it
 * reads only the accumulators and f's layout and calls no HDF5 function,
 * so different jobs may run on different threads at once (SIM_OK or
 * SIM_ENOMEM).  h5o_summary_store writes an encoded job, on the writing
 * thread (SIM_OK or SIM_EIO).  Storing the jobs in their order gives the
 * same file as h5o_write_summary. */
int h5o_summary_njobs(const h5o_file *f);
size_t h5o_summary_buf_len(const h5o_file *f);
int h5o_summary_encode(const h5o_file *f, int job, const h5o_summaries *sm, h5c_coder *coder, double *buf,
                       h5c_chunks *out);
int h5o_summary_store(h5o_file *f, long point, int job, const h5c_chunks *ck);

/* Exact quantiles of `point` from its stored replications (every one
 * must be in the file, and the point's means and standard deviations in
 * the summary group), written to the summary group.  For each variable,
 * the replications are read, decoded on `threads` threads, and kept as
 * columns in a scratch of mem_bytes (taken whatever the replications, so
 * that memory does not grow with them), as many values at a time as it
 * holds; a variable that would take more than three passes so is found
 * by selection in passes instead (sum_select: a few MiB, passes growing
 * with the logarithm of the replications).  Same numbers as summary-only
 * runs give from memory (sum_exact), bit for bit.  SIM_OK, SIM_ENOMEM,
 * SIM_EINPUT (damaged chunks) or SIM_EIO. */
int h5o_quantiles_from_file(h5o_file *f, long point, size_t mem_bytes, int threads);

/* Write the provenance, mark the file complete, close it and rename it to
 * PATH.  Releases f whatever happens. */
int h5o_finish(h5o_file *f, double wall_s, unsigned long long events);

/* Give up: with keep, flush and close leaving PATH.partial marked
 * partial (for a resume); without, delete it.  Always releases f. */
void h5o_abort(h5o_file *f, int keep);

/* Describe a results file (complete, partial or being written) on `out`:
 * scenario, status, points, replications, horizon, provenance, variables;
 * with json, one JSON object (schema "anodesim-info/1").  SIM_EIO when it
 * cannot be opened, SIM_EINPUT when it is not ours. */
int h5o_info(const char *path, FILE *out, int json);

/* Name of the partial file for `path` (static buffer per thread). */
const char *h5o_partial_name(const char *path);

/* The quantiles every results file summarises. */
#define H5O_NQ 5
extern const double h5o_quantiles[H5O_NQ];

#endif
