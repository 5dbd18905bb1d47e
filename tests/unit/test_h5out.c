/* The HDF5 writer on a synthetic two-variable schema (no model): replications
 * with a known pattern are written, interrupted (partial file), resumed, read
 * back and completed; summaries are made from memory and the quantiles from
 * the stored replications.  The file it leaves (argv[2]) is checked from
 * Python by tests/python/test_results.py. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "check.h"
#include "h5out.h"
#include "schema.h"
#include "sim_err.h"

enum { T = 12, G = 3, R = 7 };

/* Block 0 interleaves two series, as a model's metric table does:
 * alpha (time, region) at even places, a filler at odd ones; block 1 is
 * beta (region), doubles. */
static double alpha_of(long rep, int k, int g)
{
    /* Not monotone in rep, with ties: quantiles must sort. */
    return (double)((rep * 37) % R) * 100.0 + k * 10 + g + (rep == 3 ? 0.5 : 0.0);
}

static double beta_of(long rep, int g)
{
    return 1e-3 * (double)rep + g;
}

static rs_schema *synthetic_schema(void)
{
    rs_schema *s = rs_new(1);
    double days[T], bnds[2 * T];
    for (int k = 0; k < T; k++) {
        days[k] = 30.0 * k;
        bnds[2 * k] = 30.0 * k;
        bnds[2 * k + 1] = 30.0 * (k + 1);
    }
    const char *names[G] = { "north", "centre", "south" };
    CHECK(rs_add_dim(s, "time", "time", "days since 2030-01-01", T, days, 1) == 0);
    CHECK(rs_dim_axis(s, 0, "T", "360_day") == SIM_OK);
    CHECK(rs_dim_bounds(s, 0, bnds) == SIM_OK);
    CHECK(rs_add_dim(s, "region", "region (index)", NULL, G, NULL, 1) == 1);
    CHECK(rs_add_aux_labels(s, "region_name", "region", 1, G, names) == SIM_OK);
    rs_block(s, 0, 2 * T * G);
    rs_block(s, 1, G);
    int tg[2] = { 0, 1 }, g1[1] = { 1 };
    CHECK(rs_add_var(s, "alpha", "a test series", "t", NULL, "time: sum", 2, tg, RS_FLOAT, 0, 0, 2, RS_SUM_ALL) == 0);
    CHECK(rs_add_var(s, "beta", "money per tonne", "t-1", "EUR", NULL, 1, g1, RS_DOUBLE, 1, 0, 1, RS_SUM_MEAN) == 1);
    CHECK(rs_add_text(s, "title", "synthetic", 0, NULL, NULL) == SIM_OK);
    CHECK(rs_add_text(s, "scenario_name", "synthetic", 0, NULL, NULL) == SIM_OK);
    CHECK(rs_add_text(s, "recipe", "one", 1, NULL, "%s was written for another recipe") == SIM_OK);
    CHECK(rs_finish(s) == SIM_OK);
    CHECK(s->sum_qlen == T * G && s->sum_len == T * G + G);
    return s;
}

static void fill(double *b0, double *b1, rs_record *r, long rep)
{
    memset(r, 0, sizeof *r);
    r->rep = rep;
    r->seed_key = 1000 + (uint64_t)rep;
    r->events = 77 + (uint64_t)rep;
    r->block[0] = b0;
    r->block[1] = b1;
    for (int k = 0; k < T; k++)
        for (int g = 0; g < G; g++) {
            b0[2 * (k * G + g)] = alpha_of(rep, k, g);
            b0[2 * (k * G + g) + 1] = -1;   /* not a variable: never written */
        }
    for (int g = 0; g < G; g++)
        b1[g] = beta_of(rep, g);
}

/* Read summary dataset `name` ([point 0] slab, n values) back through
 * HDF5's own filters into v. */
