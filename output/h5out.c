#include "h5out.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "h5out_impl.h"
#include "outfile.h"
#include "sim_err.h"

const double h5o_quantiles[H5O_NQ] = { 0.05, 0.25, 0.50, 0.75, 0.95 };
const char *const sk_suffix[SK_N] = { "mean", "std", "quantile" };

/* ---- errors ---------------------------------------------------------- */

static herr_t first_error(unsigned n, const H5E_error2_t *e, void *data)
{
    char *out = data;
    if (n == 0 && e->desc && e->desc[0])
        snprintf(out, 256, "%s", e->desc);
    return 0;
}

/* SIM_EIO with the HDF5 library's innermost reason and errno. */
int h5oi_fail(const h5o_file *f, const char *what)
{
    char why[256] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, first_error, why);
    int e = errno;
    if (e == ENOMEM)
        return sim_err_set(SIM_ENOMEM, "out of memory: %s: cannot %s", f->partial, what);
    return sim_err_set(SIM_EIO, "%s: cannot %s (%s%s%s)", f->partial, what, why[0] ? why : "HDF5 error",
                       e ? "; " : "", e ? strerror(e) : "");
}

/* ---- attributes --------------------------------------------------------- */

static int attr_text(h5o_file *f, hid_t obj, const char *name, const char *value)
{
    size_t len = strlen(value);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, len ? len : 1);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hid_t sp = H5Screate(H5S_SCALAR);
    if (H5Aexists(obj, name) > 0)
        H5Adelete(obj, name);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, t, len ? value : "");
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    HCHECK(rc, "write an attribute");
    return SIM_OK;
}

static int attr_num(h5o_file *f, hid_t obj, const char *name, hid_t type, const void *value)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    if (H5Aexists(obj, name) > 0)
        H5Adelete(obj, name);
    hid_t a = H5Acreate2(obj, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, type, value);
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    HCHECK(rc, "write an attribute");
    return SIM_OK;
}

static int attr_double(h5o_file *f, hid_t obj, const char *name, double v)
{
    return attr_num(f, obj, name, H5T_NATIVE_DOUBLE, &v);
}

static int attr_long(h5o_file *f, hid_t obj, const char *name, long long v)
{
    return attr_num(f, obj, name, H5T_NATIVE_LLONG, &v);
}

/* Read a text attribute into a malloc'd string (NULL when absent). */
char *h5oi_attr_text(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    size_t n = H5Tget_size(t);
    char *buf = calloc(n + 1, 1);
    if (buf && H5Aread(a, t, buf) < 0) {
        free(buf);
        buf = NULL;
    }
    H5Tclose(t);
    H5Aclose(a);
    return buf;
}

/* ---- coordinates and variables ---------------------------------------- */

static hid_t str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* How a dataset is made: its dimension scales and sizes, the chunk, and
 * whether the first dimension is the record (unlimited) one. */
typedef struct ds_shape {
    int nd;
    hid_t scale[RS_MAX_DIMS + 2];
    hsize_t dims[RS_MAX_DIMS + 2], chunk[RS_MAX_DIMS + 2];
    int record;       /* dims[0] is realization: unlimited */
    int compress;     /* shuffle + deflate (always Fletcher-32 when chunked) */
} ds_shape;

static hid_t make_dataset(h5o_file *f, hid_t grp, const char *name, hid_t type, const ds_shape *sh)
{
    hsize_t maxd[RS_MAX_DIMS + 2];
    int empty = 0;
    for (int i = 0; i < sh->nd; i++) {
        maxd[i] = i == 0 && sh->record ? H5S_UNLIMITED : sh->dims[i];
        empty |= sh->dims[i] == 0;
    }
    hid_t sp = H5Screate_simple(sh->nd, sh->dims, maxd);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (!empty || sh->record) {
        hsize_t ch[RS_MAX_DIMS + 2];
        for (int i = 0; i < sh->nd; i++)
            ch[i] = sh->chunk[i] ? sh->chunk[i] : 1;
        H5Pset_chunk(dcpl, sh->nd, ch);
        if (sh->compress) {
            H5Pset_shuffle(dcpl);
            H5Pset_deflate(dcpl, H5O_DEFLATE_LEVEL);
        }
        H5Pset_fletcher32(dcpl);
    }
    double nan = NAN;
    int floating = H5Tget_class(type) == H5T_FLOAT;
    if (floating)
        H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan);
    H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED);
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    if (sh->nd >= 3)   /* chunks written once, whole: caching them only grows memory */
        H5Pset_chunk_cache(dapl, 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT);
    hid_t ds = H5Dcreate2(grp, name, type, sp, H5P_DEFAULT, dcpl, dapl);
    H5Pclose(dapl);
    H5Pclose(dcpl);
    H5Sclose(sp);
    if (ds < 0)
        return ds;
    for (int i = 0; i < sh->nd; i++)
        if (sh->scale[i] >= 0 && H5DSattach_scale(ds, sh->scale[i], (unsigned)i) < 0) {
            H5Dclose(ds);
            return -1;
        }
    if (floating) {   /* netCDF wants _FillValue of the variable's own type */
        float nanf = NAN;
        int rc = H5Tget_size(type) == 4 ? attr_num(f, ds, "_FillValue", H5T_NATIVE_FLOAT, &nanf)
                                        : attr_double(f, ds, "_FillValue", NAN);
        if (rc != SIM_OK) {
            H5Dclose(ds);
            return -1;
        }
    }
    return ds;
}

static int text_attrs(h5o_file *f, hid_t ds, const char *units, const char *long_name)
{
    if (units)
        SIM_CHECK(attr_text(f, ds, "units", units));
    return long_name ? attr_text(f, ds, "long_name", long_name) : SIM_OK;
}

/* A 1-D coordinate variable that is also the dimension scale `name`;
 * record: realization, the unlimited dimension. */
