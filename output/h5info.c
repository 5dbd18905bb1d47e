/* Describing a results file (`anodesim info`) and reading its attributes. */
#include <errno.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h5out_impl.h"
#include "outfile.h"
#include "sim_err.h"


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
    /* Variables only: not dimensions, their bounds, nor the label and
     * other coordinates over one dimension (region_name, time_end...). */
    hid_t sp = H5Dget_space(ds);
    int nd = H5Sget_simple_extent_ndims(sp);
    H5Sclose(sp);
    size_t len = strlen(name);
    int bounds = len > 5 && strcmp(name + len - 5, "_bnds") == 0;
    char *units = h5oi_attr_text(ds, "units"), *cur = h5oi_attr_text(ds, "currency");
    if (H5DSis_scale(ds) <= 0 && !bounds && nd != 1) {
        fprintf(lc->out, "%s%s [%s%s%s, %dd]", lc->n % 4 ? ", " : "\n    ", name, units ? units : "-",
                cur ? " " : "", cur ? cur : "", nd);
        lc->n++;
    }
    free(cur);
    free(units);
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
    long long points = read_attr_ll(f, "points"), per = read_attr_ll(f, "replications_planned");
    char each[64] = "";
    if (points > 1)
        snprintf(each, sizeof each, " (%lld a point)", per);
    fprintf(out, "  replications  %lld of %lld completed%s%s\n", read_attr_ll(f, "replications_completed"),
            points > 0 && per >= 0 ? points * per : per, each,
            read_attr_ll(f, "store_replications") == 0 ? ", summaries only" : "");
    char *qm = h5oi_attr_text(f, "quantile_method");
    if (qm)
        fprintf(out, "  quantiles     %s\n", qm);
    free(qm);
    hid_t t = H5Dopen2(f, "time", H5P_DEFAULT);
    if (t >= 0) {
        char *units = h5oi_attr_text(t, "units");
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
        txt[i] = h5oi_attr_text(f, info_text_names[i]);
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
    char *v = h5oi_attr_text(f, name);
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
