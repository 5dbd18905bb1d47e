/* The HDF5 writer: synthetic replications with a known pattern are written,
 * interrupted (partial file), resumed, read back and completed.  The file it
 * leaves (argv[2]) is checked from Python by tests/python/test_results.py. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "check.h"
#include "h5out.h"
#include "sim_err.h"

static double pattern_rm(long rep, int k, int g, int m)
{
    return rep * 1e6 + m * 1e4 + k * 10 + g;
}

static double pattern_flow(long rep, int y, int o, int d)
{
    return rep * 1e6 + y * 1e4 + o * 100 + d;
}

static void fill(model_result *r, long rep)
{
    r->rep = rep;
    r->point = 0;
    r->seed_key = 1000 + (uint64_t)rep;
    r->events = 77 + (uint64_t)rep;
    for (int k = 0; k < r->nmonths; k++)
        for (int g = 0; g < r->nregions; g++)
            for (int m = 0; m < RM_NMETRICS; m++)
                *model_rm(r, k, g, m) = pattern_rm(rep, k, g, m);
    for (int y = 0; y < r->nyears; y++)
        for (int o = 0; o < r->nregions; o++)
            for (int d = 0; d < r->nregions; d++)
                *model_od(r, y, o, d) = pattern_flow(rep, y, o, d);
    for (int y = 0; y < r->nyears; y++)
        for (int p = 0; p < r->nplants; p++)
            for (int m = 0; m < PM_NMETRICS; m++)
                *model_pm(r, y, p, m) = rep + y + p + m;
    for (int b = 0; b < BAL_N; b++)
        r->balance[b] = b * 1e-12;
    for (int k = 0; k < r->nmonths; k++)
        for (int i = 0; i < PRICE_N; i++)
            *model_price(r, k, i) = rep * 100 + k + i * 0.25;
    for (int k = 0; k < r->nmonths; k++)
        for (int g = 0; g < r->nregions; g++)
            *model_inert(r, k, g) = 0.001 * (rep + k + g);
}

/* Read the [point 0] slab of summary dataset `name` (n values) back
 * through HDF5's own filters and compare it with what the accumulator
 * gives: the summaries are stored as chunks encoded outside HDF5. */
