#include "schema.h"

#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

static char *dup_or_null(const char *s, int *fail)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    *fail |= d == NULL;
    return d;
}

static double *dup_doubles(const double *v, size_t n, size_t stride, int *fail)
{
    if (!v)
        return NULL;
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (!d) {
        *fail = 1;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        d[i] = v[i * stride];
    return d;
}

/* Room for one more element of an array of `size`-byte elements. */
static int grow(void **arr, int n, size_t size)
{
    if (n > 0 && (n < 4 || (n & (n - 1))))
        return 0;   /* room left: capacity is 4, then doubles at each power of two */
    void *p = realloc(*arr, (size_t)(n ? 2 * n : 4) * size);
    if (!p)
        return -1;
    *arr = p;
    return 0;
}

rs_schema *rs_new(long npoints)
{
    rs_schema *s = calloc(1, sizeof(rs_schema));
    if (s)
        s->npoints = npoints;
    return s;
}

void rs_free(rs_schema *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ndims; i++) {
        rs_dim *d = &s->dim[i];
        free(d->name), free(d->long_name), free(d->units), free(d->values), free(d->axis), free(d->calendar),
            free(d->bounds);
    }
    for (int i = 0; i < s->naux; i++) {
        rs_aux *a = &s->aux[i];
        for (long k = 0; a->labels && k < a->size; k++)
            free(a->labels[k]);
        free(a->name), free(a->long_name), free(a->units), free(a->labels), free(a->values);
    }
    for (int i = 0; i < s->nvars; i++) {
        rs_var *v = &s->var[i];
        free(v->name), free(v->long_name), free(v->units), free(v->currency), free(v->cell_methods),
            free(v->coordinates);
    }
    for (int i = 0; i < s->nstatic; i++)
        free(s->stat[i].name), free(s->stat[i].long_name), free(s->stat[i].units), free(s->stat[i].values);
    for (int i = 0; i < s->nattrs; i++)
        free(s->attr[i].name), free(s->attr[i].text), free(s->attr[i].differ_msg);
    free(s->dim), free(s->aux), free(s->var), free(s->stat), free(s->attr);
    free(s);
}

int rs_add_dim(rs_schema *s, const char *name, const char *long_name, const char *units, long size,
               const double *values, int integer)
{
    if (grow((void **)&s->dim, s->ndims, sizeof *s->dim) < 0)
        return -1;
    rs_dim *d = &s->dim[s->ndims];
    memset(d, 0, sizeof *d);
    int fail = 0;
    d->name = dup_or_null(name, &fail);
    d->long_name = dup_or_null(long_name, &fail);
    d->units = dup_or_null(units, &fail);
    d->size = size;
    d->values = dup_doubles(values, (size_t)size, 1, &fail);
    d->integer = integer;
    s->ndims++;   /* (freed with the schema even when incomplete) */
    return fail ? -1 : s->ndims - 1;
}

int rs_dim_bounds(rs_schema *s, int d, const double *bounds)
{
    int fail = 0;
    s->dim[d].bounds = dup_doubles(bounds, 2 * (size_t)s->dim[d].size, 1, &fail);
    return fail ? SIM_ENOMEM : SIM_OK;
}

int rs_dim_axis(rs_schema *s, int d, const char *axis, const char *calendar)
{
    int fail = 0;
    s->dim[d].axis = dup_or_null(axis, &fail);
    s->dim[d].calendar = dup_or_null(calendar, &fail);
    return fail ? SIM_ENOMEM : SIM_OK;
}

static rs_aux *new_aux(rs_schema *s, const char *name, const char *long_name, const char *units, int dim, int *fail)
{
    if (grow((void **)&s->aux, s->naux, sizeof *s->aux) < 0) {
        *fail = 1;
        return NULL;
    }
    rs_aux *a = &s->aux[s->naux++];
    memset(a, 0, sizeof *a);
    a->name = dup_or_null(name, fail);
    a->long_name = dup_or_null(long_name, fail);
    a->units = dup_or_null(units, fail);
    a->dim = dim;
    return a;
}

int rs_add_aux_labels(rs_schema *s, const char *name, const char *long_name, int dim, long size,
                      const char *const *labels)
{
    int fail = 0;
    rs_aux *a = new_aux(s, name, long_name, NULL, dim, &fail);
    if (!a)
        return SIM_ENOMEM;
    a->size = size;
    a->labels = calloc((size_t)size + 1, sizeof *a->labels);
    fail |= a->labels == NULL;
    for (long k = 0; a->labels && k < size; k++)
        a->labels[k] = dup_or_null(labels[k] ? labels[k] : "", &fail);
    return fail ? SIM_ENOMEM : SIM_OK;
}