static int coord(h5o_file *f, hid_t grp, const char *name, hid_t type, hsize_t n, const void *data, int record,
                 hid_t *out)
{
    ds_shape sh = { .nd = 1, .scale = { -1 }, .dims = { n }, .chunk = { n < 4096 ? n : 4096 }, .record = record };
    hid_t ds;
    if (record) {
        ds = make_dataset(f, grp, name, type, &sh);
    } else {
        hid_t sp = H5Screate_simple(1, &n, NULL);
        ds = H5Dcreate2(grp, name, type, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Sclose(sp);
    }
    HCHECK(ds, "create a coordinate");
    *out = ds;
    if (n > 0)
        HCHECK(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write a coordinate");
    HCHECK(H5DSset_scale(ds, name), "make a dimension scale");
    return SIM_OK;
}

/* A dimension without a coordinate variable (netCDF-4's way). */
static int bare_dim(h5o_file *f, hid_t grp, const char *name, hsize_t n, hid_t *out)
{
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t ds = H5Dcreate2(grp, name, H5T_NATIVE_FLOAT, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(sp);
    HCHECK(ds, "create a dimension");
    *out = ds;
    char label[96];
    snprintf(label, sizeof label, "%s%10d", NOT_A_VARIABLE, (int)n);
    HCHECK(H5DSset_scale(ds, label), "make a dimension scale");
    return SIM_OK;
}

/* An index 0..n-1 as a coordinate. */
static int index_coord(h5o_file *f, hid_t grp, const char *name, long n, int record, const char *long_name,
                       hid_t *out)
{
    int *v = malloc(((size_t)n + 1) * sizeof *v);
    if (!v)
        return sim_err_set(SIM_ENOMEM, "out of memory for coordinates");
    for (long i = 0; i < n; i++)
        v[i] = (int)i;
    int rc = coord(f, grp, name, H5T_NATIVE_INT, (hsize_t)n, v, record, out);
    free(v);
    return rc == SIM_OK ? text_attrs(f, *out, NULL, long_name) : rc;
}

/* Dimension d of the schema as a coordinate variable, with its bounds. */
static int schema_coord(h5o_file *f, hid_t grp, coords *c, int d)
{
    const rs_dim *dm = &f->sch->dim[d];
    size_t n = (size_t)dm->size;
    double *v = malloc((n + 1) * sizeof *v);
    if (!v)
        return sim_err_set(SIM_ENOMEM, "out of memory for coordinates");
    for (size_t i = 0; i < n; i++)
        v[i] = dm->values ? dm->values[i] : (double)i;
    int *iv = (int *)v;   /* whole numbers in place (smaller) */
    if (dm->integer)
        for (size_t i = 0; i < n; i++)
            iv[i] = (int)v[i];
    int rc = coord(f, grp, dm->name, dm->integer ? H5T_NATIVE_INT : H5T_NATIVE_DOUBLE, n, v, 0, &c->dim[d]);
    free(v);
    SIM_CHECK(rc);
    SIM_CHECK(text_attrs(f, c->dim[d], dm->units, dm->long_name));
    if (dm->axis)
        SIM_CHECK(attr_text(f, c->dim[d], "axis", dm->axis));
    if (dm->calendar)
        SIM_CHECK(attr_text(f, c->dim[d], "calendar", dm->calendar));
    if (!dm->bounds)
        return SIM_OK;
    char bname[128];
    snprintf(bname, sizeof bname, "%s_bnds", dm->name);
    SIM_CHECK(attr_text(f, c->dim[d], "bounds", bname));
    hsize_t dims[2] = { n, 2 };
    hid_t sp = H5Screate_simple(2, dims, NULL);
    hid_t ds = H5Dcreate2(grp, bname, dm->integer ? H5T_NATIVE_INT : H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT,
                          H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(sp);
    HCHECK(ds, "create cell bounds");
    c->bnds[d] = ds;
    int *ib = malloc((2 * n + 1) * sizeof *ib);
    if (!ib)
        return sim_err_set(SIM_ENOMEM, "out of memory for coordinates");
    for (size_t i = 0; i < 2 * n; i++)
        ib[i] = (int)dm->bounds[i];
    herr_t w = dm->integer ? H5Dwrite(ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, ib)
                           : H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, dm->bounds);
    free(ib);
    HCHECK(w, "write cell bounds");
    HCHECK(H5DSattach_scale(ds, c->dim[d], 0), "attach a dimension scale");
    HCHECK(H5DSattach_scale(ds, c->nv, 1), "attach a dimension scale");
    return SIM_OK;
}

static hid_t dim_scale(const coords *c, int d)
{
    return d == RS_DIM_POINT ? c->point : c->dim[d];
}

/* An auxiliary coordinate: text labels or numbers over one dimension. */
static int aux_coord(h5o_file *f, hid_t grp, coords *c, int i)
{
    const rs_aux *a = &f->sch->aux[i];
    hsize_t n = (hsize_t)a->size;
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t t = a->labels ? str_type() : H5T_NATIVE_DOUBLE;
    hid_t ds = H5Dcreate2(grp, a->name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(sp);
    herr_t w = ds < 0 || n == 0 ? 0 : H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                               a->labels ? (const void *)a->labels : (const void *)a->values);
    if (a->labels)
        H5Tclose(t);
    HCHECK(ds, "create a coordinate");
    c->aux[i] = ds;
    HCHECK(w, "write a coordinate");
    HCHECK(H5DSattach_scale(ds, dim_scale(c, a->dim), 0), "attach a dimension scale");
    return text_attrs(f, ds, a->units, a->long_name);
}

/* A variable stored once (the design table). */
static int static_var(h5o_file *f, hid_t grp, coords *c, int i)
{
    const rs_static *st = &f->sch->stat[i];
    ds_shape sh = { .nd = st->ndims };
    for (int k = 0; k < st->ndims; k++) {
        sh.scale[k] = dim_scale(c, st->dims[k]);
        sh.dims[k] = sh.chunk[k] = (hsize_t)rs_dim_size(f->sch, st->dims[k]);
    }
    hid_t ds = make_dataset(f, grp, st->name, H5T_NATIVE_DOUBLE, &sh);
    HCHECK(ds, "create a dataset");
    c->stat[i] = ds;
    HCHECK(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, st->values), "write a dataset");
    return text_attrs(f, ds, st->units, st->long_name);
}

static int coords_alloc(coords *c, const rs_schema *s)
{
    memset(c, 0, sizeof *c);
    c->real = c->point = c->nv = c->quant = -1;
    c->dim = malloc(((size_t)s->ndims + 1) * sizeof *c->dim);
    c->bnds = malloc(((size_t)s->ndims + 1) * sizeof *c->bnds);
    c->aux = malloc(((size_t)s->naux + 1) * sizeof *c->aux);
    c->stat = malloc(((size_t)s->nstatic + 1) * sizeof *c->stat);
    if (!c->dim || !c->bnds || !c->aux || !c->stat)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    for (int i = 0; i < s->ndims; i++)
        c->dim[i] = c->bnds[i] = -1;
    for (int i = 0; i < s->naux; i++)
        c->aux[i] = -1;
    for (int i = 0; i < s->nstatic; i++)
        c->stat[i] = -1;
    return SIM_OK;
}

static void coords_close(coords *c, const rs_schema *s)
{
    hid_t *one[] = { &c->real, &c->point, &c->nv, &c->quant };
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
        if (*one[i] >= 0)
            H5Dclose(*one[i]), *one[i] = -1;
    for (int i = 0; c->dim && i < s->ndims; i++) {
        if (c->dim[i] >= 0)
            H5Dclose(c->dim[i]), c->dim[i] = -1;
        if (c->bnds[i] >= 0)
            H5Dclose(c->bnds[i]), c->bnds[i] = -1;
    }
    for (int i = 0; c->aux && i < s->naux; i++)
        if (c->aux[i] >= 0)
            H5Dclose(c->aux[i]), c->aux[i] = -1;
    for (int i = 0; c->stat && i < s->nstatic; i++)
        if (c->stat[i] >= 0)
            H5Dclose(c->stat[i]), c->stat[i] = -1;
}

static void coords_free(coords *c, const rs_schema *s)
{
    coords_close(c, s);
    free(c->dim), free(c->bnds), free(c->aux), free(c->stat);
    memset(c, 0, sizeof *c);
}

/* The summary group's scalar coordinate `replications`: how many
 * replications each statistic is taken over. */
static int ensemble_coord(h5o_file *f, hid_t grp, coords *c)
{
    int n = (int)f->o.nreps;
    hid_t sp = H5Screate(H5S_SCALAR);
    c->real = H5Dcreate2(grp, "replications", H5T_NATIVE_INT, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(sp);
    HCHECK(c->real, "create a coordinate");
    HCHECK(H5Dwrite(c->real, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, &n), "write a coordinate");
    return text_attrs(f, c->real, "1", "replications each statistic is taken over");
}

/* Every coordinate of the root group (with_rep_dims) or the summary. */
static int write_coords(h5o_file *f, hid_t grp, coords *c, int with_rep_dims)
{
    const rs_schema *s = f->sch;
    if (with_rep_dims)
        SIM_CHECK(index_coord(f, grp, "realization", f->o.nreps, 1, "replication number", &c->real));
    SIM_CHECK(index_coord(f, grp, "point", f->o.npoints, 0, "scenario point", &c->point));
    SIM_CHECK(bare_dim(f, grp, "nv", 2, &c->nv));
    if (!with_rep_dims) {
        SIM_CHECK(coord(f, grp, "quantile", H5T_NATIVE_DOUBLE, H5O_NQ, h5o_quantiles, 0, &c->quant));
        SIM_CHECK(text_attrs(f, c->quant, "1", "probability of the quantile"));
        SIM_CHECK(ensemble_coord(f, grp, c));
    }
    for (int d = 0; d < s->ndims; d++)
        SIM_CHECK(schema_coord(f, grp, c, d));
    for (int i = 0; i < s->naux; i++)
        SIM_CHECK(aux_coord(f, grp, c, i));
    for (int i = 0; i < s->nstatic; i++)
        if (with_rep_dims || s->stat[i].in_summary)
            SIM_CHECK(static_var(f, grp, c, i));
    return SIM_OK;
}

/* The `coordinates` attribute of a variable over dims[0..nd): the
 * auxiliary coordinates of those dimensions (and of point), then extra. */
static int coordinates_attr(h5o_file *f, hid_t ds, const int *dims, int nd, const char *extra)
{
    const rs_schema *s = f->sch;
    char buf[2048] = "";
    size_t at = 0;
    for (int i = 0; i < s->naux; i++) {
        if (s->aux[i].on_request)
            continue;
        int mine = s->aux[i].dim == RS_DIM_POINT;
        for (int k = 0; k < nd; k++)
            mine |= s->aux[i].dim == dims[k];
        if (mine && at + strlen(s->aux[i].name) + 2 < sizeof buf)
            at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", at ? " " : "", s->aux[i].name);
    }
    if (extra && at + strlen(extra) + 2 < sizeof buf)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", at ? " " : "", extra);
    return at ? attr_text(f, ds, "coordinates", buf) : SIM_OK;
}

/* The attributes of variable v, or of its summary of kind k (-1: the
 * per-replication variable itself). */
static int var_attrs(h5o_file *f, hid_t ds, const rs_var *v, int kind)
{
    char ln[512];
    const char *stat = kind == SK_MEAN ? "mean" : kind == SK_STD ? "standard deviation" : "quantiles";
    if (kind < 0)
        snprintf(ln, sizeof ln, "%s", v->long_name);
    else
        snprintf(ln, sizeof ln, "%s across replications of %s", stat, v->long_name);
    SIM_CHECK(text_attrs(f, ds, v->units, ln));
    if (v->currency)
        SIM_CHECK(attr_text(f, ds, "currency", v->currency));
    /* The statistic across replications is in the long_name and in
     * `statistic`, not in cell_methods: cfchecker 4.1 takes there only
     * names of the variable's dimensions, and a size-1 realization
     * dimension would be in every analyst's way. */
    if (v->cell_methods)
        SIM_CHECK(attr_text(f, ds, "cell_methods", v->cell_methods));
    if (kind >= 0)
        SIM_CHECK(attr_text(f, ds, "statistic", kind == SK_MEAN ? "mean" : kind == SK_STD ? "standard_deviation"
                                                                                       : "quantile"));
    if (kind == SK_QUANT)
        SIM_CHECK(attr_text(f, ds, "quantile_method", f->o.quantile_method ? f->o.quantile_method : "exact"));
    const char *extra = v->coordinates;
    char both[256];
    if (kind >= 0) {   /* the scalar coordinate that says over how many replications */
        snprintf(both, sizeof both, "%s%sreplications", extra ? extra : "", extra ? " " : "");
        extra = both;
    }
    return coordinates_attr(f, ds, v->dims, v->ndims, extra);
}

/* The per-replication datasets: (realization, point, own dims...), one
 * chunk per replication and variable. */
static int create_layout(h5o_file *f)
{
    const rs_schema *s = f->sch;
    coords *c = &f->rc;
    SIM_CHECK(write_coords(f, f->file, c, 1));
    hsize_t P = (hsize_t)f->o.npoints, R = (hsize_t)f->o.nreps;
    if (f->o.store_replications)
        for (int i = 0; i < s->nvars; i++) {
            const rs_var *v = &s->var[i];
            ds_shape sh = { .nd = v->ndims + 2, .scale = { c->real, c->point }, .dims = { R, P }, .chunk = { 1, 1 },
                            .record = 1, .compress = 1 };
            for (int k = 0; k < v->ndims; k++) {
                sh.scale[k + 2] = c->dim[v->dims[k]];
                sh.dims[k + 2] = sh.chunk[k + 2] = (hsize_t)s->dim[v->dims[k]].size;
            }
            hid_t t = v->type == RS_FLOAT ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
            HCHECK(f->var[i] = make_dataset(f, f->file, v->name, t, &sh), "create a dataset");
            SIM_CHECK(var_attrs(f, f->var[i], v, -1));
        }
    /* Small per-replication bookkeeping (seeds, counts, the done mask) is
     * written one value at a time: compressing its chunk at every write
     * would cost more than the bytes saved. */
    ds_shape b = { .nd = 2, .scale = { c->real, c->point }, .dims = { R, P }, .chunk = { R < 4096 ? (R ? R : 1) : 4096, 1 },
                   .record = 1 };
    struct { const char *name, *long_name; hid_t type, *out; } bk[3] = {
        { "replication_seed", "key of the replication's first random stream, from (seed, point, replication)",
          H5T_NATIVE_ULLONG, &f->seed },
        { "events", "events the engine processed in the replication", H5T_NATIVE_ULLONG, &f->events },
        { "realization_done", "1 when the replication is complete in this file", H5T_NATIVE_UCHAR, &f->done },
    };
    for (int i = 0; i < 3; i++) {
        HCHECK(*bk[i].out = make_dataset(f, f->file, bk[i].name, bk[i].type, &b), "create a dataset");
        SIM_CHECK(text_attrs(f, *bk[i].out, "1", bk[i].long_name));
        SIM_CHECK(coordinates_attr(f, *bk[i].out, NULL, 0, NULL));
    }
    return SIM_OK;
}

static int global_attrs(h5o_file *f)
{
    const rs_schema *s = f->sch;
    hid_t g = f->file;
    SIM_CHECK(attr_text(f, g, "Conventions", "CF-1.8"));
    SIM_CHECK(attr_text(f, g, "source", "anodesim " ANODESIM_VERSION));
    SIM_CHECK(attr_text(f, g, "anodesim_version", ANODESIM_VERSION));
    SIM_CHECK(attr_text(f, g, "source_revision", ANODESIM_GIT_REV));
    for (int i = 0; i < s->nattrs; i++) {
        const rs_attr *a = &s->attr[i];
        if (a->text)
            SIM_CHECK(attr_text(f, g, a->name, a->text));
        else if (a->integer) {
            unsigned long long u = (unsigned long long)a->num;
            SIM_CHECK(attr_num(f, g, a->name, H5T_NATIVE_ULLONG, &u));
        } else
            SIM_CHECK(attr_double(f, g, a->name, a->num));
    }
    SIM_CHECK(attr_long(f, g, "threads", f->o.threads));
    SIM_CHECK(attr_long(f, g, "ranks", f->o.ranks));
    SIM_CHECK(attr_long(f, g, "points", f->o.npoints));
    SIM_CHECK(attr_long(f, g, "replications_planned", f->o.nreps));
    SIM_CHECK(attr_long(f, g, "store_replications", f->o.store_replications));
    SIM_CHECK(attr_long(f, g, "replications_completed", 0));
    SIM_CHECK(attr_text(f, g, "quantile_method", f->o.quantile_method ? f->o.quantile_method : "exact"));
    if (f->o.shard_n > 0) {
        char shard[64];
        snprintf(shard, sizeof shard, "%d/%d", f->o.shard_k, f->o.shard_n);
        SIM_CHECK(attr_text(f, g, "shard", shard));
    }
    SIM_CHECK(attr_text(f, g, "input_kind", f->o.input_kind ? f->o.input_kind : "scenario"));
    SIM_CHECK(attr_text(f, g, "input_path", f->o.input_abspath ? f->o.input_abspath : ""));
    SIM_CHECK(attr_text(f, g, "overrides", f->o.overrides ? f->o.overrides : ""));
    SIM_CHECK(attr_long(f, g, "independent_streams", f->o.independent_streams));
    SIM_CHECK(attr_text(f, g, "design", f->o.design ? f->o.design : "single"));
    SIM_CHECK(attr_long(f, g, "common_random_numbers", f->o.crn));
    if (f->o.sweep_path)
        SIM_CHECK(attr_text(f, g, "sweep_path", f->o.sweep_path));
    time_t now = time(NULL);
    char iso[32];
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    SIM_CHECK(attr_text(f, g, "created", iso));
    return attr_text(f, g, "status", "partial");
}

const char *h5o_partial_name(const char *path)
{
    static _Thread_local char buf[4096];
    snprintf(buf, sizeof buf, "%s.partial", path);
    return buf;
}

static int create_summary(h5o_file *f);

/* File access: a small, fixed metadata cache and compact chunk indexes,
 * so that thousands of replications do not make memory grow with their
 * number. */
static hid_t file_access(void)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5AC_cache_config_t mdc;
    mdc.version = H5AC__CURR_CACHE_CONFIG_VERSION;
    if (H5Pget_mdc_config(fapl, &mdc) >= 0) {
        /* 512 KiB, never resized: the cache would otherwise grow towards
         * its maximum as the chunk indexes of more replications pass
         * through it, which was most of the memory growth measured.  The
         * pages being written (one per per-replication dataset, ~20 KiB)
         * fit; at 256 KiB they thrash (measured). */
        mdc.set_initial_size = 1;
        mdc.initial_size = 512 << 10;
        mdc.min_size = 512 << 10;
        mdc.max_size = 512 << 10;
        mdc.incr_mode = H5C_incr__off;
        mdc.flash_incr_mode = H5C_flash_incr__off;
        mdc.decr_mode = H5C_decr__off;
        H5Pset_mdc_config(fapl, &mdc);
    }
    return fapl;
}
static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The summary datasets, in creation order: for each summarised variable
 * its mean, then std and quantiles when it has them. */
static int summary_jobs(h5o_file *f)
{
    const rs_schema *s = f->sch;
    f->jobs = malloc(((size_t)s->nvars * SK_N + 1) * sizeof *f->jobs);
    if (!f->jobs)
        return SIM_ENOMEM;
    for (int i = 0; i < s->nvars; i++) {
        unsigned want[SK_N] = { RS_SUM_MEAN, RS_SUM_STD, RS_SUM_QUANTILES };
        for (int k = 0; k < SK_N; k++)
            if (s->var[i].summaries & want[k])
                f->jobs[f->njobs++] = (sjob_def){ i, k };
    }
    return SIM_OK;
}

static h5o_file *new_handle(const rs_schema *sch, const h5o_options *o)
{
    h5o_file *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->sch = sch;
    f->o = *o;
    f->lockfd = -1;
    f->file = f->summary = f->seed = f->events = f->done = -1;
    f->last_flush = wall_now();
    size_t nv = (size_t)sch->nvars + 1, big = 1;
    for (int i = 0; i < sch->nvars; i++)
        big = sch->var[i].len > big ? sch->var[i].len : big;
    f->ids = malloc(2 * H5O_FLUSH_BATCH * sizeof *f->ids);
    f->var = malloc(nv * sizeof *f->var);
    f->sv = malloc(nv * sizeof *f->sv);
    f->path = strdup(o->path);
    f->partial = strdup(h5o_partial_name(o->path));
    f->scratch = malloc(big * sizeof(double));
    int ok = f->ids && f->var && f->sv && f->path && f->partial && f->scratch &&
             coords_alloc(&f->rc, sch) == SIM_OK && coords_alloc(&f->sc, sch) == SIM_OK && summary_jobs(f) == SIM_OK;
    for (int i = 0; f->var && f->sv && i < sch->nvars; i++) {
        f->var[i] = -1;
        for (int k = 0; k < SK_N; k++)
            f->sv[i][k] = -1;
    }
    if (f->ids) {
        f->flushed = f->ids;
        f->written = f->ids + H5O_FLUSH_BATCH;
    }
    if (!ok) {
        coords_free(&f->rc, sch);
        coords_free(&f->sc, sch);
        free(f->ids), free(f->var), free(f->sv), free(f->path), free(f->partial), free(f->scratch), free(f->jobs);
        free(f);
        return NULL;
    }
    return f;
}

static void close_all(h5o_file *f)
{
    const rs_schema *s = f->sch;
    for (int i = 0; i < s->nvars; i++) {
        if (f->var[i] >= 0)
            H5Dclose(f->var[i]), f->var[i] = -1;
        for (int k = 0; k < SK_N; k++)
            if (f->sv[i][k] >= 0)
                H5Dclose(f->sv[i][k]), f->sv[i][k] = -1;
    }
    hid_t *one[] = { &f->seed, &f->events, &f->done };
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
        if (*one[i] >= 0)
            H5Dclose(*one[i]), *one[i] = -1;
    coords_close(&f->rc, s);
    coords_close(&f->sc, s);
    if (f->summary >= 0)
        H5Gclose(f->summary);
    if (f->file >= 0)
        H5Fclose(f->file);
    f->file = f->summary = -1;
}

static void free_handle(h5o_file *f)
{
    close_all(f);
    coords_free(&f->rc, f->sch);
    coords_free(&f->sc, f->sch);
    of_release(f->lockfd);
    free(f->path);
    free(f->partial);
    free(f->scratch);
    free(f->ids);
    free(f->var);
    free(f->sv);
    free(f->jobs);
    h5c_coder_free(f->coder);
    h5c_chunks_free(&f->raw);
    h5c_chunks_free(&f->packed);
    free(f->qscratch);
    free(f);
}

/* HDF5 prints its error stack unless told not to, and the setting is per
 * thread in a thread-safe build: the consumer's calls move from thread to
 * thread, so each entry point that can run on any thread says it again
 * (once per thread).  Errors reach the user through sim_err instead. */
void h5oi_quiet(void)
{
    static _Thread_local int done;
    if (!done) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        done = 1;
    }
}

int h5o_create(h5o_file **out, const rs_schema *sch, const h5o_options *o)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    SIM_CHECK(of_check_target(o->path, o->force));
    h5o_file *f = new_handle(sch, o);
    if (!f)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    int rc = of_create_partial(f->partial, o->force, &f->lockfd);
    if (rc != SIM_OK) {
        free_handle(f);
        return rc;
    }
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    errno = 0;
    hid_t fapl = file_access();
    f->file = H5Fcreate(f->partial, H5F_ACC_TRUNC, fcpl, fapl);
    /* Datasets in the HDF5 1.10 format: their chunks are indexed by a
     * fixed array (or, over the unlimited realization dimension, an
     * extensible array) instead of a B-tree, so memory stays flat with
     * the number of replications and writing is faster.  Set after
     * creation so that the superblock keeps the old version, which has no
     * "open for writing" flag: a file left by kill -9 stays readable and
     * resumable.  Readers need HDF5 >= 1.10. */
    if (f->file >= 0)
        H5Fset_libver_bounds(f->file, H5F_LIBVER_V110, H5F_LIBVER_V110);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    if (f->file >= 0 && (rc = of_relock(f->lockfd, f->partial)) != SIM_OK) {
        free_handle(f);
        return rc;
    }
    if (f->file < 0) {
        rc = h5oi_fail(f, "create the results file");
        unlink(f->partial);   /* (ours, empty) */
        free_handle(f);
        return rc;
    }
    rc = global_attrs(f);
    if (rc == SIM_OK)
        rc = create_layout(f);
    if (rc == SIM_OK)
        rc = create_summary(f);
    if (rc == SIM_OK && H5Fflush(f->file, H5F_SCOPE_GLOBAL) < 0)
        rc = h5oi_fail(f, "flush the results file");
    if (rc != SIM_OK) {
        h5o_abort(f, 0);
        return rc;
    }
    *out = f;
    return SIM_OK;
}

