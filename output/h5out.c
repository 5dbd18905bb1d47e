#include "h5out.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "outfile.h"
#include "sweep.h"
#include "sim_err.h"

const double h5o_quantiles[5] = { 0.05, 0.25, 0.50, 0.75, 0.95 };

/* Per-replication series are stored as 32-bit floats (7 significant
 * digits): half the bytes to compress and store.  The driver rounds
 * results to float before folding them into summaries, so a resumed run,
 * which folds values read back from the file, gets the same bits. */
#define REP_TYPE H5T_NATIVE_FLOAT

enum { D_POINT, D_REAL, D_TIME, D_REGION, D_YEAR, D_ORIGIN, D_DEST, D_PLANT, D_COMMODITY, D_PRICE, D_QUANT, D_N };

struct h5o_file {
    char *path, *partial;
    int lockfd;                      /* holds the partial's lock (outfile.h); -1: none */
    const scenario *s;
    const model_def *d;
    h5o_options o;
    hid_t file, summary;
    hid_t dim[D_N];                  /* root coordinate datasets */
    hid_t rm[RM_NMETRICS];           /* per-replication monthly metrics */
    hid_t pm[PM_NMETRICS];
    hid_t flow, balance, seed, events, done, price, inert, design;
    hid_t sdim[D_N];                 /* summary group coordinates */
    hid_t sv[RM_NMETRICS + 2][3];    /* summary datasets: mean, std, quantile */
    hid_t sflow;
    int readonly;                    /* an input shard: never written */
    char price_units[64];
    double *scratch;                 /* gather buffer */
    /* Done marks lag one flush behind the data (see h5o_write): the
     * replications flushed last, not yet marked, and those written since. */
    struct rep_id { long point, rep; } *ids, *flushed, *written;   /* ids: both, owned */
    int nflushed, nwritten;
    h5c_coder *coder;                /* for replications not encoded by the caller, and decoding */
    int raw_read;                    /* per-replication chunks decoded here: 1 yes, -1 no, 0 not known yet */
    h5c_chunks raw;                  /* rep_read's chunks when its caller keeps none */
    h5c_chunks packed;
    long completed;
    double last_flush;
};

/* ---- errors ---------------------------------------------------------- */

static herr_t first_error(unsigned n, const H5E_error2_t *e, void *data)
{
    char *out = data;
    if (n == 0 && e->desc && e->desc[0])
        snprintf(out, 256, "%s", e->desc);
    return 0;
}

/* SIM_EIO with the HDF5 library's innermost reason and errno. */
static int h5_fail(const h5o_file *f, const char *what)
{
    char why[256] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, first_error, why);
    int e = errno;
    return sim_err_set(SIM_EIO, "%s: cannot %s (%s%s%s)", f->partial, what, why[0] ? why : "HDF5 error",
                       e ? "; " : "", e ? strerror(e) : "");
}

#define HCHECK(expr, what)        \
    do {                           \
        if ((expr) < 0)            \
            return h5_fail(f, what); \
    } while (0)

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
static char *read_attr_text(hid_t obj, const char *name)
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