int rs_add_aux_values(rs_schema *s, const char *name, const char *long_name, const char *units, int dim, long size,
                      const double *values, size_t stride)
{
    int fail = 0;
    rs_aux *a = new_aux(s, name, long_name, units, dim, &fail);
    if (!a)
        return SIM_ENOMEM;
    a->size = size;
    a->values = dup_doubles(values, (size_t)size, stride, &fail);
    return fail ? SIM_ENOMEM : SIM_OK;
}

void rs_block(rs_schema *s, int b, size_t len)
{
    s->block_len[b] = len;
    if (b >= s->nblocks)
        s->nblocks = b + 1;
}

int rs_add_var(rs_schema *s, const char *name, const char *long_name, const char *units, const char *currency,
               const char *cell_methods, int ndims, const int *dims, rs_type type, int block, size_t offset,
               size_t stride, unsigned summaries)
{
    if (grow((void **)&s->var, s->nvars, sizeof *s->var) < 0)
        return -1;
    rs_var *v = &s->var[s->nvars];
    memset(v, 0, sizeof *v);
    int fail = 0;
    v->name = dup_or_null(name, &fail);
    v->long_name = dup_or_null(long_name, &fail);
    v->units = dup_or_null(units, &fail);
    v->currency = dup_or_null(currency, &fail);
    v->cell_methods = dup_or_null(cell_methods, &fail);
    v->ndims = ndims;
    v->len = 1;
    for (int i = 0; i < ndims; i++) {
        v->dims[i] = dims[i];
        v->len *= (size_t)s->dim[dims[i]].size;
    }
    v->type = type;
    v->block = block;
    v->offset = offset;
    v->stride = stride;
    v->summaries = summaries;
    s->nvars++;
    return fail ? -1 : s->nvars - 1;
}

int rs_var_coordinates(rs_schema *s, int v, const char *coordinates)
{
    int fail = 0;
    free(s->var[v].coordinates);
    s->var[v].coordinates = dup_or_null(coordinates, &fail);
    return fail ? SIM_ENOMEM : SIM_OK;
}

int rs_add_static(rs_schema *s, const char *name, const char *long_name, const char *units, int ndims,
                  const int *dims, const double *values, int in_summary)
{
    if (grow((void **)&s->stat, s->nstatic, sizeof *s->stat) < 0)
        return SIM_ENOMEM;
    rs_static *st = &s->stat[s->nstatic++];
    memset(st, 0, sizeof *st);
    int fail = 0;
    st->name = dup_or_null(name, &fail);
    st->long_name = dup_or_null(long_name, &fail);
    st->units = dup_or_null(units, &fail);
    st->ndims = ndims;
    size_t n = 1;
    for (int i = 0; i < ndims; i++) {
        st->dims[i] = dims[i];
        n *= (size_t)rs_dim_size(s, dims[i]);
    }
    st->values = dup_doubles(values, n, 1, &fail);
    st->in_summary = in_summary;
    return fail ? SIM_ENOMEM : SIM_OK;
}

static rs_attr *new_attr(rs_schema *s, const char *name, int *fail)
{
    if (grow((void **)&s->attr, s->nattrs, sizeof *s->attr) < 0) {
        *fail = 1;
        return NULL;
    }
    rs_attr *a = &s->attr[s->nattrs++];
    memset(a, 0, sizeof *a);
    a->name = dup_or_null(name, fail);
    return a;
}

int rs_add_text(rs_schema *s, const char *name, const char *text, int identity, rs_differ_fn differ,
                const char *differ_msg)
{
    int fail = 0;
    rs_attr *a = new_attr(s, name, &fail);
    if (!a)
        return SIM_ENOMEM;
    a->text = dup_or_null(text ? text : "", &fail);
    a->identity = identity;
    a->differ = differ;
    a->differ_msg = dup_or_null(differ_msg, &fail);
    return fail ? SIM_ENOMEM : SIM_OK;
}

int rs_add_number(rs_schema *s, const char *name, double num, int integer, int identity)
{
    int fail = 0;
    rs_attr *a = new_attr(s, name, &fail);
    if (!a)
        return SIM_ENOMEM;
    a->num = num;
    a->integer = integer;
    a->identity = identity;
    return fail ? SIM_ENOMEM : SIM_OK;
}

/* The schema's point dimension has no size of its own: the run gives it. */
long rs_dim_size(const rs_schema *s, int d)
{
    return d == RS_DIM_POINT ? s->npoints : s->dim[d].size;
}