/* ---- replications ------------------------------------------------------ */

/* Write (or read, when `read` is set) buf into the slab [rep, point, ...]
 * of a dataset: everything under those two leading indices. */
static int slab_io(h5o_file *f, hid_t ds, long point, long rep, hid_t type, void *buf, int read)
{
    hid_t fs = H5Dget_space(ds);
    hsize_t dims[H5S_MAX_RANK], start[H5S_MAX_RANK] = { (hsize_t)rep, (hsize_t)point }, n = 1;
    int nd = H5Sget_simple_extent_dims(fs, dims, NULL);
    herr_t rc = nd >= 2 ? 0 : -1;
    for (int i = 0; i < nd; i++) {
        if (i >= 2)
            n *= dims[i];
        dims[i] = i < 2 ? 1 : dims[i];   /* now the count of the selection */
    }
    hid_t ms = rc >= 0 && n > 0 ? H5Screate_simple(1, &n, NULL) : -1;
    if (ms >= 0)
        rc = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, dims, NULL);
    if (ms >= 0 && rc >= 0)
        rc = read ? H5Dread(ds, type, ms, fs, H5P_DEFAULT, buf) : H5Dwrite(ds, type, ms, fs, H5P_DEFAULT, buf);
    if (ms >= 0)
        H5Sclose(ms);
    H5Sclose(fs);
    HCHECK(rc, read ? "read a replication" : "write a replication");
    return SIM_OK;
}

