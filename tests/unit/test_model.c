/* The supply-chain model on tiny networks whose answers can be computed by
 * hand, and the mass balance on the default scenario. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "model.h"
#include "sim_err.h"

static char dir[256];

static void put(const char *name, const char *fmt, ...)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
}

/* One coke and one pitch supplier and plant X in region A, smelter S in
 * region B.  `extra_yaml` is appended to the plant/smelter sections. */
static void tiny(const char *plants, const char *smelters, const char *links, const char *yaml_extra)
{
    put("scenario.yaml",
        "name: tiny\n"
        "run:\n  seed: 7\n  replications: 2\n  start: 2025-01-01\n  end: 2025-12-31\n  warmup_days: 120\n"
        "tables:\n  suppliers: suppliers.csv\n  plants: plants.csv\n  smelters: smelters.csv\n  links: links.csv\n"
        "classes:\n  - name: std\n    energy_gj_per_t: 3\n    conversion_per_t: 500\n    baking_loss: 0.05\n"
        "%s", yaml_extra);
    put("suppliers.csv", "id,commodity,region,capacity_tpy,price\nC,cpc,A,1e9,3000\nP,pitch,A,1e9,4500\n");
    put("plants.csv", "%s", plants);
    put("smelters.csv", "%s", smelters);
    put("links.csv", "%s", links);
}

static const char *base_links =
    "from,to,mode,distance_km,lead_days,lead_cv\n"
    "C,X,road,10,1,0\nP,X,road,10,1,0\nX,S,rail,1000,5,0\n";

typedef struct {
    int n;
    double t[20000];
    int kind[20000], com[20000];
    double qty[20000];
    int from[20000], to[20000];
} trace_log;

static void tracer(void *ctx, model_trace_kind kind, double time, int com, int from, int to, double qty)
{
    trace_log *l = ctx;
    if (l->n == 20000)
        return;
    l->t[l->n] = time;
    l->kind[l->n] = kind;
    l->com[l->n] = com;
    l->qty[l->n] = qty;
    l->from[l->n] = from;
    l->to[l->n] = to;
    l->n++;
}

typedef struct {
    scenario s;
    model_def d;
    model_instance *m;
    model_result *r;
} sim;

static int load_run(sim *x, trace_log *log)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    int rc = scn_load(path, NULL, 0, &x->s);
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
    if (log)
        model_set_trace(x->m, tracer, log);
    rc = model_run(x->m, 0, 0, x->r);
    if (rc != SIM_OK)
        fprintf(stderr, "run: %s\n", sim_err_msg());
    return rc;
}

static void done(sim *x)
{
    model_result_free(x->r);
    model_instance_free(x->m);
    model_def_free(&x->d);
    scn_free(&x->s);
}

/* Sum of a metric over months for one region (by name). */
static double total(const sim *x, const char *region, int metric)
{
    double t = 0;
    for (int g = 0; g < x->s.nregions; g++) {
        if (region && strcmp(x->s.regions[g], region) != 0)
            continue;
        for (int k = 0; k < x->r->nmonths; k++)
            t += *model_rm(x->r, k, g, metric);
    }
    return t;
}

static void test_constant_demand(void)
{
    /* Al 100,000 t/yr at 0.475 t/t: 47,500 t of anodes in 2025, used at a
     * constant rate; the plant (200,000 t/yr) is never short. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\n",
         "id,region,al_tpy\nS,B,100000\n", base_links, "");
    sim x;
    trace_log *log = calloc(1, sizeof *log);
    CHECK(load_run(&x, log) == SIM_OK);
    CHECK_NEAR(total(&x, "B", RM_CONSUMPTION), 47500.0, 1e-6);
    CHECK_NEAR(total(&x, "B", RM_SHORTAGE), 0.0, 1e-9);
    /* Throughput: production equals use plus the change in stocks, exactly. */
    for (int b = 0; b < BAL_N; b++)
        CHECK(fabs(x.r->balance[b]) <= 1e-9 * x.r->balance_scale[b]);
    double prod = total(&x, "A", RM_PRODUCTION);
    CHECK(prod > 40000 && prod < 55000);
    CHECK_NEAR(total(&x, "A", RM_CAPACITY), 200000.0, 1e-6);
    /* Inter-regional flow recorded as shipments out of A into B. */
    CHECK_NEAR(total(&x, "A", RM_SHIP_OUT), total(&x, "B", RM_SHIP_IN), 1e-9);
    CHECK(total(&x, "A", RM_SHIP_OUT) > 40000);

    /* A lead time of 5 days with CV 0 on an unlimited link: every anode
     * shipment arrives exactly 5 days after it leaves. */
    int sn = x.s.smelters[0].node, xn = x.s.plants[0].node;
    int matched = 0, exact = 1;
    for (int i = 0; i < log->n; i++) {
        if (log->kind[i] != MODEL_TRACE_DEPART || log->com[i] != 2 || log->to[i] != sn)
            continue;
        for (int j = i + 1; j < log->n; j++)
            if (log->kind[j] == MODEL_TRACE_ARRIVE && log->com[j] == 2 && log->from[j] == xn &&
                log->qty[j] == log->qty[i] && log->t[j] >= log->t[i]) {
                exact &= log->t[j] - log->t[i] == 5.0;
                matched++;
                break;
            }
    }
    CHECK(matched > 10);
    CHECK(exact);
    free(log);
    done(&x);
}