int rs_finish(rs_schema *s)
{
    size_t at = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < s->nvars; i++) {
            rs_var *v = &s->var[i];
            int q = (v->summaries & RS_SUM_QUANTILES) != 0;
            if (!v->summaries || q != (pass == 0))
                continue;
            v->sum_at = at;
            at += v->len;
            if (pass == 0)
                s->sum_qlen = at;
        }
    s->sum_len = at;
    for (int i = 0; i < s->nvars; i++) {
        const rs_var *v = &s->var[i];
        if (v->block < 0 || v->block >= s->nblocks || v->stride == 0 ||
            (v->len > 0 && v->offset + (v->len - 1) * v->stride >= s->block_len[v->block]))
            return sim_err_set(SIM_EINVAL, "schema: variable %s lies outside block %d of the record", v->name,
                               v->block);
    }
    return SIM_OK;
}

void rs_gather(const rs_schema *s, const rs_record *r, double *x)
{
    for (int i = 0; i < s->nvars; i++) {
        const rs_var *v = &s->var[i];
        if (!v->summaries)
            continue;
        const double *src = r->block[v->block] + v->offset;
        double *dst = x + v->sum_at;
        if (v->stride == 1)
            memcpy(dst, src, v->len * sizeof *dst);
        else
            for (size_t j = 0; j < v->len; j++)
                dst[j] = src[j * v->stride];
    }
}

void rs_round(const rs_schema *s, const rs_record *r)
{
    for (int i = 0; i < s->nvars; i++) {
        const rs_var *v = &s->var[i];
        if (v->type != RS_FLOAT)
            continue;
        double *x = r->block[v->block] + v->offset;
        for (size_t j = 0; j < v->len; j++)
            x[j * v->stride] = (double)(float)x[j * v->stride];
    }
}

static const char *dim_name(const rs_schema *s, int d)
{
    return d == RS_DIM_POINT ? "point" : s->dim[d].name;
}

/* The auxiliary coordinates over dimension d, comma-separated. */
static void aux_of(const rs_schema *s, int d, FILE *out)
{
    int n = 0;
    for (int i = 0; i < s->naux; i++)
        if (s->aux[i].dim == d)
            fprintf(out, "%s`%s`", n++ ? ", " : "", s->aux[i].name);
    if (!n)
        fputs("—", out);
}

void rs_markdown(const rs_schema *s, FILE *out)
{
    fputs("| dimension | coordinate | units | bounds | label and other coordinates |\n|---|---|---|---|---|\n", out);
    fputs("| `realization` | 0, 1, ... (record dimension, unlimited) | — | — | — |\n", out);
    fputs("| `point` | 0, 1, ... | — | — | ", out);
    aux_of(s, RS_DIM_POINT, out);
    fputs(" (one per swept parameter) |\n", out);
    for (int d = 0; d < s->ndims; d++) {
        const rs_dim *dm = &s->dim[d];
        fprintf(out, "| `%s` | %s | %s | ", dm->name, dm->long_name ? dm->long_name : "", dm->units ? dm->units : "—");
        if (dm->bounds)
            fprintf(out, "`%s_bnds`", dm->name);
        else
            fputs("—", out);
        fputs(" | ", out);
        aux_of(s, d, out);
        fputs(" |\n", out);
    }
    fputs("\n| variable | dimensions | units | cell_methods | summaries | meaning |\n|---|---|---|---|---|---|\n", out);
    for (int i = 0; i < s->nvars; i++) {
        const rs_var *v = &s->var[i];
        fprintf(out, "| `%s` | realization, point", v->name);
        for (int k = 0; k < v->ndims; k++)
            fprintf(out, ", %s", dim_name(s, v->dims[k]));
        fprintf(out, " | %s%s%s%s | %s | ", v->units ? v->units : "—", v->currency ? " (currency " : "",
                v->currency ? v->currency : "", v->currency ? ")" : "", v->cell_methods ? v->cell_methods : "—");
        const char *sums[3] = { "mean", "std", "quantile" };
        unsigned bits[3] = { RS_SUM_MEAN, RS_SUM_STD, RS_SUM_QUANTILES };
        int n = 0;
        for (int k = 0; k < 3; k++)
            if (v->summaries & bits[k])
                fprintf(out, "%s%s", n++ ? ", " : "", sums[k]);
        fprintf(out, "%s | %s", n ? "" : "—", v->long_name ? v->long_name : "");
        if (v->coordinates)
            fprintf(out, " (coordinate `%s`)", v->coordinates);
        fputs(" |\n", out);
    }
}