int h5oi_elem_size(const rs_var *v)
{
    return v->type == RS_FLOAT ? 4 : 8;
}

/* Whether every per-replication dataset stores its chunks the way
 * h5c_decode reads them (shuffle, deflate, Fletcher-32; float or double
 * as the schema says): all files this program writes do. */
int h5oi_chunks_decodable(const h5o_file *f)
{
    for (int i = 0; i < f->sch->nvars; i++) {
        hid_t dcpl = H5Dget_create_plist(f->var[i]), type = H5Dget_type(f->var[i]);
        unsigned flags, cd[8];
        size_t ncd = 8;
        int ok = dcpl >= 0 && type >= 0 && H5Pget_nfilters(dcpl) == 3 &&
                 H5Tget_size(type) == (size_t)h5oi_elem_size(&f->sch->var[i]) && H5Tget_class(type) == H5T_FLOAT;
        H5Z_filter_t want[3] = { H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE, H5Z_FILTER_FLETCHER32 };
        for (unsigned k = 0; ok && k < 3; k++, ncd = 8)
            ok = H5Pget_filter2(dcpl, k, &flags, &ncd, cd, 0, NULL, NULL) == want[k];
        if (dcpl >= 0)
            H5Pclose(dcpl);
        if (type >= 0)
            H5Tclose(type);
        if (!ok)
            return 0;
    }
    return 1;
}