static void test_recipe(void)
{
    /* No butts come back (butt_ratio 0): coke replaces them one for one,
     * so coke is exactly 0.85 and pitch 0.15 of the green anode. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\n",
         "id,region,al_tpy\nS,B,100000\n", base_links,
         "smelter:\n  butt_ratio: 0\nplant:\n  recipe_cpc: 0.65\n  recipe_pitch: 0.15\n  recipe_butts: 0.20\n");
    sim x;
    CHECK(load_run(&x, NULL) == SIM_OK);
    double c = total(&x, NULL, RM_CPC_USE), p = total(&x, NULL, RM_PITCH_USE), b = total(&x, NULL, RM_BUTTS_USE);
    CHECK(b == 0.0);
    CHECK_NEAR(p / (c + p), 0.15, 1e-12);
    CHECK_NEAR(c / (c + p), 0.85, 1e-12);
    done(&x);

    /* With butts returned (20 % of use, as the recipe needs), the plant
     * uses them: butts are 20 % of the green mass whenever enough came back. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\n",
         "id,region,al_tpy\nS,B,100000\n", base_links, "smelter:\n  butt_ratio: 0.3\n");
    CHECK(load_run(&x, NULL) == SIM_OK);
    c = total(&x, NULL, RM_CPC_USE);
    p = total(&x, NULL, RM_PITCH_USE);
    b = total(&x, NULL, RM_BUTTS_USE);
    CHECK_NEAR(b / (c + p + b), 0.20, 1e-12);
    CHECK_NEAR(p / (c + p + b), 0.15, 1e-12);
    done(&x);
}

static void test_captive(void)
{
    /* Y is the cheaper plant (nearer), but S owns X and sources 60 % there. */
    tiny("id,region,class,capacity_tpy,owner\nX,A,std,200000,S\nY,A,std,200000,\n",
         "id,region,al_tpy,captive_share\nS,B,100000,0.6\n",
         "from,to,mode,distance_km,lead_days,lead_cv\n"
         "C,X,road,10,1,0\nP,X,road,10,1,0\nC,Y,road,10,1,0\nP,Y,road,10,1,0\n"
         "X,S,rail,2000,5,0\nY,S,rail,100,5,0\n", "");
    sim x;
    CHECK(load_run(&x, NULL) == SIM_OK);
    double px = *model_pm(x.r, 0, 0, PM_PRODUCTION), py = *model_pm(x.r, 0, 1, PM_PRODUCTION);
    CHECK_MSG(fabs(px / (px + py) - 0.6) < 0.02, "captive plant made %.4f of the anodes", px / (px + py));
    done(&x);
}

static void test_full_link(void)
{
    /* The X -> S link carries at most 100 t/d; shipments wait their turn:
     * each leaves no earlier than the previous one's tonnes have cleared. */
    tiny("id,region,class,capacity_tpy\nX,A,std,200000\n",
         "id,region,al_tpy\nS,B,60000\n",
         "from,to,mode,distance_km,lead_days,lead_cv,capacity_tpd\n"
         "C,X,road,10,1,0,\nP,X,road,10,1,0,\nX,S,rail,1000,5,0,100\n", "");
    sim x;
    trace_log *log = calloc(1, sizeof *log);
    CHECK(load_run(&x, log) == SIM_OK);
    int sn = x.s.smelters[0].node;
    double busy_until = -1;
    int n = 0, ok = 1, waited = 0;
    for (int i = 0; i < log->n; i++) {
        if (log->kind[i] != MODEL_TRACE_DEPART || log->com[i] != 2 || log->to[i] != sn)
            continue;
        if (busy_until >= 0) {
            ok &= log->t[i] >= busy_until - 1e-9;
            waited += log->t[i] <= busy_until + 1e-9;
        }
        busy_until = log->t[i] + log->qty[i] / 100.0;
        n++;
    }
    CHECK(n > 10);
    CHECK(ok);
    CHECK_MSG(waited > 0, "no shipment had to wait for the link");
    free(log);
    done(&x);
}

static void test_stockout(void)
{
    /* Demand 47,500 t/yr of anodes but the plant can make only 20,000 t/yr:
     * the shortage is the rest, and lost aluminium is shortage / 0.475. */
    tiny("id,region,class,capacity_tpy\nX,A,std,20000\n",
         "id,region,al_tpy\nS,B,100000\n", base_links, "");
    sim x;
    CHECK(load_run(&x, NULL) == SIM_OK);
    double use = total(&x, "B", RM_CONSUMPTION), sh = total(&x, "B", RM_SHORTAGE);
    CHECK_NEAR(use + sh, 47500.0, 1e-6);
    CHECK(sh > 47500.0 - 20000.0 - 3000.0 && sh < 47500.0 - 20000.0 + 3000.0);
    CHECK_NEAR(total(&x, "B", RM_LOST_AL), sh / 0.475, 1e-6);
    /* The plant ran flat out. */
    CHECK(total(&x, "A", RM_PRODUCTION) > 0.97 * 20000.0);
    done(&x);
}

static void test_default_balance(const char *src)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/china-2024/scenario.yaml", src);
    sim x;
    CHECK(scn_load(path, NULL, 0, &x.s) == SIM_OK);
    CHECK(model_def_init(&x.d, &x.s) == SIM_OK);
    x.m = model_instance_new(&x.d);
    x.r = model_result_alloc(&x.d);
    for (long rep = 0; rep < 3; rep++) {
        CHECK(model_run(x.m, 0, rep, x.r) == SIM_OK);
        for (int b = 0; b < BAL_N; b++)
            CHECK_MSG(fabs(x.r->balance[b]) <= MODEL_BALANCE_TOL * x.r->balance_scale[b],
                      "%s residual %g", model_balance_names[b], x.r->balance[b]);
    }
    done(&x);
}

int main(int argc, char **argv)
{
    snprintf(dir, sizeof dir, "/tmp/anodesim-test-model-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_constant_demand();
    test_recipe();
    test_captive();
    test_full_link();
    test_stockout();
    test_default_balance(argc > 1 ? argv[1] : ".");
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done("test_model");
}
