/* Helpers for tests on tiny hand-made scenarios: write the files into a
 * temporary folder, load and build a model, sum a metric over the run.
 * A test program includes this once and sets tiny_dir with tiny_init(). */
#ifndef TINY_H
#define TINY_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "sim_err.h"

static char tiny_dir[256];

static int tiny_init(const char *name)
{
    snprintf(tiny_dir, sizeof tiny_dir, "/tmp/anodesim-%s-XXXXXX", name);
    return mkdtemp(tiny_dir) ? 0 : -1;
}

static void tiny_cleanup(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tiny_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tiny_dir);
}

static void put(const char *name, const char *fmt, ...)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tiny_dir, name);
    FILE *f = fopen(path, "w");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
}

/* One coke and one pitch supplier in region A, the given plants, smelters
 * and links, a horizon from 2025-01-01 to `end`; `yaml_extra` is appended
 * to the scenario file. */
static void tiny_write(const char *plants, const char *smelters, const char *links, const char *yaml_extra,
                       const char *end)
{
    put("scenario.yaml",
        "name: tiny\n"
        "run:\n  seed: 7\n  replications: 2\n  start: 2025-01-01\n  end: %s\n  warmup_days: 120\n"
        "tables:\n  suppliers: suppliers.csv\n  plants: plants.csv\n  smelters: smelters.csv\n  links: links.csv\n"
        "classes:\n  - name: std\n    energy_gj_per_t: 3\n    conversion_per_t: 500\n    baking_loss: 0.05\n"
        "%s", end, yaml_extra);
    put("suppliers.csv", "id,commodity,region,capacity_tpy,price\nC,cpc,A,1e9,3000\nP,pitch,A,1e9,4500\n");
    put("plants.csv", "%s", plants);
    put("smelters.csv", "%s", smelters);
    put("links.csv", "%s", links);
}

typedef struct {
    scenario s;
    model_def d;
    model_instance *m;
    model_result *r;
} sim;

/* Load the tiny scenario (with overrides) and build a model; prints the
 * reason on failure. */
static int sim_open(sim *x, const scn_override *ov, int nov)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenario.yaml", tiny_dir);
    int rc = scn_load(path, ov, nov, &x->s);
    if (rc != SIM_OK) {
        fprintf(stderr, "load: %s\n", sim_err_msg());
        return rc;
    }
    rc = model_def_init(&x->d, &x->s);
    if (rc != SIM_OK) {
        fprintf(stderr, "def: %s\n", sim_err_msg());
        scn_free(&x->s);
        return rc;
    }
    x->m = model_instance_new(&x->d);
    x->r = model_result_alloc(&x->d);
    return SIM_OK;
}

static void sim_close(sim *x)
{
    model_result_free(x->r);
    model_instance_free(x->m);
    model_def_free(&x->d);
    scn_free(&x->s);
}

/* Sum of a metric over the run for one region by name (NULL: all). */
static double sim_total(const sim *x, const char *region, int metric)
{
    double t = 0;
    for (int g = 0; g < x->s.nregions; g++)
        if (!region || strcmp(x->s.regions[g], region) == 0)
            for (int k = 0; k < x->r->nmonths; k++)
                t += *model_rm(x->r, k, g, metric);
    return t;
}

#endif
