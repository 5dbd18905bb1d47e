/*
 * h5out_impl — what the parts of the results writer share, and nothing
 * else should use: h5out.c (the file, its layout, replications and
 * summaries, completion, resume), h5quant.c (exact quantiles from the
 * stored replications) and h5info.c (describing a file).
 */
#ifndef H5OUT_IMPL_H
#define H5OUT_IMPL_H

#include <hdf5.h>

#include "h5out.h"

/* A dimension that has no coordinate variable (netCDF-4's convention for
 * the size-2 dimension of cell bounds). */
#define NOT_A_VARIABLE "This is a netCDF dimension but not a netCDF variable."

/* Summary datasets: kind of statistic. */
enum { SK_MEAN, SK_STD, SK_QUANT, SK_N };
extern const char *const sk_suffix[SK_N];   /* "mean", "std", "quantile" */

/* Coordinates of a group: the run's own (realization, point, nv,
 * quantile), then the schema's dimensions, their bounds, the auxiliary
 * coordinates and the statics. */
typedef struct coords {
    hid_t real, point, nv, quant;    /* summary: real is the scalar `replications` */
    hid_t *dim;                      /* [ndims] */
    hid_t *bnds;                     /* [ndims], -1 where none */
    hid_t *aux;                      /* [naux] */
    hid_t *stat;                     /* [nstatic], -1 where not in the group */
} coords;

typedef struct sjob_def {
    int var, kind;
} sjob_def;

struct h5o_file {
    char *path, *partial;
    int lockfd;                      /* holds the partial's lock (outfile.h); -1: none */
    const rs_schema *sch;
    h5o_options o;
    hid_t file, summary;
    coords rc, sc;                   /* root and summary coordinates */
    hid_t *var;                      /* [nvars] per-replication datasets */
    hid_t (*sv)[SK_N];               /* [nvars] summary datasets, -1 where none */
    hid_t seed, events, done;
    sjob_def *jobs;                  /* summary datasets in creation order */
    int njobs;
    int readonly;                    /* an input shard: never written */
    double *scratch;                 /* gather buffer */
    /* Done marks lag one flush behind the data (see h5o_write): the
     * replications flushed last, not yet marked, and those written since. */
    struct rep_id { long point, rep; unsigned long long seed, events; } *ids, *flushed, *written;   /* ids: both, owned */
    int nflushed, nwritten;
    h5c_coder *coder;                /* for replications not encoded by the caller, and decoding */
    int raw_read;                    /* per-replication chunks decoded here: 1 yes, -1 no, 0 not known yet */
    h5c_chunks raw;                  /* rep_read's chunks when its caller keeps none */
    h5c_chunks packed;
    void *qscratch;                  /* the quantiles' scratch (qf_scratch) */
    size_t qscratch_len;
    long completed;
    double last_flush;
};

/* SIM_EIO with the HDF5 library's innermost reason and errno
 * (SIM_ENOMEM when errno says so). */
int h5oi_fail(const h5o_file *f, const char *what);

#define HCHECK(expr, what)        \
    do {                           \
        if ((expr) < 0)            \
            return h5oi_fail(f, what); \
    } while (0)

/* HDF5's error stack off for this thread (once per thread). */
void h5oi_quiet(void);

/* A text attribute, malloc'd (NULL when absent). */
char *h5oi_attr_text(hid_t obj, const char *name);

/* f's own coder (made on first use).  SIM_OK or SIM_ENOMEM. */
int h5oi_need_coder(h5o_file *f);

/* Bytes of one element of v in the file. */
int h5oi_elem_size(const rs_var *v);

/* 1 when every per-replication dataset stores its chunks as h5c_decode
 * reads them (all files this program writes do). */
int h5oi_chunks_decodable(const h5o_file *f);

/* The stored chunk of variable i of (point, rep), as it is, onto the end
 * of ck; *at and *size say where. */
int h5oi_chunk_read(h5o_file *f, int i, long point, long rep, h5c_chunks *ck, unsigned char **at, size_t *size);

/* Store an encoded chunk as the [point] slab of summary dataset ds. */
int h5oi_store_chunk(h5o_file *f, hid_t ds, long point, const h5c_chunks *ck);

#endif
