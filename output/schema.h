/*
 * rs — the recorder schema: what a model's results are, declared once.
 *
 * A model says here what one replication records: dimensions (with
 * coordinate values, labels, units and bounds), auxiliary coordinates,
 * and variables (name, long_name, units, cell_methods, dimensions, the
 * element type in the file, where its values lie in a replication's
 * record, and which summaries across replications it gets).  The results
 * writer (h5out.h) loops over the schema and knows nothing of the model;
 * docs/results-format.md is checked against the same declaration
 * (`anodesim schema --markdown`).
 *
 * Every variable a replication records has the leading dimensions
 * (realization, point), which the writer adds: realization is the
 * record (unlimited) dimension, so that NCO's ncra averages over
 * replications.  A variable's own dimensions are indices into the
 * schema's dimensions, its values are `len` doubles (the product of their
 * sizes, last index fastest) at block[offset + j * stride] of the record.
 *
 * Units are UDUNITS-2 strings; money has no UDUNITS unit, so a money
 * variable says the rest of its unit in `units` ("1" for an amount,
 * "t-1" for an amount per tonne) and the currency in `currency`.
 *
 * Ownership: rs_new/rs_free pair; the schema copies every string and
 * array given to it (rs_add_* return SIM_ENOMEM when out of memory, and
 * the schema stays valid to free).
 */
#ifndef RS_SCHEMA_H
#define RS_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RS_MAX_DIMS 4        /* a variable's own dimensions, after (realization, point) */
#define RS_MAX_BLOCKS 8      /* arrays in a replication's record */
#define RS_DIM_POINT (-1)    /* the point dimension, for auxiliary coordinates */

/* Element type in the file. */
typedef enum { RS_FLOAT, RS_DOUBLE } rs_type;

/* Summaries across the replications of a point. */
enum { RS_SUM_MEAN = 1, RS_SUM_STD = 2, RS_SUM_QUANTILES = 4, RS_SUM_ALL = 7 };

typedef struct rs_dim {
    char *name, *long_name, *units;   /* units NULL: an index (no units) */
    long size;
    double *values;           /* [size] coordinate values; NULL: 0, 1, ... */
    int integer;              /* values are whole numbers (stored as integers) */
    char *axis, *calendar;    /* NULL: none */
    double *bounds;           /* [size][2] cell bounds, or NULL */
} rs_dim;

/* An auxiliary coordinate over one dimension (or RS_DIM_POINT): text
 * labels or numbers. */
typedef struct rs_aux {
    char *name, *long_name, *units;
    int dim;
    long size;
    int on_request;           /* listed in `coordinates` only of variables that name it */
    char **labels;            /* [size], or NULL */
    double *values;           /* [size], or NULL */
} rs_aux;

typedef struct rs_var {
    char *name, *long_name, *units;
    char *currency;           /* money: the currency (ISO 4217), else NULL */
    char *cell_methods;       /* CF cell_methods over its own dimensions, or NULL */
    char *coordinates;        /* auxiliary coordinates beyond those of its dimensions, or NULL */
    int ndims, dims[RS_MAX_DIMS];
    rs_type type;
    int block;
    size_t offset, stride, len;
    unsigned summaries;       /* RS_SUM_* */
    size_t sum_at;            /* where its values start in the summary vector */
} rs_var;

/* A variable stored once (not per replication), in the root group and,
 * with in_summary, in the summary group too. */
typedef struct rs_static {
    char *name, *long_name, *units;
    int ndims, dims[2];       /* schema dimensions, or RS_DIM_POINT */
    double *values;
    int in_summary;
} rs_static;

/* A global attribute: text, or a number.  An identity attribute must be
 * the same in a file that is resumed or merged; `differ`, when not NULL,
 * compares it (NULL when the same, else what differs, with `why`). */
typedef const char *(*rs_differ_fn)(const char *stored, const char *now, char *why, size_t size);
typedef struct rs_attr {
    char *name, *text;        /* text NULL: a number */
    double num;
    int integer;              /* the number is a whole number (stored as an integer) */
    int identity;
    rs_differ_fn differ;
    char *differ_msg;         /* the message when an identity attribute differs */
} rs_attr;

typedef struct rs_schema {
    long npoints;             /* scenario points of the run */
    int ndims, naux, nvars, nstatic, nattrs;
    rs_dim *dim;
    rs_aux *aux;
    rs_var *var;
    rs_static *stat;
    rs_attr *attr;
    int nblocks;
    size_t block_len[RS_MAX_BLOCKS];
    size_t sum_len;           /* values in the summary vector */
    size_t sum_qlen;          /* of which the first sum_qlen get quantiles */
} rs_schema;

/* One replication's values as the schema locates them. */
typedef struct rs_record {
    uint64_t point;
    long rep;
    uint64_t seed_key;        /* key of the replication's first random stream */
    uint64_t events;          /* events the engine processed */
    double *block[RS_MAX_BLOCKS];
} rs_record;

rs_schema *rs_new(long npoints);
void rs_free(rs_schema *s);

/* Add a dimension; returns its index, or -1 when out of memory. */
int rs_add_dim(rs_schema *s, const char *name, const char *long_name, const char *units, long size,
               const double *values, int integer);
/* Cell bounds [size][2], axis and calendar of dimension d. */
int rs_dim_bounds(rs_schema *s, int d, const double *bounds);
int rs_dim_axis(rs_schema *s, int d, const char *axis, const char *calendar);

int rs_add_aux_labels(rs_schema *s, const char *name, const char *long_name, int dim, long size,
                      const char *const *labels);
int rs_add_aux_values(rs_schema *s, const char *name, const char *long_name, const char *units, int dim, long size,
                      const double *values, size_t stride);

/* The size of block b of a record (values). */
void rs_block(rs_schema *s, int b, size_t len);

/* Add a variable over dims[0..ndims) of the schema; its values at
 * block[offset + j * stride].  Returns its index or -1 (out of memory). */
int rs_add_var(rs_schema *s, const char *name, const char *long_name, const char *units, const char *currency,
               const char *cell_methods, int ndims, const int *dims, rs_type type, int block, size_t offset,
               size_t stride, unsigned summaries);
/* Name more auxiliary coordinates of variable v (space-separated). */
int rs_var_coordinates(rs_schema *s, int v, const char *coordinates);

int rs_add_static(rs_schema *s, const char *name, const char *long_name, const char *units, int ndims,
                  const int *dims, const double *values, int in_summary);

int rs_add_text(rs_schema *s, const char *name, const char *text, int identity, rs_differ_fn differ,
                const char *differ_msg);
int rs_add_number(rs_schema *s, const char *name, double num, int integer, int identity);

/* Lay out the summary vector (variables with quantiles first, then those
 * with a mean only, each in declaration order) and check the variables'
 * places in the blocks.  SIM_OK or SIM_EINVAL (message set). */
int rs_finish(rs_schema *s);

/* Size of dimension d (RS_DIM_POINT: npoints). */
long rs_dim_size(const rs_schema *s, int d);

/* Gather a record's summarised values into x[0..sum_len), rounded as the
 * file stores them. */
void rs_gather(const rs_schema *s, const rs_record *r, double *x);

/* Round every value of every variable stored as RS_FLOAT to the nearest
 * float, in the record itself (what the file will hold). */
void rs_round(const rs_schema *s, const rs_record *r);

/* The schema as markdown tables (dimensions, variables), for
 * docs/results-format.md. */
void rs_markdown(const rs_schema *s, FILE *out);

#endif