/* A 1-D coordinate variable that is also the dimension scale `name`. */
static int coord(h5o_file *f, hid_t grp, const char *name, hid_t type, hsize_t n, const void *data,
                 const char *units, const char *long_name, hid_t *out)
{
    hsize_t dims[1] = { n };
    hid_t sp = H5Screate_simple(1, dims, NULL);
    hid_t ds = H5Dcreate2(grp, name, type, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(sp);
    HCHECK(ds, "create a coordinate");
    *out = ds;
    if (n > 0)
        HCHECK(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write a coordinate");
    HCHECK(H5DSset_scale(ds, name), "make a dimension scale");
    if (units)
        SIM_CHECK(attr_text(f, ds, "units", units));
    return attr_text(f, ds, "long_name", long_name);
}

static int coord_strings(h5o_file *f, hid_t grp, const char *name, hsize_t n, const char *const *v,
                         const char *long_name, hid_t *out)
{
    hid_t t = str_type();
    int rc = coord(f, grp, name, t, n, v, NULL, long_name, out);
    H5Tclose(t);
    return rc;
}

/* A chunked, compressed variable over the given dimension scales. */
static int variable(h5o_file *f, hid_t grp, const char *name, hid_t type, int nd, const hid_t *scales,
                    const hsize_t *dims, const hsize_t *chunk, const char *units, const char *long_name,
                    hid_t *out)
{
    hid_t sp = H5Screate_simple(nd, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    int empty = 0;
    for (int i = 0; i < nd; i++)
        empty |= dims[i] == 0;
    if (!empty) {
        H5Pset_chunk(dcpl, nd, chunk);
        /* Small per-replication bookkeeping (seeds, counts, the done mask)
         * is written one value at a time: compressing its chunk at every
         * write would cost more than the bytes saved. */
        if (!(nd == 2 && dims[1] > 1 && chunk[1] > 1)) {
            H5Pset_shuffle(dcpl);
            H5Pset_deflate(dcpl, H5O_DEFLATE_LEVEL);
        }
        H5Pset_fletcher32(dcpl);
    }
    double nan = NAN;
    int floating = H5Tequal(type, H5T_NATIVE_DOUBLE) > 0 || H5Tequal(type, H5T_NATIVE_FLOAT) > 0;
    if (floating)
        H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan);
    H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED);
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    if (nd >= 3)   /* chunks written once, whole: caching them only grows memory */
        H5Pset_chunk_cache(dapl, 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT);
    hid_t ds = H5Dcreate2(grp, name, type, sp, H5P_DEFAULT, dcpl, dapl);
    H5Pclose(dapl);
    H5Pclose(dcpl);
    H5Sclose(sp);
    HCHECK(ds, "create a dataset");
    *out = ds;
    for (int i = 0; i < nd; i++)
        HCHECK(H5DSattach_scale(ds, scales[i], (unsigned)i), "attach a dimension scale");
    if (floating) {   /* netCDF wants _FillValue of the variable's own type */
        float nanf = NAN;
        SIM_CHECK(H5Tequal(type, H5T_NATIVE_FLOAT) > 0 ? attr_num(f, ds, "_FillValue", H5T_NATIVE_FLOAT, &nanf)
                                                       : attr_double(f, ds, "_FillValue", NAN));
    }
    SIM_CHECK(attr_text(f, ds, "units", units));
    return attr_text(f, ds, "long_name", long_name);
}

/* ---- the layout ------------------------------------------------------ */

static const char *const commodity_names[BAL_N] = { "anode", "calcined_coke", "pitch", "butts", "green_anode" };

/* Month start offsets in days from the horizon start. */
static int *month_offsets(const scenario *s)
{
    int *t = malloc(((size_t)s->nmonths + 1) * sizeof *t);
    if (!t)
        return NULL;
    for (int k = 0; k < s->nmonths; k++) {
        int mm = s->start_month - 1 + k;
        t[k] = csv_days_from_civil(s->start_year + mm / 12, mm % 12 + 1, 1) - s->start_date;
    }
    return t;
}

static int write_coords(h5o_file *f, hid_t grp, hid_t *dim, int with_rep_dims)
{
    const scenario *s = f->s;
    long long *pts = malloc(((size_t)f->o.npoints + 1) * sizeof *pts);
    long long *reps = malloc(((size_t)f->o.nreps + 1) * sizeof *reps);
    int *years = malloc(((size_t)s->nyears + 1) * sizeof *years);
    int *months = month_offsets(s);
    if (!pts || !reps || !years || !months) {
        free(pts);
        free(reps);
        free(years);
        free(months);
        return sim_err_set(SIM_ENOMEM, "out of memory for coordinates");
    }
    for (long i = 0; i < f->o.npoints; i++)
        pts[i] = i;
    for (long i = 0; i < f->o.nreps; i++)
        reps[i] = i;
    for (int y = 0; y < s->nyears; y++)
        years[y] = s->start_year + y;
    char tunits[64];
    snprintf(tunits, sizeof tunits, "days since %04d-%02d-01", s->start_year, s->start_month);
    const char **plant_ids = malloc(((size_t)s->nplants + 1) * sizeof *plant_ids);
    for (int p = 0; plant_ids && p < s->nplants; p++)
        plant_ids[p] = s->nodes[s->plants[p].node].id;
    int rc = plant_ids ? SIM_OK : SIM_ENOMEM;
    if (rc == SIM_OK)
        rc = coord(f, grp, "point", H5T_NATIVE_LLONG, (hsize_t)f->o.npoints, pts, NULL, "scenario point", &dim[D_POINT]);
    if (rc == SIM_OK && with_rep_dims)
        rc = coord(f, grp, "realization", H5T_NATIVE_LLONG, (hsize_t)f->o.nreps, reps, NULL,
                   "replication number", &dim[D_REAL]);
    if (rc == SIM_OK)
        rc = coord(f, grp, "time", H5T_NATIVE_INT, (hsize_t)s->nmonths, months, tunits, "start of the month",
                   &dim[D_TIME]);
    if (rc == SIM_OK)
        rc = attr_text(f, dim[D_TIME], "calendar", "proleptic_gregorian");
    if (rc == SIM_OK)
        rc = coord_strings(f, grp, "region", (hsize_t)s->nregions, (const char *const *)s->regions,
                           "province or world region", &dim[D_REGION]);
    if (rc == SIM_OK)
        rc = coord(f, grp, "year", H5T_NATIVE_INT, (hsize_t)s->nyears, years, NULL, "calendar year", &dim[D_YEAR]);
    if (rc == SIM_OK)
        rc = coord_strings(f, grp, "origin", (hsize_t)s->nregions, (const char *const *)s->regions,
                           "region the anodes leave", &dim[D_ORIGIN]);
    if (rc == SIM_OK)
        rc = coord_strings(f, grp, "destination", (hsize_t)s->nregions, (const char *const *)s->regions,
                           "region the anodes go to", &dim[D_DEST]);
    if (rc == SIM_OK && with_rep_dims)
        rc = coord_strings(f, grp, "plant", (hsize_t)s->nplants, plant_ids, "anode plant id", &dim[D_PLANT]);
    if (rc == SIM_OK && with_rep_dims)
        rc = coord_strings(f, grp, "commodity", BAL_N, commodity_names, "commodity of the mass balance",
                           &dim[D_COMMODITY]);
    if (rc == SIM_OK)
        rc = coord_strings(f, grp, "price_item", PRICE_N, model_price_names, "priced item", &dim[D_PRICE]);
    if (rc == SIM_OK && !with_rep_dims)
        rc = coord(f, grp, "quantile", H5T_NATIVE_DOUBLE, 5, h5o_quantiles, "1", "probability of the quantile",
                   &dim[D_QUANT]);
    free(pts);
    free(reps);
    free(years);
    free(months);
    free(plant_ids);
    return rc;
}

static int create_layout(h5o_file *f)
{
    const scenario *s = f->s;
    hsize_t P = (hsize_t)f->o.npoints, R = (hsize_t)f->o.nreps, T = (hsize_t)s->nmonths,
            G = (hsize_t)s->nregions, Y = (hsize_t)s->nyears, NP = (hsize_t)s->nplants;
    SIM_CHECK(write_coords(f, f->file, f->dim, 1));
    hid_t *d = f->dim;
    if (f->o.store_replications) {
        for (int m = 0; m < RM_NMETRICS; m++) {
            hid_t sc[4] = { d[D_POINT], d[D_REAL], d[D_TIME], d[D_REGION] };
            hsize_t dims[4] = { P, R, T, G }, ch[4] = { 1, 1, T, G };
            const char *units = m == RM_COST ? scn_currency_names[s->currency] : model_region_metrics[m].units;
            SIM_CHECK(variable(f, f->file, model_region_metrics[m].name, REP_TYPE, 4, sc, dims, ch,
                               units, model_region_metrics[m].long_name, &f->rm[m]));
        }
        hid_t sc[5] = { d[D_POINT], d[D_REAL], d[D_YEAR], d[D_ORIGIN], d[D_DEST] };
        hsize_t dims[5] = { P, R, Y, G, G }, ch[5] = { 1, 1, Y, G, G };
        SIM_CHECK(variable(f, f->file, "flow", REP_TYPE, 5, sc, dims, ch, "t",
                           "anodes dispatched from origin to destination region", &f->flow));
        for (int m = 0; m < PM_NMETRICS; m++) {
            hid_t sp[4] = { d[D_POINT], d[D_REAL], d[D_YEAR], d[D_PLANT] };
            hsize_t pd[4] = { P, R, Y, NP }, pc[4] = { 1, 1, Y, NP };
            char pname[64];
            snprintf(pname, sizeof pname, "plant_%s", model_plant_metrics[m].name);
            SIM_CHECK(variable(f, f->file, pname, REP_TYPE, 4, sp, pd, pc,
                               model_plant_metrics[m].units, model_plant_metrics[m].long_name, &f->pm[m]));
        }
        hid_t spr[4] = { d[D_POINT], d[D_REAL], d[D_TIME], d[D_PRICE] };
        hsize_t dpr[4] = { P, R, T, PRICE_N }, cpr[4] = { 1, 1, T, PRICE_N };
        SIM_CHECK(variable(f, f->file, "price", REP_TYPE, 4, spr, dpr, cpr, f->price_units,
                           "price at the start of the month (coke and pitch: capacity-weighted supplier prices; energy per GJ; anode: ex-works)",
                           &f->price));
        hid_t sin[4] = { d[D_POINT], d[D_REAL], d[D_TIME], d[D_REGION] };
        hsize_t din[4] = { P, R, T, G }, cin[4] = { 1, 1, T, G };
        SIM_CHECK(variable(f, f->file, "inert_share", REP_TYPE, 4, sin, din, cin, "1",
                           "share of smelter capacity converted to inert anodes", &f->inert));
        hid_t sb[3] = { d[D_POINT], d[D_REAL], d[D_COMMODITY] };
        hsize_t bd[3] = { P, R, BAL_N }, bc[3] = { 1, 1, BAL_N };
        SIM_CHECK(variable(f, f->file, "balance_residual", H5T_NATIVE_DOUBLE, 3, sb, bd, bc, "t",
                           "mass balance residual: inflow - outflow - change in stocks and transit", &f->balance));
    }
    hid_t s2[2] = { d[D_POINT], d[D_REAL] };
    hsize_t d2[2] = { P, R }, c2[2] = { 1, R < 4096 ? (R ? R : 1) : 4096 };
    SIM_CHECK(variable(f, f->file, "replication_seed", H5T_NATIVE_ULLONG, 2, s2, d2, c2, "1",
                       "key of the replication's first random stream, from (seed, point, replication)", &f->seed));
    SIM_CHECK(variable(f, f->file, "events", H5T_NATIVE_ULLONG, 2, s2, d2, c2, "1",
                       "events the engine processed in the replication", &f->events));
    SIM_CHECK(variable(f, f->file, "realization_done", H5T_NATIVE_UCHAR, 2, s2, d2, c2, "1",
                       "1 when the replication is complete in this file", &f->done));
    const sweep *sw = f->o.sweep;
    if (sw && sw->nparams > 0) {
        /* The experiments table: one row per point, one column per swept
         * parameter, ready for sensitivity tools (Sobol, Morris, PRIM). */
        hid_t pdim;
        SIM_CHECK(coord_strings(f, f->file, "parameter", (hsize_t)sw->nparams, (const char *const *)sw->keys,
                                "swept scenario parameter (SECTION.NAME)", &pdim));
        hid_t sd[2] = { d[D_POINT], pdim };
        hsize_t dd[2] = { P, (hsize_t)sw->nparams }, cd[2] = { P, (hsize_t)sw->nparams };
        int rc = variable(f, f->file, "design", H5T_NATIVE_DOUBLE, 2, sd, dd, cd, "units of each parameter",
                          "value of each swept parameter at each scenario point", &f->design);
        if (rc == SIM_OK && H5Dwrite(f->design, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, sw->values) < 0)
            rc = h5_fail(f, "write the design");
        H5Dclose(pdim);
        SIM_CHECK(rc);
    }
    return SIM_OK;
}

static int global_attrs(h5o_file *f)
{
    const scenario *s = f->s;
    hid_t g = f->file;
    SIM_CHECK(attr_text(f, g, "Conventions", "CF-1.8"));
    char title[512];
    snprintf(title, sizeof title, "anodesim results for scenario %s", s->name);
    SIM_CHECK(attr_text(f, g, "title", title));
    SIM_CHECK(attr_text(f, g, "source", "anodesim " ANODESIM_VERSION));
    SIM_CHECK(attr_text(f, g, "anodesim_version", ANODESIM_VERSION));
    SIM_CHECK(attr_text(f, g, "source_revision", ANODESIM_GIT_REV));
    SIM_CHECK(attr_text(f, g, "scenario_name", s->name));
    SIM_CHECK(attr_text(f, g, "scenario_path", s->path));
    SIM_CHECK(attr_text(f, g, "scenario", s->text));
    SIM_CHECK(attr_text(f, g, "input_fingerprints", s->inputs ? s->inputs : ""));
    char *json = scn_params_json(s);
    if (!json)
        return sim_err_set(SIM_ENOMEM, "out of memory");
    int rc = attr_text(f, g, "parameters", json);
    free(json);
    SIM_CHECK(rc);
    SIM_CHECK(attr_num(f, g, "seed", H5T_NATIVE_ULLONG, &s->seed));
    SIM_CHECK(attr_text(f, g, "currency", scn_currency_names[s->currency]));
    SIM_CHECK(attr_long(f, g, "threads", f->o.threads));
    SIM_CHECK(attr_long(f, g, "ranks", f->o.ranks));
    SIM_CHECK(attr_long(f, g, "points", f->o.npoints));
    SIM_CHECK(attr_long(f, g, "replications_planned", f->o.nreps));
    SIM_CHECK(attr_long(f, g, "store_replications", f->o.store_replications));
    SIM_CHECK(attr_long(f, g, "replications_completed", 0));
    const sweep *sw = f->o.sweep;
    if (f->o.shard_n > 0) {
        char shard[64];
        snprintf(shard, sizeof shard, "%d/%d", f->o.shard_k, f->o.shard_n);
        SIM_CHECK(attr_text(f, g, "shard", shard));
    }
    SIM_CHECK(attr_text(f, g, "input_kind", sw && sw->path ? "sweep" : "scenario"));
    SIM_CHECK(attr_text(f, g, "input_path", f->o.input_abspath ? f->o.input_abspath : ""));
    SIM_CHECK(attr_text(f, g, "overrides", f->o.overrides ? f->o.overrides : ""));
    SIM_CHECK(attr_long(f, g, "independent_streams", f->o.independent_streams));
    SIM_CHECK(attr_text(f, g, "design", sw ? sweep_design_names[sw->design] : "single"));
    SIM_CHECK(attr_long(f, g, "common_random_numbers", sw ? sw->crn : 1));
    if (sw && sw->path)
        SIM_CHECK(attr_text(f, g, "sweep_path", sw->path));
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

static h5o_file *new_handle(const scenario *s, const model_def *d, const h5o_options *o)
{
    h5o_file *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->s = s;
    f->d = d;
    f->o = *o;
    f->lockfd = -1;
    f->ids = malloc(2 * H5O_FLUSH_BATCH * sizeof *f->ids);
    if (!f->ids) {
        free(f);
        return NULL;
    }
    f->flushed = f->ids;
    f->written = f->ids + H5O_FLUSH_BATCH;
    f->last_flush = wall_now();
    f->file = f->summary = -1;
    for (int i = 0; i < D_N; i++)
        f->dim[i] = -1;
    for (int i = 0; i < RM_NMETRICS; i++)
        f->rm[i] = -1;
    for (int i = 0; i < PM_NMETRICS; i++)
        f->pm[i] = -1;
    f->flow = f->balance = f->seed = f->events = f->done = f->price = f->inert = f->design = f->sflow = -1;
    for (int i = 0; i < D_N; i++)
        f->sdim[i] = -1;
    for (int v = 0; v < RM_NMETRICS + 2; v++)
        for (int k = 0; k < 3; k++)
            f->sv[v][k] = -1;
    snprintf(f->price_units, sizeof f->price_units, "%s/t (energy: %s/GJ)", scn_currency_names[s->currency],
             scn_currency_names[s->currency]);
    f->path = strdup(o->path);
    f->partial = strdup(h5o_partial_name(o->path));
    size_t need = (size_t)s->nmonths * (size_t)s->nregions;
    size_t need2 = (size_t)s->nyears * (size_t)s->nplants;
    f->scratch = malloc((need > need2 ? need : need2) * sizeof(double) + sizeof(double));
    if (!f->path || !f->partial || !f->scratch) {
        free(f->path);
        free(f->partial);
        free(f->scratch);
        free(f);
        return NULL;
    }
    return f;
}

static void close_all(h5o_file *f)
{
    hid_t *ids[] = { &f->flow, &f->balance, &f->seed, &f->events, &f->done, &f->price, &f->inert, &f->design,
                     &f->sflow };
    for (int v = 0; v < RM_NMETRICS + 2; v++)
        for (int k = 0; k < 3; k++)
            if (f->sv[v][k] >= 0) {
                H5Dclose(f->sv[v][k]);
                f->sv[v][k] = -1;
            }
    for (int i = 0; i < D_N; i++)
        if (f->sdim[i] >= 0) {
            H5Dclose(f->sdim[i]);
            f->sdim[i] = -1;
        }
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (*ids[i] >= 0)
            H5Dclose(*ids[i]);
    for (int i = 0; i < RM_NMETRICS; i++)
        if (f->rm[i] >= 0)
            H5Dclose(f->rm[i]);
    for (int i = 0; i < PM_NMETRICS; i++)
        if (f->pm[i] >= 0)
            H5Dclose(f->pm[i]);
    for (int i = 0; i < D_N; i++)
        if (f->dim[i] >= 0)
            H5Dclose(f->dim[i]);
    if (f->summary >= 0)
        H5Gclose(f->summary);
    if (f->file >= 0)
        H5Fclose(f->file);
    f->file = f->summary = -1;
}

static void free_handle(h5o_file *f)
{
    close_all(f);
    of_release(f->lockfd);
    free(f->path);
    free(f->partial);
    free(f->scratch);
    free(f->ids);
    h5c_coder_free(f->coder);
    h5c_chunks_free(&f->raw);
    h5c_chunks_free(&f->packed);
    free(f);
}

/* HDF5 prints its error stack unless told not to, and the setting is per
 * thread in a thread-safe build: the consumer's calls move from thread to
 * thread, so each entry point that can run on any thread says it again
 * (once per thread).  Errors reach the user through sim_err instead. */
static void hdf5_quiet(void)
{
    static _Thread_local int done;
    if (!done) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        done = 1;
    }
}

int h5o_create(h5o_file **out, const scenario *s, const model_def *d, const h5o_options *o)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    SIM_CHECK(of_check_target(o->path, o->force));
    h5o_file *f = new_handle(s, d, o);
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
     * fixed array instead of a B-tree, so memory stays flat with the
     * number of replications (+4 % from 100 to 2,000 against +15 %) and
     * writing is faster.  Set after creation so that the superblock keeps
     * the old version, which has no "open for writing" flag: a file left
     * by kill -9 stays readable and resumable.  Readers need HDF5 >= 1.10. */
    if (f->file >= 0)
        H5Fset_libver_bounds(f->file, H5F_LIBVER_V110, H5F_LIBVER_V110);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    if (f->file >= 0 && (rc = of_relock(f->lockfd, f->partial)) != SIM_OK) {
        free_handle(f);
        return rc;
    }
    if (f->file < 0) {
        rc = h5_fail(f, "create the results file");
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
        rc = h5_fail(f, "flush the results file");
    if (rc != SIM_OK) {
        h5o_abort(f, 0);
        return rc;
    }
    *out = f;
    return SIM_OK;
}

/* ---- replications ------------------------------------------------------ */

/* Write (or read, when `read` is set) buf into the slab [point, rep, ...]
 * of a dataset: everything under those two leading indices. */
static int slab_io(h5o_file *f, hid_t ds, long point, long rep, hid_t type, void *buf, int read)
{
    hid_t fs = H5Dget_space(ds);
    hsize_t dims[H5S_MAX_RANK], start[H5S_MAX_RANK] = { (hsize_t)point, (hsize_t)rep }, n = 1;
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

/* The per-replication chunks, in the order h5o_pack encodes them and
 * rep_write stores them: dataset, values (n of them, `stride` apart in
 * the result), element size in the file. */
typedef struct rep_chunk {
    hid_t ds;
    double *src;
    size_t n, stride;
    int elem;
} rep_chunk;

/* The table serves writing (r only read) and reading back (rep_read
 * passes a result to fill), hence the writable pointers. */
static int rep_chunks(const h5o_file *f, const model_result *r, rep_chunk *c)
{
    const scenario *s = f->s;
    size_t T = (size_t)s->nmonths, G = (size_t)s->nregions, Y = (size_t)s->nyears, NP = (size_t)s->nplants;
    int k = 0;
    for (int m = 0; m < RM_NMETRICS; m++)
        c[k++] = (rep_chunk){ f->rm[m], r->region_month + m, T * G, RM_NMETRICS, 4 };
    c[k++] = (rep_chunk){ f->flow, r->od_year, Y * G * G, 1, 4 };
    for (int m = 0; m < PM_NMETRICS; m++)
        c[k++] = (rep_chunk){ f->pm[m], r->plant_year + m, Y * NP, PM_NMETRICS, 4 };
    c[k++] = (rep_chunk){ f->price, r->price_month, T * PRICE_N, 1, 4 };
    c[k++] = (rep_chunk){ f->inert, r->inert_month, T * G, 1, 4 };
    c[k++] = (rep_chunk){ f->balance, (double *)r->balance, BAL_N, 1, 8 };
    return k;
}

enum { REP_CHUNKS = RM_NMETRICS + PM_NMETRICS + 4 };

/* Read a replication back (resume, merge): the same datasets, converted
 * to double by HDF5; interleaved metrics go through scratch. */
/* Whether every per-replication dataset stores its chunks the way
 * h5c_decode reads them (shuffle, deflate, Fletcher-32; float or double
 * as rep_chunks says): all files this program writes do. */
static int chunks_decodable(const rep_chunk *c, int n)
{
    for (int i = 0; i < n; i++) {
        hid_t dcpl = H5Dget_create_plist(c[i].ds), type = H5Dget_type(c[i].ds);
        unsigned flags, cd[8];
        size_t ncd = 8;
        int ok = dcpl >= 0 && type >= 0 && H5Pget_nfilters(dcpl) == 3 && H5Tget_size(type) == (size_t)c[i].elem &&
                 H5Tget_class(type) == H5T_FLOAT;
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

/* Read replication (point, rep) into r.  Chunks are read as stored and
 * decoded here (HDF5's selection and conversion took most of a merge's
 * time); `raw`, when not NULL, receives them as stored, for h5o_write to
 * copy.  Files stored otherwise are read through HDF5. */
static int rep_read(h5o_file *f, long point, long rep, model_result *r, h5c_chunks *raw)
{
    rep_chunk c[REP_CHUNKS];
    int n = rep_chunks(f, r, c);
    if (f->raw_read == 0)
        f->raw_read = chunks_decodable(c, n) ? 1 : -1;
    if (f->raw_read > 0) {
        if (!f->coder && !(f->coder = h5c_coder_new(H5O_DEFLATE_LEVEL)))
            return sim_err_set(SIM_ENOMEM, "out of memory for the decoder");
        h5c_chunks *ck = raw ? raw : &f->raw;
        h5c_chunks_clear(ck);
        hsize_t off[5] = { (hsize_t)point, (hsize_t)rep, 0, 0, 0 };
        for (int i = 0; i < n; i++) {
            hsize_t size = 0;
            uint32_t mask = 0;
            HCHECK(H5Dget_chunk_storage_size(c[i].ds, off, &size), "read a replication");
            if (size == 0)
                return sim_err_set(SIM_EINPUT, "%s: replication %ld of point %ld has no stored chunk", f->partial, rep, point);
            unsigned char *at;
            SIM_CHECK(h5c_append(ck, (size_t)size, &at));
            HCHECK(H5Dread_chunk(c[i].ds, H5P_DEFAULT, off, &mask, at), "read a replication");
            if (mask != 0)
                return sim_err_set(SIM_EINPUT, "%s: a chunk of replication %ld was stored unfiltered", f->partial, rep);
            int rc = h5c_decode(f->coder, at, (size_t)size, c[i].src, c[i].n, c[i].stride, c[i].elem);
            if (rc != SIM_OK)
                return sim_err_prefix(rc, "%s: replication %ld of point %ld", f->partial, rep, point);
        }
        return SIM_OK;
    }
    if (raw)
        h5c_chunks_clear(raw);   /* none: h5o_write encodes */
    for (int i = 0; i < n; i++) {
        double *dst = c[i].stride == 1 ? c[i].src : f->scratch;
        SIM_CHECK(slab_io(f, c[i].ds, point, rep, H5T_NATIVE_DOUBLE, dst, 1));
        for (size_t j = 0; c[i].stride != 1 && j < c[i].n; j++)
            c[i].src[j * c[i].stride] = dst[j];
    }
    return SIM_OK;
}

int h5o_pack(const h5o_file *f, h5c_coder *coder, const model_result *r, h5c_chunks *out)
{
    h5c_chunks_clear(out);
    if (!f->o.store_replications)
        return SIM_OK;
    rep_chunk c[REP_CHUNKS];
    int n = rep_chunks(f, r, c);
    for (int i = 0; i < n; i++)
        SIM_CHECK(h5c_encode(coder, c[i].src, c[i].n, c[i].stride, c[i].elem, out));
    return SIM_OK;
}

/* Store encoded chunks as they are (every filter applied: mask 0). */
static int rep_write(h5o_file *f, const model_result *r, const h5c_chunks *ck)
{
    rep_chunk c[REP_CHUNKS];
    int n = rep_chunks(f, r, c);
    if (ck->n != n)
        return sim_err_set(SIM_EINVAL, "h5o_write: %d encoded chunks for %d datasets", ck->n, n);
    hsize_t off[5] = { r->point, (hsize_t)r->rep, 0, 0, 0 };
    for (int i = 0; i < n; i++)
        HCHECK(H5Dwrite_chunk(c[i].ds, H5P_DEFAULT, 0, off, ck->off[i + 1] - ck->off[i], ck->data + ck->off[i]),
               "write a replication");
    return SIM_OK;
}

/* Set the done marks of the replications flushed last. */
static int mark_flushed(h5o_file *f)
{
    unsigned char one = 1;
    for (int i = 0; i < f->nflushed; i++)
        SIM_CHECK(slab_io(f, f->done, f->flushed[i].point, f->flushed[i].rep, H5T_NATIVE_UCHAR, &one, 0));
    f->nflushed = 0;
    return SIM_OK;
}

/* Mark what the last flush made durable, then flush: the replications
 * written since become the ones to mark next time. */
static int flush_batch(h5o_file *f)
{
    SIM_CHECK(mark_flushed(f));
    SIM_CHECK(attr_long(f, f->file, "replications_completed", f->completed - f->nwritten));
    HCHECK(H5Fflush(f->file, H5F_SCOPE_GLOBAL), "flush the results file");
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

static int write_rep(h5o_file *f, const model_result *r, const h5c_chunks *packed, int again);

int h5o_write(h5o_file *f, const model_result *r, const h5c_chunks *packed)
{
    return write_rep(f, r, packed, 0);
}

int h5o_rewrite(h5o_file *f, const model_result *r)
{
    return write_rep(f, r, NULL, 1);
}

/* again: the replication is counted as done already (damaged, run anew). */
static int write_rep(h5o_file *f, const model_result *r, const h5c_chunks *packed, int again)
{
    hdf5_quiet();
    long point = (long)r->point, rep = r->rep;
    if (f->o.store_replications) {
        /* No chunks given (merging a file HDF5 had to decode): encode
         * here, with the writer's own coder. */
        if (!packed || packed->n == 0) {
            if (!f->coder && !(f->coder = h5c_coder_new(H5O_DEFLATE_LEVEL)))
                return sim_err_set(SIM_ENOMEM, "out of memory for the compressor");
            SIM_CHECK(h5o_pack(f, f->coder, r, &f->packed));
            packed = &f->packed;
        }
        SIM_CHECK(rep_write(f, r, packed));
    }
    unsigned long long seed = r->seed_key, ev = r->events;
    SIM_CHECK(slab_io(f, f->seed, point, rep, H5T_NATIVE_ULLONG, &seed, 0));
    SIM_CHECK(slab_io(f, f->events, point, rep, H5T_NATIVE_ULLONG, &ev, 0));
    f->written[f->nwritten++] = (struct rep_id){ point, rep };
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

int h5o_read(h5o_file *f, long point, long rep, model_result *r, h5c_chunks *raw)
{
    hdf5_quiet();
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

/* Summary variables: for each monthly metric, prices and inert shares
 * (index SV_PRICE, SV_INERT) a mean, std and quantile dataset. */
enum { SV_PRICE = RM_NMETRICS, SV_INERT, SV_N };

static int summary_names(int v, const char **name, const char **long_name)
{
    if (v < RM_NMETRICS) {
        *name = model_region_metrics[v].name;
        *long_name = model_region_metrics[v].long_name;
    } else if (v == SV_PRICE) {
        *name = "price";
        *long_name = "price (coke and pitch: capacity-weighted supplier prices; energy per GJ; anode: ex-works)";
    } else {
        *name = "inert_share";
        *long_name = "share of smelter capacity converted to inert anodes";
    }
    return SIM_OK;
}

/* Create every summary dataset (filled with NaN until a point is done). */
static int create_summary(h5o_file *f)
{
    const scenario *s = f->s;
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    f->summary = H5Gcreate2(f->file, "summary", H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    HCHECK(f->summary, "create the summary group");
    SIM_CHECK(write_coords(f, f->summary, f->sdim, 0));
    const hid_t *dim = f->sdim;
    hsize_t P = (hsize_t)f->o.npoints, T = (hsize_t)s->nmonths, G = (hsize_t)s->nregions, Y = (hsize_t)s->nyears;
    const char *kinds[3] = { "mean", "std", "quantile" };
    for (int v = 0; v < SV_N; v++) {
        const char *base, *lname;
        summary_names(v, &base, &lname);
        int money = v == RM_COST || v == RM_REVENUE;
        const char *units = v == SV_PRICE ? f->price_units : v == SV_INERT ? "1"
                          : money ? scn_currency_names[s->currency] : model_region_metrics[v].units;
        hid_t kscale = v == SV_PRICE ? dim[D_PRICE] : dim[D_REGION];
        hsize_t K = v == SV_PRICE ? PRICE_N : G;
        for (int kind = 0; kind < 3; kind++) {
            char name[96], ln[300];
            snprintf(name, sizeof name, "%s_%s", base, kinds[kind]);
            snprintf(ln, sizeof ln, "%s of %s across replications",
                     kind == 0 ? "mean" : kind == 1 ? "standard deviation" : "quantiles", lname);
            if (kind < 2) {
                hid_t sc[3] = { dim[D_POINT], dim[D_TIME], kscale };
                hsize_t dd[3] = { P, T, K }, ch[3] = { 1, T, K ? K : 1 };
                SIM_CHECK(variable(f, f->summary, name, H5T_NATIVE_DOUBLE, 3, sc, dd, ch, units, ln, &f->sv[v][kind]));
            } else {
                hid_t sc[4] = { dim[D_POINT], dim[D_QUANT], dim[D_TIME], kscale };
                hsize_t dd[4] = { P, 5, T, K }, ch[4] = { 1, 5, T, K ? K : 1 };
                SIM_CHECK(variable(f, f->summary, name, H5T_NATIVE_DOUBLE, 4, sc, dd, ch, units, ln, &f->sv[v][kind]));
            }
        }
    }
    hid_t sc[4] = { dim[D_POINT], dim[D_YEAR], dim[D_ORIGIN], dim[D_DEST] };
    hsize_t dd[4] = { P, Y, G, G }, ch[4] = { 1, Y, G ? G : 1, G ? G : 1 };
    return variable(f, f->summary, "flow_mean", H5T_NATIVE_DOUBLE, 4, sc, dd, ch, "t",
                    "mean across replications of anodes dispatched from origin to destination", &f->sflow);
}

/* ---- summaries: one chunk per dataset and point ----------------------------
 *
 * Each summary dataset's [point] slab is exactly one chunk (create_summary),
 * so it is encoded by h5c_encode and stored as it is.  Through H5Dwrite,
 * HDF5 walked the selection element by element and deflated with zlib,
 * which made the summaries the serial consumer's largest cost in sweeps
 * with few replications per point.  Jobs are numbered in the order the
 * datasets were created: SV_N x (mean, std, quantile), then flow_mean. */

int h5o_summary_njobs(const h5o_file *f)
{
    (void)f;
    return 3 * SV_N + 1;
}

size_t h5o_summary_buf_len(const h5o_file *f)
{
    const scenario *s = f->s;
    size_t T = (size_t)s->nmonths, G = (size_t)s->nregions, Y = (size_t)s->nyears;
    size_t big = 5 * T * (G > PRICE_N ? G : PRICE_N);
    return (Y * G * G > big ? Y * G * G : big) + 1;
}

/* Job's values into buf; returns how many. */
static size_t summary_values(const h5o_file *f, int job, const h5o_summaries *sm, double *buf)
{
    const scenario *s = f->s;
    size_t T = (size_t)s->nmonths, G = (size_t)s->nregions, Y = (size_t)s->nyears;
    if (job == 3 * SV_N) {
        for (size_t i = 0; i < Y * G * G; i++)
            buf[i] = sum_acc_mean(sm->flows, i);
        return Y * G * G;
    }
    int v = job / 3, kind = job % 3;
    const sum_acc *acc = v == SV_PRICE ? sm->prices : v == SV_INERT ? sm->inert : sm->monthly;
    size_t K = v == SV_PRICE ? PRICE_N : G;
    int nm = v < RM_NMETRICS ? RM_NMETRICS : 1, m = v < RM_NMETRICS ? v : 0;
    size_t TK = T * K;
    if (kind < 2) {
        for (size_t i = 0; i < TK; i++) {
            size_t idx = i * (size_t)nm + (size_t)m;
            buf[i] = kind == 0 ? sum_acc_mean(acc, idx) : sum_acc_sd(acc, idx);
        }
        return TK;
    }
    if (acc->nq != 5) {   /* (every summary tracks the five quantiles of h5o_quantiles) */
        for (size_t i = 0; i < 5 * TK; i++)
            buf[i] = NAN;
        return 5 * TK;
    }
    sum_acc_quantile_rows(acc, (size_t)m, (size_t)nm, TK, buf);
    return 5 * TK;
}

int h5o_summary_encode(const h5o_file *f, int job, const h5o_summaries *sm, h5c_coder *coder, double *buf,
                       h5c_chunks *out)
{
    h5c_chunks_clear(out);
    size_t n = summary_values(f, job, sm, buf);
    if (n == 0)
        return SIM_OK;   /* no regions: the dataset is empty, unchunked */
    return h5c_encode(coder, buf, n, 1, (int)sizeof(double), out);
}

int h5o_summary_store(h5o_file *f, long point, int job, const h5c_chunks *ck)
{
    hdf5_quiet();
    if (ck->n == 0)
        return SIM_OK;
    hid_t ds = job == 3 * SV_N ? f->sflow : f->sv[job / 3][job % 3];
    hsize_t off[5] = { (hsize_t)point, 0, 0, 0, 0 };
    HCHECK(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, off, ck->off[1], ck->data), "write a summary");
    return SIM_OK;
}

int h5o_write_summary(h5o_file *f, long point, const h5o_summaries *sm)
{
    hdf5_quiet();
    if (!f->coder && !(f->coder = h5c_coder_new(H5O_DEFLATE_LEVEL)))
        return sim_err_set(SIM_ENOMEM, "out of memory for a compressor");
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
    hdf5_quiet();
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
        rc = h5_fail(f, "flush the results file");
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
    hdf5_quiet();
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
    const char *dnames[D_N] = { "point", "realization", "time", "region", "year", "origin", "destination",
                                "plant", "commodity", "price_item", NULL };
    for (int i = 0; i < D_N; i++)
        if (dnames[i] && H5Lexists(f->file, dnames[i], H5P_DEFAULT) > 0)
            f->dim[i] = H5Dopen2(f->file, dnames[i], H5P_DEFAULT);
    if (f->o.store_replications) {
        for (int m = 0; m < RM_NMETRICS; m++)
            HCHECK(f->rm[m] = H5Dopen2(f->file, model_region_metrics[m].name, H5P_DEFAULT), "open a dataset");
        for (int m = 0; m < PM_NMETRICS; m++) {
            char pname[64];
            snprintf(pname, sizeof pname, "plant_%s", model_plant_metrics[m].name);
            HCHECK(f->pm[m] = H5Dopen2(f->file, pname, H5P_DEFAULT), "open a dataset");
        }
        HCHECK(f->flow = H5Dopen2(f->file, "flow", H5P_DEFAULT), "open a dataset");
        HCHECK(f->balance = H5Dopen2(f->file, "balance_residual", H5P_DEFAULT), "open a dataset");
        HCHECK(f->price = H5Dopen2(f->file, "price", H5P_DEFAULT), "open a dataset");
        HCHECK(f->inert = H5Dopen2(f->file, "inert_share", H5P_DEFAULT), "open a dataset");
    }
    HCHECK(f->seed = H5Dopen2(f->file, "replication_seed", H5P_DEFAULT), "open a dataset");
    HCHECK(f->events = H5Dopen2(f->file, "events", H5P_DEFAULT), "open a dataset");
    HCHECK(f->done = H5Dopen2(f->file, "realization_done", H5P_DEFAULT), "open a dataset");
    HCHECK(f->summary = H5Gopen2(f->file, "summary", H5P_DEFAULT), "open the summary group");
    const char *kinds[3] = { "mean", "std", "quantile" };
    for (int v = 0; v < SV_N; v++) {
        const char *base, *lname;
        summary_names(v, &base, &lname);
        for (int k = 0; k < 3; k++) {
            char name[96];
            snprintf(name, sizeof name, "%s_%s", base, kinds[k]);
            HCHECK(f->sv[v][k] = H5Dopen2(f->summary, name, H5P_DEFAULT), "open a summary dataset");
        }
    }
    HCHECK(f->sflow = H5Dopen2(f->summary, "flow_mean", H5P_DEFAULT), "open a summary dataset");
    return SIM_OK;
}

static int same_run(h5o_file *f)
{
    const scenario *s = f->s;
    /* Every input file first: a table edited since the partial was
     * written would otherwise make a mix of two networks. */
    char *prints = read_attr_text(f->file, "input_fingerprints"), why[512];
    const char *diff = scn_inputs_differ(prints, s->inputs ? s->inputs : "", why, sizeof why);
    free(prints);
    if (diff)
        return sim_err_set(SIM_EINPUT, "%s was written from other inputs: %s since (a run, resume or merge does not "
                                       "mix inputs; restore the file, or start over with --force)",
                           f->partial, diff);
    char *text = read_attr_text(f->file, "scenario");
    char *params = read_attr_text(f->file, "parameters");
    char *json = scn_params_json(s);
    int ok = text && params && json && strcmp(text, s->text) == 0 && strcmp(params, json) == 0;
    free(text);
    free(params);
    free(json);
    if (!ok)
        return sim_err_set(SIM_EINPUT, "%s was written for another scenario or other parameters (expected the same scenario file, seed and --set values to resume)",
                           f->partial);
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

static int open_existing(h5o_file **out, const char *exact, int readonly, const scenario *s,
                         const model_def *d, const h5o_options *o, h5o_done *done);

int h5o_open_resume(h5o_file **out, const scenario *s, const model_def *d, const h5o_options *o,
                    h5o_done *done)
{
    *out = NULL;
    memset(done, 0, sizeof *done);
    const char *partial = h5o_partial_name(o->path);
    int fd;
    SIM_CHECK(of_lock_existing(partial, &fd));
    int rc = open_existing(out, partial, 0, s, d, o, done);
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

int h5o_open_shard(h5o_file **out, const char *path, const scenario *s, const model_def *d,
                   const h5o_options *o, h5o_done *done)
{
    *out = NULL;
    memset(done, 0, sizeof *done);
    if (access(path, R_OK) != 0)
        return sim_err_set(SIM_EINPUT, "%s: cannot read the shard (%s)", path, strerror(errno));
    long writer = of_writer(path);
    if (writer > 0)
        return sim_err_set(SIM_EINPUT, "%s is being written by process %ld; merge it once that run is done", path,
                           writer);
    return open_existing(out, path, 1, s, d, o, done);
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

/* Compare the coordinates of group grp (root, with_rep_dims 1, or the
 * summary group, 0) with those the run writes, made in the in-memory file
 * mem; rewrite and report any that differ. */
static int verify_group(h5o_file *f, hid_t mem, hid_t grp, int with_rep_dims, const char *where)
{
    static const char *names[D_N] = { "point", "realization", "time", "region", "year", "origin", "destination",
                                      "plant", "commodity", "price_item", "quantile" };
    hid_t mg = H5Gcreate2(mem, with_rep_dims ? "root" : "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (mg < 0)
        return h5_fail(f, "make the coordinates to verify");
    hid_t want[D_N];
    for (int i = 0; i < D_N; i++)
        want[i] = -1;
    int rc = write_coords(f, mg, want, with_rep_dims);
    for (int i = 0; rc == SIM_OK && i < D_N; i++) {
        hid_t have = want[i] >= 0 && H5Lexists(grp, names[i], H5P_DEFAULT) > 0 ? H5Dopen2(grp, names[i], H5P_DEFAULT)
                                                                             : -1;
        if (have >= 0 && !same_values(want[i], have)) {
            fprintf(stderr, "anodesim: %s: the coordinate '%s%s' was damaged; written again\n", f->partial, where,
                    names[i]);
            hid_t t = H5Dget_type(want[i]), sp = H5Dget_space(want[i]);
            hssize_t n = H5Sget_simple_extent_npoints(sp);
            int vlen = H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0;
            void *buf = calloc((size_t)n + 1, vlen ? sizeof(char *) : H5Tget_size(t));
            if (!buf || H5Dread(want[i], t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0 ||
                H5Dwrite(have, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
                rc = h5_fail(f, "write a coordinate again");
            if (buf && vlen)
                H5Dvlen_reclaim(t, sp, H5P_DEFAULT, buf);
            free(buf);
            H5Sclose(sp);
            H5Tclose(t);
        }
        if (have >= 0)
            H5Dclose(have);
    }
    for (int i = 0; i < D_N; i++)
        if (want[i] >= 0)
            H5Dclose(want[i]);
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
        return h5_fail(f, "make the coordinates to verify");
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

static int open_existing(h5o_file **out, const char *exact, int readonly, const scenario *s,
                         const model_def *d, const h5o_options *o, h5o_done *done)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (!readonly)
        extend_to_recorded_eof(exact);
    h5o_file *f = new_handle(s, d, o);
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
        rc = h5_fail(f, "recover the end of the file");
    if (rc == SIM_OK)
        rc = same_run(f);
    if (rc == SIM_OK)
        rc = open_datasets(f);
    if (rc == SIM_OK && !readonly)
        rc = verify_coords(f);
    if (rc == SIM_OK) {
        done->total = o->npoints * o->nreps;
        done->mask = calloc((size_t)done->total + 1, 1);
        if (!done->mask)
            rc = sim_err_set(SIM_ENOMEM, "out of memory");
        else if (done->total > 0 &&
                 H5Dread(f->done, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, done->mask) < 0)
            rc = h5_fail(f, "read realization_done");
    }
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

/* ---- description of a file ------------------------------------------------ */

/* Read a numeric attribute as `type` into v, which keeps its value when
 * the attribute is absent. */
static void read_attr_num(hid_t obj, const char *name, hid_t type, void *v)
{
    if (H5Aexists(obj, name) > 0) {
        hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
        H5Aread(a, type, v);
        H5Aclose(a);
    }
}

static long long read_attr_ll(hid_t obj, const char *name)
{
    long long v = -1;
    read_attr_num(obj, name, H5T_NATIVE_LLONG, &v);
    return v;
}

static double read_attr_d(hid_t obj, const char *name)
{
    double v = NAN;
    read_attr_num(obj, name, H5T_NATIVE_DOUBLE, &v);
    return v;
}

typedef struct {
    FILE *out;
    int n;
} list_ctx;

static herr_t list_var(hid_t grp, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    list_ctx *lc = data;
    hid_t ds = H5Dopen2(grp, name, H5P_DEFAULT);   /* fails for groups: skipped */
    if (ds < 0)
        return 0;
    if (H5DSis_scale(ds) <= 0) {
        hid_t sp = H5Dget_space(ds);
        int nd = H5Sget_simple_extent_ndims(sp);
        char *units = read_attr_text(ds, "units");
        fprintf(lc->out, "%s%s [%s, %dd]", lc->n % 4 ? ", " : "\n    ", name, units ? units : "?", nd);
        free(units);
        H5Sclose(sp);
        lc->n++;
    }
    H5Dclose(ds);
    return 0;
}

/* The text attributes `anodesim info` shows. */
enum { T_NAME, T_STATUS, T_VER, T_REV, T_CREATED, T_PATH, T_CUR, T_N };
static const char *const info_text_names[T_N] = { "scenario_name", "status", "anodesim_version", "source_revision",
                                                  "created", "scenario_path", "currency" };

static void info_print(hid_t f, const char *path, FILE *out, const char *const *txt)
{
    const char *name = txt[T_NAME], *status = txt[T_STATUS], *ver = txt[T_VER], *rev = txt[T_REV],
               *created = txt[T_CREATED], *spath = txt[T_PATH], *cur = txt[T_CUR];
    unsigned long long seed = 0, events = 0;
    read_attr_num(f, "seed", H5T_NATIVE_ULLONG, &seed);
    read_attr_num(f, "events_processed", H5T_NATIVE_ULLONG, &events);
    fprintf(out, "%s\n", path);
    fprintf(out, "  status        %s%s\n", status,
            strcmp(status, "complete") ? " (resume with: anodesim run SCENARIO -o FINAL.h5 --resume)" : "");
    fprintf(out, "  scenario      %s (%s)\n", name, spath ? spath : "?");
    fprintf(out, "  points        %lld\n", read_attr_ll(f, "points"));
    fprintf(out, "  replications  %lld of %lld completed%s\n", read_attr_ll(f, "replications_completed"),
            read_attr_ll(f, "replications_planned"),
            read_attr_ll(f, "store_replications") == 0 ? " (summaries only)" : "");
    hid_t t = H5Dopen2(f, "time", H5P_DEFAULT);
    if (t >= 0) {
        char *units = read_attr_text(t, "units");
        hid_t sp = H5Dget_space(t);
        hssize_t n = H5Sget_simple_extent_npoints(sp);
        fprintf(out, "  horizon       %lld months, time in %s\n", (long long)n, units ? units : "?");
        free(units);
        H5Sclose(sp);
        H5Dclose(t);
    }
    fprintf(out, "  money         %s\n", cur ? cur : "?");
    fprintf(out, "  provenance    anodesim %s (revision %s), seed %llu, %lld threads, %lld ranks\n", ver ? ver : "?",
            rev ? rev : "?", seed, read_attr_ll(f, "threads"), read_attr_ll(f, "ranks"));
    double wall = read_attr_d(f, "wall_time_s");
    if (!isnan(wall))
        fprintf(out, "                wall time %.2f s, %llu events, created %s\n", wall, events,
                created ? created : "?");
    list_ctx lc = { out, 0 };
    fprintf(out, "  variables");
    H5Literate(f, H5_INDEX_NAME, H5_ITER_INC, NULL, list_var, &lc);
    fprintf(out, "\n");
    if (H5Lexists(f, "summary", H5P_DEFAULT) > 0) {
        hid_t g = H5Gopen2(f, "summary", H5P_DEFAULT);
        lc.n = 0;
        fprintf(out, "  summary group (mean, std, quantiles across replications):");
        H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, list_var, &lc);
        fprintf(out, "\n");
        H5Gclose(g);
    }
}

/* A JSON string (escaped) or null. */
static void json_str(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

static void info_json(hid_t f, const char *path, FILE *out, const char *const *txt, long writer)
{
    unsigned long long seed = 0, events = 0;
    read_attr_num(f, "seed", H5T_NATIVE_ULLONG, &seed);
    read_attr_num(f, "events_processed", H5T_NATIVE_ULLONG, &events);
    double wall = read_attr_d(f, "wall_time_s");
    fprintf(out, "{\"schema\": \"anodesim-info/1\", \"path\": ");
    json_str(out, path);
    fprintf(out, ", \"status\": ");
    json_str(out, txt[T_STATUS]);
    fprintf(out, ", \"writer_pid\": %ld, \"scenario_name\": ", writer);
    json_str(out, txt[T_NAME]);
    fprintf(out, ", \"scenario_path\": ");
    json_str(out, txt[T_PATH]);
    fprintf(out, ", \"points\": %lld, \"replications_planned\": %lld, \"replications_completed\": %lld, "
                 "\"store_replications\": %s, \"seed\": %llu, \"currency\": ",
            read_attr_ll(f, "points"), read_attr_ll(f, "replications_planned"),
            read_attr_ll(f, "replications_completed"), read_attr_ll(f, "store_replications") == 0 ? "false" : "true",
            seed);
    json_str(out, txt[T_CUR]);
    fprintf(out, ", \"anodesim_version\": ");
    json_str(out, txt[T_VER]);
    fprintf(out, ", \"source_revision\": ");
    json_str(out, txt[T_REV]);
    fprintf(out, ", \"created\": ");
    json_str(out, txt[T_CREATED]);
    fprintf(out, ", \"threads\": %lld, \"ranks\": %lld, \"events_processed\": %llu, \"wall_time_s\": ",
            read_attr_ll(f, "threads"), read_attr_ll(f, "ranks"), events);
    if (isnan(wall))
        fputs("null", out);
    else
        fprintf(out, "%.3f", wall);
    fprintf(out, "}\n");
}

int h5o_info(const char *path, FILE *out, int json)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    /* A file being written is locked by its writer (outfile.h): say so, and
     * read it without HDF5's own lock, which would refuse it. */
    long writer = of_writer(path);
    if (writer > 0)
        setenv("HDF5_USE_FILE_LOCKING", "FALSE", 1);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0 && writer > 0)
        return sim_err_set(SIM_EINPUT, "%s is being written by process %ld (not readable yet: try again later)", path,
                           writer);
    if (f < 0)
        return sim_err_set(access(path, F_OK) == 0 ? SIM_EINPUT : SIM_EIO,
                           "%s: cannot open as an HDF5 results file (%s)", path,
                           access(path, F_OK) == 0 ? "not HDF5, or damaged" : strerror(errno));
    char *txt[T_N];
    for (int i = 0; i < T_N; i++)
        txt[i] = read_attr_text(f, info_text_names[i]);
    int ours = txt[T_NAME] && txt[T_STATUS];
    if (ours && json)
        info_json(f, path, out, (const char *const *)txt, writer);
    else if (ours) {
        info_print(f, path, out, (const char *const *)txt);
        if (writer > 0)
            fprintf(out, "  writer        being written by process %ld (figures as of its last flush)\n", writer);
    }
    for (int i = 0; i < T_N; i++)
        free(txt[i]);
    H5Fclose(f);
    if (!ours)
        return sim_err_set(SIM_EINPUT, "%s: not an anodesim results file (no scenario_name or status attribute)", path);
    return SIM_OK;
}

char *h5o_file_attr_text(const char *path, const char *name)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return NULL;
    char *v = read_attr_text(f, name);
    H5Fclose(f);
    return v;
}

double h5o_file_attr_double(const char *path, const char *name)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return NAN;
    double v = read_attr_d(f, name);
    H5Fclose(f);
    return v;
}

long long h5o_file_attr_long(const char *path, const char *name)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return -1;
    long long v = read_attr_ll(f, name);
    H5Fclose(f);
    return v;
}