static int summary_matches(const char *path, const char *name, const sum_acc *a, size_t n, size_t nm, int metric,
                           int kind)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t ds = file >= 0 ? H5Dopen2(file, name, H5P_DEFAULT) : -1;
    int nq = kind == 2 ? 5 : 1, ok = ds >= 0;
    double *v = malloc(n * (size_t)nq * sizeof *v);
    ok = ok && v && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
    for (int q = 0; ok && q < nq; q++)
        for (size_t i = 0; ok && i < n; i++) {
            size_t idx = i * nm + (size_t)metric;
            double want = kind == 0 ? sum_acc_mean(a, idx) : kind == 1 ? sum_acc_sd(a, idx) : sum_acc_quantile(a, idx, q);
            ok = memcmp(&want, &v[(size_t)q * n + i], sizeof want) == 0;
        }
    free(v);
    if (ds >= 0)
        H5Dclose(ds);
    if (file >= 0)
        H5Fclose(file);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_h5out SOURCE_DIR OUTPUT.h5\n");
        return 2;
    }
    char scen[512];
    snprintf(scen, sizeof scen, "%s/scenarios/china-2024/scenario.yaml", argv[1]);
    const char *out = argv[2];
    scn_override ov[1] = { { "run.end", "2024-12-31" } };
    scenario s;
    model_def d;
    CHECK(scn_load(scen, ov, 1, &s) == SIM_OK);
    CHECK(model_def_init(&d, &s) == SIM_OK);
    const long R = 5;
    h5o_options o = { .path = out, .npoints = 1, .nreps = R, .store_replications = 1, .threads = 3, .ranks = 1 };
    unlink(out);
    unlink(h5o_partial_name(out));
    model_result *r = model_result_alloc(&d), *back = model_result_alloc(&d);
    sum_acc monthly, flows, prices, inert;
    size_t nm = (size_t)s.nmonths * (size_t)s.nregions * RM_NMETRICS;
    size_t nf = (size_t)s.nyears * (size_t)s.nregions * (size_t)s.nregions;

    /* First run: three replications, then an interruption. */
    h5o_file *f;
    CHECK(h5o_create(&f, &s, &d, &o) == SIM_OK);
    for (long rep = 0; rep < 3; rep++) {
        fill(r, rep);
        CHECK(h5o_write(f, r, NULL) == SIM_OK);
    }
    h5o_abort(f, 1);
    CHECK(access(out, F_OK) != 0);                       /* no final file */
    CHECK(access(h5o_partial_name(out), F_OK) == 0);     /* a partial one */

    /* Resume: the partial file knows what it holds and gives it back. */
    h5o_done done;
    CHECK(h5o_open_resume(&f, &s, &d, &o, &done) == SIM_OK);
    CHECK(done.total == R && done.completed == 3);
    CHECK(done.mask[0] && done.mask[2] && !done.mask[3] && !done.mask[4]);
    CHECK(sum_acc_init(&monthly, nm, 5, h5o_quantiles) == SIM_OK);
    CHECK(sum_acc_init(&flows, nf, 0, NULL) == SIM_OK);
    CHECK(sum_acc_init(&prices, (size_t)s.nmonths * PRICE_N, 5, h5o_quantiles) == SIM_OK);
    CHECK(sum_acc_init(&inert, (size_t)s.nmonths * (size_t)s.nregions, 5, h5o_quantiles) == SIM_OK);
    for (long rep = 0; rep < R; rep++) {
        if (done.mask[rep]) {
            CHECK(h5o_read(f, 0, rep, back, NULL) == SIM_OK);
            fill(r, rep);
            CHECK(memcmp(back->region_month, r->region_month, nm * sizeof(double)) == 0);
            CHECK(memcmp(back->od_year, r->od_year, nf * sizeof(double)) == 0);
            CHECK(memcmp(back->price_month, r->price_month, (size_t)s.nmonths * PRICE_N * sizeof(double)) == 0);
            CHECK(back->seed_key == r->seed_key && back->events == r->events);
        } else {
            fill(r, rep);
            CHECK(h5o_write(f, r, NULL) == SIM_OK);
        }
        sum_acc_add(&monthly, r->region_month);
        sum_acc_add(&flows, r->od_year);
        sum_acc_add(&prices, r->price_month);
        sum_acc_add(&inert, r->inert_month);
    }
    free(done.mask);
    h5o_summaries sm = { &monthly, &flows, &prices, &inert };
    CHECK(h5o_write_summary(f, 0, &sm) == SIM_OK);
    CHECK(h5o_finish(f, 1.5, 12345) == SIM_OK);
    CHECK(access(out, F_OK) == 0);
    CHECK(access(h5o_partial_name(out), F_OK) != 0);
    size_t TG = (size_t)s.nmonths * (size_t)s.nregions;
    CHECK(summary_matches(out, "summary/production_mean", &monthly, TG, RM_NMETRICS, RM_PRODUCTION, 0));
    CHECK(summary_matches(out, "summary/shortage_std", &monthly, TG, RM_NMETRICS, RM_SHORTAGE, 1));
    CHECK(summary_matches(out, "summary/revenue_quantile", &monthly, TG, RM_NMETRICS, RM_REVENUE, 2));
    CHECK(summary_matches(out, "summary/price_quantile", &prices, (size_t)s.nmonths * PRICE_N, 1, 0, 2));
    CHECK(summary_matches(out, "summary/inert_share_mean", &inert, TG, 1, 0, 0));
    CHECK(summary_matches(out, "summary/flow_mean", &flows, nf, 1, 0, 0));

    /* A resume of a file for other settings is refused. */
    h5o_options o2 = o;
    o2.nreps = 6;
    CHECK(h5o_create(&f, &s, &d, &o2) == SIM_EINPUT);   /* the complete file is there */
    CHECK(strstr(sim_err_msg(), "--force") != NULL);
    o2.force = 1;
    CHECK(h5o_create(&f, &s, &d, &o2) == SIM_OK);
    h5o_abort(f, 1);
    CHECK(h5o_open_resume(&f, &s, &d, &o, &done) == SIM_EINPUT);
    CHECK(strstr(sim_err_msg(), "expected the same settings") != NULL);
    unlink(h5o_partial_name(out));
    CHECK(h5o_open_resume(&f, &s, &d, &o, &done) == SIM_ENOTFOUND);

    /* A folder that does not exist is refused before anything is made. */
    h5o_options bad = o;
    bad.path = "/nonexistent-dir/x.h5";
    CHECK(h5o_create(&f, &s, &d, &bad) == SIM_EINPUT);
    CHECK(strstr(sim_err_msg(), "/nonexistent-dir") != NULL);
    CHECK(access("/nonexistent-dir/x.h5.partial", F_OK) != 0);

    sum_acc_free(&monthly);
    sum_acc_free(&flows);
    sum_acc_free(&prices);
    sum_acc_free(&inert);
    model_result_free(r);
    model_result_free(back);
    model_def_free(&d);
    scn_free(&s);
    return check_done("test_h5out");
}