int h5oi_need_coder(h5o_file *f)
{
    if (!f->coder && !(f->coder = h5c_coder_new(H5O_DEFLATE_LEVEL)))
        return sim_err_set(SIM_ENOMEM, "out of memory for the compressor");
    return SIM_OK;
}

/* Read the stored chunk of variable i of (point, rep), as it is, onto
 * the end of ck; *at and *size say where. */
int h5oi_chunk_read(h5o_file *f, int i, long point, long rep, h5c_chunks *ck, unsigned char **at, size_t *size)
{
    hsize_t off[RS_MAX_DIMS + 2] = { (hsize_t)rep, (hsize_t)point };
    hsize_t sz = 0;
    uint32_t mask = 0;
    HCHECK(H5Dget_chunk_storage_size(f->var[i], off, &sz), "read a replication");
    if (sz == 0)
        return sim_err_set(SIM_EINPUT, "%s: replication %ld of point %ld has no stored chunk", f->partial, rep, point);
    SIM_CHECK(h5c_append(ck, (size_t)sz, at));
    HCHECK(H5Dread_chunk(f->var[i], H5P_DEFAULT, off, &mask, *at), "read a replication");
    if (mask != 0)
        return sim_err_set(SIM_EINPUT, "%s: a chunk of replication %ld was stored unfiltered", f->partial, rep);
    *size = (size_t)sz;
    return SIM_OK;
}

/* Read replication (point, rep) into r.  Chunks are read as stored and
 * decoded here (HDF5's selection and conversion took most of a merge's
 * time); `raw`, when not NULL, receives them as stored, for h5o_write to
 * copy.  Files stored otherwise are read through HDF5. */
static int rep_read(h5o_file *f, long point, long rep, const rs_record *r, h5c_chunks *raw)
{
    const rs_schema *s = f->sch;
    if (f->raw_read == 0)
        f->raw_read = h5oi_chunks_decodable(f) ? 1 : -1;
    if (f->raw_read > 0) {
        SIM_CHECK(h5oi_need_coder(f));
        h5c_chunks *ck = raw ? raw : &f->raw;
        h5c_chunks_clear(ck);
        for (int i = 0; i < s->nvars; i++) {
            const rs_var *v = &s->var[i];
            unsigned char *at;
            size_t size;
            SIM_CHECK(h5oi_chunk_read(f, i, point, rep, ck, &at, &size));
            int rc = h5c_decode(f->coder, at, size, r->block[v->block] + v->offset, v->len, v->stride, h5oi_elem_size(v));
            if (rc != SIM_OK)
                return sim_err_prefix(rc, "%s: replication %ld of point %ld", f->partial, rep, point);
        }
        return SIM_OK;
    }
    if (raw)
        h5c_chunks_clear(raw);   /* none: h5o_write encodes */
    for (int i = 0; i < s->nvars; i++) {
        const rs_var *v = &s->var[i];
        double *dst = r->block[v->block] + v->offset;
        SIM_CHECK(slab_io(f, f->var[i], point, rep, H5T_NATIVE_DOUBLE, v->stride == 1 ? dst : f->scratch, 1));
        for (size_t j = 0; v->stride != 1 && j < v->len; j++)
            dst[j * v->stride] = f->scratch[j];
    }
    return SIM_OK;
}

int h5o_pack(const h5o_file *f, h5c_coder *coder, const rs_record *r, h5c_chunks *out)
{
    h5c_chunks_clear(out);
    if (!f->o.store_replications)
        return SIM_OK;
    for (int i = 0; i < f->sch->nvars; i++) {
        const rs_var *v = &f->sch->var[i];
        SIM_CHECK(h5c_encode(coder, r->block[v->block] + v->offset, v->len, v->stride, h5oi_elem_size(v), out));
    }
    return SIM_OK;
}

/* Store encoded chunks as they are (every filter applied: mask 0). */
static int rep_write(h5o_file *f, const rs_record *r, const h5c_chunks *ck)
{
    int n = f->sch->nvars;
    if (ck->n != n)
        return sim_err_set(SIM_EINVAL, "h5o_write: %d encoded chunks for %d datasets", ck->n, n);
    hsize_t off[RS_MAX_DIMS + 2] = { (hsize_t)r->rep, r->point };
    for (int i = 0; i < n; i++)
        HCHECK(H5Dwrite_chunk(f->var[i], H5P_DEFAULT, 0, off, ck->off[i + 1] - ck->off[i], ck->data + ck->off[i]),
               "write a replication");
    return SIM_OK;
}

/* Write one value per replication of ids[0..n) into the (realization,
 * point) dataset ds, in one call: `what` says which (0 seed, 1 events,
 * 2 the done mark). */