static int read_summary(const char *path, const char *name, double *v)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t ds = file >= 0 ? H5Dopen2(file, name, H5P_DEFAULT) : -1;
    int ok = ds >= 0 && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
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
    const char *out = argv[2];
    rs_schema *s = synthetic_schema();
    h5o_options o = { .path = out, .npoints = 1, .nreps = R, .store_replications = 1, .threads = 3, .ranks = 1 };
    unlink(out);
    unlink(h5o_partial_name(out));
    double b0[2 * T * G], b1[G], c0[2 * T * G], c1[G];
    rs_record r, back;

    /* First run: three replications, then an interruption. */
    h5o_file *f;
    CHECK(h5o_create(&f, s, &o) == SIM_OK);
    for (long rep = 0; rep < 3; rep++) {
        fill(b0, b1, &r, rep);
        CHECK(h5o_write(f, &r, NULL) == SIM_OK);
    }
    h5o_abort(f, 1);
    CHECK(access(out, F_OK) != 0);                       /* no final file */
    CHECK(access(h5o_partial_name(out), F_OK) == 0);     /* a partial one */

    /* Resume: the partial file knows what it holds and gives it back. */
    h5o_done done;
    CHECK(h5o_open_resume(&f, s, &o, &done) == SIM_OK);
    CHECK(done.total == R && done.completed == 3);
    CHECK(done.mask[0] && done.mask[2] && !done.mask[3] && !done.mask[4]);
    sum_acc acc;
    CHECK(sum_acc_init(&acc, s->sum_len, 0, NULL) == SIM_OK);
    double x[T * G + G];
    for (long rep = 0; rep < R; rep++) {
        fill(b0, b1, &r, rep);
        if (done.mask[rep]) {
            memset(&back, 0, sizeof back);
            back.block[0] = c0;
            back.block[1] = c1;
            for (int i = 0; i < 2 * T * G; i++)
                c0[i] = -1;
            CHECK(h5o_read(f, 0, rep, &back, NULL) == SIM_OK);
            CHECK(memcmp(c0, b0, sizeof c0) == 0);   /* strided values in place, the rest untouched */
            CHECK(memcmp(c1, b1, sizeof c1) == 0);
            CHECK(back.seed_key == r.seed_key && back.events == r.events);
        } else {
            CHECK(h5o_write(f, &r, NULL) == SIM_OK);
        }
        rs_round(s, &r);
        rs_gather(s, &r, x);
        CHECK(x[0] == alpha_of(rep, 0, 0) && x[T * G + 1] == beta_of(rep, 1));
        sum_acc_add(&acc, x);
    }
    free(done.mask);
    h5o_summaries sm = { &acc, NULL, NULL };
    CHECK(h5o_write_summary(f, 0, &sm) == SIM_OK);
    CHECK(h5o_quantiles_from_file(f, 0, 1 << 20, 2) == SIM_OK);
    CHECK(h5o_finish(f, 1.5, 12345) == SIM_OK);
    CHECK(access(out, F_OK) == 0);
    CHECK(access(h5o_partial_name(out), F_OK) != 0);

    /* The summaries as stored: means from the accumulator, quantiles exact
     * (type 7) from the file, as from memory. */
    double mean[T * G], q[H5O_NQ * T * G], bm[G];
    CHECK(read_summary(out, "summary/alpha_mean", mean));
    CHECK(read_summary(out, "summary/alpha_quantile", q));
    CHECK(read_summary(out, "summary/beta_mean", bm));
    for (int i = 0; i < T * G; i++)
        CHECK(mean[i] == sum_acc_mean(&acc, (size_t)i));
    for (int g = 0; g < G; g++)
        CHECK(bm[g] == sum_acc_mean(&acc, (size_t)(T * G + g)));
    float cols[T * G * R];
    for (int i = 0; i < T * G; i++)
        for (long rep = 0; rep < R; rep++)
            cols[i * R + rep] = (float)alpha_of(rep, i / G, i % G);
    double qm[H5O_NQ * T * G];
    sum_exact_columns_f(cols, R, T * G, H5O_NQ, h5o_quantiles, qm, T * G, 2);
    CHECK(memcmp(q, qm, sizeof q) == 0);
    /* The median of 7 values is the 4th: 300 + k*10 + g here. */
    CHECK(q[2 * T * G + 0] == 300.0 && q[2 * T * G + 5] == 300.0 + 10 + 2);

    CHECK(h5o_open_resume(&f, s, &o, &done) == SIM_ENOTFOUND);   /* complete: no partial left */

    /* A resume of a file for other settings is refused. */
    h5o_options o2 = o;
    o2.nreps = 6;
    CHECK(h5o_create(&f, s, &o2) == SIM_EINPUT);   /* the complete file is there */
    CHECK(strstr(sim_err_msg(), "--force") != NULL);
    o2.force = 1;
    CHECK(h5o_create(&f, s, &o2) == SIM_OK);
    h5o_abort(f, 1);
    CHECK(h5o_open_resume(&f, s, &o, &done) == SIM_EINPUT);
    CHECK(strstr(sim_err_msg(), "expected the same settings") != NULL);
    /* ... and so is one with another identity attribute. */
    rs_schema *other = synthetic_schema();
    free(other->attr[2].text);
    other->attr[2].text = strdup("two");
    CHECK(h5o_open_resume(&f, other, &o2, &done) == SIM_EINPUT);
    CHECK(strstr(sim_err_msg(), "another recipe") != NULL);
    rs_free(other);
    unlink(h5o_partial_name(out));
    CHECK(h5o_open_resume(&f, s, &o, &done) == SIM_ENOTFOUND);

    /* A folder that does not exist is refused before anything is made. */
    h5o_options bad = o;
    bad.path = "/nonexistent-dir/x.h5";
    CHECK(h5o_create(&f, s, &bad) == SIM_EINPUT);
    CHECK(strstr(sim_err_msg(), "/nonexistent-dir") != NULL);
    CHECK(access("/nonexistent-dir/x.h5.partial", F_OK) != 0);

    /* Quantiles with less memory give the same numbers: by selection in
     * passes (a scratch too small for columns), and from columns of 12
     * values at a time (three passes). */
    size_t mems[2] = { R * sizeof(double), 12 * R * sizeof(float) };
    for (int k = 0; k < 2; k++) {
        char out2[4096];
        snprintf(out2, sizeof out2, "%s.passes%d.h5", out, k);
        h5o_options o3 = o;
        o3.path = out2;
        o3.force = 1;
        CHECK(h5o_create(&f, s, &o3) == SIM_OK);
        for (long rep = 0; rep < R; rep++) {
            fill(b0, b1, &r, rep);
            CHECK(h5o_write(f, &r, NULL) == SIM_OK);
        }
        CHECK(h5o_write_summary(f, 0, &sm) == SIM_OK);   /* (the selection starts from the means) */
        CHECK(h5o_quantiles_from_file(f, 0, mems[k], 1 + k) == SIM_OK);
        CHECK(h5o_finish(f, 1, 1) == SIM_OK);
        double q2[H5O_NQ * T * G];
        CHECK(read_summary(out2, "summary/alpha_quantile", q2));
        CHECK(memcmp(q2, qm, sizeof q2) == 0);
        unlink(out2);
    }

    sum_acc_free(&acc);
    rs_free(s);
    (void)argv[1];
    return check_done("test_h5out");
}