static int bookkeeping_write(h5o_file *f, hid_t ds, const struct rep_id *ids, int n, int what)
{
    if (n == 0)
        return SIM_OK;
    hsize_t *at = malloc(2 * (size_t)n * sizeof *at);
    unsigned long long *v = malloc((size_t)n * sizeof *v);
    unsigned char *u = malloc((size_t)n);
    if (!at || !v || !u) {
        free(at), free(v), free(u);
        return sim_err_set(SIM_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        at[2 * i] = (hsize_t)ids[i].rep;
        at[2 * i + 1] = (hsize_t)ids[i].point;
        v[i] = what == 0 ? ids[i].seed : ids[i].events;
        u[i] = 1;
    }
    hsize_t hn = (hsize_t)n;
    hid_t fs = H5Dget_space(ds), ms = H5Screate_simple(1, &hn, NULL);
    herr_t rc = H5Sselect_elements(fs, H5S_SELECT_SET, (size_t)n, at);
    if (rc >= 0)
        rc = what == 2 ? H5Dwrite(ds, H5T_NATIVE_UCHAR, ms, fs, H5P_DEFAULT, u)
                       : H5Dwrite(ds, H5T_NATIVE_ULLONG, ms, fs, H5P_DEFAULT, v);
    H5Sclose(ms);
    H5Sclose(fs);
    free(at), free(v), free(u);
    HCHECK(rc, "write a replication");
    return SIM_OK;
}

/* Set the done marks of the replications flushed last. */
static int mark_flushed(h5o_file *f)
{
    SIM_CHECK(bookkeeping_write(f, f->done, f->flushed, f->nflushed, 2));
    f->nflushed = 0;
    return SIM_OK;
}

/* Mark what the last flush made durable, then flush: the replications
 * written since become the ones to mark next time. */
static int flush_batch(h5o_file *f)
{
    /* The seeds and event counts of the replications written since, in
     * two calls rather than two a replication (each was as long as
     * storing the replication's chunks). */
    SIM_CHECK(bookkeeping_write(f, f->seed, f->written, f->nwritten, 0));
    SIM_CHECK(bookkeeping_write(f, f->events, f->written, f->nwritten, 1));
    SIM_CHECK(mark_flushed(f));
    SIM_CHECK(attr_long(f, f->file, "replications_completed", f->completed - f->nwritten));
    HCHECK(H5Fflush(f->file, H5F_SCOPE_GLOBAL), "flush the results file");
    /* What HDF5 frees goes to free lists of its own, and what it frees
     * among our buffers' allocations fragments the heap (measured: heap
     * in use flat, its resident size +2 MiB over 3,000 replications):
     * both given back at every flush, memory stays flat with the number
     * of replications. */
    H5garbage_collect();
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    struct rep_id *t = f->flushed;
    f->flushed = f->written;
    f->written = t;
    f->nflushed = f->nwritten;
    f->nwritten = 0;
    f->last_flush = wall_now();
    return SIM_OK;
}

/* Flush every written replication's data, then mark all of them done
 * (the marks reach the disk with the caller's last flush). */
static int flush_and_mark_all(h5o_file *f)
{
    SIM_CHECK(flush_batch(f));
    return mark_flushed(f);
}

static int write_rep(h5o_file *f, const rs_record *r, const h5c_chunks *packed, int again);

int h5o_write(h5o_file *f, const rs_record *r, const h5c_chunks *packed)
{
    return write_rep(f, r, packed, 0);
}

int h5o_rewrite(h5o_file *f, const rs_record *r)
{
    return write_rep(f, r, NULL, 1);
}

/* again: the replication is counted as done already (damaged, run anew). */
static int write_rep(h5o_file *f, const rs_record *r, const h5c_chunks *packed, int again)
{
    h5oi_quiet();
    long point = (long)r->point, rep = r->rep;
    if (f->o.store_replications) {
        /* No chunks given (merging a file HDF5 had to decode): encode
         * here, with the writer's own coder. */
        if (!packed || packed->n == 0) {
            SIM_CHECK(h5oi_need_coder(f));
            SIM_CHECK(h5o_pack(f, f->coder, r, &f->packed));
            packed = &f->packed;
        }
        SIM_CHECK(rep_write(f, r, packed));
    }
    f->written[f->nwritten++] = (struct rep_id){ point, rep, r->seed_key, r->events };
    f->completed += !again;
    /* Durable in two steps: data goes out with a flush, its done marks
     * with the next one (or at the end).  A kill -9 in the middle of a
     * flush, which HDF5 does not make atomic, can then only lose marks of
     * replications whose data is already on disk (they are simply run
     * again on resume), never mark one whose data is not: marking in the
     * same flush left, once in a few dozen kills, a replication marked
     * done with its chunks unindexed.  Flushes come every
     * H5O_FLUSH_SECONDS, not after every replication (a flush was
     * 0.5-1 ms, as much as writing the replication): a kill loses at most
     * that much finished work. */
    if (f->nwritten == H5O_FLUSH_BATCH || wall_now() - f->last_flush >= H5O_FLUSH_SECONDS)
        SIM_CHECK(flush_batch(f));
    return SIM_OK;
}

int h5o_read(h5o_file *f, long point, long rep, rs_record *r, h5c_chunks *raw)
{
    h5oi_quiet();
    if (!f->o.store_replications)
        return sim_err_set(SIM_EINPUT, "%s holds no per-replication data to resume from", f->partial);
    SIM_CHECK(rep_read(f, point, rep, r, raw));
    unsigned long long seed, ev;
    SIM_CHECK(slab_io(f, f->seed, point, rep, H5T_NATIVE_ULLONG, &seed, 1));
    SIM_CHECK(slab_io(f, f->events, point, rep, H5T_NATIVE_ULLONG, &ev, 1));
    r->seed_key = seed;
    r->events = ev;
    r->point = (uint64_t)point;
    r->rep = rep;
    return SIM_OK;
}


/* ---- summaries and completion ------------------------------------------ */

/* Create every summary dataset (filled with NaN until a point is done):
 * mean and std over (point, own dims), quantiles over (point, quantile,
 * own dims), each [point] slab one chunk. */
static int create_summary(h5o_file *f)
{
    const rs_schema *s = f->sch;
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    f->summary = H5Gcreate2(f->file, "summary", H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    HCHECK(f->summary, "create the summary group");
    coords *c = &f->sc;
    SIM_CHECK(write_coords(f, f->summary, c, 0));
    for (int j = 0; j < f->njobs; j++) {
        const rs_var *v = &s->var[f->jobs[j].var];
        int kind = f->jobs[j].kind, q = kind == SK_QUANT;
        ds_shape sh = { .nd = v->ndims + 1 + q, .scale = { c->point, c->quant }, .dims = { (hsize_t)f->o.npoints, H5O_NQ },
                        .chunk = { 1, H5O_NQ }, .compress = 1 };
        for (int k = 0; k < v->ndims; k++) {
            sh.scale[k + 1 + q] = c->dim[v->dims[k]];
            sh.dims[k + 1 + q] = sh.chunk[k + 1 + q] = (hsize_t)s->dim[v->dims[k]].size;
        }
        char name[160];
        snprintf(name, sizeof name, "%s_%s", v->name, sk_suffix[kind]);
        hid_t ds = make_dataset(f, f->summary, name, H5T_NATIVE_DOUBLE, &sh);
        HCHECK(ds, "create a summary dataset");
        f->sv[f->jobs[j].var][kind] = ds;
        SIM_CHECK(var_attrs(f, ds, v, kind));
    }
    return SIM_OK;
}

/* ---- summaries: one chunk per dataset and point ----------------------------
 *
 * Each summary dataset's [point] slab is exactly one chunk (create_summary),
 * so it is encoded by h5c_encode and stored as it is.  Through H5Dwrite,
 * HDF5 walked the selection element by element and deflated with zlib,
 * which made the summaries the serial consumer's largest cost in sweeps
 * with few replications per point.  Jobs are numbered in the order the
 * datasets were created. */

int h5o_summary_njobs(const h5o_file *f)
{
    return f->njobs;
}

size_t h5o_summary_buf_len(const h5o_file *f)
{
    size_t big = 1;
    for (int i = 0; i < f->sch->nvars; i++)
        big = f->sch->var[i].len > big ? f->sch->var[i].len : big;
    return H5O_NQ * big + 1;
}

/* Job's values into buf; returns how many (0: none yet, the quantiles
 * come from the stored replications at the end). */
static size_t summary_values(const h5o_file *f, int job, const h5o_summaries *sm, double *buf)
{
    const rs_schema *s = f->sch;
    const rs_var *v = &s->var[f->jobs[job].var];
    size_t n = v->len, at = v->sum_at;
    switch (f->jobs[job].kind) {
    case SK_MEAN:
        for (size_t i = 0; i < n; i++)
            buf[i] = sum_acc_mean(sm->acc, at + i);
        return n;
    case SK_STD:
        for (size_t i = 0; i < n; i++)
            buf[i] = sum_acc_sd(sm->acc, at + i);
        return n;
    default:
        if (sm->quant) {
            for (int q = 0; q < H5O_NQ; q++)
                memcpy(buf + (size_t)q * n, sm->quant + (size_t)q * s->sum_qlen + at, n * sizeof *buf);
            return H5O_NQ * n;
        }
        if (sm->p2 && sm->p2->nq == H5O_NQ) {
            sum_acc_quantile_rows(sm->p2, at, 1, n, buf);
            return H5O_NQ * n;
        }
        return 0;
    }
}

int h5o_summary_encode(const h5o_file *f, int job, const h5o_summaries *sm, h5c_coder *coder, double *buf,
                       h5c_chunks *out)
{
    h5c_chunks_clear(out);
    size_t n = summary_values(f, job, sm, buf);
    if (n == 0)
        return SIM_OK;   /* nothing yet, or no values: the chunk is not written */
    return h5c_encode(coder, buf, n, 1, (int)sizeof(double), out);
}

int h5oi_store_chunk(h5o_file *f, hid_t ds, long point, const h5c_chunks *ck)
{
    hsize_t off[RS_MAX_DIMS + 2] = { (hsize_t)point };
    HCHECK(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, off, ck->off[1], ck->data), "write a summary");
    return SIM_OK;
}

int h5o_summary_store(h5o_file *f, long point, int job, const h5c_chunks *ck)
{
    h5oi_quiet();
    if (ck->n == 0)
        return SIM_OK;
    return h5oi_store_chunk(f, f->sv[f->jobs[job].var][f->jobs[job].kind], point, ck);
}

int h5o_write_summary(h5o_file *f, long point, const h5o_summaries *sm)
{
    h5oi_quiet();
    SIM_CHECK(h5oi_need_coder(f));
    double *buf = malloc(h5o_summary_buf_len(f) * sizeof(double));
    if (!buf)
        return sim_err_set(SIM_ENOMEM, "out of memory for the summaries");
    int rc = SIM_OK;
    for (int j = 0; rc == SIM_OK && j < h5o_summary_njobs(f); j++) {
        rc = h5o_summary_encode(f, j, sm, f->coder, buf, &f->packed);
        if (rc == SIM_OK)
            rc = h5o_summary_store(f, point, j, &f->packed);
    }
    free(buf);
    return rc;
}

int h5o_finish(h5o_file *f, double wall_s, unsigned long long events)
{
    h5oi_quiet();
    int rc = flush_and_mark_all(f);
    if (rc == SIM_OK)
        rc = attr_long(f, f->file, "replications_completed", f->completed);
    if (rc == SIM_OK)
        rc = attr_double(f, f->file, "wall_time_s", wall_s);
    if (rc == SIM_OK)
        rc = attr_num(f, f->file, "events_processed", H5T_NATIVE_ULLONG, &events);
    if (rc == SIM_OK)
        rc = attr_text(f, f->file, "status", "complete");
    if (rc == SIM_OK && H5Fflush(f->file, H5F_SCOPE_GLOBAL) < 0)
        rc = h5oi_fail(f, "flush the results file");
    if (rc != SIM_OK) {
        h5o_abort(f, 0);
        return rc;
    }
    close_all(f);
    if (rename(f->partial, f->path) != 0)   /* (the complete results stay where they are) */
        rc = sim_err_set(SIM_EIO, "%s is complete but cannot be renamed to %s (%s); rename it by hand",
                         f->partial, f->path, strerror(errno));
    free_handle(f);
    return rc;
}

void h5o_close_input(h5o_file *f)
{
    if (f)
        free_handle(f);
}

void h5o_abort(h5o_file *f, int keep)
{
    h5oi_quiet();
    if (!f)
        return;
    if (f->readonly) {
        free_handle(f);
        return;
    }
    if (keep && f->file >= 0) {
        /* After two flushes, every written replication's data and then its
         * mark are on disk. */
        long marked = f->completed - f->nwritten - f->nflushed;
        if (flush_and_mark_all(f) == SIM_OK)
            marked = f->completed;
        attr_long(f, f->file, "replications_completed", marked);
        attr_text(f, f->file, "status", "partial");
        H5Fflush(f->file, H5F_SCOPE_GLOBAL);
    }
    close_all(f);
    if (!keep)
        unlink(f->partial);
    free_handle(f);
}

/* ---- resume ------------------------------------------------------------- */

static int open_datasets(h5o_file *f)
{
    const rs_schema *s = f->sch;
    if (f->o.store_replications)
        for (int i = 0; i < s->nvars; i++)
            HCHECK(f->var[i] = H5Dopen2(f->file, s->var[i].name, H5P_DEFAULT), "open a dataset");
    HCHECK(f->seed = H5Dopen2(f->file, "replication_seed", H5P_DEFAULT), "open a dataset");
    HCHECK(f->events = H5Dopen2(f->file, "events", H5P_DEFAULT), "open a dataset");
    HCHECK(f->done = H5Dopen2(f->file, "realization_done", H5P_DEFAULT), "open a dataset");
    HCHECK(f->summary = H5Gopen2(f->file, "summary", H5P_DEFAULT), "open the summary group");
    for (int j = 0; j < f->njobs; j++) {
        char name[160];
        snprintf(name, sizeof name, "%s_%s", s->var[f->jobs[j].var].name, sk_suffix[f->jobs[j].kind]);
        HCHECK(f->sv[f->jobs[j].var][f->jobs[j].kind] = H5Dopen2(f->summary, name, H5P_DEFAULT),
               "open a summary dataset");
    }
    return SIM_OK;
}

/* The file's identity attributes (inputs, scenario, parameters) are the
 * run's, in the order the schema declares them, and so are its sizes. */
static int same_run(h5o_file *f)
{
    const rs_schema *s = f->sch;
    for (int i = 0; i < s->nattrs; i++) {
        const rs_attr *a = &s->attr[i];
        if (!a->identity || !a->text)
            continue;
        char *have = h5oi_attr_text(f->file, a->name), why[512];
        const char *diff = NULL;
        if (a->differ)
            diff = a->differ(have, a->text, why, sizeof why);
        else if (!have || strcmp(have, a->text) != 0)
            diff = a->name;
        free(have);
        if (diff)
            return sim_err_set(SIM_EINPUT, a->differ_msg ? a->differ_msg : "%s was written for another run (%s differs)",
                               f->partial, diff);
    }
    long long planned = -1, points = -1, store = -1;
    hid_t a;
    if ((a = H5Aopen(f->file, "replications_planned", H5P_DEFAULT)) >= 0) {
        H5Aread(a, H5T_NATIVE_LLONG, &planned);
        H5Aclose(a);
    }
    if ((a = H5Aopen(f->file, "points", H5P_DEFAULT)) >= 0) {
        H5Aread(a, H5T_NATIVE_LLONG, &points);
        H5Aclose(a);
    }
    if ((a = H5Aopen(f->file, "store_replications", H5P_DEFAULT)) >= 0) {
        H5Aread(a, H5T_NATIVE_LLONG, &store);
        H5Aclose(a);
    }
    if (planned != f->o.nreps || points != f->o.npoints || store != f->o.store_replications)
        return sim_err_set(SIM_EINPUT, "%s was started with %lld replications x %lld points%s (expected the same settings to resume)",
                           f->partial, planned, points, store ? "" : ", summaries only");
    return SIM_OK;
}

static int open_existing(h5o_file **out, const char *exact, int readonly, const rs_schema *sch,
                         const h5o_options *o, h5o_done *done);

int h5o_open_resume(h5o_file **out, const rs_schema *sch, const h5o_options *o, h5o_done *done)
{
    *out = NULL;
    memset(done, 0, sizeof *done);
    const char *partial = h5o_partial_name(o->path);
    int fd;
    SIM_CHECK(of_lock_existing(partial, &fd));
    int rc = open_existing(out, partial, 0, sch, o, done);
    if (rc == SIM_OK && (rc = of_relock(fd, partial)) != SIM_OK) {
        h5o_close_input(*out);   /* (another run has it now: write nothing) */
        *out = NULL;
    }
    if (rc == SIM_OK)
        (*out)->lockfd = fd;
    else
        of_release(fd);
    return rc;
}

int h5o_open_shard(h5o_file **out, const char *path, const rs_schema *sch, const h5o_options *o, h5o_done *done)
{
    *out = NULL;
    memset(done, 0, sizeof *done);
    if (access(path, R_OK) != 0)
        return sim_err_set(SIM_EINPUT, "%s: cannot read the shard (%s)", path, strerror(errno));
    long writer = of_writer(path);
    if (writer > 0)
        return sim_err_set(SIM_EINPUT, "%s is being written by process %ld; merge it once that run is done", path,
                           writer);
    return open_existing(out, path, 1, sch, o, done);
}

/* 1 when datasets a and b (same shape) hold the same values: strings
 * compared as strings, anything else byte for byte. */
static int same_values(hid_t a, hid_t b)
{
    hid_t t = H5Dget_type(a), sp = H5Dget_space(a);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    hid_t spb = H5Dget_space(b);
    int same = n >= 0 && H5Sget_simple_extent_npoints(spb) == n;
    size_t size = H5Tget_size(t);
    int vlen = H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0;
    void *x = same && n > 0 ? calloc((size_t)n, vlen ? sizeof(char *) : size) : NULL;
    void *y = same && n > 0 ? calloc((size_t)n, vlen ? sizeof(char *) : size) : NULL;
    if (same && n > 0) {
        same = x && y && H5Dread(a, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) >= 0 &&
               H5Dread(b, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, y) >= 0;
        if (same && vlen) {
            for (hssize_t i = 0; i < n && same; i++) {
                const char *u = ((char **)x)[i], *v = ((char **)y)[i];
                same = u && v && strcmp(u, v) == 0;
            }
            H5Dvlen_reclaim(t, sp, H5P_DEFAULT, x);
            H5Dvlen_reclaim(t, sp, H5P_DEFAULT, y);
        } else if (same) {
            same = memcmp(x, y, (size_t)n * size) == 0;
        }
    }
    free(x);
    free(y);
    H5Sclose(spb);
    H5Sclose(sp);
    H5Tclose(t);
    return same;
}

/* Compare dataset `want` (made in memory) with the one of that name in
 * grp; rewrite and report one that differs. */
static int verify_one(h5o_file *f, hid_t grp, hid_t want, const char *where)
{
    char name[256];
    if (want < 0 || H5Iget_name(want, name, sizeof name) <= 0)
        return SIM_OK;
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    hid_t have = H5Lexists(grp, base, H5P_DEFAULT) > 0 ? H5Dopen2(grp, base, H5P_DEFAULT) : -1;
    int rc = SIM_OK;
    if (have >= 0 && !same_values(want, have)) {
        fprintf(stderr, "anodesim: %s: the coordinate '%s%s' was damaged; written again\n", f->partial, where, base);
        hid_t t = H5Dget_type(want), sp = H5Dget_space(want);
        hssize_t n = H5Sget_simple_extent_npoints(sp);
        int vlen = H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0;
        void *buf = calloc((size_t)n + 1, vlen ? sizeof(char *) : H5Tget_size(t));
        if (!buf || H5Dread(want, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0 ||
            H5Dwrite(have, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
            rc = h5oi_fail(f, "write a coordinate again");
        if (buf && vlen)
            H5Dvlen_reclaim(t, sp, H5P_DEFAULT, buf);
        free(buf);
        H5Sclose(sp);
        H5Tclose(t);
    }
    if (have >= 0)
        H5Dclose(have);
    return rc;
}

/* Compare the coordinates of group grp (root, with_rep_dims 1, or the
 * summary group, 0) with those the run writes, made in the in-memory file
 * mem; rewrite and report any that differ. */
static int verify_group(h5o_file *f, hid_t mem, hid_t grp, int with_rep_dims, const char *where)
{
    const rs_schema *s = f->sch;
    hid_t mg = H5Gcreate2(mem, with_rep_dims ? "root" : "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (mg < 0)
        return h5oi_fail(f, "make the coordinates to verify");
    coords want;
    int rc = coords_alloc(&want, s);
    if (rc == SIM_OK)
        rc = write_coords(f, mg, &want, with_rep_dims);
    hid_t one[] = { want.real, want.point, want.quant };
    for (size_t i = 0; rc == SIM_OK && i < sizeof one / sizeof one[0]; i++)
        rc = verify_one(f, grp, one[i], where);
    for (int i = 0; rc == SIM_OK && i < s->ndims; i++) {
        rc = verify_one(f, grp, want.dim[i], where);
        if (rc == SIM_OK)
            rc = verify_one(f, grp, want.bnds[i], where);
    }
    for (int i = 0; rc == SIM_OK && i < s->naux; i++)
        rc = verify_one(f, grp, want.aux[i], where);
    for (int i = 0; rc == SIM_OK && i < s->nstatic; i++)
        rc = verify_one(f, grp, want.stat[i], where);
    coords_free(&want, s);
    H5Gclose(mg);
    return rc;
}

/* Coordinates carry no checksum of their own (they are small and written
 * once): on resume each, in the root and in the summary group, is
 * compared with what this run would write, made in a file in memory.  A
 * damaged one (a flipped byte once gave realization[1000] = 946 in a
 * "complete" file) is written again, and said so; the results never
 * depended on it. */
static int verify_coords(h5o_file *f)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fapl, 1 << 16, 0);
    hid_t mem = H5Fcreate("anodesim-coordinates", H5F_ACC_EXCL, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    if (mem < 0)
        return h5oi_fail(f, "make the coordinates to verify");
    int rc = verify_group(f, mem, f->file, 1, "");
    if (rc == SIM_OK)
        rc = verify_group(f, mem, f->summary, 0, "summary/");
    H5Fclose(mem);
    return rc;
}

/* A write that failed (a full disk) can leave the file shorter than the
 * end of file its superblock records, and HDF5 then refuses to open it
 * ("truncated file").  What lies past the real end was never finished
 * (replications are marked done only after their data is flushed, and
 * chunks carry checksums), so the file is extended with zeros to the
 * recorded end.  Superblock versions 0 and 1, 8-byte addresses (what
 * h5o_create writes); anything else is left alone. */
static void extend_to_recorded_eof(const char *path)
{
    int fd = open(path, O_RDWR | O_NOFOLLOW);
    if (fd < 0)
        return;
    unsigned char sb[56];
    struct stat st;
    if (read(fd, sb, sizeof sb) == (ssize_t)sizeof sb && memcmp(sb, "\211HDF\r\n\032\n", 8) == 0 && sb[8] <= 1 &&
        sb[13] == 8 && fstat(fd, &st) == 0) {
        size_t at = sb[8] == 0 ? 40 : 44;   /* base, free space, then end-of-file address */
        uint64_t eof = 0;
        for (int i = 7; i >= 0; i--)
            eof = eof << 8 | sb[at + (size_t)i];
        if (eof > (uint64_t)st.st_size && eof < ((uint64_t)1 << 50) && ftruncate(fd, (off_t)eof) != 0)
            eof = 0;   /* (then HDF5 says what is wrong) */
    }
    close(fd);
}

/* The done marks, stored (realization, point), as [point * R + rep]. */
static int read_done(h5o_file *f, h5o_done *done)
{
    long P = f->o.npoints, R = f->o.nreps;
    done->total = P * R;
    done->mask = calloc((size_t)done->total + 1, 1);
    unsigned char *byrep = malloc((size_t)done->total + 1);
    int rc = done->mask && byrep ? SIM_OK : sim_err_set(SIM_ENOMEM, "out of memory");
    if (rc == SIM_OK && done->total > 0 && H5Dread(f->done, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, byrep) < 0)
        rc = h5oi_fail(f, "read realization_done");
    for (long r = 0; rc == SIM_OK && r < R; r++)
        for (long p = 0; p < P; p++)
            done->mask[p * R + r] = byrep[r * P + p];
    free(byrep);
    return rc;
}

static int open_existing(h5o_file **out, const char *exact, int readonly, const rs_schema *sch,
                         const h5o_options *o, h5o_done *done)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (!readonly)
        extend_to_recorded_eof(exact);
    h5o_file *f = new_handle(sch, o);
    if (!f)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    free(f->partial);
    f->partial = strdup(exact);
    f->readonly = readonly;
    hid_t fapl = file_access();
    f->file = f->partial ? H5Fopen(f->partial, readonly ? H5F_ACC_RDONLY : H5F_ACC_RDWR, fapl) : -1;
    H5Pclose(fapl);
    int rc = f->file < 0 ? sim_err_set(SIM_EINPUT, "%s is unreadable (interrupted while writing?); delete it to start over",
                                       exact)
                         : SIM_OK;
    /* A kill during a flush can leave chunk index entries on disk whose
     * chunks lie past the end of file recorded in the superblock (it is
     * written last).  Those replications are not marked done and will be
     * written again in place: take the end of file as it really is. */
    if (rc == SIM_OK && !readonly && H5Fincrement_filesize(f->file, 0) < 0)
        rc = h5oi_fail(f, "recover the end of the file");
    if (rc == SIM_OK)
        rc = same_run(f);
    if (rc == SIM_OK)
        rc = open_datasets(f);
    if (rc == SIM_OK && !readonly)
        rc = verify_coords(f);
    if (rc == SIM_OK)
        rc = read_done(f, done);
    if (rc != SIM_OK) {
        free(done->mask);
        done->mask = NULL;
        free_handle(f);
        return rc;
    }
    for (long i = 0; i < done->total; i++)
        done->completed += done->mask[i] != 0;
    f->completed = done->completed;
    *out = f;
    return SIM_OK;
}

